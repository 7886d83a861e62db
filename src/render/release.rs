//! What a one-shot build (`rolebook build`) lets go of, and when: each thing is freed as soon as
//! no later step reads it, which keeps a 10,000-guide build's peak memory down by a third.

use std::sync::Arc;

use super::RenderCtx;
use super::markdown::Rendered;

/// After the comparison tables: the bullet lists the tables were made from (not shared, since
/// nothing was cached), with `rest` (the emptied tables cache). They are tens of thousands of
/// small frees at 10,000 guides: a thread does them meanwhile. (The Markdown sources are gone
/// already: the Markdown pass frees each once its page is rendered.)
pub fn after_tables(rendered: &mut [Arc<Rendered>], rest: impl Send + 'static) {
    let bullets: Vec<_> = rendered
        .iter_mut()
        .filter_map(Arc::get_mut)
        .map(|r| std::mem::take(&mut r.sections))
        .collect();
    std::thread::spawn(move || drop((bullets, rest)));
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
