//! What rolebook adds to Tera: the filters templates call (`url`, `date`, `json_encode`,
//! `slugify`, `urlencode`), the `get_url` function, and the HTML escaper output goes through.

use std::borrow::Cow;

use rustc_hash::FxHashMap;
use tera::{Kwargs, State, Tera, Value};

/// Adds rolebook's filters, `get_url` and escaper to `tera`. `href_base`: the base path every
/// internal link starts with when the site does not use relative URLs (the `url` filter then
/// reads nothing from the context), or none to read it from the page being rendered.
pub fn register(tera: &mut Tera, href_base: Option<String>) {
    tera.register_filter("date", date_filter);
    tera.register_filter("json_encode", json_encode);
    tera.register_filter("slugify", |s: &str, _: Kwargs, _: &State| {
        crate::slug::slugify(s)
    });
    tera.register_filter("urlencode", |s: &str, _: Kwargs, _: &State| urlencode(s));
    tera.register_function("get_url", get_url);
    match href_base {
        // The theme's fifty-odd links a page: no context lookup for each.
        Some(base) => tera.register_filter("url", move |path: &str, _: Kwargs, _: &State| {
            Ok::<_, tera::Error>(match is_external(path) {
                true => path.to_string(),
                false => crate::urls::href(&base, false, "", path),
            })
        }),
        None => tera.register_filter("url", url_filter),
    }
    tera.set_escape_fn(escape_html);
}

/// Autoescaping: the characters Tera's own escaper replaces (`& < > " '`), with the same
/// entities, but text between them is written in one piece instead of byte by byte (Tera's
/// version was a tenth of a build's instructions).
fn escape_html(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let bytes = input.as_bytes();
    let mut start = 0;
    for at in super::escape::marked_bytes(bytes, needs_entity) {
        let entity: &[u8] = match bytes[at] {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            _ => b"&#39;",
        };
        out.write_all(&bytes[start..at])?;
        out.write_all(entity)?;
        start = at + 1;
    }
    out.write_all(&bytes[start..])
}

fn needs_entity(b: u8) -> bool {
    matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'')
}

/// `{{ page.date | date(format="%e %B %Y") }}` over `YYYY-MM-DD` or RFC 3339 strings.
fn date_filter(s: &str, kwargs: Kwargs, _: &State) -> tera::TeraResult<String> {
    // Any value as its text, as Tera's `String` arguments take it (a string is borrowed).
    let format: Cow<'_, str> = kwargs.get("format")?.unwrap_or(Cow::Borrowed("%Y-%m-%d"));
    let format = &*format;
    // Every card shows a date, and a site has far fewer dates than cards: each thread keeps
    // what it formatted (chrono parses the format string on every call).
    if let Some(done) = FORMATTED.with_borrow(|f| f.get(format).and_then(|d| d.get(s)).cloned()) {
        return Ok(done);
    }
    let parsed = crate::load::dates::parse(s)
        .ok_or_else(|| tera::Error::message(format!("`date` filter: {s:?} is not a date")))?;
    let mut out = String::new();
    use std::fmt::Write;
    write!(out, "{}", parsed.at.format(format))
        .map_err(|_| tera::Error::message(format!("`date` filter: invalid format {format:?}")))?;
    let out = out.trim().to_string();
    FORMATTED.with_borrow_mut(|f| {
        if f.len() >= FORMATTED_FORMATS && !f.contains_key(format) {
            f.clear();
        }
        let dates = f.entry(format.into()).or_default();
        if dates.len() >= FORMATTED_PER_FORMAT {
            dates.clear();
        }
        dates.insert(s.into(), out.clone());
    });
    Ok(out)
}

/// How many format strings, and dates per format string, [`FORMATTED`] keeps before it starts
/// again (a long `serve` session never grows it further).
const FORMATTED_FORMATS: usize = 64;
const FORMATTED_PER_FORMAT: usize = 4096;

/// Dates as one format string writes them: date → text.
type Formatted = FxHashMap<Box<str>, String>;

thread_local! {
    /// The `date` filter's results on this thread, by format string.
    static FORMATTED: std::cell::RefCell<FxHashMap<Box<str>, Formatted>> =
        std::cell::RefCell::default();
}

/// JSON, safe inside a `<script>` element (`<`, `>` and `&` escaped).
fn json_encode(v: &Value, kwargs: Kwargs, _: &State) -> tera::TeraResult<Value> {
    let pretty: bool = kwargs.get("pretty")?.unwrap_or(false);
    let json = if pretty {
        serde_json::to_string_pretty(v)
    } else {
        serde_json::to_string(v)
    }
    .map_err(|e| tera::Error::message(format!("json_encode: {e}")))?;
    Ok(Value::safe_string(&script_safe_json(json)))
}

