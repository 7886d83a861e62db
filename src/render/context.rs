//! What templates see: serialisable views of pages, sections and terms, built once per build
//! and shared by every job that lists them.

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use super::bodies::Touched;
use super::fingerprint::{hash_json, hash_of};

use crate::model::{Faq, Page, Site};
use crate::render::markdown::{Rendered, TocEntry};

/// A taxonomy term as a link (`{name, slug, path}`).
#[derive(Debug, Clone, Serialize, Hash, PartialEq, Eq)]
pub struct TermRef {
    pub name: String,
    pub slug: String,
    pub path: String,
}

/// A page as listings show it.
#[derive(Debug, Clone, Serialize)]
pub struct PageRef {
    pub title: String,
    pub description: String,
    pub path: String,
    pub permalink: String,
    pub section: String,
    pub date: Option<String>,
    pub date_iso: Option<String>,
    pub updated: Option<String>,
    pub updated_iso: Option<String>,
    pub weight: Option<i64>,
    pub draft: bool,
    pub word_count: usize,
    pub reading_time: usize,
    /// Plain text of the summary (the HTML's relative links would break in listings).
    pub summary: String,
    /// HTML of the summary, with links relative to the article's own page: use `| safe`
    /// only on the article's page.
    pub summary_html: String,
    pub roles: Vec<TermRef>,
    pub tags: Vec<TermRef>,
    pub taxonomies: std::collections::BTreeMap<String, Vec<TermRef>>,
    pub extra: serde_json::Map<String, serde_json::Value>,
    /// Hash of every field above (fingerprints of listings).
    #[serde(skip)]
    pub hash: u64,
    /// Hash of the fields a `PageLink` shows (fingerprints of pages linking here).
    #[serde(skip)]
    pub link_hash: u64,
    /// Hash of what the feed shows of the page (the feed's fingerprint).
    #[serde(skip)]
    pub feed_hash: u64,
    /// Hash of what the search index's entry point holds of the page.
    #[serde(skip)]
    pub index_hash: u64,
}

/// A page as prev/next, related and backlink lists show it (no summary).
#[derive(Debug, Clone, Serialize, Hash)]
pub struct PageLink<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub path: &'a str,
    pub permalink: &'a str,
    pub date: Option<&'a str>,
    pub reading_time: usize,
    pub roles: &'a [TermRef],
    pub tags: &'a [TermRef],
}

impl PageRef {
    /// Hash of every serialised field.
    fn content_hash(&self) -> u64 {
        let mut h = super::fingerprint::hasher();
        (&self.title, &self.description, &self.path, &self.permalink).hash(&mut h);
        (
            &self.section,
            &self.date,
            &self.date_iso,
            &self.updated,
            &self.updated_iso,
        )
            .hash(&mut h);
        (self.weight, self.draft, self.word_count, self.reading_time).hash(&mut h);
        (&self.summary, &self.summary_html, &self.taxonomies).hash(&mut h);
        if !self.extra.is_empty() {
            hash_json(&self.extra).hash(&mut h);
        }
        h.finish()
    }

    pub fn link(&self) -> PageLink<'_> {
        PageLink {
            title: &self.title,
            description: &self.description,
            path: &self.path,
            permalink: &self.permalink,
            date: self.date.as_deref(),
            reading_time: self.reading_time,
            roles: &self.roles,
            tags: &self.tags,
        }
    }
}

/// What `page.html` sees as `page` besides the listing view (`PageRef`) of the page.
#[derive(Debug, Clone, Serialize)]
pub struct PageOwn<'a> {
    /// HTML of the body: use `| safe`.
    pub content: &'a str,
    pub toc: &'a [TocEntry],
    pub headings: &'a [crate::model::Heading],
    /// Questions and answers: from `faq:` front matter, else from the body's FAQ section.
    pub faq: &'a [Faq],
    /// True when the FAQ is already in `content` (so templates draw no second block).
    pub faq_in_body: bool,
    pub aliases: &'a [String],
    /// `<script type="application/ld+json">` content, already safe for a script element.
    pub jsonld: String,
    /// An "at a glance" comparison table (HTML), when the article compares roles.
    pub comparison: &'a str,
    pub file: &'a str,
}

