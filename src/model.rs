//! Plain data passed between the stages: `SourcePage` (load) → `Page`, `Section`, `Taxonomy`
//! in a `Site` (resolve) → rendered files (render) → disk (write).

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use crate::config::Config;
use crate::diagnostics::Diagnostics;

/// A date from front matter, remembering whether it had a time of day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub at: DateTime<FixedOffset>,
    pub date_only: bool,
}

impl Date {
    /// `2026-03-14`
    pub fn ymd(&self) -> String {
        self.at.format("%Y-%m-%d").to_string()
    }

    /// RFC 3339, as Atom and JSON-LD want it.
    pub fn rfc3339(&self) -> String {
        self.at.to_rfc3339()
    }
}

/// A question and its answer, from `faq:` front matter or a "Frequently Asked Questions" section.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Hash)]
pub struct Faq {
    pub q: String,
    pub a: String,
}

/// Everything the front matter of one file says, checked and typed.
#[derive(Debug, Clone, Default)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub description: Option<String>,
    pub date: Option<Date>,
    pub updated: Option<Date>,
    pub slug: Option<String>,
    pub draft: bool,
    pub weight: Option<i64>,
    pub aliases: Vec<String>,
    pub template: Option<String>,
    pub related: Vec<String>,
    pub faq: Vec<Faq>,
    pub compare: Vec<String>,
    /// Terms per taxonomy (`roles`, `tags`, and any other configured taxonomy), as slugs.
    pub taxonomies: BTreeMap<String, Vec<String>>,
    /// `extra:` plus every unknown key.
    pub extra: serde_json::Map<String, serde_json::Value>,
    /// 1-based (line, column) in the file of each top-level key.
    pub key_lines: HashMap<String, (usize, usize)>,
}

/// What a Markdown file in `content/` is.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SourceKind {
    /// An article: a page of its own.
    Article,
    /// `_index.md`: describes the section it sits in.
    SectionIndex,
    /// `content/<taxonomy>/<term>.md`: the introduction of a term's hub page.
    TermIntro { taxonomy: String, term: String },
}

/// A heading of a Markdown body.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub title: String,
}

/// One Markdown file as loaded from disk.
#[derive(Debug, Clone)]
pub struct SourcePage {
    /// Path relative to the site root, `/`-separated (`content/guides/x.md`).
    pub file: String,
    pub kind: SourceKind,
    /// Section path relative to `content/` (`guides`, `` for the root).
    pub section: String,
    /// The slug from the file (or bundle folder) name, before front matter overrides it.
    pub file_slug: String,
    pub meta: FrontMatter,
    /// Words of the body outside code (counted once, when the file is read).
    pub word_count: usize,
    /// Hash of the body (computed once, when the file is read; keys the body cache).
    pub body_hash: u64,
    /// Hash of what resolve reads besides the body: the front matter and a title taken from the
    /// body's `# Heading` (a body-only edit keeps it).
    pub meta_hash: u64,
    pub body: std::sync::Arc<str>,
    /// 1-based line of the file where the body starts.
    pub body_line: usize,
    /// Folder of a page bundle (`x/index.md`), relative to the site root.
    pub bundle: Option<String>,
}

/// Where an asset's bytes come from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum AssetSource {
    File(PathBuf),
    /// A file of the built-in theme.
    Embedded(&'static [u8]),
}

/// A file copied into the output as-is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Asset {
    pub src: AssetSource,
    /// Output-relative destination (`guides/x/diagram.png`).
    pub dest: String,
}

/// What the load stage produces.
#[derive(Debug)]
pub struct Loaded {
    pub config: Config,
    pub sources: Vec<SourcePage>,
    pub assets: Vec<Asset>,
    pub diagnostics: Diagnostics,
    /// Markdown files that could not be loaded (their errors are in `diagnostics`).
    pub failed: Vec<String>,
}

