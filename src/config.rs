//! `site.yaml`: the site's configuration, with a default for every key but `title` and
//! `base_url`; unknown keys are errors naming their line and the nearest known key.

use std::path::Path;

use serde::Serialize;
use serde_json::Value;

use crate::diagnostics::Diagnostic;
use crate::load::keys::key_lines;
use crate::suggest::nearest_one;

pub const CONFIG_FILE: &str = "site.yaml";

const KNOWN_KEYS: &[&str] = &[
    "title",
    "base_url",
    "description",
    "author",
    "language",
    "theme",
    "output_dir",
    "taxonomies",
    "feed",
    "paginate",
    "reading_speed_wpm",
    "relative_urls",
    "extra",
];

/// The configuration as templates see it (`config.*`).
#[derive(Debug, Clone, Serialize)]
pub struct Config {
    pub title: String,
    /// Always ends with `/`.
    pub base_url: String,
    pub description: String,
    pub author: String,
    pub language: String,
    pub theme: String,
    pub output_dir: String,
    pub taxonomies: Vec<String>,
    pub feed: bool,
    pub paginate: usize,
    pub reading_speed_wpm: usize,
    pub relative_urls: bool,
    pub extra: Value,
    /// The path part of `base_url`, starting and ending with `/` (`/guides/`).
    pub base_path: String,
}

impl Config {
    /// A configuration with every default, for tests and `init`.
    pub fn with_defaults(title: &str, base_url: &str) -> Config {
        let mut c = Config {
            title: title.to_string(),
            base_url: String::new(),
            description: String::new(),
            author: String::new(),
            language: "en".into(),
            theme: "default".into(),
            output_dir: "output".into(),
            taxonomies: vec!["roles".into(), "tags".into()],
            feed: true,
            paginate: 20,
            reading_speed_wpm: 230,
            relative_urls: false,
            extra: Value::Object(Default::default()),
            base_path: "/".into(),
        };
        c.set_base_url(base_url);
        c
    }

    /// Sets `base_url` (adding a trailing `/`) and derives `base_path` from it.
    pub fn set_base_url(&mut self, url: &str) {
        let mut url = url.trim().to_string();
        if !url.ends_with('/') {
            url.push('/');
        }
        let after_scheme = url.find("://").map(|i| i + 3).unwrap_or(0);
        let path = match url[after_scheme..].find('/') {
            Some(i) => url[after_scheme + i..].to_string(),
            None => "/".to_string(),
        };
        self.base_path = path;
        self.base_url = url;
    }

    /// The absolute URL of a site path such as `guides/x/`.
    pub fn permalink(&self, path: &str) -> String {
        crate::urls::permalink(&self.base_url, path)
    }
}

/// Reads and checks `site.yaml` in `root`.
pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
    let path = root.join(CONFIG_FILE);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            return Err(vec![Diagnostic::error(format!(
                "cannot read {CONFIG_FILE} in {}: {e}",
                root.display()
            ))
            .help("run rolebook in a site's folder, pass --root DIR, or create a site with `rolebook init`")]);
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(_) => {
            return Err(vec![
                Diagnostic::error("site.yaml is not valid UTF-8")
                    .in_file(CONFIG_FILE)
                    .help("save the file as UTF-8"),
            ]);
        }
    };
    parse(&text)
}

/// A name that is one folder of its own (a taxonomy's URL segment, a theme's folder): not
/// empty, no separator, not `.`/`..` or a dotfile, no control character.
fn is_folder_name(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('.')
        && !s.contains(['/', '\\', ':'])
        && !s.chars().any(char::is_control)
}

