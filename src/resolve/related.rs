//! The link graph: backlinks, and related pages scored through inverted indexes (role → pages,
//! tag → pages, links), never by comparing every pair of pages.

use rayon::prelude::*;

use crate::model::Site;

/// Points for what two pages share.
const ROLE: u32 = 3;
const TERM: u32 = 1;
const LINK: u32 = 2;
/// Related pages per page (explicit `related:` entries may make more).
const MAX: usize = 5;
/// A term shared by more pages than this scores only for the `WINDOW` pages nearest to the
/// page in the term's listing (its neighbours in time): without it, a role held by a quarter of
/// 100,000 articles would make scoring quadratic.
const WINDOW: usize = 500;

/// The link graph of the last build, kept by watch and serve.
#[derive(Debug, Default)]
pub struct GraphCache {
    key: u64,
    graph: Vec<(Vec<usize>, Vec<usize>)>,
}

/// Fills `backlinks` and `related`, reusing `cache` when no page's URL, taxonomies, links or
/// `related:` entries and no term listing's order changed (a body edit that keeps its links).
pub fn fill_graph_cached(
    site: &mut Site,
    outgoing: &[Vec<usize>],
    explicit: &[Vec<usize>],
    cache: &mut GraphCache,
) {
    use std::hash::{Hash, Hasher};
    let mut h = crate::render::fingerprint::hasher();
    for p in &site.pages {
        (&p.path, &p.taxonomies).hash(&mut h);
    }
    // The order of each term's listing: big terms score over a window of it.
    for t in &site.taxonomies {
        for term in &t.terms {
            term.pages.hash(&mut h);
        }
    }
    (outgoing, explicit).hash(&mut h);
    let key = h.finish();
    if cache.key != key || cache.graph.len() != site.pages.len() {
        fill_graph(site, outgoing, explicit);
        cache.key = key;
        cache.graph = site
            .pages
            .iter()
            .map(|p| (p.backlinks.clone(), p.related.clone()))
            .collect();
        return;
    }
    for (p, (b, r)) in site.pages.iter_mut().zip(&cache.graph) {
        p.backlinks.clone_from(b);
        p.related.clone_from(r);
    }
}

/// Fills `backlinks` and `related`. `outgoing[i]` lists (sorted, without repeats) the pages
/// page `i` links to; `explicit[i]` its resolved `related:` entries.
pub fn fill_graph(site: &mut Site, outgoing: &[Vec<usize>], explicit: &[Vec<usize>]) {
    let n = site.pages.len();
    let mut back: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (from, targets) in outgoing.iter().enumerate() {
        for &t in targets {
            if t != from && t < n {
                back[t].push(from);
            }
        }
    }
    // Ties go to the page whose URL sorts first: compare ranks, not strings.
    let mut by_path: Vec<usize> = (0..n).collect();
    by_path.sort_by(|&a, &b| site.pages[a].path.cmp(&site.pages[b].path));
    let mut rank = vec![0u32; n];
    for (r, &i) in by_path.iter().enumerate() {
        rank[i] = r as u32;
    }
    // Where each page stands in each big term's listing.
    let mut positions: Vec<Vec<(usize, usize, usize)>> = vec![Vec::new(); n];
    for (t, tax) in site.taxonomies.iter().enumerate() {
        for (k, term) in tax.terms.iter().enumerate() {
            if term.pages.len() > WINDOW {
                for (at, &j) in term.pages.iter().enumerate() {
                    if j < n {
                        positions[j].push((t, k, at));
                    }
                }
            }
        }
    }
    let site_ro: &Site = site;
    let graph = Graph {
        outgoing,
        back: &back,
        explicit,
        rank: &rank,
        positions: &positions,
    };
    let related: Vec<Vec<usize>> = (0..n)
        .into_par_iter()
        .map_init(
            || Scores {
                score: vec![0; n],
                touched: Vec::new(),
            },
            |sc, i| related_of(site_ro, i, &graph, sc),
        )
        .collect();
    for ((p, b), r) in site.pages.iter_mut().zip(back).zip(related) {
        p.backlinks = b;
        p.related = r;
    }
}

/// A score per page, reset after each use (only the touched entries).
struct Scores {
    score: Vec<u32>,
    touched: Vec<usize>,
}

impl Scores {
    fn add(&mut self, j: usize, points: u32) {
        if self.score[j] == 0 {
            self.touched.push(j);
        }
        self.score[j] += points;
    }
}

/// What scoring reads besides the site.
struct Graph<'a> {
    outgoing: &'a [Vec<usize>],
    back: &'a [Vec<usize>],
    explicit: &'a [Vec<usize>],
    rank: &'a [u32],
    /// Per page: (taxonomy, term, position) in each term listing longer than `WINDOW`.
    positions: &'a [Vec<(usize, usize, usize)>],
}

fn related_of(site: &Site, i: usize, g: &Graph<'_>, sc: &mut Scores) -> Vec<usize> {
    let (outgoing, back, explicit, rank) = (g.outgoing, g.back, g.explicit, g.rank);
    let page = &site.pages[i];
    for (tax, terms) in &page.taxonomies {
        let Some(t) = site.taxonomies.iter().position(|t| &t.name == tax) else {
            continue;
        };
        let taxonomy = &site.taxonomies[t];
        let points = if tax == "roles" { ROLE } else { TERM };
        for term in terms {
            let Ok(k) = taxonomy
                .terms
                .binary_search_by(|t| t.slug.as_str().cmp(term))
            else {
                continue;
            };
            let pages = &taxonomy.terms[k].pages;
            let window = if pages.len() > WINDOW {
                let at = g.positions[i]
                    .iter()
                    .find(|&&(a, b, _)| (a, b) == (t, k))
                    .map_or(0, |&(_, _, at)| at);
                let start = at.saturating_sub(WINDOW / 2).min(pages.len() - WINDOW);
                &pages[start..start + WINDOW]
            } else {
                &pages[..]
            };
            for &j in window {
                sc.add(j, points);
            }
        }
    }
    for &j in outgoing.get(i).into_iter().flatten().chain(back[i].iter()) {
        sc.add(j, LINK);
    }
    let mut list: Vec<usize> = Vec::new();
    for &j in explicit.get(i).into_iter().flatten() {
        if j != i && !list.contains(&j) {
            list.push(j);
        }
    }
    let want = MAX.saturating_sub(list.len());
    // One pass keeping the best `want` (highest score, then lowest rank) in a short sorted
    // list: most candidates lose to its last entry at once.
    let mut best: Vec<(u32, u32, usize)> = Vec::with_capacity(want + 1);
    if want > 0 {
        for &j in &sc.touched {
            let key = (u32::MAX - sc.score[j], rank[j], j);
            if best.len() == want && key >= best[want - 1] {
                continue;
            }
            if j == i || list.contains(&j) {
                continue;
            }
            let at = best.partition_point(|b| *b < key);
            best.insert(at, key);
            best.truncate(want);
        }
    }
    list.extend(best.into_iter().map(|(_, _, j)| j));
    for &j in &sc.touched {
        sc.score[j] = 0;
    }
    sc.touched.clear();
    list
}
