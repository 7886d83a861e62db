//! Fragments rendered once and reused by many jobs: the site chrome (header and footer) once per
//! navigation state, each page's listing card and its item in related and backlinks lists once
//! per build (Hugo's `partialCached`).
//! Only the built-in theme's partials are shared this way: a site's or theme's own version may
//! read anything of the page, so it is rendered for each page with the page's whole context.

use std::sync::{Mutex, OnceLock};

use rustc_hash::FxHashMap as HashMap;
use tera::{Context, Value};

use super::RenderCtx;
use super::templates::Templates;
use crate::diagnostics::Diagnostic;

/// The site's top bar, rendered into `site_header`.
pub const HEADER: &str = "partials/header.html";
/// The site's footer, rendered into `site_footer`.
pub const FOOTER: &str = "partials/footer.html";
/// A page in a listing, rendered into each listed page's `card`.
pub const CARD: &str = "partials/page_card.html";
/// A page in a related or backlinks list, rendered into `page.related_items` and
/// `page.backlinks_items`.
pub const LINK_ITEM: &str = "partials/link_item.html";

/// Where a page stands in the navigation: the nav entry (a top-level section or a taxonomy,
/// `""` for the home page) whose path is the longest prefix of the page's path, and whether the
/// page is that entry itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NavState {
    /// Index into [`Fragments::nav`]; none for a page under no nav entry (search, 404).
    pub entry: Option<usize>,
    pub exact: bool,
}

/// What a rendered fragment depends on besides the templates and the site-wide context.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct ChromeKey {
    nav: NavState,
    /// With `relative_urls`, how many folders deep the page is (its links climb that many);
    /// none when links start with the base path.
    depth: Option<usize>,
}

/// The fragments of one build, made on first use.
pub struct Fragments {
    /// Paths of the nav entries: `""` (home), then the top-level sections, then the taxonomies.
    nav: Vec<String>,
    relative: bool,
    /// Whether the header and footer, and the card, are the built-in ones (shared).
    shared_chrome: bool,
    shared_card: bool,
    /// Hash of the three templates (see [`templates_hash`]).
    pub templates_hash: u64,
    chrome: Mutex<HashMap<ChromeKey, (Value, Value)>>,
    /// Each page's listing view with its card, when links do not depend on where the listing
    /// is (no relative URLs): made once, a listing then costs a pointer per page.
    listed: Vec<OnceLock<Result<Value, Diagnostic>>>,
    /// Each page's item in related and backlinks lists, on the same terms (and with the
    /// built-in item). A list drawn from these reads a string per page, not five fields of a
    /// map somewhere in the heap, as the template did: at 100,000 guides those reads cost twice
    /// their share at 10,000.
    items: Vec<OnceLock<Result<String, Diagnostic>>>,
}

impl Fragments {
    pub fn new(site: &crate::model::Site, templates: &Templates) -> Fragments {
        let home = &site.sections[0];
        let mut nav = vec![String::new()];
        nav.extend(
            home.subsections
                .iter()
                .map(|&i| site.sections[i].path.clone()),
        );
        nav.extend(site.taxonomies.iter().map(|t| t.path.clone()));
        let relative = site.config.relative_urls;
        let shared_chrome = templates.is_built_in(HEADER) && templates.is_built_in(FOOTER);
        let shared_card = templates.is_built_in(CARD);
        let n = site.pages.len();
        let listed = cells(n, shared_card && !relative);
        let items = cells(n, templates.is_built_in(LINK_ITEM) && !relative);
        Fragments {
            nav,
            relative,
            shared_chrome,
            shared_card,
            templates_hash: templates_hash(templates),
            chrome: Mutex::new(HashMap::default()),
            listed,
            items,
        }
    }

    /// The nav entry `path` falls under (the longest matching entry path).
    pub fn nav_state(&self, path: &str) -> NavState {
        if path.is_empty() {
            return NavState {
                entry: Some(0),
                exact: true,
            };
        }
        let entry = self
            .nav
            .iter()
            .enumerate()
            .skip(1)
            .filter(|(_, p)| !p.is_empty() && path.starts_with(p.as_str()))
            .max_by_key(|(_, p)| p.len())
            .map(|(k, _)| k);
        NavState {
            entry,
            exact: entry.is_some_and(|k| self.nav[k] == path),
        }
    }

    /// Puts the page's place into `ctx`: `current_path`, `nav_here` and `nav_exact`, and the
    /// chrome for it (`site_header`, `site_footer`). `absolute`: the page's links start with
    /// the base path even with relative URLs (the 404 page, served at any URL). Called once
    /// the job's context is complete: a site's own header and footer are rendered from it.
    pub fn place(
        &self,
        c: &RenderCtx<'_>,
        ctx: &mut Context,
        path: &str,
        absolute: bool,
    ) -> Result<(), Diagnostic> {
        let nav = self.nav_state(path);
        ctx.insert("current_path", path);
        self.insert_nav(ctx, nav);
        if !self.shared_chrome {
            let header = Value::safe_string(&c.templates.render(HEADER, ctx)?);
            let footer = Value::safe_string(&c.templates.render(FOOTER, ctx)?);
            ctx.insert_value("site_header", header);
            ctx.insert_value("site_footer", footer);
            return Ok(());
        }
        let depth = (self.relative && !absolute).then(|| crate::urls::depth(path));
        let key = ChromeKey { nav, depth };
        let cached = self.lock().get(&key).cloned();
        let (header, footer) = match cached {
            Some(hf) => hf,
            None => {
                let mut chrome = self.fragment_context(c, depth, absolute);
                self.insert_nav(&mut chrome, nav);
                let header = Value::safe_string(&c.templates.render(HEADER, &chrome)?);
                let footer = Value::safe_string(&c.templates.render(FOOTER, &chrome)?);
                self.lock().insert(key, (header.clone(), footer.clone()));
                (header, footer)
            }
        };
        ctx.insert_value("site_header", header);
        ctx.insert_value("site_footer", footer);
        Ok(())
    }

