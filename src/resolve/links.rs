//! Cross-links: the resolver every Markdown body is rendered with (titles, slugs, `@/` paths,
//! relative links, cards, anchors), and explicit `related:` entries.

use std::cell::RefCell;

pub use super::link_index::{LinkIndex, Lookup, normalise};
use crate::diagnostics::Diagnostic;
use crate::model::{Asset, AssetSource, Site};
use crate::render::markdown::{LinkRef, LinkResolver};
use crate::suggest;
use crate::urls::Urls;

/// A `#fragment` to check once every page's headings are known.
#[derive(Debug, Clone)]
pub struct FragmentCheck {
    /// The target page; `None` for the page's own headings.
    pub target: Option<usize>,
    /// The target page's file, which stays valid across rebuilds (indexes do not).
    pub target_file: Option<String>,
    pub fragment: String,
    pub line: usize,
    pub column: usize,
    pub text: String,
}

/// What resolving one page's links found.
#[derive(Debug, Default)]
pub struct Found {
    pub targets: Vec<usize>,
    pub fragments: Vec<FragmentCheck>,
    pub assets: Vec<Asset>,
    /// Every page lookup made, to tell later whether its answer changed ([`LinkIndex::answer`]).
    pub lookups: Vec<Lookup>,
}

/// How a "Read more" card is drawn: target page index and its href → HTML.
pub type CardFn<'a> = dyn Fn(usize, &str) -> Result<String, String> + Sync + 'a;

/// Resolves the links of one Markdown body.
pub struct PageLinks<'a> {
    pub site: &'a Site,
    pub index: &'a LinkIndex,
    pub urls: &'a Urls,
    /// The source file, relative to the site root (`content/guides/a.md`).
    pub file: &'a str,
    /// Site path of the page the body is rendered into (`guides/a/`).
    pub from: &'a str,
    /// Output folder where relative assets of this body are copied (`guides/a/`).
    pub asset_dir: Option<&'a str>,
    pub root: &'a std::path::Path,
    pub cards: &'a CardFn<'a>,
    pub found: RefCell<Found>,
}

enum Target {
    Page(usize),
    Section(usize),
}

