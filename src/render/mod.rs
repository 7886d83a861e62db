//! Render stage: Markdown bodies first (links resolved, cards drawn), then every output file
//! as an enumerable `Job` rendered in parallel through the templates.

pub mod bodies;
pub mod compare;
pub mod context;
pub mod escape;
pub mod extract;
pub mod feeds;
pub mod fingerprint;
pub mod highlight;
pub mod jobs;
pub mod markdown;
mod release;
pub mod structured;
pub mod templates;

use rustc_hash::FxHashMap as HashMap;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use tera::Context;

use crate::diagnostics::Diagnostic;
use crate::model::{Asset, Site};
use crate::resolve::links::{self, LinkIndex};
use crate::urls::Urls;
use context::{PageRef, page_refs};
use markdown::Rendered;
use templates::Templates;

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
    /// Every output path the site has now, rendered this time or not.
    pub paths: Vec<String>,
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
    tables: HashMap<String, CachedTable>,
    links: Option<CachedLinks>,
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
}

/// Where rendered files go as soon as a job has made them (the build's staging folder), instead
/// of being kept in [`RenderedSite::files`].
pub type Sink<'a> = dyn Fn(&OutputFile) -> Result<(), Diagnostic> + Sync + 'a;

/// Renders every job of the site. `site` gains backlinks and related pages.
pub fn render_site(site: &mut Site, templates: &Templates, root: &Path) -> RenderedSite {
    render_site_cached(site, templates, root, &mut RenderCache::default(), None)
}

