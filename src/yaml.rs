//! Every call into the YAML library lives here, so swapping serde_yaml for a maintained fork
//! (serde_norway) is a one-line change. YAML becomes `serde_json::Value` for the rest of rolebook.

use serde_json::Value;

/// A YAML syntax error with its 1-based position inside the parsed text.
#[derive(Debug, Clone)]
pub struct YamlError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Parses one YAML document into a JSON value (maps keep string keys; other keys are stringified).
pub fn parse(text: &str) -> Result<Value, YamlError> {
    match serde_yaml::from_str::<serde_yaml::Value>(text) {
        Ok(v) => Ok(to_json(v, 0)),
        Err(e) => {
            let message = clean_message(&e.to_string());
            let (line, column) = duplicate_key_line(text, &message)
                .map(|l| (l, 1))
                .or_else(|| e.location().map(|l| (l.line(), l.column())))
                .unwrap_or((1, 1));
            Err(YamlError {
                line,
                column,
                message,
            })
        }
    }
}

/// serde_yaml places a duplicate top-level key at the start of its mapping; the line to fix is
/// the key's second occurrence.
fn duplicate_key_line(text: &str, message: &str) -> Option<usize> {
    let key = message
        .strip_prefix("duplicate entry with key ")?
        .trim_matches('"');
    let is_key = |l: &str| {
        !l.starts_with([' ', '\t'])
            && l.split_once(':')
                .is_some_and(|(k, _)| k.trim().trim_matches(['"', '\'']) == key)
    };
    text.lines()
        .enumerate()
        .filter(|(_, l)| is_key(l))
        .nth(1)
        .map(|(i, _)| i + 1)
}

/// Writes a value as one YAML document (no leading `---`), quoting strings where needed.
pub fn to_string<T: serde::Serialize>(value: &T) -> Result<String, String> {
    serde_yaml::to_string(value).map_err(|e| e.to_string())
}

/// serde_yaml appends " at line X column Y" to messages; the diagnostic already says where.
fn clean_message(msg: &str) -> String {
    match msg.find(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

const MAX_DEPTH: usize = 256;

fn to_json(v: serde_yaml::Value, depth: usize) -> Value {
    use serde_yaml::Value as Y;
    if depth > MAX_DEPTH {
        return Value::Null;
    }
    match v {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                n.as_f64()
                    .and_then(serde_json::Number::from_f64)
                    .map(Value::Number)
                    .unwrap_or(Value::Null)
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(seq) => Value::Array(seq.into_iter().map(|x| to_json(x, depth + 1)).collect()),
        Y::Mapping(map) => {
            let mut out = serde_json::Map::new();
            for (k, v) in map {
                let key = match k {
                    Y::String(s) => s,
                    Y::Bool(b) => b.to_string(),
                    Y::Number(n) => n.to_string(),
                    Y::Null => "null".to_string(),
                    other => scalar_text(&other),
                };
                out.insert(key, to_json(v, depth + 1));
            }
            Value::Object(out)
        }
        Y::Tagged(t) => to_json(t.value, depth + 1),
    }
}

fn scalar_text(v: &serde_yaml::Value) -> String {
    serde_yaml::to_string(v)
        .map(|s| s.trim().to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_mapping() {
        let v = parse("title: Hi\ntags: [a, b]\n").unwrap();
        assert_eq!(v["title"], "Hi");
        assert_eq!(v["tags"][1], "b");
    }

    #[test]
    fn reports_line() {
        let e = parse("title: Hi\ntags: [a, b\n").unwrap_err();
        assert!(e.line >= 2, "{e:?}");
    }

    #[test]
    fn duplicate_key_names_its_second_line() {
        let e = parse("title: A\ndescription: d\ntitle: B\n").unwrap_err();
        assert!(e.message.contains("duplicate"), "{e:?}");
        assert_eq!((e.line, e.column), (3, 1));
    }

    #[test]
    fn billion_laughs_is_refused_or_bounded() {
        let mut doc = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        let mut prev = 'a';
        for c in 'b'..='i' {
            doc.push_str(&format!("{c}: &{c} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
            prev = c;
        }
        let _ = parse(&doc);
    }
}