impl PageLinks<'_> {
    fn content_dir(&self) -> &str {
        let f = crate::model::content_relative(self.file);
        f.rsplit_once('/').map(|(d, _)| d).unwrap_or("")
    }

    /// A page by title, slug or `@/path.md`; errors carry suggestions.
    fn lookup(
        &self,
        key: &str,
        line: usize,
        column: usize,
        what: &str,
    ) -> Result<Target, Diagnostic> {
        if let Some(path) = key.strip_prefix("@/") {
            return self.by_content_path(path, line, column, what);
        }
        self.found
            .borrow_mut()
            .lookups
            .push(Lookup::Key(key.to_string()));
        let norm = normalise(key);
        if let Some(list) = self.index.titles.get(&norm) {
            if list.len() == 1 {
                return Ok(Target::Page(list[0]));
            }
            let files: Vec<&str> = list
                .iter()
                .map(|&i| self.site.pages[i].file.as_str())
                .collect();
            return Err(Diagnostic::error(format!(
                "{what} {key:?} is ambiguous: {} pages have this title",
                list.len()
            ))
            .at(line, column)
            .spanning(key.chars().count())
            .help(format!(
                "link by path instead, e.g. `@/{}`; candidates: {}",
                crate::model::content_relative(files[0]),
                files.join(", ")
            )));
        }
        let slug = key.trim();
        if let Some(list) = self.index.slugs.get(slug) {
            if list.len() == 1 {
                return Ok(Target::Page(list[0]));
            }
        }
        Err(self.not_found(key, line, column, what))
    }

    fn by_content_path(
        &self,
        path: &str,
        line: usize,
        column: usize,
        what: &str,
    ) -> Result<Target, Diagnostic> {
        let path = path.trim_start_matches('/');
        self.found
            .borrow_mut()
            .lookups
            .push(Lookup::Path(path.to_string()));
        if let Some(&i) = self.site.by_file.get(path) {
            return Ok(Target::Page(i));
        }
        let dir = path
            .strip_suffix("_index.md")
            .map(|d| d.trim_end_matches('/'));
        if let Some(dir) = dir {
            if let Some(s) = self.site.sections.iter().position(|s| s.dir == dir) {
                return Ok(Target::Section(s));
            }
        }
        let bundle = format!("{}/index.md", path.trim_end_matches('/'));
        if let Some(&i) = self.site.by_file.get(bundle.as_str()) {
            return Ok(Target::Page(i));
        }
        if self.site.failed.contains(path) {
            return Err(Diagnostic::error(format!(
                "{what} points to content/{path}, which has errors of its own (reported with it)"
            ))
            .at(line, column)
            .spanning(path.chars().count() + 2)
            .help("fix that file and this link resolves"));
        }
        let names: Vec<&str> = self.site.by_file.keys().map(String::as_str).collect();
        let sugg = suggest::nearest(path, names.iter().copied(), 3);
        let mut d = Diagnostic::error(format!(
            "{what} points to content/{path}, which is not a published page"
        ))
        .at(line, column)
        .spanning(path.chars().count() + 2);
        if !sugg.is_empty() {
            d = d.help(format!(
                "did you mean {}?",
                sugg.iter()
                    .map(|s| format!("`@/{s}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        Err(d)
    }

    fn not_found(&self, key: &str, line: usize, column: usize, what: &str) -> Diagnostic {
        let norm = normalise(key);
        let mut scored: Vec<(usize, usize)> = Vec::new();
        for (i, p) in self.site.pages.iter().enumerate() {
            let t = normalise(&p.title);
            let d = strsim::levenshtein(&norm, &t)
                .min(strsim::levenshtein(&norm, &p.slug.replace('-', " ")));
            let contains = !norm.is_empty() && (t.contains(&norm) || norm.contains(&t));
            let limit = (norm.chars().count().max(t.chars().count()) / 2).max(3);
            if d <= limit || contains {
                scored.push((if contains { d.min(limit) } else { d }, i));
            }
        }
        scored.sort();
        let titles: Vec<String> = scored
            .iter()
            .take(3)
            .map(|&(_, i)| format!("{:?}", self.site.pages[i].title))
            .collect();
        let mut d = Diagnostic::error(format!(
            "{what} {key:?} matches no page title, slug or path"
        ))
        .at(line, column)
        .spanning(key.chars().count());
        d = if titles.is_empty() {
            d.help("titles match exactly, ignoring case and punctuation; check the spelling or link with `@/section/file.md`")
        } else {
            d.help(format!("did you mean {}?", titles.join(", ")))
        };
        d
    }

    fn href_of(&self, t: &Target, frag: &str) -> String {
        let path = match t {
            Target::Page(i) => &self.site.pages[*i].path,
            Target::Section(s) => &self.site.sections[*s].path,
        };
        self.urls.href(self.from, &format!("{path}{frag}"))
    }

    fn record(&self, t: &Target, frag: &str, line: usize, column: usize, text: &str) {
        let mut f = self.found.borrow_mut();
        if let Target::Page(i) = t {
            f.targets.push(*i);
            if !frag.is_empty() {
                f.fragments.push(FragmentCheck {
                    target: Some(*i),
                    target_file: Some(self.site.pages[*i].file.clone()),
                    fragment: frag.to_string(),
                    line,
                    column,
                    text: text.to_string(),
                });
            }
        }
    }

    /// A relative link to a file in content/ that is not Markdown: copied beside the page.
    fn relative_file(
        &self,
        dest: &str,
        line: usize,
        column: usize,
    ) -> Result<Option<String>, Diagnostic> {
        let path = dest.split(['?', '#']).next().unwrap_or(dest);
        let joined = join(self.content_dir(), path).ok_or_else(|| {
            Diagnostic::error(format!("link {dest:?} leaves the content folder"))
                .at(line, column)
                .spanning(dest.chars().count())
        })?;
        self.found
            .borrow_mut()
            .lookups
            .push(Lookup::File(joined.clone()));
        let abs = self.root.join("content").join(&joined);
        if abs.is_file() {
            // A symbolic link on the way may lead out of the site: never copy from there.
            let inside = match (abs.canonicalize(), self.root.canonicalize()) {
                (Ok(real), Ok(root)) => real.starts_with(root),
                _ => false,
            };
            if !inside {
                return Err(Diagnostic::error(format!(
                    "link to {dest:?}: content/{joined} is a symbolic link to a file outside the site"
                ))
                .at(line, column)
                .spanning(dest.chars().count())
                .help("copy the file into the site instead of linking to it"));
            }
            if let Some(dir) = self.asset_dir {
                let inner = path.trim_start_matches("./");
                if !inner.contains("../") {
                    self.found.borrow_mut().assets.push(Asset {
                        src: AssetSource::File(abs),
                        dest: format!("{dir}{inner}"),
                    });
                }
            }
            return Ok(None);
        }
        Err(
            Diagnostic::error(format!("link to {dest:?}: no such file content/{joined}"))
                .at(line, column)
                .spanning(dest.chars().count())
                .help("relative links are resolved from the article's folder in content/"),
        )
    }
}

/// Joins a relative path onto a `/`-separated folder; `None` if it climbs out.
fn join(dir: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

fn is_external(dest: &str) -> bool {
    let lower = dest.to_ascii_lowercase();
    lower.starts_with("//")
        || lower.starts_with('/')
        || lower.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '.' || c == '-')
        })
}

fn split_fragment(dest: &str) -> (&str, &str) {
    match dest.find('#') {
        Some(i) => (&dest[..i], &dest[i..]),
        None => (dest, ""),
    }
}

impl LinkResolver for PageLinks<'_> {
    fn href(&self, link: &LinkRef<'_>) -> Result<Option<String>, Diagnostic> {
        let dest = link.dest.trim();
        if link.wiki {
            let (key, frag) = split_fragment(dest);
            let t = self.lookup(key, link.line, link.column + 2, "wiki link")?;
            self.record(&t, frag, link.line, link.column, dest);
            return Ok(Some(self.href_of(&t, frag)));
        }
        if dest.is_empty() {
            return Ok(None);
        }
        if let Some(frag) = dest.strip_prefix('#') {
            self.found.borrow_mut().fragments.push(FragmentCheck {
                target: None,
                target_file: None,
                fragment: format!("#{frag}"),
                line: link.line,
                column: link.column,
                text: dest.to_string(),
            });
            return Ok(None);
        }
        if dest.starts_with("@/") {
            let (path, frag) = split_fragment(dest);
            let t = self.lookup(path, link.line, link.column, "link")?;
            self.record(&t, frag, link.line, link.column, dest);
            return Ok(Some(self.href_of(&t, frag)));
        }
        if is_external(dest) {
            return Ok(None);
        }
        let (path, frag) = split_fragment(dest);
        let path = path.split('?').next().unwrap_or(path);
        if path.ends_with(".md") {
            let joined = join(self.content_dir(), path).ok_or_else(|| {
                Diagnostic::error(format!("link {dest:?} leaves the content folder"))
                    .at(link.line, link.column)
            })?;
            let t = self.by_content_path(&joined, link.line, link.column, "link")?;
            self.record(&t, frag, link.line, link.column, dest);
            return Ok(Some(self.href_of(&t, frag)));
        }
        self.relative_file(dest, link.line, link.column)
    }

    fn card(&self, target: &str, line: usize, column: usize) -> Result<Option<String>, Diagnostic> {
        // `Read more: [text](target)` links through its destination.
        let (key, frag) = match target.strip_prefix('[').and_then(|t| t.split_once("](")) {
            Some((_, rest)) => split_fragment(rest.trim_end_matches(')')),
            None => split_fragment(target),
        };
        let key = key
            .strip_suffix(".md")
            .map(|k| if k.starts_with("@/") { key } else { k })
            .unwrap_or(key);
        let t = match self.lookup(key, line, column, "\"Read more\" link") {
            Ok(t) => t,
            Err(e) if !key.starts_with("@/") && key.ends_with(".md") => return Err(e),
            Err(e) => {
                // a relative `file.md` target
                if target.contains(".md") {
                    if let Some(j) = join(self.content_dir(), key) {
                        if let Ok(t) = self.by_content_path(&j, line, column, "\"Read more\" link")
                        {
                            self.record(&t, frag, line, column, target);
                            return self.card_of(&t, frag);
                        }
                    }
                }
                return Err(e);
            }
        };
        self.record(&t, frag, line, column, target);
        self.card_of(&t, frag)
    }
}

impl PageLinks<'_> {
    fn card_of(&self, t: &Target, frag: &str) -> Result<Option<String>, Diagnostic> {
        let href = self.href_of(t, frag);
        match t {
            Target::Page(i) => (self.cards)(*i, &href).map(Some).map_err(Diagnostic::error),
            Target::Section(_) => Ok(Some(format!(
                "<p class=\"read-more\"><a href=\"{}\">Read more</a></p>",
                crate::render::markdown::escape_attr(&href)
            ))),
        }
    }
}