/// A published article, with its URL and everything templates need to know about it.
#[derive(Debug, Clone)]
pub struct Page {
    pub file: String,
    pub section: String,
    pub slug: String,
    /// Site-relative URL path without a leading `/` (`guides/x/`).
    pub path: String,
    pub title: String,
    pub description: String,
    pub date: Option<Date>,
    pub updated: Option<Date>,
    pub draft: bool,
    pub weight: Option<i64>,
    pub aliases: Vec<String>,
    pub template: Option<String>,
    pub taxonomies: BTreeMap<String, Vec<String>>,
    pub extra: serde_json::Map<String, serde_json::Value>,
    pub faq: Vec<Faq>,
    pub related_keys: Vec<String>,
    pub compare: Vec<String>,
    pub body: std::sync::Arc<str>,
    pub body_line: usize,
    /// Words of the body (code blocks excluded), for reading time.
    pub word_count: usize,
    pub body_hash: u64,
    /// See [`SourcePage::meta_hash`].
    pub meta_hash: u64,
    pub key_lines: HashMap<String, (usize, usize)>,
    pub bundle: Option<String>,
    /// Index of the previous and next article of the section, in listing order.
    pub prev: Option<usize>,
    pub next: Option<usize>,
    /// Filled by resolve: pages linking here, and related pages (indexes into `Site::pages`).
    pub backlinks: Vec<usize>,
    pub related: Vec<usize>,
}

/// A folder of `content/`, with the articles directly inside it.
#[derive(Debug, Clone)]
pub struct Section {
    /// Relative to `content/` (`guides`; `` for the home page).
    pub dir: String,
    /// Site-relative URL path (`guides/`; `` for home).
    pub path: String,
    pub title: String,
    pub description: String,
    pub body: std::sync::Arc<str>,
    pub body_line: usize,
    pub file: Option<String>,
    pub weight: Option<i64>,
    pub template: Option<String>,
    /// Line and column of the `template` key in `_index.md`.
    pub template_at: (usize, usize),
    pub extra: serde_json::Map<String, serde_json::Value>,
    /// Articles in listing order.
    pub pages: Vec<usize>,
    pub subsections: Vec<usize>,
}

/// One value of a taxonomy (`scrum-master` in `roles`).
#[derive(Debug, Clone)]
pub struct Term {
    pub slug: String,
    pub name: String,
    pub path: String,
    pub pages: Vec<usize>,
    /// `content/<taxonomy>/<term>.md`, if there is one.
    pub intro: Option<Intro>,
}

/// The Markdown introduction of a taxonomy or term page.
#[derive(Debug, Clone)]
pub struct Intro {
    pub file: String,
    pub title: Option<String>,
    pub description: String,
    pub body: std::sync::Arc<str>,
    pub body_line: usize,
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// A taxonomy (`roles`, `tags`) with its terms, sorted by slug.
#[derive(Debug, Clone)]
pub struct Taxonomy {
    pub name: String,
    pub path: String,
    pub terms: Vec<Term>,
    pub intro: Option<Intro>,
}

/// The resolved site: every page with its URL, sections, taxonomies.
#[derive(Debug)]
pub struct Site {
    pub config: Config,
    /// Published articles, sorted by file path.
    pub pages: Vec<Page>,
    /// Sections, the home section (`dir == ""`) first.
    pub sections: Vec<Section>,
    pub taxonomies: Vec<Taxonomy>,
    pub assets: Vec<Asset>,
    /// Every page's path → index.
    pub by_path: rustc_hash::FxHashMap<String, usize>,
    /// Content file (`guides/x.md`, relative to `content/`) → page index.
    pub by_file: rustc_hash::FxHashMap<String, usize>,
    /// Content files (relative to `content/`) that failed to load, so links to them can say so.
    pub failed: std::collections::HashSet<String>,
}

/// A page's file relative to `content/` (`content/guides/x.md` → `guides/x.md`), the form
/// `Site::by_file` and `@/` links use.
pub fn content_relative(file: &str) -> &str {
    file.strip_prefix("content/").unwrap_or(file)
}
