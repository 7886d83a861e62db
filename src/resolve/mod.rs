//! Resolve stage: gives every page its URL, builds sections (ordered listings, prev/next) and
//! taxonomies, checks duplicate URLs and aliases; links are resolved through `links`.

pub mod link_index;
pub mod links;
pub mod related;

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{
    Asset, AssetSource, Intro, Loaded, Page, Section, Site, SourceKind, SourcePage, Taxonomy, Term,
};
use crate::slug::title_case;

/// Options of the resolve stage.
#[derive(Debug, Clone, Copy, Default)]
pub struct ResolveOptions {
    pub drafts: bool,
}

/// Turns loaded sources into a `Site`.
pub fn resolve(loaded: Loaded, opts: ResolveOptions) -> (Site, Diagnostics) {
    let Loaded {
        config,
        sources,
        mut assets,
        mut diagnostics,
        failed,
    } = loaded;
    place_bundle_assets(&sources, &mut assets, opts.drafts);
    let failed = failed
        .iter()
        .map(|f| crate::model::content_relative(f).to_string())
        .collect();
    let mut section_sources: BTreeMap<String, SourcePage> = BTreeMap::new();
    let mut term_intros: HashMap<(String, String), Intro> = HashMap::new();
    let mut articles: Vec<SourcePage> = Vec::with_capacity(sources.len());
    for s in sources {
        match s.kind.clone() {
            SourceKind::SectionIndex => {
                section_sources.insert(s.section.clone(), s);
            }
            SourceKind::TermIntro { taxonomy, term } => {
                term_intros.insert((taxonomy, term), intro_of(&s));
            }
            SourceKind::Article => {
                if s.meta.draft && !opts.drafts {
                    continue;
                }
                articles.push(s);
            }
        }
    }
    let mut pages: Vec<Page> = articles.into_par_iter().map(page_of).collect();
    pages.sort_by(|a, b| a.file.cmp(&b.file));

    // URLs, and duplicate URLs named with both files.
    let mut by_path: HashMap<String, usize> = HashMap::new();
    let mut keep = vec![true; pages.len()];
    for (i, p) in pages.iter().enumerate() {
        if let Some(&j) = by_path.get(&p.path) {
            let (line, col) = p.key_lines.get("slug").copied().unwrap_or((1, 1));
            diagnostics.push(
                Diagnostic::error(format!(
                    "two pages have the URL /{}: {} and {}",
                    p.path, pages[j].file, p.file
                ))
                .in_file(&p.file)
                .at(line, col)
                .help("give one of them another `slug:` in its front matter, or rename the file"),
            );
            keep[i] = false;
        } else {
            by_path.insert(p.path.clone(), i);
        }
    }
    if keep.iter().any(|k| !k) {
        let mut it = keep.iter();
        pages.retain(|_| *it.next().unwrap_or(&true));
    }

    let taxonomy_names = config.taxonomies.clone();
    let ranks = listing_ranks(&pages);
    let mut sections = build_sections(&pages, &mut section_sources, &taxonomy_names);
    sections
        .par_iter_mut()
        .for_each(|sec| sort_listing(&mut sec.pages, &ranks));
    for sec in &sections {
        for (k, &i) in sec.pages.iter().enumerate() {
            let prev = (k > 0).then(|| sec.pages[k - 1]);
            let next = sec.pages.get(k + 1).copied();
            pages[i].prev = prev;
            pages[i].next = next;
        }
    }
    let taxonomies = build_taxonomies(
        &taxonomy_names,
        &pages,
        &ranks,
        term_intros,
        &mut section_sources,
    );
    check_listing_urls(&pages, &sections, &taxonomies, &mut diagnostics);

    let by_path: rustc_hash::FxHashMap<String, usize> = pages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.path.clone(), i))
        .collect();
    let by_file: rustc_hash::FxHashMap<String, usize> = pages
        .iter()
        .enumerate()
        .map(|(i, p)| (crate::model::content_relative(&p.file).to_string(), i))
        .collect();
    check_aliases(&pages, &by_path, &mut diagnostics);

    let site = Site {
        config,
        pages,
        sections,
        taxonomies,
        assets,
        by_path,
        by_file,
        failed,
    };
    (site, diagnostics)
}