/// Escapes JSON for embedding in HTML `<script>`: every `<`, `>` and `&` (which JSON allows
/// only inside strings) becomes a `\u` escape, so no `</script>`, `<!--`, `<script` or `-->`
/// survives, and U+2028/U+2029 are escaped for old JavaScript parsers. Still the same JSON.
pub fn script_safe_json(json: String) -> String {
    // Found with vectorised searches: most JSON has none of them, and an article's JSON-LD is
    // a few kilobytes of text (U+2028 and U+2029 both start with byte 0xE2, as `—` does).
    let bytes = json.as_bytes();
    let markup = |from: usize| memchr::memchr3(b'<', b'>', b'&', &bytes[from..]).map(|k| from + k);
    let e2 = |from: usize| memchr::memchr(0xE2, &bytes[from..]).map(|k| from + k);
    let (mut next_markup, mut next_e2) = (markup(0), e2(0));
    if next_markup.is_none() && next_e2.is_none() {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    let mut copied = 0;
    loop {
        let at = match (next_markup, next_e2) {
            (Some(a), Some(b)) => a.min(b),
            (Some(a), None) => a,
            (None, Some(b)) => b,
            (None, None) => break,
        };
        let (escape, len) = match &bytes[at..] {
            [b'<', ..] => ("\\u003c", 1),
            [b'>', ..] => ("\\u003e", 1),
            [b'&', ..] => ("\\u0026", 1),
            [0xE2, 0x80, 0xA8, ..] => ("\\u2028", 3),
            [0xE2, 0x80, 0xA9, ..] => ("\\u2029", 3),
            _ => ("", 0), // another character starting with 0xE2: kept
        };
        if len > 0 {
            out.push_str(&json[copied..at]);
            out.push_str(escape);
            copied = at + len;
        }
        if next_markup == Some(at) {
            next_markup = markup(at + 1);
        } else {
            next_e2 = e2(at + 1);
        }
    }
    out.push_str(&json[copied..]);
    out
}

fn urlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// `get_url(path="guides/x/")`: the one way templates make internal URLs. Reads the current
/// page's path and the URL settings from the context (`current_path`, `__href_base`).
fn get_url(kwargs: Kwargs, state: &State) -> tera::TeraResult<String> {
    let path: &str = kwargs.must_get("path")?;
    let absolute: bool = kwargs.get("absolute")?.unwrap_or(false);
    if absolute && !is_external(path) {
        let base_url = context_value(state, "__base_url")?;
        return Ok(crate::urls::permalink(
            base_url.as_str().unwrap_or_default(),
            path,
        ));
    }
    site_href(path, state)
}

/// `{{ s.path | url }}`: the same URL as `get_url(path=s.path)`, for the theme's many links
/// (a filter without arguments skips building an argument map on each call).
fn url_filter(path: &str, _: Kwargs, state: &State) -> tera::TeraResult<String> {
    site_href(path, state)
}

fn is_external(path: &str) -> bool {
    path.starts_with("http://") || path.starts_with("https://")
}

/// The href of a site path from the page being rendered: after `__href_base` (the base
/// path), or relative to `current_path` when that is none (`relative_urls`).
fn site_href(path: &str, state: &State) -> tera::TeraResult<String> {
    if is_external(path) {
        return Ok(path.to_string());
    }
    let base = context_value(state, "__href_base")?;
    if let Some(base_path) = base.as_str() {
        return Ok(crate::urls::href(base_path, false, "", path));
    }
    // Fragments rendered once for many pages (see `fragments`) carry the depth they link
    // from, not a page's path.
    let mut from = context_value(state, "__href_from")?;
    if from.as_str().is_none() {
        from = context_value(state, "current_path")?;
    }
    Ok(crate::urls::href(
        "/",
        true,
        from.as_str().unwrap_or_default(),
        path,
    ))
}

/// A context variable as a value (reference-counted, not copied into a new string: this runs
/// for every link), or none.
fn context_value(state: &State, name: &str) -> tera::TeraResult<Value> {
    state
        .get::<Value>(name)
        .map(|v| v.unwrap_or_else(Value::none))
}

#[cfg(test)]
mod script_json_tests {
    use super::script_safe_json;

    #[test]
    fn script_safe_json_is_the_same_json_without_markup() {
        let v = serde_json::json!({"t": "</script><script>x</script> <!-- --> & \u{2028}"});
        let safe = script_safe_json(serde_json::to_string(&v).unwrap());
        for bad in ["<", ">", "&", "\u{2028}"] {
            assert!(!safe.contains(bad), "{safe}");
        }
        assert_eq!(serde_json::from_str::<serde_json::Value>(&safe).unwrap(), v);
    }

    /// Character by character, as it was written first.
    fn reference(json: &str) -> String {
        let mut out = String::new();
        for c in json.chars() {
            match c {
                '<' => out.push_str("\\u003c"),
                '>' => out.push_str("\\u003e"),
                '&' => out.push_str("\\u0026"),
                '\u{2028}' => out.push_str("\\u2028"),
                '\u{2029}' => out.push_str("\\u2029"),
                c => out.push(c),
            }
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn the_vectorised_scan_escapes_like_the_character_loop(
            t in "[a<>&\u{2028}\u{2029}—€ \"]{0,60}"
        ) {
            proptest::prop_assert_eq!(script_safe_json(t.clone()), reference(&t));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tera::Context;

    #[test]
    fn escaping_matches_teras_own_escaper() {
        let inputs = [
            "",
            "plain text",
            "Scrum Master & Product Owner",
            "<script>alert('x')</script>",
            "\"quoted\" and 'single'",
            "ends with &",
            "&&<<>>",
            "Kanban — flow, not sprints ✓",
        ];
        for input in inputs {
            let (mut ours, mut teras) = (Vec::new(), Vec::new());
            escape_html(input, &mut ours).unwrap();
            tera::escape_html(input, &mut teras).unwrap();
            assert_eq!(ours, teras, "escaping {input:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn long_text_escapes_as_tera_escapes_it(input in "[a &<>\"'é—]{0,100}") {
            let (mut ours, mut teras) = (Vec::new(), Vec::new());
            escape_html(&input, &mut ours).unwrap();
            tera::escape_html(&input, &mut teras).unwrap();
            proptest::prop_assert_eq!(ours, teras);
        }
    }

    #[test]
    fn the_date_filter_formats_each_date_in_each_format_it_is_given() {
        let mut tera = Tera::default();
        register(&mut tera, None);
        let template = "{% for d in dates %}{{ d | date(format=\"%e %b %Y\") }}|\
                        {{ d | date(format=\"%Y/%m\") }}|{{ d | date }};{% endfor %}";
        tera.add_raw_template("t", template).unwrap();
        tera.add_raw_template("bad", "{{ d | date }}").unwrap();
        let mut ctx = Context::new();
        // Each date twice: the second time comes from the thread's memo.
        let dates = [
            "2024-03-05",
            "2023-12-31T10:00:00Z",
            "2024-03-05",
            "2023-12-31T10:00:00Z",
        ];
        ctx.insert("dates", &dates);
        let once = "5 Mar 2024|2024/03|2024-03-05;31 Dec 2023|2023/12|2023-12-31;";
        assert_eq!(tera.render("t", &ctx).unwrap(), once.repeat(2));
        // A date that is not one, or a format that is not one, is an error every time: errors
        // are not remembered as text.
        tera.add_raw_template("bad_format", "{{ d | date(format=\"%Q\") }}")
            .unwrap();
        tera.add_raw_template("number_format", "{{ d | date(format=2024) }}")
            .unwrap();
        ctx.insert("d", "2024-03-05");
        for _ in 0..2 {
            let err = format!("{:?}", tera.render("bad_format", &ctx).unwrap_err());
            assert!(err.contains("invalid format"), "{err}");
        }
        // A format given as another value is its text, as before.
        assert_eq!(tera.render("number_format", &ctx).unwrap(), "2024");
        ctx.insert("d", "soon");
        for _ in 0..2 {
            let err = format!("{:?}", tera.render("bad", &ctx).unwrap_err());
            assert!(err.contains("is not a date"), "{err}");
        }
    }

    // Given the base path when it is loaded (no relative URLs), the filter makes the same
    // URLs as `get_url` does from the page's context.
    #[test]
    fn a_url_filter_holding_the_base_path_gives_what_get_url_gives() {
        let mut tera = Tera::default();
        register(&mut tera, Some("/sub/".into()));
        let template = "{% for p in paths %}{{ get_url(path=p) }} {{ p | url }}\n{% endfor %}";
        tera.add_raw_template("t", template).unwrap();
        let paths = ["", "guides/", "/guides/x/", "a/b/#h", "https://x.org/"];
        let mut ctx = Context::new();
        ctx.insert("paths", &paths);
        ctx.insert("current_path", "guides/x/");
        ctx.insert("__href_base", "/sub/");
        let out = tera.render("t", &ctx).unwrap();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), paths.len());
        for line in lines {
            let (a, b) = line.split_once(' ').unwrap();
            assert_eq!(a, b);
        }
        assert_eq!(out.lines().nth(1), Some("/sub/guides/ /sub/guides/"));
    }

    #[test]
    fn the_url_filter_gives_what_get_url_gives() {
        let mut tera = Tera::default();
        register(&mut tera, None);
        let template = "{% for p in paths %}{{ get_url(path=p) }} {{ p | url }}\n{% endfor %}";
        tera.add_raw_template("t", template).unwrap();
        let paths = [
            "",
            "guides/",
            "guides/x/",
            "style.css",
            "a/b/#h",
            "https://x.org/",
        ];
        let cases = [
            (false, "guides/x/", "/sub/guides/"),
            (true, "guides/x/", "../../guides/index.html"),
            (true, "", "guides/index.html"),
        ];
        for (relative, current, guides) in cases {
            let mut ctx = Context::new();
            ctx.insert("paths", &paths);
            ctx.insert("current_path", current);
            ctx.insert("__href_base", &(!relative).then_some("/sub/"));
            let out = tera.render("t", &ctx).unwrap();
            let lines: Vec<&str> = out.lines().collect();
            assert_eq!(lines.len(), paths.len());
            for line in lines {
                let (a, b) = line.split_once(' ').unwrap();
                assert_eq!(a, b, "relative: {relative}, from {current:?}");
            }
            // The URL of `guides/` (the second path) from the current page.
            assert_eq!(
                out.lines().nth(1),
                Some(format!("{guides} {guides}").as_str())
            );
        }
    }
}