/// Checks the text of a `site.yaml`.
pub fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let value = match crate::yaml::parse(text) {
        Ok(v) => v,
        Err(e) => {
            return Err(vec![
                Diagnostic::error(format!("invalid YAML: {}", e.message))
                    .in_file(CONFIG_FILE)
                    .at(e.line, e.column),
            ]);
        }
    };
    let map = match value {
        Value::Object(m) => m,
        Value::Null => Default::default(),
        _ => {
            return Err(vec![Diagnostic::error("site.yaml must be a mapping of keys to values")
                .in_file(CONFIG_FILE)
                .at(1, 1)
                .help("write `title: My site` and `base_url: https://example.org/` on their own lines")]);
        }
    };
    let lines = key_lines(text, false);
    let at = |key: &str| lines.get(key).copied().unwrap_or((1, 1));
    let mut errors = Vec::new();
    let mut config = Config::with_defaults("", "/");
    let mut keys: Vec<&String> = map.keys().collect();
    keys.sort_by_key(|k| at(k));
    for key in keys {
        let (line, col) = at(key);
        let value = &map[key];
        let err = |expected: &str| {
            Diagnostic::error(format!(
                "`{key}` must be {expected}, found {}",
                describe(value)
            ))
            .in_file(CONFIG_FILE)
            .at(line, col)
            .spanning(key.chars().count())
        };
        match key.as_str() {
            "title" | "description" | "author" | "language" | "theme" | "output_dir"
            | "base_url" => {
                let Some(s) = value.as_str() else {
                    errors.push(err("a string"));
                    continue;
                };
                let s = s.to_string();
                if key == "theme" && !is_folder_name(&s) {
                    errors.push(err("the name of a folder in themes/, such as `default`"));
                    continue;
                }
                match key.as_str() {
                    "title" => config.title = s,
                    "description" => config.description = s,
                    "author" => config.author = s,
                    "language" => config.language = s,
                    "theme" => config.theme = s,
                    "output_dir" => config.output_dir = s,
                    _ => config.set_base_url(&s),
                }
            }
            "feed" | "relative_urls" => match value.as_bool() {
                Some(b) if key == "feed" => config.feed = b,
                Some(b) => config.relative_urls = b,
                None => errors.push(err("true or false")),
            },
            "paginate" | "reading_speed_wpm" => match value.as_u64().filter(|n| *n > 0) {
                Some(n) if key == "paginate" => config.paginate = n as usize,
                Some(n) => config.reading_speed_wpm = n as usize,
                None => errors.push(err("a whole number above 0")),
            },
            "taxonomies" => match value.as_array().and_then(|a| {
                a.iter()
                    .map(|v| v.as_str().map(String::from))
                    .collect::<Option<Vec<_>>>()
            }) {
                Some(list) if list.iter().all(|t| is_folder_name(t)) => config.taxonomies = list,
                Some(_) => errors.push(err(
                    "a list of plain names such as [roles, tags] (no `/`, `\\` or leading `.`)",
                )),
                None => errors.push(err("a list of names such as [roles, tags]")),
            },
            "extra" => {
                if value.is_object() {
                    config.extra = value.clone();
                } else if !value.is_null() {
                    errors.push(err("a mapping"));
                }
            }
            _ => {
                let mut d = Diagnostic::error(format!("unknown key `{key}` in site.yaml"))
                    .in_file(CONFIG_FILE)
                    .at(line, col)
                    .spanning(key.chars().count());
                d = match nearest_one(key, KNOWN_KEYS.iter().copied()) {
                    Some(k) => d.help(format!(
                        "did you mean `{k}`? (free-form values go under `extra:`)"
                    )),
                    None => d.help(format!("known keys: {}", KNOWN_KEYS.join(", "))),
                };
                errors.push(d);
            }
        }
    }
    for required in ["title", "base_url"] {
        if !map.contains_key(required) {
            errors.push(
                Diagnostic::error(format!("site.yaml has no `{required}`"))
                    .in_file(CONFIG_FILE)
                    .at(1, 1)
                    .help(match required {
                        "title" => "add a line such as `title: Agile Role Guides`",
                        _ => "add a line such as `base_url: https://example.org/`",
                    }),
            );
        }
    }
    if errors.is_empty() {
        Ok(config)
    } else {
        Err(errors)
    }
}

/// A short description of a value's type for error messages.
pub fn describe(v: &Value) -> String {
    match v {
        Value::Null => "nothing".into(),
        Value::Bool(b) => format!("`{b}`"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => format!("the text {s:?}"),
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "a mapping".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_base_path() {
        let c = parse("title: T\nbase_url: https://u.github.io/guides\n").unwrap();
        assert_eq!(c.base_url, "https://u.github.io/guides/");
        assert_eq!(c.base_path, "/guides/");
        assert_eq!(c.paginate, 20);
        assert_eq!(c.taxonomies, ["roles", "tags"]);
    }

    #[test]
    fn unknown_key_names_line_and_nearest() {
        let e = parse("title: T\nbase_url: /\npaginat: 3\n").unwrap_err();
        assert_eq!(e[0].line, Some(3));
        assert!(e[0].help.as_deref().unwrap().contains("paginate"));
    }
}