/// The page being rendered by `page.html`: its listing view, its own fields, and its
/// neighbours (`prev`, `next`, `backlinks`, `related`) as link views, with `items`: the related
/// and backlinks lists already drawn (or none).
pub fn page_view(
    values: &PageValues,
    i: usize,
    own: &PageOwn<'_>,
    p: &Page,
    items: (tera::Value, tera::Value),
) -> tera::Value {
    let mut map = values.full[i].clone().into_map().unwrap_or_default();
    if let Some(own) = tera::Value::from_serializable(own).into_map() {
        map.extend(own);
    }
    let one = |j: Option<usize>| j.map_or_else(tera::Value::none, |j| values.link[j].clone());
    map.insert("prev".into(), one(p.prev));
    map.insert("next".into(), one(p.next));
    map.insert("backlinks".into(), values.links(&p.backlinks));
    map.insert("related".into(), values.links(&p.related));
    map.insert("related_items".into(), items.0);
    map.insert("backlinks_items".into(), items.1);
    tera::Value::from(map)
}

/// Every page as template values, converted once per build and shared (tera values are
/// reference-counted, so a listing or a related list costs a clone of a pointer per page).
#[derive(Debug, Default)]
pub struct PageValues {
    /// The listing view (`PageRef`).
    pub full: Vec<tera::Value>,
    /// The link view (`PageLink`).
    pub link: Vec<tera::Value>,
}

/// Template values of the last build by page path, with the `PageRef` hash they were made from.
pub type ValueCache = rustc_hash::FxHashMap<String, (u64, tera::Value, tera::Value)>;

impl PageValues {
    /// Converts every page, reusing the values in `cache` of pages whose view did not change
    /// (and leaving this build's values there). Without a cache (a one-shot build), converts
    /// them all and keeps nothing.
    ///
    /// With `prior` (the last build's values, on a site with the same pages), only the pages
    /// `touched` marks are looked at; the others keep their values from `prior`.
    pub fn of(
        refs: &[Arc<PageRef>],
        cache: Option<&mut ValueCache>,
        touched: &Touched,
        prior: Option<PageValues>,
    ) -> PageValues {
        let n = refs.len();
        let prior = prior.filter(|p| p.full.len() == n && touched.pages.is_some());
        let todo: Vec<usize> = match &prior {
            Some(_) => (0..n).filter(|&i| touched.has(i)).collect(),
            None => (0..n).collect(),
        };
        let old = cache.as_deref();
        let terms = super::views::Terms::of(todo.iter().map(|&i| &refs[i]));
        let made: Vec<(tera::Value, tera::Value, bool)> = todo
            .par_iter()
            .map(|&i| {
                let r = &refs[i];
                match old.and_then(|c| c.get(&r.path)) {
                    Some((hash, full, link)) if *hash == r.hash => {
                        (full.clone(), link.clone(), false)
                    }
                    _ => {
                        let (full, link) = super::views::of(r, &terms);
                        (full, link, true)
                    }
                }
            })
            .collect();
        if let Some(cache) = cache {
            let fresh = todo.iter().zip(&made).filter(|(_, m)| m.2);
            let fresh = fresh.map(|(&i, (f, l, _))| {
                (refs[i].path.clone(), (refs[i].hash, f.clone(), l.clone()))
            });
            let live: Vec<&str> = refs.iter().map(|r| r.path.as_str()).collect();
            super::fingerprint::refresh(cache, fresh, &live);
        }
        match prior {
            Some(mut all) => {
                for (&i, (full, link, _)) in todo.iter().zip(made) {
                    all.full[i] = full;
                    all.link[i] = link;
                }
                all
            }
            None => {
                let (full, link) = made.into_iter().map(|(f, l, _)| (f, l)).unzip();
                PageValues { full, link }
            }
        }
    }

    /// The listing views of `pages`, as one array value.
    pub fn list(&self, pages: impl IntoIterator<Item = usize>) -> tera::Value {
        tera::Value::from(
            pages
                .into_iter()
                .map(|i| self.full[i].clone())
                .collect::<Vec<_>>(),
        )
    }

    /// The link views of `pages`, as one array value.
    pub fn links(&self, pages: &[usize]) -> tera::Value {
        tera::Value::from(
            pages
                .iter()
                .map(|&i| self.link[i].clone())
                .collect::<Vec<_>>(),
        )
    }
}

/// Reading time in minutes (at least 1).
pub fn reading_time(words: usize, wpm: usize) -> usize {
    words.div_ceil(wpm.max(1)).max(1)
}

