//! Tera 2 templates: the built-in default theme (compiled into the binary), overridden file by
//! file by `themes/<name>/templates/` and the site's `templates/` (filters: `filters.rs`).

use std::collections::HashMap;
use std::path::Path;

use include_dir::{Dir, include_dir};
use tera::{Context, ErrorKind, Tera};
use walkdir::WalkDir;

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::load::{ignore::is_ignored, rel_string};
use crate::model::{Asset, AssetSource, Site};

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
        // Without relative URLs every page's links start with the base path (the 404 page's
        // too), so the `url` filter can hold it.
        let href_base = (!config.relative_urls).then(|| config.base_path.clone());
        super::filters::register(&mut tera, href_base);
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

    /// Whether `name` is the built-in theme's own file (not replaced by the site or a theme).
    pub fn is_built_in(&self, name: &str) -> bool {
        self.origins
            .get(name)
            .is_some_and(|o| o.starts_with("(built-in)"))
    }

    pub fn has(&self, name: &str) -> bool {
        self.tera.contains_template(name)
    }

    /// A page or section naming a `template` that does not exist is an error at that key.
    pub fn check_names(&self, site: &Site) -> Vec<Diagnostic> {
        let pages = site.pages.iter().filter_map(|p| {
            let at = p.key_lines.get("template").copied().unwrap_or((1, 1));
            Some((p.template.as_deref()?, p.file.as_str(), at))
        });
        let sections = site
            .sections
            .iter()
            .filter_map(|s| Some((s.template.as_deref()?, s.file.as_deref()?, s.template_at)));
        pages
            .chain(sections)
            .filter(|(t, _, _)| !self.has(t))
            .map(|(t, file, at)| self.unknown(t, file, at))
            .collect()
    }

    fn unknown(&self, t: &str, file: &str, at: (usize, usize)) -> Diagnostic {
        let mut names: Vec<&str> = self.tera.get_template_names().collect();
        names.sort();
        let d = Diagnostic::error(format!("unknown template `{t}`"))
            .in_file(file)
            .at(at.0, at.1);
        match crate::suggest::nearest_one(t, names.iter().copied()) {
            Some(n) => d.help(format!(
                "did you mean `{n}`? templates live in templates/ or themes/<theme>/templates/"
            )),
            None => d.help("put the template in templates/, or remove the `template` key"),
        }
    }

    /// Renders `name`; a failure becomes a diagnostic naming the template file and line.
    pub fn render(&self, name: &str, ctx: &Context) -> Result<String, Diagnostic> {
        self.tera
            .render(name, ctx)
            .map_err(|e| template_error(&e, &self.origins))
    }

    /// [`Templates::render`] into a buffer of `capacity` bytes, for outputs known to be large
    /// (an article's page): Tera sizes its buffer from the template alone and grows it by
    /// copying, several times for a 20 KB page. The bytes are the file's: they are not checked
    /// again as UTF-8 (Tera writes only text), which cost a pass over every page.
    pub fn render_sized(
        &self,
        name: &str,
        ctx: &Context,
        capacity: usize,
    ) -> Result<Vec<u8>, Diagnostic> {
        let mut out = Vec::with_capacity(capacity);
        self.tera
            .render_to(name, ctx, &mut out)
            .map_err(|e| template_error(&e, &self.origins))?;
        Ok(out)
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
