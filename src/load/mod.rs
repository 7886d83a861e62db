//! Load stage: reads `site.yaml` and every file under `content/` and `static/` into
//! `SourcePage`s and `Asset`s, in parallel, collecting a diagnostic for every bad file.

pub mod dates;
pub mod front_matter;
pub mod ignore;
pub mod keys;
mod walk;

use std::path::Path;

use rayon::prelude::*;

use crate::config::{self, Config};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Asset, AssetSource, Loaded, SourceKind, SourcePage};
use crate::slug::slugify;

pub use walk::rel_string;

/// Loads the site at `root`. `Err` only when `site.yaml` itself is unusable.
pub fn load(root: &Path) -> Result<Loaded, Diagnostics> {
    let config = match config::load(root) {
        Ok(c) => c,
        Err(errs) => {
            let mut d = Diagnostics::new();
            d.extend(errs);
            return Err(d);
        }
    };
    Ok(load_with_config(root, config))
}

/// Loads `content/` and `static/` with an already checked configuration.
pub fn load_with_config(root: &Path, config: Config) -> Loaded {
    let mut diagnostics = Diagnostics::new();
    let walked = walk::walk(root, &config.taxonomies, &mut diagnostics);
    let results: Vec<FileResult> = walked
        .markdown
        .par_iter()
        .map(|f| {
            let (page, diags) = load_markdown(root, f, &config);
            FileResult {
                file: f.clone(),
                page,
                diags,
            }
        })
        .collect();
    assemble(config, results, diagnostics, walked.assets)
}

/// The outcome of loading one Markdown file (kept by watch and serve between rebuilds).
#[derive(Debug, Clone)]
pub struct FileResult {
    pub file: MarkdownFile,
    pub page: Option<SourcePage>,
    pub diags: Vec<Diagnostic>,
}

/// Finds every Markdown file and asset of the site (no file is read).
pub fn discover(
    root: &Path,
    config: &Config,
    diagnostics: &mut Diagnostics,
) -> (Vec<MarkdownFile>, Vec<(std::path::PathBuf, String)>) {
    let walked = walk::walk(root, &config.taxonomies, diagnostics);
    (walked.markdown, walked.assets)
}

/// Puts loaded files together into the load stage's output, grouping unknown-key warnings.
pub fn assemble(
    config: Config,
    results: Vec<FileResult>,
    mut diagnostics: Diagnostics,
    assets: Vec<(std::path::PathBuf, String)>,
) -> Loaded {
    let mut sources = Vec::with_capacity(results.len());
    let mut unknown = Vec::new();
    let mut failed = Vec::new();
    for r in results {
        if r.page.is_none() {
            failed.push(r.file.rel);
        }
        for d in r.diags {
            if !d.is_error() && d.message.starts_with("unknown front-matter key") {
                unknown.push(d);
            } else {
                diagnostics.push(d);
            }
        }
        sources.extend(r.page);
    }
    diagnostics.extend(group_unknown_keys(unknown));
    let assets = assets
        .into_iter()
        .map(|(src, dest)| Asset {
            src: AssetSource::File(src),
            dest,
        })
        .collect();
    Loaded {
        config,
        sources,
        assets,
        diagnostics,
        failed,
    }
}

/// One file found under `content/`, with how it was classified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkdownFile {
    pub abs: std::path::PathBuf,
    pub rel: String,
    pub kind: SourceKind,
    pub section: String,
    pub file_slug: String,
    pub bundle: Option<String>,
}

/// Reads one Markdown file into a `SourcePage`; `None` when it cannot be used at all.
pub fn load_markdown(
    root: &Path,
    f: &MarkdownFile,
    config: &Config,
) -> (Option<SourcePage>, Vec<Diagnostic>) {
    let _ = root;
    match std::fs::read(&f.abs) {
        Ok(bytes) => parse_markdown(bytes, f, config),
        Err(e) => (
            None,
            vec![Diagnostic::error(format!("cannot read file: {e}")).in_file(&f.rel)],
        ),
    }
}

/// Turns the bytes of one Markdown file into a `SourcePage` (everything `load_markdown` does
/// after reading the file; the entry point of the `front_matter` fuzz target).
pub fn parse_markdown(
    bytes: Vec<u8>,
    f: &MarkdownFile,
    config: &Config,
) -> (Option<SourcePage>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let bytes = e.as_bytes();
            let valid = e.utf8_error().valid_up_to();
            let (line, col) =
                front_matter::line_col(&String::from_utf8_lossy(&bytes[..valid]), valid);
            diags.push(
                Diagnostic::error("file is not valid UTF-8")
                    .in_file(&f.rel)
                    .at(line, col)
                    .help("save the file with UTF-8 encoding (most editors: File > Save with Encoding > UTF-8)"),
            );
            return (None, diags);
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    if text.trim().is_empty() {
        if f.kind == SourceKind::SectionIndex {
            return (Some(source(f, Default::default(), String::new(), 1)), diags);
        }
        diags.push(
            Diagnostic::error("file is empty")
                .in_file(&f.rel)
                .at(1, 1)
                .help("start the file with front matter: a `---` line, `title: ...`, and another `---` line"),
        );
        return (None, diags);
    }
    let split = match front_matter::split(text) {
        Ok(s) => s,
        Err(front_matter::SplitError::NoFrontMatter) => {
            if f.kind == SourceKind::SectionIndex {
                return (
                    Some(source(f, Default::default(), text.to_string(), 1)),
                    diags,
                );
            }
            diags.push(
                Diagnostic::error("file has no front matter")
                    .in_file(&f.rel)
                    .at(1, 1)
                    .help("start the file with a `---` line, then `title: Your Title`, then another `---` line"),
            );
            return (None, diags);
        }
        Err(front_matter::SplitError::Unclosed(fmt)) => {
            let fence = if fmt == front_matter::Format::Yaml {
                "---"
            } else {
                "+++"
            };
            diags.push(
                Diagnostic::error(format!(
                    "front matter opened with `{fence}` is never closed"
                ))
                .in_file(&f.rel)
                .at(1, 1)
                .spanning(3)
                .help(format!(
                    "add a line `{fence}` after the last front-matter key"
                )),
            );
            return (None, diags);
        }
    };
    let mut meta = front_matter::parse(&split, &f.rel, &config.taxonomies, &mut diags);
    let mut body = split.body.to_string();
    if meta.title.is_none() {
        if let Some(title) = take_h1(&mut body) {
            meta.title = Some(title);
        } else if f.kind == SourceKind::Article && !diags.iter().any(Diagnostic::is_error) {
            diags.push(
                Diagnostic::error("article has no title")
                    .in_file(&f.rel)
                    .at(split.front_line.saturating_sub(1).max(1), 1)
                    .help(
                        "add `title: ...` to the front matter, or open the body with a `# Heading`",
                    ),
            );
        }
    }
    check_slug(f, &mut meta, &mut diags);
    check_taxonomy_terms(f, &mut meta, &mut diags);
    if diags.iter().any(Diagnostic::is_error) {
        return (None, diags);
    }
    let meta_hash =
        crate::render::fingerprint::hash_of(&(split.front, &meta.title, split.body_line));
    let mut page = source(f, meta, body, split.body_line);
    page.meta_hash = meta_hash;
    (Some(page), diags)
}

