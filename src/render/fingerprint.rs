//! Fingerprints: a hash of everything a job's output depends on, so that a rebuild renders
//! only the jobs whose inputs changed.

use std::hash::{Hash, Hasher};

use rustc_hash::FxHasher;

use super::context::pager_path;
use super::jobs::{Job, pages_for};
use super::{RenderCtx, feeds};

/// A fast hasher for fingerprints (not for security).
pub fn hasher() -> FxHasher {
    FxHasher::default()
}

/// The hash of any hashable value.
pub fn hash_of<T: Hash + ?Sized>(v: &T) -> u64 {
    let mut h = hasher();
    v.hash(&mut h);
    h.finish()
}

/// The hash of a value through its JSON form (for serde types without `Hash`).
pub fn hash_json<T: serde::Serialize + ?Sized>(v: &T) -> u64 {
    hash_of(&serde_json::to_string(v).unwrap_or_default())
}

/// Updates a per-page cache after a build: this build's new entries in, entries of pages that
/// are gone out (only checked when the cache holds more entries than there are pages).
pub fn refresh<V>(
    cache: &mut rustc_hash::FxHashMap<String, V>,
    fresh: impl IntoIterator<Item = (String, V)>,
    live: &[&str],
) {
    cache.extend(fresh);
    if cache.len() > live.len() {
        let live: rustc_hash::FxHashSet<&str> = live.iter().copied().collect();
        cache.retain(|k, _| live.contains(k.as_str()));
    }
}

/// Every job's fingerprint: `old`'s (the last build's, by job index) where `again` says the
/// job cannot have changed; 0 in a one-shot build, which compares none.
pub fn all_of(
    c: &RenderCtx<'_>,
    jobs: &[Job],
    old: Option<&[u64]>,
    one_shot: bool,
    again: impl Fn(&Job) -> bool + Sync,
) -> Vec<u64> {
    use rayon::prelude::*;
    jobs.par_iter()
        .enumerate()
        .map(|(k, j)| match old {
            Some(old) if !again(j) => old[k],
            _ if one_shot => 0,
            _ => of(c, j),
        })
        .collect()
}

