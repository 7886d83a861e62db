//! `rolebook new`: one article at `content/<section>/<slug>.md`, its front matter filled in
//! (built through `crate::yaml`, so any title is quoted safely), never over an existing file.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::config::CONFIG_FILE;
use crate::diagnostics::Diagnostic;
use crate::slug::slugify;

/// What `rolebook new` was asked for.
#[derive(Debug, Clone)]
pub struct NewPage {
    /// The site's folder (holding `site.yaml`).
    pub root: PathBuf,
    pub title: String,
    /// A folder under `content/` (`guides`, `guides/scrum`).
    pub section: String,
    pub roles: Vec<String>,
    pub tags: Vec<String>,
    /// `YYYY-MM-DD`.
    pub date: String,
}

/// The front matter of a new article, in the order authors read it. `draft` is written as
/// `false` so the article shows up in `serve` right away and the switch is there to flip.
#[derive(Serialize)]
struct FrontMatter<'a> {
    title: &'a str,
    description: &'a str,
    date: &'a str,
    draft: bool,
    roles: Vec<String>,
    tags: Vec<String>,
}

const BODY: &str = "\
Open with a paragraph that tells readers what they will take away: it is the summary shown
on listings and in search results.

## First Section

Write here. Link other articles with `[[Exact Title]]`, `[text](@/guides/file.md)`, or a line
of its own that reads `Read more: Exact Title`.
";

/// Writes the article; returns its path relative to the root (`content/guides/x.md`).
pub fn new_page(p: &NewPage) -> Result<String, Diagnostic> {
    if !p.root.join(CONFIG_FILE).is_file() {
        return Err(Diagnostic::error(format!(
            "no {CONFIG_FILE} in `{}`: this is not a rolebook site",
            p.root.display()
        ))
        .help("run `rolebook new` inside a site, pass `--root DIR`, or create a site with `rolebook init DIR`"));
    }
    let rel = relative_path(p)?;
    let text = page_text(p)?;
    let path = p.root.join(&rel);
    write_new(&path, &text).map_err(|e| match e.kind() {
        io::ErrorKind::AlreadyExists => {
            Diagnostic::error(format!("`{rel}` already exists; nothing was written"))
                .help("choose another title, or edit the existing file")
        }
        _ => Diagnostic::error(format!("could not write `{rel}`: {e}")),
    })?;
    Ok(rel)
}

/// `content/<section>/<slug>.md`, refusing a title without letters or digits and a section
/// that leaves `content/`.
fn relative_path(p: &NewPage) -> Result<String, Diagnostic> {
    let slug = slugify(&p.title);
    if slug.is_empty() {
        return Err(
            Diagnostic::error(format!("the title `{}` gives an empty file name", p.title))
                .help("use a title with letters or digits"),
        );
    }
    let section = p.section.trim_matches('/');
    let bad = |part: &str| part.is_empty() || part == "." || part == ".." || part.contains('\\');
    if section.is_empty() || section.split('/').any(bad) {
        return Err(Diagnostic::error(format!(
            "`{}` is not a section: name a folder under content/",
            p.section
        ))
        .help("for example `--section guides` or `--section guides/scrum`"));
    }
    Ok(format!("content/{section}/{slug}.md"))
}

/// The whole file: front matter between `---` lines, then a short body skeleton.
fn page_text(p: &NewPage) -> Result<String, Diagnostic> {
    let front = FrontMatter {
        title: p.title.trim(),
        description: "",
        date: &p.date,
        draft: false,
        roles: slugs(&p.roles, "role")?,
        tags: slugs(&p.tags, "tag")?,
    };
    let yaml = crate::yaml::to_string(&front)
        .map_err(|e| Diagnostic::error(format!("could not write the front matter: {e}")))?;
    Ok(format!(
        "---\n{}---\n\n{BODY}",
        yaml.trim_start_matches("---\n")
    ))
}

/// Role and tag values as slugs (`Product Owner` → `product-owner`), without duplicates.
fn slugs(values: &[String], what: &str) -> Result<Vec<String>, Diagnostic> {
    let mut out: Vec<String> = Vec::new();
    for v in values {
        let s = slugify(v);
        if s.is_empty() {
            return Err(
                Diagnostic::error(format!("the {what} `{v}` has no letters or digits"))
                    .help(format!("pass a slug such as `--{what} product-owner`")),
            );
        }
        if !out.contains(&s) {
            out.push(s);
        }
    }
    Ok(out)
}

/// Creates the folders and a file that must not exist yet.
fn write_new(path: &Path, text: &str) -> io::Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    let mut f = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    f.write_all(text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(title: &str) -> NewPage {
        NewPage {
            root: PathBuf::from("."),
            title: title.to_string(),
            section: "guides".into(),
            roles: vec!["Product Owner".into(), "product-owner".into()],
            tags: vec![],
            date: "2026-02-03".into(),
        }
    }

    #[test]
    fn front_matter_quotes_awkward_titles() {
        let p = page("PO vs SM: \"who\" decides? #1");
        let text = page_text(&p).unwrap();
        assert!(text.starts_with("---\n"), "{text}");
        let end = text[4..].find("\n---\n").unwrap() + 4;
        let v = crate::yaml::parse(&text[4..end]).unwrap();
        assert_eq!(v["title"], "PO vs SM: \"who\" decides? #1");
        assert_eq!(v["date"], "2026-02-03");
        assert_eq!(v["draft"], false);
        assert_eq!(v["roles"], serde_json::json!(["product-owner"]));
        assert_eq!(v["tags"], serde_json::json!([]));
    }

    #[test]
    fn paths_stay_inside_content() {
        assert_eq!(
            relative_path(&page("Hello, World")).unwrap(),
            "content/guides/hello-world.md"
        );
        let mut p = page("x");
        p.section = "../etc".into();
        assert!(relative_path(&p).is_err());
        assert!(relative_path(&page("?!")).is_err());
    }
}
