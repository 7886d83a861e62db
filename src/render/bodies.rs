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
    /// Key of the link index `bodies` were keyed with (see `render::link_cache`).
    index_hash: u64,
}

impl BodyCache {
    /// Forgets every body (a one-shot build, once the bodies are handed on).
    pub fn clear(&mut self) {
        *self = BodyCache::default();
    }
}

/// What the Markdown pass gives the rest of the render stage, by page index. Watch and serve
/// keep it for the next build, which patches the pages a body edit touches.
#[derive(Debug, Default)]
pub struct Bodies {
    pub rendered: Vec<Arc<Rendered>>,
    /// Per page: indexes of the pages it links to.
    pub outgoing: Vec<Vec<usize>>,
    /// Per page: its body's diagnostics (fragment checks against the headings now included).
    pub diagnostics: Vec<Vec<Diagnostic>>,
    /// Per page: the files its body links to that are copied into the output.
    pub assets: Vec<Vec<Asset>>,
    /// How many bodies were rendered (not reused).
    pub rendered_count: usize,
}

/// The last build's bodies and the pages whose bodies changed since (nothing else did): only
/// those and the pages linking to them are looked at again.
pub struct Prior<'a> {
    pub bodies: Bodies,
    pub changed: &'a [usize],
}

/// Which pages' bodies, links or diagnostics may differ from the last build's.
pub struct Touched {
    /// `None`: every page.
    pub pages: Option<Vec<bool>>,
    /// Whether any page's outgoing links differ from the last build's.
    pub links: bool,
}

impl Touched {
    pub fn has(&self, i: usize) -> bool {
        self.pages.as_ref().is_none_or(|p| p[i])
    }
}

/// How a page looks as a link target: what cards (`card_fn`) and link checks read of it. The
/// reading time, not the word count: most edits keep it, and then no linking body re-renders.
fn target_sig(site: &Site, i: usize) -> u64 {
    let p = &site.pages[i];
    let minutes = reading_time(p.word_count, site.config.reading_speed_wpm);
    hash_of(&(&p.title, &p.description, minutes, &p.path))
}

