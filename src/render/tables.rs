//! The comparison-table step: each page's "at a glance" table and its warnings, reusing the
//! last build's table of a page whose body and columns did not change.

use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;

use super::bodies::Touched;
use super::markdown::Rendered;
use super::{compare, context, fingerprint};
use crate::diagnostics::Diagnostic;
use crate::model::{Page, Site};
use crate::urls::Urls;

/// A page's comparison table as the last build made it.
#[derive(Debug, Clone)]
pub struct CachedTable {
    key: u64,
    html: String,
    warnings: Vec<Diagnostic>,
}

/// Every page's table HTML and warnings, by page index.
#[derive(Debug, Default)]
pub struct Tables {
    pub html: Vec<String>,
    pub warnings: Vec<Vec<Diagnostic>>,
}

/// The comparison table of every page, with a warning for each forced section lacking a
/// bullet. A page whose body and columns did not change keeps its table from `cache`; with
/// `prior` (the last build's tables), only `touched` pages are looked at.
pub fn comparisons(
    site: &Site,
    rendered: &[Arc<Rendered>],
    cache: &mut HashMap<String, CachedTable>,
    touched: &Touched,
    prior: Option<Tables>,
) -> Tables {
    let n = site.pages.len();
    let (mut out, todo): (Tables, Vec<usize>) = match prior {
        Some(t) if touched.pages.is_some() && t.html.len() == n => {
            (t, (0..n).filter(|&i| touched.has(i)).collect())
        }
        _ => (Tables::default(), (0..n).collect()),
    };
    let urls = Urls::new(&site.config);
    let per_page: Vec<(bool, CachedTable)> = todo
        .par_iter()
        .map(|&i| table(site, &urls, &site.pages[i], &rendered[i], cache))
        .collect();
    let mut fresh = Vec::new();
    let patch = out.html.len() == n;
    for (&i, (new, t)) in todo.iter().zip(per_page) {
        let p = &site.pages[i];
        if patch {
            out.html[i].clone_from(&t.html);
            out.warnings[i].clone_from(&t.warnings);
        } else {
            out.html.push(t.html.clone());
            out.warnings.push(t.warnings.clone());
        }
        if new {
            fresh.push((p.file.clone(), t));
        }
    }
    if !patch {
        let live: Vec<&str> = site.pages.iter().map(|p| p.file.as_str()).collect();
        fingerprint::refresh(cache, fresh, &live);
    } else {
        cache.extend(fresh);
    }
    out
}

/// One page's table (`true`: made now, not taken from `cache`).
fn table(
    site: &Site,
    urls: &Urls,
    p: &Page,
    r: &Rendered,
    cache: &HashMap<String, CachedTable>,
) -> (bool, CachedTable) {
    let (columns, forced) = comparison_columns(site, urls, p);
    // The body's own hash too: warnings point at lines of the source.
    let key = fingerprint::hash_of(&(r.hash, p.body_hash, &columns, forced, &p.file, p.body_line));
    if let Some(hit) = cache.get(&p.file).filter(|c| c.key == key) {
        return (false, hit.clone());
    }
    let (html, missing) = compare::table(&r.sections, &columns, forced);
    let mut warnings = Vec::new();
    if !missing.is_empty() {
        for m in missing {
            warnings.push(
                Diagnostic::warning(format!(
                    "section {:?} has no bullet for {}",
                    m.section, m.role
                ))
                .in_file(&p.file)
                .at(m.line + p.body_line - 1, 1)
                .help(format!(
                    "add a bullet starting \"The {} …\", or remove the role from `compare:`",
                    m.role
                )),
            );
        }
    }
    (
        true,
        CachedTable {
            key,
            html,
            warnings,
        },
    )
}

/// The columns of a page's comparison table: its `compare:` roles (forced), else its `roles`,
/// named after their hubs.
fn comparison_columns(site: &Site, urls: &Urls, p: &Page) -> (Vec<compare::Column>, bool) {
    let forced = !p.compare.is_empty();
    if !compare::may_compare(p) {
        return (Vec::new(), forced);
    }
    let slugs: Vec<String> = if forced {
        p.compare.iter().map(|s| crate::slug::slugify(s)).collect()
    } else {
        p.taxonomies.get("roles").cloned().unwrap_or_default()
    };
    let has_hubs = site.taxonomies.iter().any(|t| t.name == "roles");
    let columns = slugs
        .iter()
        .map(|s| {
            let t = context::term_ref(site, "roles", s);
            compare::Column {
                slug: s.clone(),
                name: t.name,
                href: has_hubs.then(|| urls.href(&p.path, &t.path)),
            }
        })
        .collect();
    (columns, forced)
}
