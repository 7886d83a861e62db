//! The only orchestrator: load → resolve → render → write. `build` and `check` run it once;
//! watch and serve keep a `Session` and re-run it after each change, re-reading only what
//! changed and re-rendering only the jobs whose inputs changed.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::config::{self, Config};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::{self, FileResult};
use crate::model::{Asset, content_relative};
use crate::render::{self, RenderCache, RenderedSite, templates::Templates};
use crate::resolve::{self, ResolveOptions};
use crate::write;

/// What to build and where.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Output folder; `None`: the configuration's `output_dir` inside `root`.
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
    pub force: bool,
    /// `false` for `check`: everything in memory, nothing written.
    pub write: bool,
    /// Report pages that no other page links to (`check`).
    pub orphans: bool,
}

/// What a build did.
#[derive(Debug)]
pub struct BuildReport {
    pub diagnostics: Diagnostics,
    pub pages: usize,
    pub files: usize,
    pub elapsed: Duration,
    pub output: Option<PathBuf>,
    /// The rendered site (kept for serve and tests).
    pub rendered: Option<RenderedSite>,
    /// How long each stage took (`--verbose` prints them).
    pub timings: Vec<(&'static str, Duration)>,
}

impl BuildReport {
    pub fn ok(&self) -> bool {
        !self.diagnostics.has_errors()
    }

