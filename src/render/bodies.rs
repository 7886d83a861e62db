//! The Markdown pass: renders every page body (links resolved, cards drawn), reusing the
//! previous build's result for bodies whose source and link targets did not change.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::cell::RefCell;
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use tera::Context;

use super::context::reading_time;
use super::fingerprint::{hash_of, hasher};
use super::markdown::{self, Rendered};
use super::templates::Templates;
use crate::diagnostics::Diagnostic;
use crate::model::{Asset, Site, content_relative};
use crate::resolve::links::{self, Found, FragmentCheck, LinkIndex, PageLinks};
use crate::urls::Urls;

/// A rendered body kept between builds.
#[derive(Debug, Clone)]
pub struct CachedBody {
    key: u64,
    pub rendered: Arc<Rendered>,
    /// Files of the pages this body links to (as of its render).
    targets: Vec<String>,
    /// The page lookups its links made.
    lookups: Vec<links::Lookup>,
    /// Hash of the index's answers to `lookups` (files aside), as of the last build.
    answers: u64,
    fragments: Vec<FragmentCheck>,
    assets: Vec<Asset>,
    diags: Vec<Diagnostic>,
}

/// Bodies rendered by earlier builds, by source file.
#[derive(Debug, Default)]
pub struct BodyCache {
    bodies: HashMap<String, CachedBody>,
    /// Key of the link index `bodies` were keyed with (see `render::link_index`).
    index_hash: u64,
}

impl BodyCache {
    /// Forgets every body (a one-shot build, once the bodies are handed on).
    pub fn clear(&mut self) {
        *self = BodyCache::default();
    }
}

/// What the Markdown pass gives the rest of the render stage.
pub struct Bodies {
    pub rendered: Vec<Arc<Rendered>>,
    /// Per page: indexes of the pages it links to.
    pub outgoing: Vec<Vec<usize>>,
    pub assets: Vec<Asset>,
    pub diagnostics: Vec<Diagnostic>,
    /// How many bodies were rendered (not reused).
    pub rendered_count: usize,
}

/// How a page looks as a link target: what cards (`card_fn`) and link checks read of it. The
/// reading time, not the word count: most edits keep it, and then no linking body re-renders.
fn target_sig(site: &Site, i: usize) -> u64 {
    let p = &site.pages[i];
    let minutes = reading_time(p.word_count, site.config.reading_speed_wpm);
    hash_of(&(&p.title, &p.description, minutes, &p.path))
}

