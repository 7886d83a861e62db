//! Splits a Markdown file into front matter and body, and turns YAML (`---`) or TOML (`+++`)
//! front matter into a typed `FrontMatter`, with a diagnostic at the line of every bad key.

use serde_json::Value;

use crate::config::describe;
use crate::diagnostics::Diagnostic;
use crate::load::{dates, keys::key_lines};
use crate::model::{Faq, FrontMatter};
use crate::suggest::nearest_one;

pub const KNOWN_KEYS: &[&str] = &[
    "title",
    "description",
    "date",
    "updated",
    "slug",
    "draft",
    "roles",
    "tags",
    "weight",
    "aliases",
    "template",
    "related",
    "faq",
    "compare",
    "extra",
];

/// The front matter's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Yaml,
    Toml,
}

/// A file cut into its parts. Lines are 1-based lines of the whole file.
#[derive(Debug)]
pub struct Split<'a> {
    pub format: Format,
    pub front: &'a str,
    pub front_line: usize,
    pub body: &'a str,
    pub body_line: usize,
}

/// Why a file could not be split.
#[derive(Debug, PartialEq, Eq)]
pub enum SplitError {
    /// The first line is not `---` or `+++`.
    NoFrontMatter,
    /// The opening fence has no closing one.
    Unclosed(Format),
}

/// Cuts `text` (BOM already removed) at its front-matter fences.
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    let first_end = text.find('\n').map(|i| i + 1).unwrap_or(text.len());
    let fence = text[..first_end].trim_end();
    let format = match fence {
        "---" => Format::Yaml,
        "+++" => Format::Toml,
        _ => return Err(SplitError::NoFrontMatter),
    };
    let mut pos = first_end;
    let mut line = 2;
    while pos < text.len() {
        let end = text[pos..]
            .find('\n')
            .map(|i| pos + i + 1)
            .unwrap_or(text.len());
        let l = text[pos..end].trim_end();
        if l == fence || (format == Format::Yaml && l == "...") {
            return Ok(Split {
                format,
                front: &text[first_end..pos],
                front_line: 2,
                body: &text[end..],
                body_line: line + 1,
            });
        }
        pos = end;
        line += 1;
    }
    Err(SplitError::Unclosed(format))
}

/// Parses and checks the front matter of `file`. Errors and warnings go to `diags`; the result
/// holds every key that was valid.
pub fn parse(
    split: &Split<'_>,
    file: &str,
    taxonomies: &[String],
    diags: &mut Vec<Diagnostic>,
) -> FrontMatter {
    let offset = split.front_line - 1;
    let value = match split.format {
        Format::Yaml => match crate::yaml::parse(split.front) {
            Ok(v) => v,
            Err(e) => {
                // An error found at the end of the input (an unclosed `[`) is shown on the last
                // front-matter line, not on the closing fence.
                let last = split.front.lines().count().max(1);
                let (line, column) = if e.line > last {
                    (
                        last,
                        split
                            .front
                            .lines()
                            .last()
                            .map_or(1, |l| l.chars().count().max(1)),
                    )
                } else {
                    (e.line, e.column)
                };
                diags.push(
                    Diagnostic::error(format!("invalid YAML front matter: {}", e.message))
                        .in_file(file)
                        .at(line + offset, column)
                        .help("front matter is YAML between two `---` lines; quote values that contain `: ` or start with `[`, `{`, `*`, `&`"),
                );
                return FrontMatter::default();
            }
        },
        Format::Toml => match toml::from_str::<toml::Table>(split.front) {
            Ok(t) => toml_to_json(toml::Value::Table(t)),
            Err(e) => {
                let (line, col) = e
                    .span()
                    .map(|s| line_col(split.front, s.start))
                    .unwrap_or((1, 1));
                diags.push(
                    Diagnostic::error(format!("invalid TOML front matter: {}", e.message()))
                        .in_file(file)
                        .at(line + offset, col),
                );
                return FrontMatter::default();
            }
        },
    };
    let mut lines = key_lines(split.front, split.format == Format::Toml);
    for v in lines.values_mut() {
        v.0 += offset;
    }
    let map = match value {
        Value::Object(m) => m,
        Value::Null => Default::default(),
        other => {
            diags.push(
                Diagnostic::error(format!(
                    "front matter must be a mapping of keys to values, found {}",
                    describe(&other)
                ))
                .in_file(file)
                .at(split.front_line, 1)
                .help("write one `key: value` per line, e.g. `title: Scrum Master vs Agile Coach`"),
            );
            return FrontMatter::default();
        }
    };
    let mut fm = FrontMatter {
        key_lines: lines,
        ..Default::default()
    };
    let mut keys: Vec<String> = map.keys().cloned().collect();
    keys.sort_by_key(|k| fm.key_lines.get(k).copied().unwrap_or((usize::MAX, 0)));
    let mut map = map;
    for key in keys {
        let Some(value) = map.remove(&key) else {
            continue;
        };
        let (line, col) = fm
            .key_lines
            .get(&key)
            .copied()
            .unwrap_or((split.front_line, 1));
        let bad = |expected: &str| {
            Diagnostic::error(format!(
                "`{key}` must be {expected}, found {}",
                describe(&value)
            ))
            .in_file(file)
            .at(line, col)
            .spanning(key.chars().count())
        };
        match key.as_str() {
            "title" | "description" | "slug" | "template" => match scalar_string(&value) {
                Some(s) => {
                    let s = Some(s);
                    match key.as_str() {
                        "title" => fm.title = s,
                        "description" => fm.description = s,
                        "slug" => fm.slug = s,
                        _ => fm.template = s,
                    }
                }
                None if value.is_null() => {}
                None => diags.push(bad("text")),
            },
            "date" | "updated" => match value.as_str().map(|s| (s, dates::parse(s))) {
                Some((_, Some(d))) => {
                    if key == "date" {
                        fm.date = Some(d)
                    } else {
                        fm.updated = Some(d)
                    }
                }
                _ if value.is_null() => {}
                _ => diags.push(bad("a date").help(dates::ACCEPTED)),
            },
            "draft" => match value.as_bool() {
                Some(b) => fm.draft = b,
                None => diags.push(bad("true or false")),
            },
            "weight" => match value.as_i64() {
                Some(w) => fm.weight = Some(w),
                None => diags.push(bad("a whole number")),
            },
            "aliases" | "related" | "compare" => match string_list(&value) {
                Some(list) => match key.as_str() {
                    "aliases" => fm.aliases = list,
                    "related" => fm.related = list,
                    _ => fm.compare = list,
                },
                None => diags.push(bad("a list of text values, e.g. [a, b]")),
            },
            "faq" => match faq_list(&value) {
                Some(list) => fm.faq = list,
                None => diags.push(bad("a list of `{q: question, a: answer}` entries")),
            },
            "extra" => match value {
                Value::Object(m) => fm.extra.extend(m),
                Value::Null => {}
                _ => diags.push(bad("a mapping")),
            },
            k if taxonomies.iter().any(|t| t == k) => match string_list(&value) {
                Some(list) => {
                    fm.taxonomies.insert(key.clone(), list);
                }
                None => diags.push(bad("a list of slugs, e.g. [product-owner, scrum-master]")),
            },
            _ => {
                let known: Vec<&str> = KNOWN_KEYS
                    .iter()
                    .copied()
                    .chain(taxonomies.iter().map(String::as_str))
                    .collect();
                let mut d = Diagnostic::warning(format!("unknown front-matter key `{key}`"))
                    .in_file(file)
                    .at(line, col)
                    .spanning(key.chars().count());
                d = match nearest_one(&key, known.iter().copied()) {
                    Some(k) => d.help(format!(
                        "did you mean `{k}`? its value is kept as `page.extra.{key}`"
                    )),
                    None => d.help(format!("its value is kept as `page.extra.{key}`")),
                };
                diags.push(d);
                fm.extra.insert(key, value);
            }
        }
    }
    fm
}