/// Listing views of the last build by source file, with the key of what they were made from.
pub type RefCache = rustc_hash::FxHashMap<String, (u64, Arc<PageRef>)>;

/// Builds the listing view of every page; a page whose front matter, URL, word count and body
/// are as in the last build, on a site with the same terms and settings, keeps its view.
/// Without a cache (a one-shot build), builds them all and keeps nothing.
///
/// With `prior` (the last build's views, on a site with the same pages, terms and settings),
/// only the pages `touched` marks are looked at; the others keep their views from `prior`.
pub fn page_refs(
    site: &Site,
    rendered: &[Arc<Rendered>],
    cache: Option<&mut RefCache>,
    touched: &Touched,
    prior: Option<Vec<Arc<PageRef>>>,
) -> Vec<Arc<PageRef>> {
    let n = site.pages.len();
    let prior = prior.filter(|p| p.len() == n && touched.pages.is_some());
    let old = cache.as_deref();
    let mut h = super::fingerprint::hasher();
    hash_json(&site.config).hash(&mut h);
    for t in &site.taxonomies {
        t.name.hash(&mut h);
        for term in &t.terms {
            (&term.slug, &term.name, &term.path).hash(&mut h);
        }
    }
    let site_key = h.finish();
    let todo: Vec<usize> = match &prior {
        Some(_) => (0..n).filter(|&i| touched.has(i)).collect(),
        None => (0..n).collect(),
    };
    let refs: Vec<(u64, Arc<PageRef>, bool)> = todo
        .par_iter()
        .map(|&i| {
            let (p, r) = (&site.pages[i], &rendered[i]);
            let key = hash_of(&(
                site_key,
                p.meta_hash,
                &p.file,
                &p.path,
                p.word_count,
                r.hash,
            ));
            if let Some((k, pr)) = old.and_then(|c| c.get(&p.file)) {
                if *k == key {
                    return (key, pr.clone(), false);
                }
            }
            let mut pr = page_ref(site, p, r);
            pr.hash = pr.content_hash();
            pr.link_hash = hash_of(&pr.link());
            // What the feed shows: title, URL, dates, categories, description or summary.
            pr.feed_hash = hash_of(&(
                (&p.title, &pr.permalink, p.date, p.updated, &p.description),
                (&pr.summary, &pr.taxonomies),
            ));
            // The search entry point: title, URL, description, roles, tags, headings.
            let headings: Vec<&str> = r.headings.iter().map(|x| x.title.as_str()).collect();
            pr.index_hash = hash_of(&(
                (&p.title, &p.path, &p.description),
                (p.taxonomies.get("roles"), p.taxonomies.get("tags")),
                headings,
            ));
            (key, Arc::new(pr), true)
        })
        .collect();
    if let Some(cache) = cache {
        let fresh = todo.iter().zip(&refs).filter(|(_, r)| r.2);
        let fresh = fresh.map(|(&i, (k, pr, _))| (site.pages[i].file.clone(), (*k, pr.clone())));
        let live: Vec<&str> = site.pages.iter().map(|p| p.file.as_str()).collect();
        super::fingerprint::refresh(cache, fresh, &live);
    }
    match prior {
        Some(mut all) => {
            for (&i, (_, pr, _)) in todo.iter().zip(refs) {
                all[i] = pr;
            }
            all
        }
        None => refs.into_iter().map(|(_, pr, _)| pr).collect(),
    }
}

fn page_ref(site: &Site, p: &Page, r: &Rendered) -> PageRef {
    let mut taxonomies = std::collections::BTreeMap::new();
    for (tax, terms) in &p.taxonomies {
        let refs: Vec<TermRef> = terms.iter().map(|t| term_ref(site, tax, t)).collect();
        taxonomies.insert(tax.clone(), refs);
    }
    PageRef {
        title: p.title.clone(),
        description: p.description.clone(),
        path: p.path.clone(),
        permalink: site.config.permalink(&p.path),
        section: p.section.clone(),
        date: p.date.map(|d| d.ymd()),
        date_iso: p.date.map(|d| d.rfc3339()),
        updated: p.updated.map(|d| d.ymd()),
        updated_iso: p.updated.map(|d| d.rfc3339()),
        weight: p.weight,
        draft: p.draft,
        word_count: p.word_count,
        reading_time: reading_time(p.word_count, site.config.reading_speed_wpm),
        summary: r.summary_text.clone(),
        summary_html: r.summary.clone(),
        roles: taxonomies.get("roles").cloned().unwrap_or_default(),
        tags: taxonomies.get("tags").cloned().unwrap_or_default(),
        taxonomies,
        extra: p.extra.clone(),
        hash: 0,
        link_hash: 0,
        feed_hash: 0,
        index_hash: 0,
    }
}

