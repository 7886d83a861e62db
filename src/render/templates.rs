//! Tera 2 templates: the built-in default theme (compiled into the binary), overridden file by
//! file by `themes/<name>/templates/` and the site's `templates/`; plus our filters and `get_url`.

use rustc_hash::FxHashMap;
use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;

use include_dir::{Dir, include_dir};
use tera::{Context, ErrorKind, Kwargs, State, Tera, Value};
use walkdir::WalkDir;

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::load::{ignore::is_ignored, rel_string};
use crate::model::{Asset, AssetSource};

/// The default theme's sources (`themes/default/`), compiled in.
pub static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// The loaded templates, and where each came from (for diagnostics).
pub struct Templates {
    pub tera: Tera,
    /// Template name → file that defined it (site-relative, or `(built-in) themes/default/...`).
    pub origins: HashMap<String, String>,
    /// Template name → hash of its source and of every template it extends or includes.
    deps: HashMap<String, u64>,
}

impl Templates {
    /// Loads every template layer for `config` in `root`.
    pub fn load(root: &Path, config: &Config) -> Result<Templates, Vec<Diagnostic>> {
        let mut sources: HashMap<String, (String, String)> = HashMap::new();
        collect_embedded(&DEFAULT_THEME, &mut sources);
        let mut errors = Vec::new();
        let theme_dir = root.join("themes").join(&config.theme);
        if theme_dir.is_dir() {
            collect_dir(
                root,
                &theme_dir.join("templates"),
                &mut sources,
                &mut errors,
            );
        } else if config.theme != "default" {
            errors.push(
                Diagnostic::error(format!(
                    "unknown theme `{}`: there is no folder themes/{}/",
                    config.theme, config.theme
                ))
                .in_file(crate::config::CONFIG_FILE)
                .help("remove the `theme` key to use the built-in default theme"),
            );
        }
        collect_dir(root, &root.join("templates"), &mut sources, &mut errors);
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut tera = Tera::new();
        register(&mut tera);
        let origins: HashMap<String, String> = sources
            .iter()
            .map(|(k, (origin, _))| (k.clone(), origin.clone()))
            .collect();
        let mut names: Vec<&String> = sources.keys().collect();
        names.sort();
        let list: Vec<(&str, &str)> = names
            .iter()
            .map(|n| (n.as_str(), sources[*n].1.as_str()))
            .collect();
        if let Err(e) = tera.add_raw_templates(list) {
            return Err(vec![template_error(&e, &origins)]);
        }
        let deps = dependency_hashes(&sources);
        Ok(Templates {
            tera,
            origins,
            deps,
        })
    }

    /// Hash of a template together with everything it extends or includes: a job's output can
    /// change only when this does.
    pub fn deps_hash(&self, name: &str) -> u64 {
        self.deps.get(name).copied().unwrap_or(0)
    }

    pub fn has(&self, name: &str) -> bool {
        self.tera.contains_template(name)
    }

    /// Renders `name`; a failure becomes a diagnostic naming the template file and line.
    pub fn render(&self, name: &str, ctx: &Context) -> Result<String, Diagnostic> {
        self.tera
            .render(name, ctx)
            .map_err(|e| template_error(&e, &self.origins))
    }

    /// [`Templates::render`] into a buffer of `capacity` bytes, for outputs known to be large
    /// (an article's page): Tera sizes its buffer from the template alone and grows it by
    /// copying, several times for a 20 KB page.
    pub fn render_sized(
        &self,
        name: &str,
        ctx: &Context,
        capacity: usize,
    ) -> Result<String, Diagnostic> {
        let mut out = Vec::with_capacity(capacity);
        self.tera
            .render_to(name, ctx, &mut out)
            .map_err(|e| template_error(&e, &self.origins))?;
        String::from_utf8(out).map_err(|e| Diagnostic::error(format!("template error: {e}")))
    }

