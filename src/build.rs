//! The only orchestrator: load → resolve → render → write, used by `build`, `check`, watch
//! and serve alike.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load;
use crate::render::{self, RenderedSite, templates::Templates};
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
}

impl BuildReport {
    pub fn ok(&self) -> bool {
        !self.diagnostics.has_errors()
    }
}

/// Runs the whole pipeline once.
pub fn build(opts: &BuildOptions) -> BuildReport {
    let start = Instant::now();
    let mut report = BuildReport {
        diagnostics: Diagnostics::new(),
        pages: 0,
        files: 0,
        elapsed: Duration::ZERO,
        output: None,
        rendered: None,
    };
    let mut loaded = match load::load(&opts.root) {
        Ok(l) => l,
        Err(d) => {
            report.diagnostics = d;
            report.elapsed = start.elapsed();
            return report;
        }
    };
    if let Some(url) = &opts.base_url {
        loaded.config.set_base_url(url);
    }
    let output = opts
        .output
        .clone()
        .unwrap_or_else(|| opts.root.join(&loaded.config.output_dir));
    report.output = Some(output.clone());
    if opts.write {
        if let Err(d) = write::check_output_dir(&opts.root, &output, opts.force) {
            report.diagnostics.push(d);
        }
    }
    let templates = Templates::load(&opts.root, &loaded.config);
    let theme_assets = Templates::theme_assets(&opts.root, &loaded.config);
    let (mut site, diags) = resolve::resolve(
        loaded,
        ResolveOptions {
            drafts: opts.drafts,
        },
    );
    report.diagnostics.extend(diags);
    let templates = match templates {
        Ok(t) => t,
        Err(errs) => {
            report.diagnostics.extend(errs);
            report.elapsed = start.elapsed();
            return report;
        }
    };
    let mut rendered = render::render_site(&mut site, &templates, &opts.root);
    report
        .diagnostics
        .extend(std::mem::take(&mut rendered.diagnostics));
    // Theme files first, then content and static files, which override them.
    let mut assets = theme_assets;
    assets.extend(site.assets.iter().cloned());
    assets.extend(std::mem::take(&mut rendered.assets));
    rendered.assets = assets;
    report.pages = site.pages.len();
    report.files = rendered.files.len() + rendered.assets.len();
    if opts.write && !report.diagnostics.has_errors() {
        if let Err(d) = write::write_atomic(&output, &rendered.files, &rendered.assets) {
            report.diagnostics.push(d);
        }
    }
    report.rendered = Some(rendered);
    report.elapsed = start.elapsed();
    report
}

/// The output folder a build would use, for messages.
pub fn describe_output(root: &Path, p: &Path) -> String {
    p.strip_prefix(root)
        .map(|r| r.display().to_string())
        .unwrap_or_else(|_| p.display().to_string())
}

/// An error about the command line rather than the site.
pub fn usage_error(msg: impl Into<String>) -> Diagnostic {
    Diagnostic::error(msg)
}