/// A term as a link; its name comes from its hub's introduction, else the slug title-cased.
pub fn term_ref(site: &Site, taxonomy: &str, slug: &str) -> TermRef {
    let name = site
        .taxonomies
        .iter()
        .find(|t| t.name == taxonomy)
        .and_then(|t| {
            t.terms
                .binary_search_by(|x| x.slug.as_str().cmp(slug))
                .ok()
                .map(|i| t.terms[i].name.clone())
        })
        .unwrap_or_else(|| crate::slug::title_case(slug));
    TermRef {
        name,
        slug: slug.to_string(),
        path: [taxonomy, "/", slug, "/"].concat(),
    }
}

/// Pagination state for listing templates.
#[derive(Debug, Clone, Serialize)]
pub struct Paginator {
    pub current: usize,
    pub total: usize,
    /// Site path of the previous and next listing page.
    pub prev: Option<String>,
    pub next: Option<String>,
    pub first: String,
    pub last: String,
    pub pages: Vec<PagerLink>,
}

/// One entry of a pager's numbered links: a page, or a gap (`…`) between two of them.
#[derive(Debug, Clone, Serialize)]
pub struct PagerLink {
    /// 0 for a gap.
    pub number: usize,
    pub path: String,
    pub gap: bool,
}

/// Site path of listing page `n` (1-based) of a listing at `base`.
pub fn pager_path(base: &str, n: usize) -> String {
    if n <= 1 {
        base.to_string()
    } else {
        format!("{base}page/{n}/")
    }
}

/// Pages a pager shows around the current one (and always the first and the last): a listing
/// of a thousand pages links to a dozen of them, not to all, from each.
const PAGER_NEIGHBOURS: usize = 2;

pub fn paginator(base: &str, current: usize, total: usize) -> Paginator {
    let lo = current.saturating_sub(PAGER_NEIGHBOURS).max(1);
    let hi = (current + PAGER_NEIGHBOURS).min(total);
    let mut pages = Vec::new();
    let mut last = 0;
    for n in [1].into_iter().chain(lo..=hi).chain([total]) {
        if n <= last || n == 0 {
            continue;
        }
        if n > last + 1 {
            // A gap of one page is shown as that page.
            if n == last + 2 {
                pages.push(PagerLink {
                    number: last + 1,
                    path: pager_path(base, last + 1),
                    gap: false,
                });
            } else {
                pages.push(PagerLink {
                    number: 0,
                    path: String::new(),
                    gap: true,
                });
            }
        }
        pages.push(PagerLink {
            number: n,
            path: pager_path(base, n),
            gap: false,
        });
        last = n;
    }
    Paginator {
        current,
        total,
        prev: (current > 1).then(|| pager_path(base, current - 1)),
        next: (current < total).then(|| pager_path(base, current + 1)),
        first: pager_path(base, 1),
        last: pager_path(base, total),
        pages,
    }
}

#[cfg(test)]
mod tests {
    use super::paginator;

    fn shown(current: usize, total: usize) -> Vec<usize> {
        paginator("g/", current, total)
            .pages
            .iter()
            .map(|p| p.number)
            .collect()
    }

    #[test]
    fn pagers_show_the_ends_and_the_neighbours_with_gaps() {
        assert_eq!(shown(1, 1), [1]);
        assert_eq!(shown(2, 5), [1, 2, 3, 4, 5]);
        assert_eq!(shown(1, 1000), [1, 2, 3, 0, 1000]);
        assert_eq!(shown(500, 1000), [1, 0, 498, 499, 500, 501, 502, 0, 1000]);
        assert_eq!(shown(5, 9), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
        assert_eq!(shown(1000, 1000), [1, 0, 998, 999, 1000]);
        let p = paginator("g/", 3, 10);
        assert!(p.pages.iter().all(|l| l.gap == (l.number == 0)));
        assert_eq!(p.pages[2].path, "g/page/3/");
    }
}