/// Renders (or reuses) the body of every page.
pub fn render_pages(
    site: &Site,
    templates: &Templates,
    root: &Path,
    index: &LinkIndex,
    index_hash: u64,
    cache: &mut BodyCache,
) -> Bodies {
    let urls = Urls::new(&site.config);
    let env = environment_hash(site, templates);
    let sigs: HashMap<&str, u64> = site
        .pages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.file.as_str(), target_sig(site, i)))
        .collect();
    let card = card_fn(site, templates);
    // A body's key: its own inputs, and how each page it linked to and each lookup it made
    // look now. Stored after rendering with what it found, so an unchanged body matches.
    // The answers to title, slug and path lookups change only with the index: while its key
    // stays, each body's answers are taken from the cache.
    let same_index = cache.index_hash == index_hash;
    let answers_of = |lookups: &[links::Lookup]| {
        let mut h = hasher();
        for q in lookups
            .iter()
            .filter(|q| !matches!(q, links::Lookup::File(_)))
        {
            index.answer(site, root, q).hash(&mut h);
        }
        h.finish()
    };
    let key_of =
        |p: &crate::model::Page, targets: &[String], lookups: &[links::Lookup], answers: u64| {
            let mut h = hasher();
            (env, &p.file, p.body_hash, p.body_line, &p.path, answers).hash(&mut h);
            super::compare::may_compare(p).hash(&mut h);
            for t in targets {
                sigs.get(t.as_str()).hash(&mut h);
            }
            // Linked files are looked at on disk every time (they may be gone or relinked).
            for q in lookups
                .iter()
                .filter(|q| matches!(q, links::Lookup::File(_)))
            {
                index.answer(site, root, q).hash(&mut h);
            }
            h.finish()
        };
    let keys: Vec<Option<u64>> = site
        .pages
        .par_iter()
        .map(|p| {
            let prev = cache.bodies.get(&p.file)?;
            let answers = if same_index {
                prev.answers
            } else {
                answers_of(&prev.lookups)
            };
            Some(key_of(p, &prev.targets, &prev.lookups, answers))
        })
        .collect();
    let fresh: Vec<Option<CachedBody>> = site
        .pages
        .par_iter()
        .zip(&keys)
        .map(|(p, key)| {
            // A key that matches was made with the same answers: the cached body stands as is.
            if key.is_some() && cache.bodies.get(&p.file).map(|c| c.key) == *key {
                return None;
            }
            let links = PageLinks {
                site,
                index,
                urls: &urls,
                file: &p.file,
                from: &p.path,
                asset_dir: Some(&p.path),
                root,
                cards: &card,
                found: RefCell::new(Found::default()),
            };
            let mut diags = Vec::new();
            let sections = super::compare::may_compare(p);
            let r = markdown::render(&p.body, p.body_line, &p.file, &links, &mut diags, sections);
            let found = links.found.into_inner();
            let targets: Vec<String> = found
                .targets
                .iter()
                .map(|&t| site.pages[t].file.clone())
                .collect();
            let answers = answers_of(&found.lookups);
            let key = key_of(p, &targets, &found.lookups, answers);
            // A body with errors never matches a later key: it is rendered again, since its
            // suggestions read every page.
            let has_errors = diags.iter().any(Diagnostic::is_error);
            Some(CachedBody {
                key: if has_errors { !key } else { key },
                rendered: Arc::new(r),
                targets,
                lookups: found.lookups,
                answers,
                fragments: found.fragments,
                assets: found.assets,
                diags,
            })
        })
        .collect();
    let rendered_count = fresh.iter().filter(|f| f.is_some()).count();
    let mut live: HashSet<&str> =
        HashSet::with_capacity_and_hasher(site.pages.len(), Default::default());
    for (p, f) in site.pages.iter().zip(fresh) {
        live.insert(&p.file);
        if let Some(f) = f {
            cache.bodies.insert(p.file.clone(), f);
        }
    }
    cache.bodies.retain(|k, _| live.contains(k.as_str()));
    cache.index_hash = index_hash;

    let bodies = &cache.bodies;
    let headings_of = |t: usize| -> &[crate::model::Heading] {
        bodies
            .get(&site.pages[t].file)
            .map_or(&[], |c| &c.rendered.headings)
    };
    // Per page: its diagnostics (with fragment checks against the headings now), assets,
    // outgoing links and body; in parallel, since every rebuild goes through every page.
    type PageOut<'a> = (Vec<Diagnostic>, &'a [Asset], Vec<usize>, Arc<Rendered>);
    let per_page: Vec<PageOut<'_>> = site
        .pages
        .par_iter()
        .map(|p| {
            let c = &bodies[&p.file];
            let mut diags = c.diags.clone();
            let checks: Vec<FragmentCheck> = c
                .fragments
                .iter()
                .map(|f| FragmentCheck {
                    target: f
                        .target_file
                        .as_deref()
                        .and_then(|t| site.by_file.get(content_relative(t)).copied()),
                    ..f.clone()
                })
                .collect();
            if !checks.is_empty() {
                diags.extend(links::check_fragments(
                    site,
                    &p.file,
                    &c.rendered.headings,
                    &checks,
                    &headings_of,
                ));
            }
            let mut t: Vec<usize> = c
                .targets
                .iter()
                .filter_map(|f| site.by_file.get(content_relative(f)).copied())
                .collect();
            t.sort_unstable();
            t.dedup();
            (diags, c.assets.as_slice(), t, c.rendered.clone())
        })
        .collect();
    let mut out = Bodies {
        rendered: Vec::with_capacity(site.pages.len()),
        outgoing: Vec::with_capacity(site.pages.len()),
        assets: Vec::new(),
        diagnostics: Vec::new(),
        rendered_count,
    };
    for (diags, assets, outgoing, rendered) in per_page {
        out.diagnostics.extend(diags);
        out.assets.extend(assets.iter().cloned());
        out.outgoing.push(outgoing);
        out.rendered.push(rendered);
    }
    out
}