fn scalar_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A list of scalars; a single string is accepted as a one-item list.
fn string_list(v: &Value) -> Option<Vec<String>> {
    match v {
        Value::Null => Some(Vec::new()),
        Value::String(s) => Some(vec![s.clone()]),
        Value::Array(items) => items.iter().map(scalar_string).collect(),
        _ => None,
    }
}

fn faq_list(v: &Value) -> Option<Vec<Faq>> {
    let items = v.as_array()?;
    items
        .iter()
        .map(|item| {
            let q = scalar_string(item.get("q")?)?;
            let a = scalar_string(item.get("a")?)?;
            Some(Faq { q, a })
        })
        .collect()
}

fn toml_to_json(v: toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => serde_json::Number::from_f64(f)
            .map(Value::Number)
            .unwrap_or(Value::Null),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string().replacen(' ', "T", 1)),
        toml::Value::Array(a) => Value::Array(a.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => {
            Value::Object(t.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect())
        }
    }
}

/// 1-based line and column of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let mut off = offset;
    while !text.is_char_boundary(off) {
        off -= 1;
    }
    let before = &text[..off];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fm(text: &str) -> (FrontMatter, Vec<Diagnostic>) {
        let s = split(text).unwrap();
        let mut d = Vec::new();
        let f = parse(&s, "content/x.md", &["roles".into(), "tags".into()], &mut d);
        (f, d)
    }

    #[test]
    fn splits_yaml_and_toml() {
        let s = split("---\ntitle: A\n---\nbody\n").unwrap();
        assert_eq!(s.front, "title: A\n");
        assert_eq!(s.body, "body\n");
        assert_eq!(s.body_line, 4);
        let s = split("+++\r\ntitle = \"A\"\r\n+++\r\nbody").unwrap();
        assert_eq!(s.format, Format::Toml);
        assert!(matches!(split("no"), Err(SplitError::NoFrontMatter)));
        assert!(matches!(
            split("---\ntitle: x\n"),
            Err(SplitError::Unclosed(Format::Yaml))
        ));
    }

    #[test]
    fn wrong_types_name_their_line() {
        let (_, d) = fm("---\ntitle: A\ndate: yesterday\ntags: 5\n---\n");
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].line, Some(3));
        assert_eq!(d[1].line, Some(4));
    }

    #[test]
    fn unknown_key_goes_to_extra_with_a_warning() {
        let (f, d) = fm("---\ntitle: A\ntgas: [x]\n---\n");
        assert_eq!(f.extra["tgas"][0], "x");
        assert!(!d[0].is_error());
        assert!(d[0].help.as_deref().unwrap().contains("`tags`"));
    }

    #[test]
    fn yaml_error_line_is_offset_by_the_fence() {
        let (_, d) = fm("---\ntitle: A\ntags: [a, b\n---\n");
        assert!(d[0].is_error());
        assert!(d[0].line.unwrap() >= 3);
    }

    #[test]
    fn line_col_counts_chars() {
        assert_eq!(line_col("ab\ncé d", 6), (2, 3));
    }
}