    /// Theme static files (built-in first, then the theme folder's `static/`) as assets.
    pub fn theme_assets(root: &Path, config: &Config) -> Vec<Asset> {
        let mut out: HashMap<String, Asset> = HashMap::new();
        if let Some(dir) = DEFAULT_THEME.get_dir("static") {
            collect_embedded_static(dir, &mut out);
        }
        let theme_static = root.join("themes").join(&config.theme).join("static");
        if theme_static.is_dir() {
            for e in WalkDir::new(&theme_static)
                .sort_by_file_name()
                .into_iter()
                .filter_entry(|e| e.depth() == 0 || !is_ignored(&e.file_name().to_string_lossy()))
                .flatten()
            {
                if e.file_type().is_file() {
                    let dest = rel_string(&theme_static, e.path());
                    out.insert(
                        dest.clone(),
                        Asset {
                            src: AssetSource::File(e.into_path()),
                            dest,
                        },
                    );
                }
            }
        }
        let mut v: Vec<Asset> = out.into_values().collect();
        v.sort();
        v
    }
}

fn collect_embedded(dir: &Dir<'static>, out: &mut HashMap<String, (String, String)>) {
    let Some(tpl) = dir.get_dir("templates") else {
        return;
    };
    let mut stack = vec![tpl];
    while let Some(d) = stack.pop() {
        for f in d.files() {
            let Ok(rel) = f.path().strip_prefix("templates") else {
                continue;
            };
            let name = rel.to_string_lossy().replace('\\', "/");
            if let Some(text) = f.contents_utf8() {
                out.insert(
                    name.clone(),
                    (
                        format!("(built-in) themes/default/templates/{name}"),
                        text.to_string(),
                    ),
                );
            }
        }
        stack.extend(d.dirs());
    }
}

fn collect_embedded_static(dir: &'static Dir<'static>, out: &mut HashMap<String, Asset>) {
    let mut stack = vec![dir];
    while let Some(d) = stack.pop() {
        for f in d.files() {
            let Ok(rel) = f.path().strip_prefix("static") else {
                continue;
            };
            let dest = rel.to_string_lossy().replace('\\', "/");
            out.insert(
                dest.clone(),
                Asset {
                    src: AssetSource::Embedded(f.contents()),
                    dest,
                },
            );
        }
        stack.extend(d.dirs());
    }
}

fn collect_dir(
    root: &Path,
    dir: &Path,
    out: &mut HashMap<String, (String, String)>,
    errors: &mut Vec<Diagnostic>,
) {
    if !dir.is_dir() {
        return;
    }
    for e in WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(&e.file_name().to_string_lossy()))
    {
        let Ok(e) = e else { continue };
        if !e.file_type().is_file() {
            continue;
        }
        let name = rel_string(dir, e.path());
        let origin = rel_string(root, e.path());
        match std::fs::read_to_string(e.path()) {
            Ok(text) => {
                out.insert(name, (origin, text));
            }
            Err(err) => errors
                .push(Diagnostic::error(format!("cannot read template: {err}")).in_file(origin)),
        }
    }
}

/// A Tera error as a diagnostic at the template's file, line and column.
pub fn template_error(e: &tera::Error, origins: &HashMap<String, String>) -> Diagnostic {
    match e.kind() {
        ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => {
            let origin = origins.get(r.filename()).cloned().unwrap_or_else(|| r.filename().to_string());
            let span = r.span();
            let kind = if matches!(e.kind(), ErrorKind::SyntaxError(_)) { "template syntax error" } else { "template error" };
            let d = Diagnostic::error(format!("{kind}: {}", r.message())).help(format!("in template `{}`", r.filename()));
            if origin.starts_with("(built-in)") {
                Diagnostic { message: format!("{} ({}:{}:{})", d.message, origin, span.start_line, span.start_col + 1), ..d }
            } else {
                d.in_file(origin).at(span.start_line, span.start_col + 1)
            }
        }
        ErrorKind::TemplateNotFound(name) => Diagnostic::error(format!("template `{name}` not found")).help("templates are looked up in templates/, then themes/<theme>/templates/, then the built-in theme"),
        _ => {
            let mut msg = e.to_string();
            let mut src = std::error::Error::source(e);
            while let Some(s) = src {
                msg.push_str(&format!(": {s}"));
                src = s.source();
            }
            Diagnostic::error(format!("template error: {msg}"))
        }
    }
}