/// Site path of a page: `<section>/<slug>/`.
fn page_path(section: &str, slug: &str) -> String {
    if section.is_empty() {
        format!("{slug}/")
    } else {
        format!("{section}/{slug}/")
    }
}

/// The files of a page bundle follow its page: beside it when `slug:` moves it away from the
/// folder's name, and nowhere when it is a draft left out of the build.
fn place_bundle_assets(sources: &[SourcePage], assets: &mut Vec<Asset>, drafts: bool) {
    for s in sources {
        let Some(bundle) = &s.bundle else { continue };
        let skip = s.meta.draft && !drafts;
        let slug = s.meta.slug.as_deref().unwrap_or(&s.file_slug);
        if !skip && slug == s.file_slug {
            continue;
        }
        let old = page_path(&s.section, &s.file_slug);
        let new = page_path(&s.section, slug);
        assets.retain_mut(|a| {
            let AssetSource::File(src) = &a.src else {
                return true;
            };
            let in_bundle = src.ancestors().any(|p| p.ends_with(bundle));
            let Some(inner) = a.dest.strip_prefix(&old).filter(|_| in_bundle) else {
                return true;
            };
            a.dest = format!("{new}{inner}");
            !skip
        });
    }
}

/// A page or alias at the URL of a section or taxonomy listing would overwrite that listing.
fn check_listing_urls(
    pages: &[Page],
    sections: &[Section],
    taxonomies: &[Taxonomy],
    diags: &mut Diagnostics,
) {
    let mut listings: HashMap<&str, String> = HashMap::new();
    for s in sections {
        listings.insert(&s.path, format!("the listing of section `{}`", s.dir));
    }
    for t in taxonomies {
        listings.insert(&t.path, format!("the list of all {}", t.name));
        for term in &t.terms {
            listings.insert(
                &term.path,
                format!("the page of {} `{}`", t.name, term.slug),
            );
        }
    }
    let help = "give the page another `slug:`, or rename the file";
    for p in pages {
        if let Some(what) = listings.get(p.path.as_str()) {
            let (line, col) = p.key_lines.get("slug").copied().unwrap_or((1, 1));
            let msg = format!("{} has the URL /{}, which is {what}", p.file, p.path);
            diags.push(
                Diagnostic::error(msg)
                    .in_file(&p.file)
                    .at(line, col)
                    .help(help),
            );
        }
        let (line, col) = p.key_lines.get("aliases").copied().unwrap_or((1, 1));
        for a in &p.aliases {
            if let Some(what) = alias_path(a).and_then(|x| listings.get(x.as_str())) {
                let msg = format!("alias {a:?} is the URL of {what}; it would replace it");
                diags.push(Diagnostic::error(msg).in_file(&p.file).at(line, col));
            }
        }
    }
}

fn page_of(s: SourcePage) -> Page {
    let slug = s.meta.slug.clone().unwrap_or_else(|| s.file_slug.clone());
    let path = page_path(&s.section, &slug);
    let m = s.meta;
    Page {
        file: s.file,
        section: s.section,
        slug,
        path,
        title: m.title.unwrap_or_default(),
        description: m.description.unwrap_or_default(),
        date: m.date,
        updated: m.updated,
        draft: m.draft,
        weight: m.weight,
        aliases: m.aliases,
        template: m.template,
        taxonomies: m.taxonomies,
        extra: m.extra,
        faq: m.faq,
        related_keys: m.related,
        compare: m.compare,
        word_count: s.word_count,
        body_hash: s.body_hash,
        meta_hash: s.meta_hash,
        body: s.body,
        body_line: s.body_line,
        key_lines: m.key_lines,
        bundle: s.bundle,
        prev: None,
        next: None,
        backlinks: Vec::new(),
        related: Vec::new(),
    }
}

/// Line and column of a front-matter key, or the file's first line.
fn key_at(key_lines: &HashMap<String, (usize, usize)>, key: &str) -> (usize, usize) {
    key_lines.get(key).copied().unwrap_or((1, 1))
}