    /// The listing views of `pages`, each with its `card`, for the listing at `path` whose
    /// context so far is `listing` (what a site's own card is rendered with).
    pub fn listed(
        &self,
        c: &RenderCtx<'_>,
        pages: impl IntoIterator<Item = usize>,
        path: &str,
        listing: &Context,
    ) -> Result<Value, Diagnostic> {
        let mut out = Vec::new();
        for i in pages {
            out.push(match self.listed.get(i) {
                Some(cell) => cell
                    .get_or_init(|| self.listed_one(c, i, None, None))
                    .clone()?,
                None if self.shared_card => {
                    self.listed_one(c, i, self.relative.then(|| crate::urls::depth(path)), None)?
                }
                None => {
                    let mut ctx = listing.clone();
                    ctx.insert("current_path", path);
                    self.listed_one(c, i, None, Some(ctx))?
                }
            });
        }
        Ok(Value::from(out))
    }

    /// Page `i`'s listing view with its card: rendered in `own` (a site's own card, given the
    /// listing's context), else in the common context with links made for a listing `depth`
    /// folders deep (relative URLs).
    fn listed_one(
        &self,
        c: &RenderCtx<'_>,
        i: usize,
        depth: Option<usize>,
        own: Option<Context>,
    ) -> Result<Value, Diagnostic> {
        let full = &c.values.full[i];
        let mut ctx = own.unwrap_or_else(|| self.fragment_context(c, depth, false));
        ctx.insert_value("p", full.clone());
        let card = Value::safe_string(&c.templates.render(CARD, &ctx)?);
        let fields = full.as_map().map_or(0, |m| m.len());
        let mut m = tera::Map::with_capacity_and_hasher(fields + 1, Default::default());
        if let Some(map) = full.as_map() {
            m.extend(map.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        m.insert("card".into(), card);
        Ok(Value::from(m))
    }

    /// The items of `pages` (a page's related or backlinks list), drawn once per page and
    /// joined; none when they are not shared (see `items`): the list's template draws them.
    pub fn items(&self, c: &RenderCtx<'_>, pages: &[usize]) -> Result<Value, Diagnostic> {
        if self.items.is_empty() {
            return Ok(Value::none());
        }
        let mut out = String::new();
        for &i in pages {
            let Some(cell) = self.items.get(i) else {
                continue;
            };
            let item = cell.get_or_init(|| {
                let mut ctx = self.fragment_context(c, None, false);
                ctx.insert_value("l", c.values.link[i].clone());
                c.templates.render(LINK_ITEM, &ctx)
            });
            out.push_str(item.as_ref().map_err(Clone::clone)?);
        }
        Ok(Value::safe_string(&out))
    }

    /// The site-wide context, with links made from `depth` folders deep when given.
    fn fragment_context(&self, c: &RenderCtx<'_>, depth: Option<usize>, absolute: bool) -> Context {
        let mut ctx = c.base.clone();
        if absolute {
            ctx.insert("__href_base", &c.site.config.base_path);
        }
        if let Some(d) = depth {
            // Only the depth of the page matters to a relative link (see `urls::href`).
            ctx.insert("__href_from", &"_/".repeat(d));
        }
        ctx
    }

    fn insert_nav(&self, ctx: &mut Context, nav: NavState) {
        match nav.entry {
            Some(k) => ctx.insert("nav_here", &self.nav[k]),
            None => ctx.insert_value("nav_here", Value::none()),
        }
        ctx.insert("nav_exact", &nav.exact);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<ChromeKey, (Value, Value)>> {
        // A panic while holding the lock leaves a map that is still whole.
        self.chrome.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A cell per page when `shared`, else none.
fn cells<T>(pages: usize, shared: bool) -> Vec<OnceLock<T>> {
    match shared {
        true => (0..pages).map(|_| OnceLock::new()).collect(),
        false => Vec::new(),
    }
}

/// Hash of the templates fragments come from: part of every job's fingerprint, since a job's
/// output holds fragments its own template does not include.
fn templates_hash(t: &Templates) -> u64 {
    super::fingerprint::hash_of(&[
        t.deps_hash(HEADER),
        t.deps_hash(FOOTER),
        t.deps_hash(CARD),
        t.deps_hash(LINK_ITEM),
    ])
}

#[cfg(test)]
mod tests {
    use crate::urls::depth as depth_of;

    #[test]
    fn depth_counts_the_folders_of_the_page() {
        assert_eq!(depth_of(""), 0);
        assert_eq!(depth_of("404.html"), 0);
        assert_eq!(depth_of("guides/"), 1);
        assert_eq!(depth_of("guides/x/"), 2);
        assert_eq!(depth_of("tags/scrum/page/2/"), 4);
        assert_eq!(depth_of("a/b.html"), 1);
    }
}
