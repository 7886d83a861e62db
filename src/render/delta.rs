//! What a rebuild knows changed since the last build of its session, and what it keeps of that
//! build: told that only some bodies changed, a build patches the last one's results by index.

use std::sync::Arc;

use super::bodies::Bodies;
use super::context::{PageRef, PageValues};
use super::jobs::Job;
use super::markdown::Rendered;
use super::{RenderCtx, tables::Tables};

/// What changed since the build that filled a render cache.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Changes {
    /// Anything may have: every page's and job's inputs are compared with the last build's.
    Unknown,
    /// Only the bodies of these pages (indexes into `site.pages`): the pages, their order and
    /// front matter, the templates and the settings are those of the last build.
    Bodies(Vec<usize>),
}

/// The results of the last build that a build told [`Changes::Bodies`] patches, by page and
/// job index (kept only after a build without errors).
#[derive(Debug, Default)]
pub struct Last {
    pub bodies: Bodies,
    pub tables: Tables,
    pub refs: Vec<Arc<PageRef>>,
    pub values: PageValues,
    pub shards: Vec<Vec<usize>>,
    pub home: Vec<usize>,
    pub section_values: Vec<tera::Value>,
    pub base: tera::Context,
    pub base_hash: u64,
    pub jobs: Vec<Job>,
    /// Output path and fingerprint of each job, in the order of `jobs`.
    pub job_paths: Vec<String>,
    pub prints: Vec<u64>,
    /// Every output path, sorted.
    pub paths: Arc<Vec<String>>,
    /// The introductions' HTML (sections, terms, taxonomies), which listings show.
    pub intros: super::bodies::Intros,
}

impl Last {
    /// Takes back from a finished build's context what the next build may reuse.
    pub fn keep(&mut self, ctx: RenderCtx<'_>, rendered: &mut Vec<Arc<Rendered>>) {
        *rendered = ctx.rendered;
        self.refs = ctx.refs;
        self.values = ctx.values;
        self.tables.html = ctx.comparisons;
        self.shards = ctx.shards;
        self.home = ctx.home;
        self.section_values = ctx.section_values;
        self.base = ctx.base;
        self.base_hash = ctx.base_hash;
        self.intros = (ctx.section_html, ctx.term_html, ctx.taxonomy_html);
    }
}

/// Whether a job may read what changed in the `touched` pages (their bodies and what is
/// derived from them), on a site whose link graph and introductions did not change. An article
/// page reads its own page and those it links to as previous, next, backlink or related; a
/// listing page the pages it lists; the feed and search files read every page; the sitemap,
/// redirects and fixed pages read no body.
pub fn reads_touched(ctx: &RenderCtx<'_>, job: &Job, touched: &[bool]) -> bool {
    let site = ctx.site;
    let per = site.config.paginate.max(1);
    let listed = |list: &[usize], page: usize| {
        list.iter()
            .skip((page - 1) * per)
            .take(per)
            .any(|&i| touched[i])
    };
    match job {
        Job::Page(i) => {
            let p = &site.pages[*i];
            touched[*i]
                || p.prev
                    .iter()
                    .chain(p.next.iter())
                    .chain(&p.backlinks)
                    .chain(&p.related)
                    .any(|&j| touched[j])
        }
        // The home page also features comparisons from anywhere in its list.
        Job::Section { section, .. } if site.sections[*section].dir.is_empty() => true,
        Job::Section { section, page } => listed(&site.sections[*section].pages, *page),
        Job::TaxonomyTerm {
            taxonomy,
            term,
            page,
        } => listed(&site.taxonomies[*taxonomy].terms[*term].pages, *page),
        Job::Feed | Job::SearchIndex => true,
        Job::SearchShard(k) => ctx.shards[*k].iter().any(|&i| touched[i]),
        Job::TaxonomyList(_)
        | Job::Sitemap
        | Job::Redirects
        | Job::Alias { .. }
        | Job::Robots
        | Job::NoJekyll
        | Job::Search
        | Job::NotFound => false,
    }
}
