//! Render stage: Markdown bodies first (links resolved, cards drawn), then every output file
//! as an enumerable `Job` rendered in parallel through the templates.

pub mod base;
pub mod bodies;
pub mod compare;
pub mod context;
pub mod delta;
pub mod escape;
pub mod extract;
pub mod feeds;
pub mod filters;
pub mod fingerprint;
pub mod fragments;
pub mod highlight;
pub mod jobs;
pub mod line_index;
mod link_cache;
pub mod markdown;
mod release;
pub mod search_text;
pub mod structured;
pub mod tables;
pub mod templates;
pub mod views;

use rustc_hash::FxHashMap as HashMap;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use tera::Context;

use crate::diagnostics::Diagnostic;
use crate::model::{Asset, Site};
use crate::urls::Urls;
use context::{PageRef, page_refs};
use link_cache::{CachedLinks, link_index};
use markdown::Rendered;
use templates::Templates;

pub use delta::Changes;
pub use jobs::Job;

/// One file of the built site, relative to the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Everything a build writes.
#[derive(Debug, Default)]
pub struct RenderedSite {
    /// The files rendered by this build (all of them, unless a cache made some unnecessary).
    pub files: Vec<OutputFile>,
    /// Every output path the site has now, rendered this time or not, sorted (the same `Arc`
    /// as the last build's when the site's outputs are the same).
    pub paths: Arc<Vec<String>>,
    pub assets: Vec<Asset>,
    pub diagnostics: Vec<Diagnostic>,
    pub stats: RenderStats,
}

/// How much work a build did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct RenderStats {
    /// Markdown bodies rendered (not reused).
    pub bodies: usize,
    /// Jobs rendered through templates (not skipped as unchanged).
    pub jobs: usize,
    /// Jobs in the site.
    pub total_jobs: usize,
    /// Time spent in each step, in order (`build -v` prints them).
    pub timings: Vec<(&'static str, std::time::Duration)>,
}

/// What a build remembers for the next one (watch and serve keep it).
#[derive(Debug, Default)]
pub struct RenderCache {
    bodies: bodies::BodyCache,
    graph: crate::resolve::related::GraphCache,
    values: context::ValueCache,
    refs: context::RefCache,
    tables: HashMap<String, tables::CachedTable>,
    links: Option<CachedLinks>,
    /// The last build's results by index, for a build told which bodies changed.
    last: Option<delta::Last>,
    /// Fingerprint of each job, by output path.
    jobs: HashMap<String, u64>,
    /// Set for a build nothing follows (`rolebook build`): the related graph, the views and the
    /// job fingerprints are not kept (nor, for the jobs, computed), the bodies' and tables'
    /// caches are emptied after their step, and what later steps no longer read is let go
    /// (see `release`).
    forget: bool,
}

impl RenderCache {
    /// The cache of a single build: remembers nothing, so the build holds less memory.
    pub fn one_shot() -> RenderCache {
        RenderCache {
            forget: true,
            ..RenderCache::default()
        }
    }

    pub fn is_one_shot(&self) -> bool {
        self.forget
    }
}

/// The state shared by every job of one build.
pub struct RenderCtx<'a> {
    pub site: &'a Site,
    pub templates: &'a Templates,
    pub urls: Urls,
    pub refs: Vec<Arc<PageRef>>,
    /// The pages of each search shard.
    pub shards: Vec<Vec<usize>>,
    /// Every page, newest first: what the home page lists.
    pub home: Vec<usize>,
    /// `refs` as template values.
    pub values: context::PageValues,
    pub rendered: Vec<Arc<Rendered>>,
    /// "At a glance" table HTML per page (empty for ordinary articles).
    pub comparisons: Vec<String>,
    /// Rendered `_index.md` bodies, by section index.
    pub section_html: Vec<String>,
    /// Each section as its articles' pages see it (`section`: title, path, description).
    pub section_values: Vec<tera::Value>,
    /// Rendered term introductions: (taxonomy index, term index) → HTML; taxonomy intros.
    pub term_html: HashMap<(usize, usize), String>,
    pub taxonomy_html: Vec<String>,
    pub base: Context,
    /// Hash of `base`, part of every job's fingerprint.
    pub base_hash: u64,
    /// Header, footer and cards, rendered once and shared by the jobs that show them.
    pub fragments: fragments::Fragments,
}