/// Checks deferred `#fragment`s against the headings of their target pages.
pub fn check_fragments<'a>(
    site: &Site,
    file: &str,
    own: &'a [crate::model::Heading],
    checks: &[FragmentCheck],
    headings_of: &dyn Fn(usize) -> &'a [crate::model::Heading],
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for c in checks {
        let frag = c.fragment.trim_start_matches('#');
        let ids: Vec<&str> = match c.target {
            Some(t) => headings_of(t),
            None => own,
        }
        .iter()
        .map(|h| h.id.as_str())
        .collect();
        if frag.is_empty() || ids.contains(&frag) {
            continue;
        }
        let target_name = match c.target {
            Some(t) => site.pages[t].file.clone(),
            None => "this page".to_string(),
        };
        let sugg = suggest::nearest(frag, ids.iter().copied(), 3);
        let mut d = Diagnostic::error(format!(
            "link {:?}: {target_name} has no heading with id `{frag}`",
            c.text
        ))
        .in_file(file)
        .at(c.line, c.column)
        .spanning(c.text.chars().count());
        if !sugg.is_empty() {
            let mut s = sugg;
            s.sort();
            d = d.help(format!(
                "did you mean {}?",
                s.iter()
                    .map(|x| format!("`#{x}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        out.push(d);
    }
    out
}

/// Resolves each page's `related:` front matter (titles, slugs or `@/paths`).
pub fn explicit_related(site: &Site, index: &LinkIndex) -> (Vec<Vec<usize>>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let urls = Urls::new(&site.config);
    let no_cards = |_: usize, _: &str| Ok(String::new());
    let out = site
        .pages
        .iter()
        .map(|p| {
            let (line, col) = p.key_lines.get("related").copied().unwrap_or((1, 1));
            let links = PageLinks {
                site,
                index,
                urls: &urls,
                file: &p.file,
                from: &p.path,
                asset_dir: None,
                root: std::path::Path::new("."),
                cards: &no_cards,
                found: RefCell::new(Found::default()),
            };
            p.related_keys
                .iter()
                .filter_map(|k| match links.lookup(k, line, col, "`related` entry") {
                    Ok(Target::Page(i)) => Some(i),
                    Ok(Target::Section(_)) => None,
                    Err(d) => {
                        diags.push(d.in_file(&p.file).spanning(7));
                        None
                    }
                })
                .collect()
        })
        .collect();
    (out, diags)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_paths() {
        assert_eq!(
            join("guides", "../certs/a.md").as_deref(),
            Some("certs/a.md")
        );
        assert_eq!(join("", "../a.md"), None);
    }
}
