//! Render stage: Markdown bodies first (links resolved, cards drawn), then every output file
//! as an enumerable `Job` rendered in parallel through the templates.

pub mod compare;
pub mod context;
pub mod extract;
pub mod feeds;
pub mod jobs;
pub mod markdown;
pub mod structured;
pub mod templates;

use std::cell::RefCell;
use std::collections::HashSet;
use std::path::Path;

use rayon::prelude::*;
use tera::Context;

use crate::diagnostics::Diagnostic;
use crate::model::{Asset, Site};
use crate::resolve::links::{self, Found, LinkIndex, PageLinks};
use crate::urls::Urls;
use context::{PageRef, page_refs, reading_time};
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
    pub files: Vec<OutputFile>,
    pub assets: Vec<Asset>,
    pub diagnostics: Vec<Diagnostic>,
}

/// The state shared by every job of one build.
pub struct RenderCtx<'a> {
    pub site: &'a Site,
    pub templates: &'a Templates,
    pub urls: Urls,
    pub refs: Vec<PageRef>,
    pub rendered: Vec<Rendered>,
    /// "At a glance" table HTML per page (empty for ordinary articles).
    pub comparisons: Vec<String>,
    /// Rendered `_index.md` bodies, by section index.
    pub section_html: Vec<String>,
    /// Rendered term introductions: (taxonomy index, term index) → HTML; taxonomy intros.
    pub term_html: std::collections::HashMap<(usize, usize), String>,
    pub taxonomy_html: Vec<String>,
    pub base: Context,
}