/// Where rendered files go as soon as a job has made them (the build's staging folder), instead
/// of being kept in [`RenderedSite::files`].
pub type Sink<'a> = dyn Fn(&OutputFile) -> Result<(), Diagnostic> + Sync + 'a;

/// Renders every job of the site. `site` gains backlinks and related pages.
pub fn render_site(site: &mut Site, templates: &Templates, root: &Path) -> RenderedSite {
    let mut cache = RenderCache::default();
    render_site_cached(
        site,
        templates,
        root,
        &mut cache,
        None,
        &Changes::Unknown,
        true,
    )
}

/// Renders the jobs whose inputs changed since the build that filled `cache`, into `sink` if
/// given, else into the returned `files`. `changes` says what changed since that build, when
/// the caller knows. `publishable`: no earlier stage failed, so the files will be written if
/// rendering succeeds; only then does `cache` take this build as the one the next compares
/// with.
pub fn render_site_cached(
    site: &mut Site,
    templates: &Templates,
    root: &Path,
    cache: &mut RenderCache,
    sink: Option<&Sink<'_>>,
    changes: &Changes,
    publishable: bool,
) -> RenderedSite {
    let mut out = RenderedSite::default();
    let mut clock = Clock::new();
    // Told that only bodies changed, the build patches the last one's results; else (or with
    // nothing kept) it looks at every page and job.
    let mut last = match changes {
        Changes::Bodies(_) if !cache.forget => cache.last.take(),
        _ => None,
    }
    .filter(|l| l.bodies.rendered.len() == site.pages.len());
    cache.last = None;
    let changed: &[usize] = match changes {
        Changes::Bodies(c) if last.is_some() => c,
        _ => &[],
    };
    let (index, index_key, explicit) =
        link_index(site, &mut cache.links, last.is_some(), &mut out.diagnostics);
    clock.lap(&mut out.stats, "link index");
    let prior = last.as_mut().map(|l| bodies::Prior {
        bodies: std::mem::take(&mut l.bodies),
        changed,
    });
    let (mut b, touched) = bodies::render_pages(
        site,
        templates,
        root,
        &index,
        index_key,
        &mut cache.bodies,
        prior,
        cache.forget,
    );
    if cache.forget {
        cache.bodies.clear();
    }
    clock.lap(&mut out.stats, "markdown");
    out.diagnostics
        .extend(b.diagnostics.iter().flatten().cloned());
    out.assets.extend(b.assets.iter().flatten().cloned());
    out.stats.bodies = b.rendered_count;
    let mut rendered = std::mem::take(&mut b.rendered);
    let site_ro: &Site = site;
    // A one-shot build writes the search shards at once: nothing after them reads the bodies'
    // search text, which is then freed before the views are built (at 100,000 guides, 680 MB
    // that the rest of the build no longer holds at its peak).
    let mut early = cache.forget.then(|| {
        let members = feeds::shard_members(site_ro);
        let urls = Urls::new(&site_ro.config);
        let written = run_files(
            (0..members.len()).into_par_iter(),
            |k| Ok(vec![feeds::shard(site_ro, &urls, &members, k, &rendered)]),
            sink,
        );
        release::after_shards(&mut rendered);
        (members, written)
    });
    if early.is_some() {
        clock.lap(&mut out.stats, "search shards");
    }

    let env = bodies::Env {
        site: site_ro,
        templates,
        root,
        index: &index,
    };
    let intro_html = bodies::render_intros(&env, &mut out.diagnostics);
    // Listings show the introductions: when one changed (a card in it), they are all looked at.
    let intros_changed = last.as_ref().is_none_or(|l| l.intros != intro_html);
    let (section_html, term_html, taxonomy_html) = intro_html;
    let prior_tables = last.as_mut().map(|l| std::mem::take(&mut l.tables));
    let mut tables = tables::comparisons(
        site_ro,
        &rendered,
        &mut cache.tables,
        &touched,
        prior_tables,
    );
    out.diagnostics
        .extend(tables.warnings.iter().flatten().cloned());
    let comparisons = std::mem::take(&mut tables.html);
    if cache.forget {
        release::after_tables(&mut rendered, std::mem::take(&mut cache.tables));
    }
    clock.lap(&mut out.stats, "intros+tables");
    // A body edit that keeps every link keeps the graph the last build left in `site`.
    let graph_changed = touched.links;
    if cache.forget {
        crate::resolve::related::fill_graph(site, &b.outgoing, &explicit);
    } else if graph_changed {
        crate::resolve::related::fill_graph_cached(site, &b.outgoing, &explicit, &mut cache.graph);
    }
    clock.lap(&mut out.stats, "related");
    let site: &Site = site;
    let keep = !cache.forget;
    let prior_refs = last.as_mut().map(|l| std::mem::take(&mut l.refs));
    let refs = page_refs(
        site,
        &rendered,
        keep.then_some(&mut cache.refs),
        &touched,
        prior_refs,
    );
    if cache.forget {
        release::after_views(&mut rendered);
    }
    let prior_values = last.as_mut().map(|l| std::mem::take(&mut l.values));
    let values = context::PageValues::of(
        &refs,
        keep.then_some(&mut cache.values),
        &touched,
        prior_values,
    );
    // What depends on the site's structure only comes from the last build when it has one.
    let (shards, home, section_values, base, base_hash) = match last.as_mut() {
        Some(l) => (
            std::mem::take(&mut l.shards),
            std::mem::take(&mut l.home),
            std::mem::take(&mut l.section_values),
            std::mem::take(&mut l.base),
            l.base_hash,
        ),
        None => {
            let (base, base_hash) = base::base_context(site);
            (
                match &mut early {
                    Some((members, _)) => std::mem::take(members),
                    None => feeds::shard_members(site),
                },
                jobs::home_pages(site),
                base::section_values(site),
                base,
                base_hash,
            )
        }
    };
    let ctx = RenderCtx {
        site,
        templates,
        urls: Urls::new(&site.config),
        values,
        shards,
        home,
        refs,
        rendered,
        comparisons,
        section_html,
        section_values,
        term_html,
        taxonomy_html,
        base,
        base_hash,
        fragments: fragments::Fragments::new(site, templates),
    };
    // The last build had none (it is kept only without errors), and nothing they read changed.
    if last.is_none() {
        out.diagnostics.extend(templates.check_names(ctx.site));
    }
    clock.lap(&mut out.stats, "views");
    let (all, mut job_paths, old_prints) = match last.as_mut() {
        Some(l) => (
            std::mem::take(&mut l.jobs),
            std::mem::take(&mut l.job_paths),
            Some(std::mem::take(&mut l.prints)),
        ),
        None => {
            let all = jobs::all_jobs(site);
            let paths = all.par_iter().map(|j| jobs::output_path(site, j)).collect();
            (all, paths, None)
        }
    };
    out.stats.total_jobs = all.len();
    // A one-shot build renders every job: no fingerprints to compare. A body edit
    // fingerprints again only the jobs that may read a touched page.
    let again = |j: &Job| match &touched.pages {
        Some(t) if !graph_changed && !intros_changed => delta::reads_touched(&ctx, j, t),
        _ => true,
    };
    let prints = fingerprint::all_of(&ctx, &all, old_prints.as_deref(), cache.forget, again);
    let todo: Vec<&Job> = all
        .iter()
        .enumerate()
        .filter(|&(k, _)| match &old_prints {
            Some(old) => old[k] != prints[k],
            None => cache.forget || cache.jobs.get(&job_paths[k]) != Some(&prints[k]),
        })
        .map(|(_, j)| j)
        .collect();
    out.stats.jobs = todo.len();
    clock.lap(&mut out.stats, "fingerprints");
    // The search shards go first (unless written already): after them no job reads the
    // bodies' search text.
    let (shards, mut rest): (Vec<&Job>, Vec<&Job>) = todo
        .into_iter()
        .filter(|j| early.is_none() || !matches!(j, Job::SearchShard(_)))
        .partition(|j| matches!(j, Job::SearchShard(_)));
    // The jobs that read every page start first, so no core waits for one of them at the end.
    rest.sort_by_key(|j| !matches!(j, Job::SearchIndex | Job::Feed | Job::Sitemap));
    let mut results = early.map(|(_, written)| written).unwrap_or_default();
    results.extend(run_jobs(&ctx, &shards, sink));
    results.extend(run_jobs(&ctx, &rest, sink));
    let mut failed = false;
    for r in results {
        match r {
            Ok(files) => out.files.extend(files),
            Err(d) => {
                failed = true;
                out.diagnostics.push(d);
            }
        }
    }
    clock.lap(&mut out.stats, "templates");
    out.paths = match last.as_mut() {
        Some(l) => std::mem::take(&mut l.paths),
        None => {
            let mut paths = match cache.forget {
                true => std::mem::take(&mut job_paths),
                false => job_paths.clone(),
            };
            paths.sort();
            Arc::new(paths)
        }
    };
    if cache.forget {
        release::at_end(ctx);
    } else if publishable && !failed && !out.diagnostics.iter().any(Diagnostic::is_error) {
        match &old_prints {
            Some(old) => {
                for (k, (new, was)) in prints.iter().zip(old).enumerate() {
                    if new != was {
                        cache.jobs.insert(job_paths[k].clone(), *new);
                    }
                }
            }
            None => {
                cache.jobs = job_paths
                    .iter()
                    .cloned()
                    .zip(prints.iter().copied())
                    .collect()
            }
        }
        let mut kept = delta::Last {
            tables,
            jobs: all,
            job_paths,
            prints,
            paths: out.paths.clone(),
            ..delta::Last::default()
        };
        kept.keep(ctx, &mut b.rendered);
        kept.bodies = b;
        cache.last = Some(kept);
    }
    out.files.sort_by(|a, b| a.path.cmp(&b.path));
    out.assets.sort();
    out.assets.dedup_by(|a, b| a.dest == b.dest);
    out
}