/// Renders (or reuses) the body of every page. With `prior`, only the changed pages and the
/// pages linking to them are looked at; every other page keeps its entry of `prior.bodies`.
/// With `hand_over` (a one-shot build), each page's Markdown is moved out of `site` and freed
/// as soon as its body is rendered, so the sources and the bodies are never all in memory.
#[allow(clippy::too_many_arguments)]
pub fn render_pages(
    site: &mut Site,
    templates: &Templates,
    root: &Path,
    index: &LinkIndex,
    index_hash: u64,
    cache: &mut BodyCache,
    prior: Option<Prior<'_>>,
    hand_over: bool,
) -> (Bodies, Touched) {
    let n = site.pages.len();
    let urls = Urls::new(&site.config);
    let env = environment_hash(site, templates);
    // What a body edit touches: the page, and the pages linking to it (their cards show its
    // reading time, their fragment links point at its headings).
    let (mut out, touched) = match prior {
        Some(p) if p.bodies.rendered.len() == n => {
            let mut changed = vec![false; n];
            p.changed
                .iter()
                .filter(|&&i| i < n)
                .for_each(|&i| changed[i] = true);
            let mut t = changed.clone();
            for (j, links) in p.bodies.outgoing.iter().enumerate() {
                t[j] |= links.iter().any(|&k| changed.get(k) == Some(&true));
            }
            (p.bodies, Some(t))
        }
        _ => (Bodies::default(), None),
    };
    let todo: Vec<usize> = match &touched {
        Some(t) => (0..n).filter(|&i| t[i]).collect(),
        None => (0..n).collect(),
    };
    let sources: Vec<Arc<str>> = todo
        .iter()
        .map(|&i| match hand_over {
            true => std::mem::take(&mut site.pages[i].body),
            false => site.pages[i].body.clone(),
        })
        .collect();
    let site: &Site = site;
    let sig = |file: &str| {
        site.by_file
            .get(content_relative(file))
            .map(|&i| target_sig(site, i))
    };
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
                sig(t).hash(&mut h);
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
    let fresh: Vec<Option<CachedBody>> = todo
        .par_iter()
        .zip(sources)
        .map(|(&i, body)| {
            let p = &site.pages[i];
            // A key that matches was made with the same answers: the cached body stands as is.
            if let Some(prev) = cache.bodies.get(&p.file) {
                let answers = if same_index {
                    prev.answers
                } else {
                    answers_of(&prev.lookups)
                };
                if key_of(p, &prev.targets, &prev.lookups, answers) == prev.key {
                    return None;
                }
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
            let r = markdown::render(&body, p.body_line, &p.file, &links, &mut diags, sections);
            drop(body);
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
    out.rendered_count = fresh.iter().filter(|f| f.is_some()).count();
    for (&i, f) in todo.iter().zip(fresh) {
        if let Some(f) = f {
            cache.bodies.insert(site.pages[i].file.clone(), f);
        }
    }
    if touched.is_none() && cache.bodies.len() > n {
        let live: HashSet<&str> = site.pages.iter().map(|p| p.file.as_str()).collect();
        cache.bodies.retain(|k, _| live.contains(k.as_str()));
    }
    cache.index_hash = index_hash;

    let bodies = &cache.bodies;
    let headings_of = |t: usize| -> &[crate::model::Heading] {
        bodies
            .get(&site.pages[t].file)
            .map_or(&[], |c| &c.rendered.headings)
    };
    // Per page: its diagnostics (with fragment checks against the headings now), assets,
    // outgoing links and body; in parallel, since a full rebuild goes through every page.
    type PageOut = (Vec<Diagnostic>, Vec<Asset>, Vec<usize>, Arc<Rendered>);
    let per_page: Vec<PageOut> = todo
        .par_iter()
        .map(|&i| {
            let p = &site.pages[i];
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
            (diags, c.assets.clone(), t, c.rendered.clone())
        })
        .collect();
    let mut links_changed = touched.is_none();
    if touched.is_some() {
        for (&i, (diags, assets, outgoing, rendered)) in todo.iter().zip(per_page) {
            links_changed |= out.outgoing[i] != outgoing;
            out.diagnostics[i] = diags;
            out.assets[i] = assets;
            out.outgoing[i] = outgoing;
            out.rendered[i] = rendered;
        }
    } else {
        out.rendered.reserve(n);
        out.outgoing.reserve(n);
        out.diagnostics.reserve(n);
        out.assets.reserve(n);
        for (diags, assets, outgoing, rendered) in per_page {
            out.diagnostics.push(diags);
            out.assets.push(assets);
            out.outgoing.push(outgoing);
            out.rendered.push(rendered);
        }
    }
    let touched = Touched {
        pages: touched,
        links: links_changed,
    };
    (out, touched)
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

/// Section and term introductions are Markdown too, rendered with the same link rules:
/// section HTML by section index, term HTML by (taxonomy, term), taxonomy HTML by taxonomy.
pub type Intros = (Vec<String>, HashMap<(usize, usize), String>, Vec<String>);

/// Renders every section, term and taxonomy introduction of the site.
pub fn render_intros(env: &Env<'_>, diags: &mut Vec<Diagnostic>) -> Intros {
    let site = env.site;
    let mut intro = |file: &str, body: &str, body_line: usize, from: &str| {
        let src = IntroSource {
            file,
            body,
            body_line,
            from,
        };
        render_intro(env, &src, diags)
    };
    let section_html: Vec<String> = site
        .sections
        .iter()
        .map(|s| match &s.file {
            Some(f) => intro(f, &s.body, s.body_line, &s.path),
            None => String::new(),
        })
        .collect();
    let mut term_html = HashMap::default();
    let mut taxonomy_html = Vec::new();
    for (ti, t) in site.taxonomies.iter().enumerate() {
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
    (section_html, term_html, taxonomy_html)
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