/// Renders the Markdown of every page, then every job. `site` gains backlinks and related.
pub fn render_site(site: &mut Site, templates: &Templates, root: &Path) -> RenderedSite {
    let mut out = RenderedSite::default();
    let index = LinkIndex::build(site);
    let (explicit, diags) = links::explicit_related(site, &index);
    out.diagnostics.extend(diags);
    let urls = Urls::new(&site.config);

    let site_ro: &Site = site;
    let card = |i: usize, href: &str| -> Result<String, String> {
        let p = &site_ro.pages[i];
        let mut ctx = Context::new();
        ctx.insert(
            "card",
            &serde_json::json!({
                "title": p.title,
                "description": p.description,
                "reading_time": reading_time(p.word_count, site_ro.config.reading_speed_wpm),
                "href": href,
                "path": p.path,
            }),
        );
        templates
            .render("partials/read_more.html", &ctx)
            .map_err(|d| d.message)
    };
    let results: Vec<(Rendered, Found, Vec<Diagnostic>)> = site_ro
        .pages
        .par_iter()
        .map(|p| {
            let links = PageLinks {
                site: site_ro,
                index: &index,
                urls: &urls,
                file: &p.file,
                from: &p.path,
                asset_dir: Some(&p.path),
                root,
                cards: &card,
                found: RefCell::new(Found::default()),
            };
            let mut diags = Vec::new();
            let r = markdown::render(&p.body, p.body_line, &p.file, &links, &mut diags);
            (r, links.found.into_inner(), diags)
        })
        .collect();
    let headings: Vec<HashSet<String>> = results
        .iter()
        .map(|(r, _, _)| r.headings.iter().map(|h| h.id.clone()).collect())
        .collect();
    let mut rendered = Vec::with_capacity(results.len());
    let mut outgoing = Vec::with_capacity(results.len());
    for (i, (r, found, diags)) in results.into_iter().enumerate() {
        out.diagnostics.extend(diags);
        out.diagnostics.extend(links::check_fragments(
            site_ro,
            &site_ro.pages[i].file,
            &headings[i],
            &found.fragments,
            &headings,
        ));
        out.assets.extend(found.assets);
        let mut t = found.targets;
        t.sort_unstable();
        t.dedup();
        outgoing.push(t);
        rendered.push(r);
    }

    // Section and term introductions are Markdown too, with the same link rules.
    let mut intro = |file: &str, body: &str, body_line: usize, from: &str| -> String {
        let links = PageLinks {
            site: site_ro,
            index: &index,
            urls: &urls,
            file,
            from,
            asset_dir: None,
            root,
            cards: &card,
            found: RefCell::new(Found::default()),
        };
        let mut diags = Vec::new();
        let r = markdown::render(body, body_line, file, &links, &mut diags);
        let found = links.found.into_inner();
        let own: HashSet<String> = r.headings.iter().map(|h| h.id.clone()).collect();
        diags.extend(links::check_fragments(
            site_ro,
            file,
            &own,
            &found.fragments,
            &headings,
        ));
        out.diagnostics.extend(diags);
        r.html
    };
    let section_html: Vec<String> = site_ro
        .sections
        .iter()
        .map(|s| match &s.file {
            Some(f) => intro(f, &s.body, s.body_line, &s.path),
            None => String::new(),
        })
        .collect();
    let mut term_html = std::collections::HashMap::new();
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

    let comparisons: Vec<String> = site_ro
        .pages
        .iter()
        .zip(&rendered)
        .map(|(p, r)| {
            let (html, missing) = comparison_of(site_ro, &urls, p, r);
            let lines = markdown::LineIndex::new(&p.body);
            for m in missing {
                let (line, _) = lines.locate(m.offset);
                out.diagnostics.push(
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
            html
        })
        .collect();
    links::fill_graph(site, &outgoing, &explicit);
    let site: &Site = site;
    let refs = page_refs(site, &rendered);
    let base = jobs::base_context(site);
    let ctx = RenderCtx {
        site,
        templates,
        urls,
        refs,
        rendered,
        comparisons,
        section_html,
        term_html,
        taxonomy_html,
        base,
    };
    out.diagnostics.extend(check_templates(&ctx));
    let jobs = jobs::all_jobs(site);
    let results: Vec<Result<Vec<OutputFile>, Diagnostic>> =
        jobs.par_iter().map(|j| jobs::run(&ctx, j)).collect();
    for r in results {
        match r {
            Ok(files) => out.files.extend(files),
            Err(d) => out.diagnostics.push(d),
        }
    }
    out.files.sort_by(|a, b| a.path.cmp(&b.path));
    out.assets.sort();
    out.assets.dedup_by(|a, b| a.dest == b.dest);
    out
}

/// A page or section naming a `template` that does not exist is an error at that key.
fn check_templates(ctx: &RenderCtx<'_>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for p in &ctx.site.pages {
        if let Some(t) = &p.template {
            if !ctx.templates.has(t) {
                let (line, col) = p.key_lines.get("template").copied().unwrap_or((1, 1));
                let mut names: Vec<&str> = ctx.templates.tera.get_template_names().collect();
                names.sort();
                let mut d = Diagnostic::error(format!("unknown template `{t}`"))
                    .in_file(&p.file)
                    .at(line, col);
                d = match crate::suggest::nearest_one(t, names.iter().copied()) {
                    Some(n) => d.help(format!("did you mean `{n}`? templates live in templates/ or themes/<theme>/templates/")),
                    None => d.help("put the template in templates/, or remove the `template` key to use page.html"),
                };
                out.push(d);
            }
        }
    }
    out
}

/// The comparison table of a page: its `compare:` roles, else its `roles`, named after their hubs.
fn comparison_of(
    site: &Site,
    urls: &Urls,
    p: &crate::model::Page,
    r: &Rendered,
) -> (String, Vec<compare::MissingBullet>) {
    let forced = !p.compare.is_empty();
    let slugs: Vec<String> = if forced {
        p.compare.iter().map(|s| crate::slug::slugify(s)).collect()
    } else {
        p.taxonomies.get("roles").cloned().unwrap_or_default()
    };
    let has_hubs = site.taxonomies.iter().any(|t| t.name == "roles");
    let columns: Vec<compare::Column> = slugs
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
    compare::table(&r.sections, &columns, forced, &p.title)
}