fn source(
    f: &MarkdownFile,
    meta: crate::model::FrontMatter,
    body: String,
    body_line: usize,
) -> SourcePage {
    SourcePage {
        file: f.rel.clone(),
        kind: f.kind.clone(),
        section: f.section.clone(),
        file_slug: f.file_slug.clone(),
        meta,
        word_count: crate::words::count(&body),
        body_hash: crate::render::fingerprint::hash_of(&body),
        meta_hash: 0,
        body: body.into(),
        body_line,
        bundle: f.bundle.clone(),
    }
}

/// Takes a leading `# Title` line out of the body (keeping the line count) and returns it.
fn take_h1(body: &mut String) -> Option<String> {
    let start = body.len() - body.trim_start_matches(['\n', '\r', ' ', '\t']).len();
    let rest = &body[start..];
    let line_end = rest.find('\n').unwrap_or(rest.len());
    let line = rest[..line_end].trim_end();
    let title = line
        .strip_prefix("# ")?
        .trim()
        .trim_end_matches('#')
        .trim()
        .to_string();
    if title.is_empty() {
        return None;
    }
    body.replace_range(start..start + line.len(), "");
    Some(title)
}

fn check_slug(f: &MarkdownFile, meta: &mut crate::model::FrontMatter, diags: &mut Vec<Diagnostic>) {
    let Some(slug) = meta.slug.clone() else {
        if f.kind == SourceKind::Article && f.file_slug.is_empty() {
            diags.push(
                Diagnostic::error("the file name has no letters or digits to make a URL from")
                    .in_file(&f.rel)
                    .at(1, 1)
                    .help("rename the file, or add `slug: ...` to its front matter"),
            );
        }
        return;
    };
    let (line, col) = meta.key_lines.get("slug").copied().unwrap_or((1, 1));
    if slug.contains('/') || slug.contains('\\') || slug.contains("..") {
        diags.push(
            Diagnostic::error(format!("slug {slug:?} may not contain `/`, `\\` or `..`"))
                .in_file(&f.rel)
                .at(line, col)
                .help("a slug is one path segment, such as `scrum-master-guide`; move the file to change its section"),
        );
        meta.slug = None;
        return;
    }
    let clean = slugify(&slug);
    if clean.is_empty() {
        diags.push(
            Diagnostic::error(format!("slug {slug:?} has no letters or digits"))
                .in_file(&f.rel)
                .at(line, col),
        );
        meta.slug = None;
    } else {
        meta.slug = Some(clean);
    }
}

fn check_taxonomy_terms(
    f: &MarkdownFile,
    meta: &mut crate::model::FrontMatter,
    diags: &mut Vec<Diagnostic>,
) {
    for (tax, terms) in meta.taxonomies.iter_mut() {
        let (line, col) = meta.key_lines.get(tax).copied().unwrap_or((1, 1));
        let mut clean = Vec::with_capacity(terms.len());
        for t in terms.iter() {
            let s = slugify(t);
            if s.is_empty() {
                diags.push(
                    Diagnostic::error(format!("`{tax}` value {t:?} has no letters or digits"))
                        .in_file(&f.rel)
                        .at(line, col),
                );
            } else if !clean.contains(&s) {
                clean.push(s);
            }
        }
        *terms = clean;
    }
}

/// One warning per unknown key: its count and first location, so thousands of imported pages
/// give a readable summary.
fn group_unknown_keys(mut unknown: Vec<Diagnostic>) -> Vec<Diagnostic> {
    unknown.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    let mut groups: Vec<(String, Diagnostic, usize)> = Vec::new();
    for d in unknown {
        let key = d.message.clone();
        match groups.iter_mut().find(|g| g.0 == key) {
            Some(g) => g.2 += 1,
            None => groups.push((key, d, 1)),
        }
    }
    groups
        .into_iter()
        .map(|(_, mut d, n)| {
            if n > 1 {
                d.message = format!("{} (in {n} files; the first is shown)", d.message);
            }
            d
        })
        .collect()
}

/// Site-relative `/` path of a file.
pub fn rel(root: &Path, p: &Path) -> String {
    rel_string(root, p)
}