fn intro_of(s: &SourcePage) -> Intro {
    Intro {
        file: s.file.clone(),
        title: s.meta.title.clone(),
        description: s.meta.description.clone().unwrap_or_default(),
        body: s.body.clone(),
        body_line: s.body_line,
        extra: s.meta.extra.clone(),
    }
}

/// Each page's place in listing order: weight (lowest first, unweighted last), then date
/// (newest first), then title, then path. Ranked once for the whole site, because comparing
/// lowercased titles allocated in every comparison of every section and term list.
fn listing_ranks(pages: &[Page]) -> Vec<usize> {
    let titles: Vec<String> = pages.iter().map(|p| p.title.to_lowercase()).collect();
    let mut order: Vec<usize> = (0..pages.len()).collect();
    order.sort_by(|&a, &b| {
        let (pa, pb) = (&pages[a], &pages[b]);
        let wa = pa.weight.unwrap_or(i64::MAX);
        let wb = pb.weight.unwrap_or(i64::MAX);
        wa.cmp(&wb)
            .then_with(|| pb.date.cmp(&pa.date))
            .then_with(|| titles[a].cmp(&titles[b]))
            .then_with(|| pa.path.cmp(&pb.path))
    });
    let mut ranks = vec![0; pages.len()];
    for (rank, &i) in order.iter().enumerate() {
        ranks[i] = rank;
    }
    ranks
}

/// Sorts page indexes into listing order (see `listing_ranks`).
fn sort_listing(list: &mut [usize], ranks: &[usize]) {
    list.sort_unstable_by_key(|&i| ranks[i]);
}

fn build_sections(
    pages: &[Page],
    sources: &mut BTreeMap<String, SourcePage>,
    taxonomies: &[String],
) -> Vec<Section> {
    let mut dirs: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    dirs.insert(String::new(), Vec::new());
    for (i, p) in pages.iter().enumerate() {
        match dirs.get_mut(&p.section) {
            Some(list) => list.push(i),
            None => {
                dirs.insert(p.section.clone(), vec![i]);
            }
        }
    }
    for dir in sources.keys() {
        if !taxonomies.iter().any(|t| t == dir) {
            dirs.entry(dir.clone()).or_default();
        }
    }
    // Every ancestor of a section is a section too.
    let all: Vec<String> = dirs.keys().cloned().collect();
    for d in all {
        let mut cur = d.as_str();
        while let Some(i) = cur.rfind('/') {
            cur = &cur[..i];
            dirs.entry(cur.to_string()).or_default();
        }
    }
    let mut sections: Vec<Section> = dirs
        .into_iter()
        .map(|(dir, list)| {
            let src = if taxonomies.contains(&dir) {
                None
            } else {
                sources.remove(&dir)
            };
            let path = if dir.is_empty() {
                String::new()
            } else {
                format!("{dir}/")
            };
            let default_title = dir.rsplit('/').next().map(title_case).unwrap_or_default();
            match src {
                Some(s) => Section {
                    path,
                    title: s.meta.title.clone().unwrap_or(default_title),
                    description: s.meta.description.clone().unwrap_or_default(),
                    body: s.body,
                    body_line: s.body_line,
                    file: Some(s.file),
                    weight: s.meta.weight,
                    template: s.meta.template,
                    template_at: key_at(&s.meta.key_lines, "template"),
                    extra: s.meta.extra,
                    dir,
                    pages: list,
                    subsections: Vec::new(),
                },
                None => Section {
                    path,
                    title: default_title,
                    description: String::new(),
                    body: "".into(),
                    body_line: 1,
                    file: None,
                    weight: None,
                    template: None,
                    template_at: (1, 1),
                    extra: Default::default(),
                    dir,
                    pages: list,
                    subsections: Vec::new(),
                },
            }
        })
        .collect();
    let index: HashMap<String, usize> = sections
        .iter()
        .enumerate()
        .map(|(i, s)| (s.dir.clone(), i))
        .collect();
    for i in 0..sections.len() {
        let dir = sections[i].dir.clone();
        if dir.is_empty() {
            continue;
        }
        let parent = dir
            .rfind('/')
            .map(|k| dir[..k].to_string())
            .unwrap_or_default();
        if let Some(&p) = index.get(&parent) {
            sections[p].subsections.push(i);
        }
    }
    for i in 0..sections.len() {
        let mut subs = std::mem::take(&mut sections[i].subsections);
        subs.sort_by(|&a, &b| {
            sections[a]
                .weight
                .unwrap_or(i64::MAX)
                .cmp(&sections[b].weight.unwrap_or(i64::MAX))
                .then_with(|| sections[a].title.cmp(&sections[b].title))
        });
        sections[i].subsections = subs;
    }
    sections
}