/// Renders the jobs whose inputs changed since the build that filled `cache`, into `sink` if
/// given, else into the returned `files`.
pub fn render_site_cached(
    site: &mut Site,
    templates: &Templates,
    root: &Path,
    cache: &mut RenderCache,
    sink: Option<&Sink<'_>>,
) -> RenderedSite {
    let mut out = RenderedSite::default();
    let mut clock = Clock::new();
    let (index, index_key, explicit) = link_index(site, &mut cache.links, &mut out.diagnostics);
    clock.lap(&mut out.stats, "link index");
    let b = bodies::render_pages(site, templates, root, &index, index_key, &mut cache.bodies);
    if cache.forget {
        cache.bodies.clear();
    }
    clock.lap(&mut out.stats, "markdown");
    out.diagnostics.extend(b.diagnostics);
    out.assets.extend(b.assets);
    out.stats.bodies = b.rendered_count;
    let mut rendered = b.rendered;
    let site_ro: &Site = site;

    // Section and term introductions are Markdown too, with the same link rules.
    let mut intro_diags = Vec::new();
    let env = bodies::Env {
        site: site_ro,
        templates,
        root,
        index: &index,
    };
    let mut intro = |file: &str, body: &str, body_line: usize, from: &str| {
        bodies::render_intro(
            &env,
            &bodies::IntroSource {
                file,
                body,
                body_line,
                from,
            },
            &mut intro_diags,
        )
    };
    let section_html: Vec<String> = site_ro
        .sections
        .iter()
        .map(|s| match &s.file {
            Some(f) => intro(f, &s.body, s.body_line, &s.path),
            None => String::new(),
        })
        .collect();
    let mut term_html = HashMap::default();
    let mut taxonomy_html = Vec::new();
    for (ti, t) in site_ro.taxonomies.iter().enumerate() {
        for (k, term) in t.terms.iter().enumerate() {
            if let Some(i) = &term.intro {
                term_html.insert((ti, k), intro(&i.file, &i.body, i.body_line, &term.path));
            }
        }
        taxonomy_html.push(
            t.intro
                .as_ref()
                .map(|i| intro(&i.file, &i.body, i.body_line, &t.path))
                .unwrap_or_default(),
        );
    }
    out.diagnostics.extend(intro_diags);

    let comparisons = comparisons(site_ro, &rendered, &mut out.diagnostics, &mut cache.tables);
    if cache.forget {
        release::after_tables(site, &mut rendered, std::mem::take(&mut cache.tables));
    }
    clock.lap(&mut out.stats, "intros+tables");
    if cache.forget {
        crate::resolve::related::fill_graph(site, &b.outgoing, &explicit);
    } else {
        crate::resolve::related::fill_graph_cached(site, &b.outgoing, &explicit, &mut cache.graph);
    }
    clock.lap(&mut out.stats, "related");
    let site: &Site = site;
    let keep = !cache.forget;
    let refs = page_refs(site, &rendered, keep.then_some(&mut cache.refs));
    if cache.forget {
        release::after_views(&mut rendered);
    }
    let (base, base_hash) = jobs::base_context(site);
    let mut ctx = RenderCtx {
        site,
        templates,
        urls: Urls::new(&site.config),
        values: context::PageValues::of(&refs, keep.then_some(&mut cache.values)),
        shards: feeds::shard_members(site),
        home: jobs::home_pages(site),
        refs,
        rendered,
        comparisons,
        section_html,
        section_values: jobs::section_values(site),
        term_html,
        taxonomy_html,
        base,
        base_hash,
    };
    out.diagnostics.extend(check_templates(&ctx));
    clock.lap(&mut out.stats, "views");
    let all = jobs::all_jobs(site);
    out.stats.total_jobs = all.len();
    // A one-shot build renders every job: no fingerprints to compare.
    let prints: Vec<(String, u64)> = all
        .par_iter()
        .map(|j| {
            let print = if cache.forget {
                0
            } else {
                fingerprint::of(&ctx, j)
            };
            (jobs::output_path(site, j), print)
        })
        .collect();
    let todo: Vec<&Job> = all
        .iter()
        .zip(&prints)
        .filter(|(_, (path, f))| cache.forget || cache.jobs.get(path) != Some(f))
        .map(|(j, _)| j)
        .collect();
    out.stats.jobs = todo.len();
    clock.lap(&mut out.stats, "fingerprints");
    // The search shards go first: after them no job reads the bodies' search text.
    let (shards, mut rest): (Vec<&Job>, Vec<&Job>) = todo
        .into_iter()
        .partition(|j| matches!(j, Job::SearchShard(_)));
    // The jobs that read every page start first, so no core waits for one of them at the end.
    rest.sort_by_key(|j| !matches!(j, Job::SearchIndex | Job::Feed | Job::Sitemap));
    let mut results = run_jobs(&ctx, &shards, sink);
    if cache.forget {
        release::after_shards(&mut ctx.rendered);
    }
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
    if !cache.forget && !failed && !out.diagnostics.iter().any(Diagnostic::is_error) {
        cache.jobs = prints.iter().cloned().collect();
    }
    clock.lap(&mut out.stats, "templates");
    if cache.forget {
        release::at_end(ctx);
    }
    out.paths = prints.into_iter().map(|(p, _)| p).collect();
    out.paths.sort();
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
    jobs.par_iter()
        .map(|j| {
            let files = jobs::run(ctx, j)?;
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
/// page's file, URL, title, slug or front matter changed (a body edit). Also returns the key
/// they were made from, which keys the answers of cached bodies' lookups too.
fn link_index(
    site: &Site,
    cache: &mut Option<CachedLinks>,
    diags: &mut Vec<Diagnostic>,
) -> (Arc<LinkIndex>, u64, Arc<Vec<Vec<usize>>>) {
    use std::hash::{Hash, Hasher};
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

/// The comparison table of every page, with a warning for each forced section lacking a
/// bullet. A page whose body and columns did not change keeps its table from `cache`.
fn comparisons(
    site: &Site,
    rendered: &[Arc<Rendered>],
    diags: &mut Vec<Diagnostic>,
    cache: &mut HashMap<String, CachedTable>,
) -> Vec<String> {
    let urls = Urls::new(&site.config);
    let per_page: Vec<(bool, CachedTable)> = site
        .pages
        .par_iter()
        .zip(rendered)
        .map(|(p, r)| {
            let (columns, forced) = comparison_columns(site, &urls, p);
            // The body's own hash too: warnings point at lines of the source.
            let key = fingerprint::hash_of(&(
                r.hash,
                p.body_hash,
                &columns,
                forced,
                &p.file,
                p.body_line,
            ));
            if let Some(hit) = cache.get(&p.file).filter(|c| c.key == key) {
                return (false, hit.clone());
            }
            let (html, missing) = compare::table(&r.sections, &columns, forced);
            let mut warnings = Vec::new();
            if !missing.is_empty() {
                let lines = markdown::LineIndex::new(&p.body);
                for m in missing {
                    let (line, _) = lines.locate(m.offset);
                    warnings.push(
                        Diagnostic::warning(format!(
                            "section {:?} has no bullet for {}",
                            m.section, m.role
                        ))
                        .in_file(&p.file)
                        .at(line + p.body_line - 1, 1)
                        .help(format!(
                            "add a bullet starting \"The {} …\", or remove the role from `compare:`",
                            m.role
                        )),
                    );
                }
            }
            (true, CachedTable { key, html, warnings })
        })
        .collect();
    let mut fresh = Vec::new();
    let out = site
        .pages
        .iter()
        .zip(per_page)
        .map(|(p, (new, table))| {
            diags.extend(table.warnings.iter().cloned());
            let html = table.html.clone();
            if new {
                fresh.push((p.file.clone(), table));
            }
            html
        })
        .collect();
    let live: Vec<&str> = site.pages.iter().map(|p| p.file.as_str()).collect();
    fingerprint::refresh(cache, fresh, &live);
    out
}

/// A page's comparison table as the last build made it.
#[derive(Debug, Clone)]
pub struct CachedTable {
    key: u64,
    html: String,
    warnings: Vec<Diagnostic>,
}

/// A page or section naming a `template` that does not exist is an error at that key.
fn check_templates(ctx: &RenderCtx<'_>) -> Vec<Diagnostic> {
    let pages = ctx.site.pages.iter().filter_map(|p| {
        let at = p.key_lines.get("template").copied().unwrap_or((1, 1));
        Some((p.template.as_deref()?, p.file.as_str(), at))
    });
    let sections = ctx
        .site
        .sections
        .iter()
        .filter_map(|s| Some((s.template.as_deref()?, s.file.as_deref()?, s.template_at)));
    pages
        .chain(sections)
        .filter(|(t, _, _)| !ctx.templates.has(t))
        .map(|(t, file, at)| unknown_template(ctx, t, file, at))
        .collect()
}

fn unknown_template(ctx: &RenderCtx<'_>, t: &str, file: &str, at: (usize, usize)) -> Diagnostic {
    let mut names: Vec<&str> = ctx.templates.tera.get_template_names().collect();
    names.sort();
    let d = Diagnostic::error(format!("unknown template `{t}`"))
        .in_file(file)
        .at(at.0, at.1);
    match crate::suggest::nearest_one(t, names.iter().copied()) {
        Some(n) => d.help(format!(
            "did you mean `{n}`? templates live in templates/ or themes/<theme>/templates/"
        )),
        None => d.help("put the template in templates/, or remove the `template` key"),
    }
}

/// The columns of a page's comparison table: its `compare:` roles (forced), else its `roles`,
/// named after their hubs.
fn comparison_columns(
    site: &Site,
    urls: &Urls,
    p: &crate::model::Page,
) -> (Vec<compare::Column>, bool) {
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