    /// A build that stopped before rendering (its configuration is unusable).
    pub fn failed(diagnostics: Diagnostics, start: Instant) -> BuildReport {
        BuildReport {
            diagnostics,
            pages: 0,
            files: 0,
            elapsed: start.elapsed(),
            output: None,
            rendered: None,
            timings: Vec::new(),
        }
    }
}

/// Runs the whole pipeline once and, unless `opts.write` is false, swaps the result into the
/// output folder.
pub fn build(opts: &BuildOptions) -> BuildReport {
    let start = Instant::now();
    let mut session = match Session::one_shot(opts.clone()) {
        Ok(s) => s,
        Err(d) => return BuildReport::failed(d, start),
    };
    let loaded = start.elapsed();
    let output = session.output_dir();
    // Pages go to a staging folder as they are rendered (nothing of the site is held in
    // memory); it replaces the output only if the whole build succeeds.
    let mut problem = None;
    let staging = if opts.write {
        write::check_output_dir(&opts.root, &output, opts.force)
            .and_then(|()| write::Staging::new(&output))
            .map_err(|d| problem = Some(d))
            .ok()
    } else {
        None
    };
    let sink = staging
        .as_ref()
        .map(|s| move |f: &render::OutputFile| s.write(f));
    let mut report = session.rebuild_into(sink.as_ref().map(|s| s as &render::Sink<'_>));
    report.timings.insert(0, ("load", loaded));
    report.output = Some(output);
    report.diagnostics.extend(problem);
    if let (Some(staging), Some(r)) = (staging, &report.rendered) {
        if !report.diagnostics.has_errors() {
            let t = Instant::now();
            let paths: Vec<&str> = r.paths.iter().map(String::as_str).collect();
            if let Err(d) = staging.finish(&paths, &r.assets) {
                report.diagnostics.push(d);
            }
            report.timings.push(("assets+swap", t.elapsed()));
        }
    }
    // Freeing every page takes a noticeable part of a big build: let a thread do it while
    // the report is printed (the process may exit first, which frees it all at once).
    std::thread::spawn(move || drop(session));
    report.elapsed = start.elapsed();
    report
}

/// Loaded files sorted by path, the order `load::assemble` expects.
fn by_path(files: impl Iterator<Item = FileResult>) -> Vec<FileResult> {
    // A loaded file is several hundred bytes: sorting them in place moved each one a dozen
    // times (half a second at 100,000 guides). Sort their positions, then move each once.
    let mut slots: Vec<Option<FileResult>> = files.map(Some).collect();
    let mut order: Vec<usize> = (0..slots.len()).collect();
    order.sort_unstable_by(|&a, &b| {
        let rel = |i: usize| slots[i].as_ref().map(|f| f.file.rel.as_str());
        rel(a).cmp(&rel(b))
    });
    order.into_iter().filter_map(|i| slots[i].take()).collect()
}

/// What changed on disk, as watch sorts file events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Markdown or other files under `content/` (paths relative to the root or absolute).
    Content(Vec<PathBuf>),
    /// Files under `static/` or a theme's `static/`.
    Static(Vec<PathBuf>),
    /// Templates of the site or its theme.
    Templates,
    /// `site.yaml`: everything is rebuilt.
    Config,
}

/// A loaded site kept in memory between builds.
pub struct Session {
    opts: BuildOptions,
    config: Config,
    files: HashMap<String, FileResult>,
    walk_diags: Diagnostics,
    assets: Vec<(PathBuf, String)>,
    templates: Result<Templates, Vec<Diagnostic>>,
    theme_assets: Vec<Asset>,
    cache: RenderCache,
    /// A one-shot session's loaded files, in path order (not in `files`: the site takes them
    /// as they are, with no map to fill and no sort).
    in_order: Vec<FileResult>,
    /// The last resolved site, reused while the site's structure is the same.
    resolved: Option<Resolved>,
    /// Whether every change since the last render re-read Markdown files the session knew
    /// (no walk, no template, static or settings change): then, if the structure is the same,
    /// only bodies changed.
    only_known: bool,
    /// The Markdown files re-read since the last render, while `only_known` holds.
    reloaded: Vec<String>,
    /// The sum of the files' shapes (see `shape`).
    shapes: u64,
}

/// A resolved site and what resolving it reported, for the structure it was made from.
struct Resolved {
    key: u64,
    /// Lent to the build in progress (`None` until it gives it back).
    site: Option<crate::model::Site>,
    diagnostics: Diagnostics,
}

impl Session {
    /// Loads everything; `Err` when `site.yaml` itself is unusable.
    pub fn new(opts: BuildOptions) -> Result<Session, Diagnostics> {
        Session::open(opts, RenderCache::default())
    }

    /// For a single build (`rolebook build`): the loaded files are kept in path order and move
    /// into the site instead of being copied, and nothing is kept for a next build. Only the
    /// first rebuild sees them.
    pub fn one_shot(opts: BuildOptions) -> Result<Session, Diagnostics> {
        Session::open(opts, RenderCache::one_shot())
    }

    fn open(opts: BuildOptions, cache: RenderCache) -> Result<Session, Diagnostics> {
        let config = load_config(&opts)?;
        let templates = Templates::load(&opts.root, &config);
        let theme_assets = Templates::theme_assets(&opts.root, &config);
        let mut s = Session {
            opts,
            config,
            files: HashMap::new(),
            walk_diags: Diagnostics::new(),
            assets: Vec::new(),
            templates,
            theme_assets,
            cache,
            in_order: Vec::new(),
            resolved: None,
            only_known: false,
            reloaded: Vec::new(),
            shapes: 0,
        };
        s.reload_content(None);
        Ok(s)
    }

    pub fn options(&self) -> &BuildOptions {
        &self.opts
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The folder `build` writes to.
    pub fn output_dir(&self) -> PathBuf {
        self.opts
            .output
            .clone()
            .unwrap_or_else(|| self.opts.root.join(&self.config.output_dir))
    }

    /// Takes in what changed on disk. `Err` when `site.yaml` became unusable (the session keeps
    /// its previous state).
    pub fn apply(&mut self, changes: &[Change]) -> Result<(), Diagnostics> {
        if changes.contains(&Change::Config) {
            *self = Session::new(self.opts.clone())?;
            return Ok(());
        }
        if changes.contains(&Change::Templates) {
            self.only_known = false;
            self.templates = Templates::load(&self.opts.root, &self.config);
            self.theme_assets = Templates::theme_assets(&self.opts.root, &self.config);
        }
        let mut touched: HashSet<String> = HashSet::new();
        let mut content = false;
        // Static files are listed by the walk: a batch with a new, deleted or theme static file
        // must walk again. An edit of one the walk listed only needs copying (by the writer).
        let mut statics = false;
        for c in changes {
            match c {
                Change::Content(paths) => {
                    content = true;
                    touched.extend(
                        paths.iter().map(|p| {
                            load::rel_string(&self.opts.root, &absolute(&self.opts.root, p))
                        }),
                    );
                }
                Change::Static(paths) => {
                    self.theme_assets = Templates::theme_assets(&self.opts.root, &self.config);
                    if !paths.iter().all(|p| self.is_listed_asset(p)) {
                        content = true;
                        statics = true;
                    }
                }
                _ => {}
            }
        }
        if content && (statics || !self.reload_known(&touched)) {
            self.reload_content(Some(&touched));
        }
        Ok(())
    }

    /// Re-walks the site and re-reads the Markdown files that are new, changed (`touched`) or
    /// all of them (`None`).
    fn reload_content(&mut self, touched: Option<&HashSet<String>>) {
        self.only_known = false;
        let root = self.opts.root.clone();
        let mut walk_diags = Diagnostics::new();
        let (markdown, assets) = load::discover(&root, &self.config, &mut walk_diags);
        let todo: Vec<&load::MarkdownFile> = markdown
            .iter()
            .filter(|f| match (touched, self.files.get(&f.rel)) {
                (None, _) | (_, None) => true,
                (Some(t), Some(prev)) => t.contains(&f.rel) || prev.file != **f,
            })
            .collect();
        use rayon::prelude::*;
        let config = &self.config;
        let fresh: Vec<FileResult> = todo
            .par_iter()
            .map(|f| {
                let (page, diags) = load::load_markdown(&root, f, config);
                FileResult {
                    file: (*f).clone(),
                    page,
                    diags,
                }
            })
            .collect();
        if self.cache.is_one_shot() {
            // Loaded in the walk's order, which is path order.
            self.in_order = fresh;
            self.walk_diags = walk_diags;
            self.assets = assets;
            return;
        }
        let live: HashSet<&str> = markdown.iter().map(|f| f.rel.as_str()).collect();
        let shapes = &mut self.shapes;
        self.files.retain(|k, f| {
            let keep = live.contains(k.as_str());
            if !keep {
                *shapes = shapes.wrapping_sub(shape(f));
            }
            keep
        });
        for f in fresh {
            self.put(f);
        }
        self.walk_diags = walk_diags;
        self.assets = assets;
    }

    /// Whether `p` is a file the last walk listed as an asset, still a plain file (a symbolic
    /// link put in its place is left to the walk, which checks where it leads).
    fn is_listed_asset(&self, p: &Path) -> bool {
        let p = absolute(&self.opts.root, p);
        self.assets.iter().any(|(src, _)| *src == p)
            && std::fs::symlink_metadata(&p).is_ok_and(|m| m.is_file())
    }

    /// When every touched path is a Markdown file the session already has and it is still a
    /// plain file, re-reads just those (no walk: nothing was added, removed or renamed).
    fn reload_known(&mut self, touched: &HashSet<String>) -> bool {
        let root = &self.opts.root.clone();
        let known = !touched.is_empty()
            && touched.iter().all(|rel| {
                self.files.contains_key(rel)
                    && std::fs::symlink_metadata(root.join(rel)).is_ok_and(|m| m.is_file())
            });
        if !known {
            return false;
        }
        for rel in touched {
            let Some(prev) = self.files.get(rel) else {
                continue;
            };
            let file = prev.file.clone();
            let (page, diags) = load::load_markdown(root, &file, &self.config);
            self.put(FileResult { file, page, diags });
            self.reloaded.push(rel.clone());
        }
        true
    }

    /// Resolves and renders the site as it is now (nothing is written).
    pub fn rebuild(&mut self) -> BuildReport {
        self.rebuild_into(None)
    }

    /// Resolves and renders the site as it is now, handing each rendered file to `sink`.
    pub fn rebuild_into(&mut self, sink: Option<&render::Sink<'_>>) -> BuildReport {
        let start = Instant::now();
        let (mut site, diags, changes) = self.resolve();
        let resolved = start.elapsed();
        let mut report = BuildReport {
            diagnostics: diags,
            pages: site.pages.len(),
            files: 0,
            elapsed: Duration::ZERO,
            output: None,
            rendered: None,
            timings: vec![("resolve", resolved)],
        };
        let templates = match &self.templates {
            Ok(t) => t,
            Err(errs) => {
                report.diagnostics.extend(errs.iter().cloned());
                report.elapsed = start.elapsed();
                return report;
            }
        };
        let mut rendered = render::render_site_cached(
            &mut site,
            templates,
            &self.opts.root,
            &mut self.cache,
            sink,
            &changes,
            !report.diagnostics.has_errors(),
        );
        self.only_known = true;
        report
            .diagnostics
            .extend(std::mem::take(&mut rendered.diagnostics));
        report
            .timings
            .extend(rendered.stats.timings.iter().copied());
        if self.opts.orphans {
            report.diagnostics.extend(orphans(&site));
        }
        // Theme files first, then content and static files, which override them: one asset
        // per destination, the last listed.
        let mut assets = self.theme_assets.clone();
        assets.extend(site.assets.iter().cloned());
        assets.extend(std::mem::take(&mut rendered.assets));
        let mut seen = HashSet::new();
        assets.reverse();
        assets.retain(|a| seen.insert(a.dest.clone()));
        assets.reverse();
        rendered.assets = assets;
        report.files = rendered.paths.len() + rendered.assets.len();
        report.rendered = Some(rendered);
        report.elapsed = start.elapsed();
        if let Some(r) = &mut self.resolved {
            r.site = Some(site);
        }
        report
    }

    /// The resolve stage. When no file was added, removed or renamed and no front matter
    /// changed (a body edit), the previous site is reused with the new bodies put in; the
    /// render stage is told which, if nothing else changed since it last ran.
    fn resolve(&mut self) -> (crate::model::Site, Diagnostics, render::Changes) {
        if self.cache.is_one_shot() {
            let files = std::mem::take(&mut self.in_order);
            let (site, diags) = self.resolve_files(files);
            return (site, diags, render::Changes::Unknown);
        }
        let key = self.structure_key();
        let reusable = self.resolved.take().and_then(|mut r| {
            let site = r.site.take()?;
            (r.key == key).then_some((r, site))
        });
        let reloaded = std::mem::take(&mut self.reloaded);
        if let Some((prev, mut site)) = reusable {
            // Only the files re-read since the last render can have new bodies, when the
            // session knows which they are.
            let mut candidates: Vec<usize> = match self.only_known {
                true => reloaded
                    .iter()
                    .filter_map(|rel| site.by_file.get(content_relative(rel)).copied())
                    .collect(),
                false => (0..site.pages.len()).collect(),
            };
            candidates.sort_unstable();
            candidates.dedup();
            let mut changed = Vec::new();
            for i in candidates {
                let page = &mut site.pages[i];
                let Some(FileResult {
                    page: Some(src), ..
                }) = self.files.get(&page.file)
                else {
                    continue;
                };
                if src.body_hash != page.body_hash {
                    page.body = src.body.clone();
                    page.body_hash = src.body_hash;
                    page.word_count = src.word_count;
                    changed.push(i);
                }
            }
            let diags = prev.diagnostics.clone();
            self.resolved = Some(prev);
            let changes = match self.only_known {
                true => render::Changes::Bodies(changed),
                false => render::Changes::Unknown,
            };
            return (site, diags, changes);
        }
        let (site, diags) = self.resolve_files(by_path(self.files.values().cloned()));
        self.resolved = Some(Resolved {
            key,
            site: None,
            diagnostics: diags.clone(),
        });
        (site, diags, render::Changes::Unknown)
    }

    /// Assembles and resolves the site from the loaded files, sorted by path.
    fn resolve_files(&self, results: Vec<FileResult>) -> (crate::model::Site, Diagnostics) {
        let loaded = load::assemble(
            self.config.clone(),
            results,
            self.walk_diags.clone(),
            self.assets.clone(),
        );
        resolve::resolve(
            loaded,
            ResolveOptions {
                drafts: self.opts.drafts,
            },
        )
    }

    /// A hash of everything resolve reads except article bodies: which files there are, their
    /// front matter and load diagnostics, section and term introductions whole, the assets.
    fn structure_key(&self) -> u64 {
        use crate::render::fingerprint::{hash_of, hasher};
        use std::hash::{Hash, Hasher};
        let mut h = hasher();
        (self.shapes, self.files.len(), &self.assets).hash(&mut h);
        self.walk_diags.iter().for_each(|d| d.hash(&mut h));
        (&self.opts.base_url, self.opts.drafts).hash(&mut h);
        hash_of(&h.finish())
    }

    /// Keeps a loaded file (in place of the one at its path), and the sum of shapes up to date.
    fn put(&mut self, f: FileResult) {
        self.shapes = self.shapes.wrapping_add(shape(&f));
        if let Some(old) = self.files.insert(f.file.rel.clone(), f) {
            self.shapes = self.shapes.wrapping_sub(shape(&old));
        }
    }
}

/// What of a loaded file the site's structure depends on (`Session::structure_key`): its path,
/// load diagnostics and front matter, and the whole text of section and term introductions.
/// Summed over the files, so that the sum does not depend on their order and one file's
/// change updates it.
fn shape(f: &FileResult) -> u64 {
    use crate::render::fingerprint::hasher;
    use std::hash::{Hash, Hasher};
    let mut h = hasher();
    f.file.rel.hash(&mut h);
    f.diags.hash(&mut h);
    match &f.page {
        None => 0u8.hash(&mut h),
        Some(p) => {
            (p.meta_hash, &p.kind, &p.section, &p.file_slug, &p.bundle).hash(&mut h);
            if p.kind != crate::model::SourceKind::Article {
                p.body_hash.hash(&mut h);
            }
        }
    }
    h.finish()
}

/// `site.yaml` with the command line's `--base-url`, which everything after (templates
/// included) must see.
fn load_config(opts: &BuildOptions) -> Result<Config, Diagnostics> {
    let mut config = config::load(&opts.root).map_err(|errs| {
        let mut d = Diagnostics::new();
        d.extend(errs);
        d
    })?;
    if let Some(url) = &opts.base_url {
        config.set_base_url(url);
    }
    Ok(config)
}

fn absolute(root: &Path, p: &Path) -> PathBuf {
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        root.join(p)
    }
}

/// Pages no other page links to, as warnings.
fn orphans(site: &crate::model::Site) -> Vec<Diagnostic> {
    site.pages
        .iter()
        .filter(|p| p.backlinks.is_empty())
        .map(|p| {
            Diagnostic::warning(format!("orphan page: no other page links to {:?}", p.title))
                .in_file(&p.file)
                .help("link to it from a related guide (`Read more: <Title>` or `[[Title]]`) so readers can find it")
        })
        .collect()
}

/// The output folder a build would use, for messages.
pub fn describe_output(root: &Path, p: &Path) -> String {
    p.strip_prefix(root)
        .map(|r| r.display().to_string())
        .unwrap_or_else(|_| p.display().to_string())
}
