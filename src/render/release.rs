//! What a one-shot build (`rolebook build`) lets go of, and when: each thing is freed as soon as
//! no later step reads it, which keeps a 10,000-guide build's peak memory down by a third.

use std::sync::Arc;

use super::RenderCtx;
use super::markdown::Rendered;
use crate::model::Site;

/// After the comparison tables: the Markdown sources and the bullet lists the tables were made
/// from (not shared, since nothing was cached), with `rest` (the emptied tables cache). They
/// are a hundred thousand small frees at 10,000 guides: a thread does them meanwhile.
pub fn after_tables(site: &mut Site, rendered: &mut [Arc<Rendered>], rest: impl Send + 'static) {
    let empty: Arc<str> = Arc::from("");
    let sources: Vec<Arc<str>> = site
        .pages
        .iter_mut()
        .map(|p| std::mem::replace(&mut p.body, empty.clone()))
        .collect();
    let bullets: Vec<_> = rendered
        .iter_mut()
        .filter_map(Arc::get_mut)
        .map(|r| std::mem::take(&mut r.sections))
        .collect();
    std::thread::spawn(move || drop((sources, bullets, rest)));
}

/// After the listing views: the summaries, which the views now hold.
pub fn after_views(rendered: &mut [Arc<Rendered>]) {
    for r in rendered.iter_mut().filter_map(Arc::get_mut) {
        r.summary = String::new();
        r.summary_text = String::new();
    }
}

/// After the search shards: the bodies' search text.
pub fn after_shards(rendered: &mut [Arc<Rendered>]) {
    for r in rendered.iter_mut().filter_map(Arc::get_mut) {
        r.text = String::new();
    }
}

/// After the last job: every page's views, bodies and tables, a few hundred milliseconds of
/// frees at 10,000 guides, which a thread does while the output is swapped in.
pub fn at_end(ctx: RenderCtx<'_>) {
    let RenderCtx {
        refs,
        values,
        rendered,
        comparisons,
        section_html,
        section_values,
        term_html,
        taxonomy_html,
        shards,
        home,
        base,
        fragments,
        ..
    } = ctx;
    let owned = (
        refs,
        values,
        rendered,
        comparisons,
        (section_html, section_values, term_html, taxonomy_html),
        (shards, home, base, fragments),
    );
    std::thread::spawn(move || drop(owned));
}