/// The fingerprint of one job in this build.
pub fn of(c: &RenderCtx<'_>, job: &Job) -> u64 {
    let site = c.site;
    let mut h = hasher();
    c.base_hash.hash(&mut h);
    c.fragments.templates_hash.hash(&mut h);
    std::mem::discriminant(job).hash(&mut h);
    match job {
        Job::Page(i) => {
            let p = &site.pages[*i];
            let tpl = p
                .template
                .as_deref()
                .filter(|t| c.templates.has(t))
                .unwrap_or("page.html");
            c.templates.deps_hash(tpl).hash(&mut h);
            c.rendered[*i].hash.hash(&mut h);
            c.refs[*i].hash.hash(&mut h);
            c.comparisons[*i].hash(&mut h);
            p.faq.hash(&mut h);
            p.aliases.hash(&mut h);
            p.file.hash(&mut h);
            for j in p
                .prev
                .iter()
                .chain(p.next.iter())
                .chain(&p.backlinks)
                .chain(&p.related)
            {
                c.refs[*j].link_hash.hash(&mut h);
            }
            (
                p.backlinks.len(),
                p.related.len(),
                p.prev.is_some(),
                p.next.is_some(),
            )
                .hash(&mut h);
            if let Some(s) = site.sections.iter().find(|s| s.dir == p.section) {
                (&s.title, &s.path, &s.description).hash(&mut h);
            }
        }
        Job::Section { section, page } => {
            let s = &site.sections[*section];
            let is_home = s.dir.is_empty();
            let tpl = s
                .template
                .as_deref()
                .filter(|t| c.templates.has(t))
                .unwrap_or(if is_home {
                    "index.html"
                } else {
                    "section.html"
                });
            c.templates.deps_hash(tpl).hash(&mut h);
            (
                &s.title,
                &s.description,
                &s.path,
                &c.section_html[*section],
                hash_json(&s.extra),
                s.pages.len(),
            )
                .hash(&mut h);
            for &k in &s.subsections {
                let x = &site.sections[k];
                (&x.title, &x.path, &x.description, x.pages.len()).hash(&mut h);
            }
            let per = site.config.paginate.max(1);
            // The home lists the newest articles of the whole site (sorted once per build).
            let list: &[usize] = if is_home { &c.home } else { &s.pages };
            let total = if is_home {
                1
            } else {
                pages_for(list.len(), per)
            };
            (page, total).hash(&mut h);
            for &i in list.iter().skip((page - 1) * per).take(per) {
                c.refs[i].hash.hash(&mut h);
            }
            if is_home {
                for &i in list.iter().filter(|&&i| c.refs[i].roles.len() >= 2).take(6) {
                    c.refs[i].hash.hash(&mut h);
                }
            }
        }
        Job::TaxonomyList(t) => {
            let tax = &site.taxonomies[*t];
            c.templates.deps_hash("taxonomy_list.html").hash(&mut h);
            (&tax.name, &tax.path, &c.taxonomy_html[*t]).hash(&mut h);
            tax.intro
                .as_ref()
                .map(|i| (&i.title, &i.description))
                .hash(&mut h);
            for (k, term) in tax.terms.iter().enumerate() {
                (
                    &term.name,
                    &term.slug,
                    &term.path,
                    term.pages.len(),
                    c.term_html.contains_key(&(*t, k)),
                )
                    .hash(&mut h);
                term.intro
                    .as_ref()
                    .map(|i| (&i.description, hash_json(&i.extra)))
                    .hash(&mut h);
            }
        }
        Job::TaxonomyTerm {
            taxonomy,
            term,
            page,
        } => {
            let tax = &site.taxonomies[*taxonomy];
            let t = &tax.terms[*term];
            c.templates.deps_hash("taxonomy_term.html").hash(&mut h);
            // Role hubs group their articles by section, under the section's title.
            for s in &site.sections {
                (&s.dir, &s.title, &s.path, s.weight).hash(&mut h);
            }
            (&tax.name, &tax.path, tax.intro.as_ref().map(|i| &i.title)).hash(&mut h);
            (
                &t.name,
                &t.slug,
                &t.path,
                t.pages.len(),
                c.term_html.get(&(*taxonomy, *term)),
            )
                .hash(&mut h);
            t.intro
                .as_ref()
                .map(|i| (&i.description, hash_json(&i.extra)))
                .hash(&mut h);
            let per = site.config.paginate.max(1);
            (
                page,
                pages_for(t.pages.len(), per),
                pager_path(&t.path, *page),
            )
                .hash(&mut h);
            for &i in t.pages.iter().skip((page - 1) * per).take(per) {
                c.refs[i].hash.hash(&mut h);
            }
        }
        Job::Alias { page, alias } => {
            let p = &site.pages[*page];
            (&p.aliases[*alias], &p.path, &p.title).hash(&mut h);
        }
        Job::NotFound => c.templates.deps_hash("404.html").hash(&mut h),
        Job::Robots => {}
        Job::Sitemap => {
            // URLs and dates only: a body edit leaves the sitemap alone.
            for p in &site.pages {
                (&p.path, p.updated.or(p.date)).hash(&mut h);
            }
            site.config.paginate.hash(&mut h);
            for s in &site.sections {
                (&s.path, &s.dir, &s.pages).hash(&mut h);
            }
            for t in &site.taxonomies {
                t.path.hash(&mut h);
                for term in &t.terms {
                    (&term.path, &term.pages).hash(&mut h);
                }
            }
        }
        Job::Feed => {
            // What an entry shows (each page's part hashed once, with its view).
            for r in &c.refs {
                r.feed_hash.hash(&mut h);
            }
        }
        Job::SearchIndex => {
            // What the entry point holds: not the body text, which lives in the shards.
            feeds::shard_count(site.pages.len()).hash(&mut h);
            for r in &c.refs {
                r.index_hash.hash(&mut h);
            }
        }
        Job::SearchShard(k) => {
            let shards = feeds::shard_count(site.pages.len());
            (k, shards).hash(&mut h);
            for &i in &c.shards[*k] {
                // The body's hash covers its text (hashing the text itself is slow).
                (&site.pages[i].path, c.rendered[i].hash).hash(&mut h);
            }
        }
        Job::Search => c.templates.deps_hash("search.html").hash(&mut h),
        Job::NoJekyll => {}
        Job::Redirects => {
            for p in &site.pages {
                (&p.path, &p.aliases).hash(&mut h);
            }
        }
    }
    h.finish()
}