fn register(tera: &mut Tera) {
    tera.register_filter("date", date_filter);
    tera.register_filter("json_encode", json_encode);
    tera.register_filter("slugify", |s: &str, _: Kwargs, _: &State| {
        crate::slug::slugify(s)
    });
    tera.register_filter("urlencode", |s: &str, _: Kwargs, _: &State| urlencode(s));
    tera.register_function("get_url", get_url);
    tera.register_filter("url", url_filter);
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
    Ok(Value::safe_string(&script_safe_json(&json)))
}

/// Escapes JSON for embedding in HTML `<script>`: every `<`, `>` and `&` (which JSON allows
/// only inside strings) becomes a `\u` escape, so no `</script>`, `<!--`, `<script` or `-->`
/// survives, and U+2028/U+2029 are escaped for old JavaScript parsers. Still the same JSON.
pub fn script_safe_json(json: &str) -> String {
    // Nearly all JSON has none of them (U+2028 and U+2029 both start with byte 0xE2).
    if !json.bytes().any(|b| matches!(b, b'<' | b'>' | b'&' | 0xE2)) {
        return json.to_string();
    }
    let mut out = String::with_capacity(json.len() + 16);
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
    let current = context_value(state, "current_path")?;
    Ok(crate::urls::href(
        "/",
        true,
        current.as_str().unwrap_or_default(),
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

/// For each template, the hash of its closure over `extends`/`include`/`import` references.
fn dependency_hashes(sources: &HashMap<String, (String, String)>) -> HashMap<String, u64> {
    use super::fingerprint::hash_of;
    let refs: HashMap<&str, Vec<&str>> = sources
        .iter()
        .map(|(name, (_, text))| (name.as_str(), referenced(text)))
        .collect();
    let mut out = HashMap::new();
    for name in sources.keys() {
        let mut seen: Vec<&str> = Vec::new();
        let mut stack = vec![name.as_str()];
        while let Some(n) = stack.pop() {
            if seen.contains(&n) {
                continue;
            }
            seen.push(n);
            stack.extend(refs.get(n).into_iter().flatten().copied());
        }
        seen.sort_unstable();
        let parts: Vec<(&str, &str)> = seen
            .iter()
            .map(|n| (*n, sources.get(*n).map(|s| s.1.as_str()).unwrap_or("")))
            .collect();
        out.insert(name.clone(), hash_of(&parts));
    }
    out
}

/// Template names a template refers to: the quoted argument after `extends`, `include` or `import`.
fn referenced(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for kw in ["extends", "include", "import"] {
        let mut rest = text;
        while let Some(i) = rest.find(kw) {
            rest = &rest[i + kw.len()..];
            let arg = rest.trim_start();
            let Some(q) = arg.chars().next().filter(|c| *c == '"' || *c == '\'') else {
                continue;
            };
            if let Some(end) = arg[1..].find(q) {
                out.push(&arg[1..1 + end]);
            }
        }
    }
    out
}

#[cfg(test)]
mod script_json_tests {
    use super::script_safe_json;

    #[test]
    fn script_safe_json_is_the_same_json_without_markup() {
        let v = serde_json::json!({"t": "</script><script>x</script> <!-- --> & \u{2028}"});
        let safe = script_safe_json(&serde_json::to_string(&v).unwrap());
        for bad in ["<", ">", "&", "\u{2028}"] {
            assert!(!safe.contains(bad), "{safe}");
        }
        assert_eq!(serde_json::from_str::<serde_json::Value>(&safe).unwrap(), v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        register(&mut tera);
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

    #[test]
    fn the_url_filter_gives_what_get_url_gives() {
        let mut tera = Tera::default();
        register(&mut tera);
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