/// What rendering any body of the site needs.
pub struct Env<'a> {
    pub site: &'a Site,
    pub templates: &'a Templates,
    pub root: &'a Path,
    pub index: &'a LinkIndex,
}

/// Markdown of an introduction (`_index.md`, a term's hub text) and where it is rendered.
pub struct IntroSource<'a> {
    pub file: &'a str,
    pub body: &'a str,
    pub body_line: usize,
    /// Site path of the page it is shown on.
    pub from: &'a str,
}

/// Renders an introduction with the same link rules as articles.
pub fn render_intro(env: &Env<'_>, src: &IntroSource<'_>, diags: &mut Vec<Diagnostic>) -> String {
    let urls = Urls::new(&env.site.config);
    let card = card_fn(env.site, env.templates);
    let links = PageLinks {
        site: env.site,
        index: env.index,
        urls: &urls,
        file: src.file,
        from: src.from,
        asset_dir: None,
        root: env.root,
        cards: &card,
        found: RefCell::new(Found::default()),
    };
    let r = markdown::render(src.body, src.body_line, src.file, &links, diags, false);
    let found = links.found.into_inner();
    let checks: Vec<FragmentCheck> = found
        .fragments
        .into_iter()
        .filter(|f| f.target.is_none())
        .collect();
    diags.extend(links::check_fragments(
        env.site,
        src.file,
        &r.headings,
        &checks,
        &|_| &[],
    ));
    r.html
}

/// What every body's rendering depends on besides its own text, its targets and the answers to
/// its lookups: URL settings, sections and the card template.
fn environment_hash(site: &Site, templates: &Templates) -> u64 {
    let mut h = hasher();
    (
        &site.config.base_url,
        site.config.relative_urls,
        site.config.reading_speed_wpm,
    )
        .hash(&mut h);
    templates.deps_hash("partials/read_more.html").hash(&mut h);
    for s in &site.sections {
        (&s.dir, &s.path).hash(&mut h);
    }
    h.finish()
}

/// Draws a "Read more" card through the theme's `partials/read_more.html`.
fn card_fn<'a>(
    site: &'a Site,
    templates: &'a Templates,
) -> impl Fn(usize, &str) -> Result<String, String> + Sync + 'a {
    // Much-linked guides get the same card in many articles: each is drawn once per build.
    type Drawn = HashMap<usize, Vec<(String, Result<String, String>)>>;
    let drawn: std::sync::Mutex<Drawn> = std::sync::Mutex::default();
    move |i: usize, href: &str| {
        let hit = drawn.lock().ok().and_then(|m| {
            let cards = m.get(&i)?;
            let (_, card) = cards.iter().find(|(h, _)| h == href)?;
            Some(card.clone())
        });
        if let Some(card) = hit {
            return card;
        }
        let p = &site.pages[i];
        let mut ctx = Context::new();
        ctx.insert(
            "card",
            &serde_json::json!({
                "title": p.title,
                "description": p.description,
                "reading_time": reading_time(p.word_count, site.config.reading_speed_wpm),
                "href": href,
                "path": p.path,
            }),
        );
        let card = templates
            .render("partials/read_more.html", &ctx)
            .map_err(|d| d.message);
        if let Ok(mut m) = drawn.lock() {
            m.entry(i)
                .or_default()
                .push((href.to_string(), card.clone()));
        }
        card
    }
}