fn build_taxonomies(
    names: &[String],
    pages: &[Page],
    ranks: &[usize],
    mut intros: HashMap<(String, String), Intro>,
    sources: &mut BTreeMap<String, SourcePage>,
) -> Vec<Taxonomy> {
    names
        .iter()
        .map(|name| {
            let mut terms: BTreeMap<String, Vec<usize>> = BTreeMap::new();
            for (i, p) in pages.iter().enumerate() {
                for t in p.taxonomies.get(name).into_iter().flatten() {
                    // Most terms exist already: no new key string for them.
                    match terms.get_mut(t) {
                        Some(list) => list.push(i),
                        None => {
                            terms.insert(t.clone(), vec![i]);
                        }
                    }
                }
            }
            // A term with an introduction has a hub even before any article uses it.
            for (tax, term) in intros.keys() {
                if tax == name {
                    terms.entry(term.clone()).or_default();
                }
            }
            let mut terms: Vec<(String, Vec<usize>)> = terms.into_iter().collect();
            terms
                .par_iter_mut()
                .for_each(|(_, list)| sort_listing(list, ranks));
            let terms = terms
                .into_iter()
                .map(|(slug, list)| {
                    let intro = intros.remove(&(name.clone(), slug.clone()));
                    let name_ = intro
                        .as_ref()
                        .and_then(|i| i.title.clone())
                        .unwrap_or_else(|| title_case(&slug));
                    Term {
                        path: format!("{name}/{slug}/"),
                        name: name_,
                        slug,
                        pages: list,
                        intro,
                    }
                })
                .collect();
            let intro = sources.remove(name).map(|s| intro_of(&s));
            Taxonomy {
                name: name.clone(),
                path: format!("{name}/"),
                terms,
                intro,
            }
        })
        .collect()
}

fn check_aliases(
    pages: &[Page],
    by_path: &rustc_hash::FxHashMap<String, usize>,
    diags: &mut Diagnostics,
) {
    let mut seen: HashMap<String, &str> = HashMap::new();
    for p in pages {
        let (line, col) = p.key_lines.get("aliases").copied().unwrap_or((1, 1));
        for a in &p.aliases {
            let err = |msg: String| Diagnostic::error(msg).in_file(&p.file).at(line, col);
            let lower = a.trim().to_ascii_lowercase();
            if lower.contains(':') || lower.starts_with("//") {
                diags.push(err(format!("alias {a:?} must be a path on this site, such as /old/url/")).help("aliases are old URLs of this page; `javascript:` and other schemes are refused"));
                continue;
            }
            let Some(path) = alias_path(a) else {
                diags.push(err(format!(
                    "alias {a:?} leaves the site (`..` or an empty path)"
                )));
                continue;
            };
            if by_path.contains_key(&path) {
                diags.push(err(format!(
                    "alias {a:?} is the URL of a page ({})",
                    pages[by_path[&path]].file
                )));
            } else if let Some(other) = seen.insert(path.clone(), &p.file) {
                diags.push(err(format!("alias {a:?} is also an alias of {other}")));
            }
        }
    }
}

/// The output folder path of an alias (`/old/url` → `old/url/`); `None` if it escapes the site.
pub fn alias_path(alias: &str) -> Option<String> {
    let mut parts = Vec::new();
    let a = alias.trim();
    let a = a.strip_suffix("index.html").unwrap_or(a);
    for seg in a.split('/') {
        match seg {
            "" | "." => {}
            ".." => return None,
            s if s.contains('\\') || s.contains('\0') => return None,
            s => parts.push(s),
        }
    }
    if parts.is_empty() {
        return None;
    }
    Some(format!("{}/", parts.join("/")))
}
