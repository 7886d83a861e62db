//! The link index and resolved `related:` entries, kept between builds: rebuilt only when a
//! page's file, URL, title, slug or front matter changed, never for a body edit.

use std::sync::Arc;

use super::fingerprint;
use crate::diagnostics::Diagnostic;
use crate::model::Site;
use crate::resolve::links::{self, LinkIndex};

/// The link index and the resolved `related:` entries of the last build, with the hash of the
/// pages' files, URLs, titles, slugs and front matter they were made from.
#[derive(Debug)]
pub struct CachedLinks {
    key: u64,
    index: Arc<LinkIndex>,
    explicit: Arc<Vec<Vec<usize>>>,
    diagnostics: Vec<Diagnostic>,
}

/// Builds the link index and resolves `related:` entries, or reuses the last build's when no
/// page's file, URL, title, slug or front matter changed (a body edit; `same_site` when the
/// caller knows it). Also returns the key they were made from, which keys the answers of cached
/// bodies' lookups too.
pub(super) fn link_index(
    site: &Site,
    cache: &mut Option<CachedLinks>,
    same_site: bool,
    diags: &mut Vec<Diagnostic>,
) -> (Arc<LinkIndex>, u64, Arc<Vec<Vec<usize>>>) {
    use std::hash::{Hash, Hasher};
    // Only bodies changed: the pages' files, URLs, titles and front matter are the same.
    if let Some(c) = cache.as_ref().filter(|_| same_site) {
        diags.extend(c.diagnostics.iter().cloned());
        return (c.index.clone(), c.key, c.explicit.clone());
    }
    let mut h = fingerprint::hasher();
    for p in &site.pages {
        (&p.file, &p.path, &p.title, &p.slug, p.meta_hash).hash(&mut h);
    }
    for s in &site.sections {
        (&s.dir, &s.path).hash(&mut h);
    }
    let mut failed: Vec<&String> = site.failed.iter().collect();
    failed.sort();
    (failed, &site.config.base_path, site.config.relative_urls).hash(&mut h);
    let key = h.finish();
    if let Some(c) = cache.as_ref().filter(|c| c.key == key) {
        diags.extend(c.diagnostics.iter().cloned());
        return (c.index.clone(), key, c.explicit.clone());
    }
    let index = Arc::new(LinkIndex::build(site));
    let (explicit, found) = links::explicit_related(site, &index);
    let explicit = Arc::new(explicit);
    diags.extend(found.iter().cloned());
    *cache = Some(CachedLinks {
        key,
        index: index.clone(),
        explicit: explicit.clone(),
        diagnostics: found,
    });
    (index, key, explicit)
}