/// Runs `jobs` in parallel, handing their files to `sink` if given, else returning them.
fn run_jobs(
    ctx: &RenderCtx<'_>,
    jobs: &[&Job],
    sink: Option<&Sink<'_>>,
) -> Vec<Result<Vec<OutputFile>, Diagnostic>> {
    run_files(jobs.par_iter(), |j| jobs::run(ctx, j), sink)
}

/// Makes the files of each item of `items` in parallel, handing them to `sink` if given, else
/// returning them.
fn run_files<I: IndexedParallelIterator>(
    items: I,
    make: impl Fn(I::Item) -> Result<Vec<OutputFile>, Diagnostic> + Sync + Send,
    sink: Option<&Sink<'_>>,
) -> Vec<Result<Vec<OutputFile>, Diagnostic>> {
    items
        .map(|item| {
            let files = make(item)?;
            match sink {
                Some(write) => files.iter().try_for_each(write).map(|()| Vec::new()),
                // Kept in memory (serve): no spare capacity (see `render_sized`).
                None => Ok(files
                    .into_iter()
                    .map(|mut f| {
                        f.bytes.shrink_to_fit();
                        f
                    })
                    .collect()),
            }
        })
        .collect()
}

/// Measures the steps of a build one after another.
struct Clock(std::time::Instant);

impl Clock {
    fn new() -> Clock {
        Clock(std::time::Instant::now())
    }

    fn lap(&mut self, stats: &mut RenderStats, step: &'static str) {
        let now = std::time::Instant::now();
        stats.timings.push((step, now - self.0));
        self.0 = now;
    }
}
