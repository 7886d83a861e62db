//! Every output file is a `Job`: pages, section and taxonomy listings (paginated), feeds,
//! sitemap, robots, search index (entry point, body shards and search page), 404, alias
//! redirects (HTML pages and `_redirects`) and `.nojekyll`. `run` renders one job.

use rayon::prelude::*;
use tera::Context;

use super::context::{PageOwn, page_view, pager_path, paginator};
use super::{OutputFile, RenderCtx, feeds, structured};
use crate::diagnostics::Diagnostic;
use crate::model::Site;
use crate::render::markdown::escape_attr;

/// One output of the build.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Job {
    Page(usize),
    /// A section listing page (1-based page number); the home section is section 0.
    Section {
        section: usize,
        page: usize,
    },
    TaxonomyList(usize),
    TaxonomyTerm {
        taxonomy: usize,
        term: usize,
        page: usize,
    },
    Alias {
        page: usize,
        alias: usize,
    },
    NotFound,
    Sitemap,
    Feed,
    Robots,
    /// `search-index.json`: every article's title, URL, description, roles, tags, headings.
    SearchIndex,
    /// `search/shard-N.json`: the body text of the articles hashed to shard N.
    SearchShard(usize),
    /// `search/index.html`, the search page.
    Search,
    /// `.nojekyll`: GitHub Pages serves the output as is.
    NoJekyll,
    /// `_redirects`: aliases for Netlify and Cloudflare Pages.
    Redirects,
}

/// Site path of the search page.
pub const SEARCH_PATH: &str = "search/";

/// Number of listing pages for `n` items.
pub fn pages_for(n: usize, per: usize) -> usize {
    n.div_ceil(per.max(1)).max(1)
}

/// Every job of a site.
pub fn all_jobs(site: &Site) -> Vec<Job> {
    let mut jobs: Vec<Job> = (0..site.pages.len()).map(Job::Page).collect();
    let per = site.config.paginate;
    for (i, s) in site.sections.iter().enumerate() {
        let n = if s.dir.is_empty() {
            1
        } else {
            pages_for(s.pages.len(), per)
        };
        jobs.extend((1..=n).map(|page| Job::Section { section: i, page }));
    }
    for (t, tax) in site.taxonomies.iter().enumerate() {
        jobs.push(Job::TaxonomyList(t));
        for (k, term) in tax.terms.iter().enumerate() {
            jobs.extend(
                (1..=pages_for(term.pages.len(), per)).map(|page| Job::TaxonomyTerm {
                    taxonomy: t,
                    term: k,
                    page,
                }),
            );
        }
    }
    for (i, p) in site.pages.iter().enumerate() {
        jobs.extend((0..p.aliases.len()).map(|alias| Job::Alias { page: i, alias }));
    }
    jobs.extend([
        Job::NotFound,
        Job::Sitemap,
        Job::Robots,
        Job::SearchIndex,
        Job::NoJekyll,
        Job::Redirects,
    ]);
    jobs.extend((0..feeds::shard_count(site.pages.len())).map(Job::SearchShard));
    // A site's own page or section at `search/` wins over the built-in search page.
    let taken = site.pages.iter().any(|p| p.path == SEARCH_PATH)
        || site.sections.iter().any(|s| s.path == SEARCH_PATH);
    if !taken {
        jobs.push(Job::Search);
    }
    if site.config.feed {
        jobs.push(Job::Feed);
    }
    jobs
}

/// The output file a job writes.
pub fn output_path(site: &Site, job: &Job) -> String {
    match job {
        Job::Page(i) => file_of(&site.pages[*i].path),
        Job::Section { section, page } => {
            file_of(&pager_path(&site.sections[*section].path, *page))
        }
        Job::TaxonomyList(t) => file_of(&site.taxonomies[*t].path),
        Job::TaxonomyTerm {
            taxonomy,
            term,
            page,
        } => file_of(&pager_path(
            &site.taxonomies[*taxonomy].terms[*term].path,
            *page,
        )),
        Job::Alias { page, alias } => {
            crate::resolve::alias_path(&site.pages[*page].aliases[*alias])
                .map(|p| file_of(&p))
                .unwrap_or_default()
        }
        Job::NotFound => "404.html".into(),
        Job::Sitemap => "sitemap.xml".into(),
        Job::Feed => "atom.xml".into(),
        Job::Robots => "robots.txt".into(),
        Job::SearchIndex => "search-index.json".into(),
        Job::SearchShard(k) => feeds::shard_file(*k),
        Job::Search => file_of(SEARCH_PATH),
        Job::NoJekyll => ".nojekyll".into(),
        Job::Redirects => "_redirects".into(),
    }
}

fn html(path: String, body: String) -> Vec<OutputFile> {
    vec![OutputFile {
        path,
        bytes: body.into_bytes(),
    }]
}

/// Output file of a site path (`guides/x/` → `guides/x/index.html`).
pub fn file_of(path: &str) -> String {
    [path, "index.html"].concat() // every job, every rebuild: no `format!`
}

/// Renders one job.
pub fn run(c: &RenderCtx<'_>, job: &Job) -> Result<Vec<OutputFile>, Diagnostic> {
    let site = c.site;
    match job {
        Job::Page(i) => {
            let p = &site.pages[*i];
            let r = &c.rendered[*i];
            let base = &c.refs[*i];
            let faq = if p.faq.is_empty() { &r.faq } else { &p.faq };
            let own = PageOwn {
                content: &r.html,
                toc: &r.toc,
                headings: &r.headings,
                faq,
                faq_in_body: p.faq.is_empty() && !r.faq.is_empty(),
                aliases: &p.aliases,
                jsonld: structured::article_jsonld(site, p, base, faq),
                comparison: &c.comparisons[*i],
                file: &p.file,
            };
            // The body, its JSON-LD and table, and the theme's 10–15 KB around them.
            let size = r.html.len() + own.jsonld.len() + own.comparison.len() + 16 * 1024;
            let items = |list: &[usize]| c.fragments.items(c, list).map_err(|d| locate(d, &p.file));
            let items = (items(&p.related)?, items(&p.backlinks)?);
            let mut ctx = c.base.clone();
            ctx.insert_value("page", page_view(&c.values, *i, &own, p, items));
            if let Some(k) = site.sections.iter().position(|s| s.dir == p.section) {
                ctx.insert_value("section", c.section_values[k].clone());
            }
            c.fragments
                .place(c, &mut ctx, &p.path, false)
                .map_err(|d| locate(d, &p.file))?;
            let tpl = p
                .template
                .as_deref()
                .filter(|t| c.templates.has(t))
                .unwrap_or("page.html");
            let out = c
                .templates
                .render_sized(tpl, &ctx, size)
                .map_err(|d| locate(d, &p.file))?;
            Ok(vec![OutputFile {
                path: file_of(&p.path),
                bytes: out,
            }])
        }
        Job::Section { section, page } => {
            let s = &site.sections[*section];
            let is_home = s.dir.is_empty();
            // The home lists the newest articles of the whole site (sorted once per build).
            let list: &[usize] = if is_home { &c.home } else { &s.pages };
            let per = site.config.paginate.max(1);
            let total = if is_home {
                1
            } else {
                pages_for(list.len(), per)
            };
            let chunk: Vec<usize> = if is_home {
                list.iter().take(per).copied().collect()
            } else {
                list.iter()
                    .skip((page - 1) * per)
                    .take(per)
                    .copied()
                    .collect()
            };
            let path = pager_path(&s.path, *page);
            let subsections: Vec<serde_json::Value> = s
                .subsections
                .iter()
                .map(|&k| {
                    let x = &site.sections[k];
                    serde_json::json!({"title": x.title, "path": x.path, "description": x.description, "count": x.pages.len()})
                })
                .collect();
            let mut ctx = c.base.clone();
            ctx.insert("section", &serde_json::json!({
                "title": s.title, "description": s.description, "path": s.path, "permalink": site.config.permalink(&s.path),
                "content": c.section_html[*section], "extra": s.extra, "subsections": subsections, "count": s.pages.len(),
            }));
            ctx.insert("paginator", &paginator(&s.path, *page, total));
            if is_home {
                // Articles that compare two or more roles, for the home page's showcase.
                let comparisons = list
                    .iter()
                    .copied()
                    .filter(|&i| c.refs[i].roles.len() >= 2)
                    .take(6);
                ctx.insert_value("comparisons", c.values.list(comparisons));
            }
            let placed = c.fragments.listed(c, chunk, &path, &ctx).and_then(|pages| {
                ctx.insert_value("pages", pages);
                c.fragments.place(c, &mut ctx, &path, false)
            });
            let default = if is_home {
                "index.html"
            } else {
                "section.html"
            };
            let tpl = s
                .template
                .as_deref()
                .filter(|t| c.templates.has(t))
                .unwrap_or(default);
            let out = placed.and_then(|()| c.templates.render(tpl, &ctx));
            let out = match &s.file {
                Some(f) => out.map_err(|d| locate(d, f))?,
                None => out?,
            };
            Ok(html(file_of(&path), out))
        }
        Job::TaxonomyList(t) => {
            let tax = &site.taxonomies[*t];
            let terms: Vec<serde_json::Value> = tax
                .terms
                .iter()
                .enumerate()
                .map(|(k, term)| {
                    serde_json::json!({
                        "name": term.name, "slug": term.slug, "path": term.path, "count": term.pages.len(),
                        "description": term.intro.as_ref().map(|i| i.description.clone()).unwrap_or_default(),
                        "extra": term.intro.as_ref().map(|i| i.extra.clone()).unwrap_or_default(),
                        "has_intro": c.term_html.contains_key(&(*t, k)),
                    })
                })
                .collect();
            let mut ctx = c.base.clone();
            let title = taxonomy_title(tax);
            ctx.insert("taxonomy", &serde_json::json!({
                "name": tax.name, "title": title, "path": tax.path, "terms": terms,
                "description": tax.intro.as_ref().map(|i| i.description.clone()).unwrap_or_default(),
                "content": c.taxonomy_html[*t],
            }));
            c.fragments.place(c, &mut ctx, &tax.path, false)?;
            let out = c.templates.render("taxonomy_list.html", &ctx)?;
            Ok(html(file_of(&tax.path), out))
        }
        Job::TaxonomyTerm {
            taxonomy,
            term,
            page,
        } => {
            let tax = &site.taxonomies[*taxonomy];
            let t = &tax.terms[*term];
            let per = site.config.paginate.max(1);
            let total = pages_for(t.pages.len(), per);
            let chunk: Vec<usize> = t
                .pages
                .iter()
                .skip((page - 1) * per)
                .take(per)
                .copied()
                .collect();
            let path = pager_path(&t.path, *page);
            let mut ctx = c.base.clone();
            let title = taxonomy_title(tax);
            ctx.insert(
                "taxonomy",
                &serde_json::json!({"name": tax.name, "title": title, "path": tax.path}),
            );
            ctx.insert("term", &serde_json::json!({
                "name": t.name, "slug": t.slug, "path": t.path, "permalink": site.config.permalink(&t.path), "count": t.pages.len(),
                "description": t.intro.as_ref().map(|i| i.description.clone()).unwrap_or_default(),
                "content": c.term_html.get(&(*taxonomy, *term)).cloned().unwrap_or_default(),
                "extra": t.intro.as_ref().map(|i| i.extra.clone()).unwrap_or_default(),
            }));
            ctx.insert("paginator", &paginator(&t.path, *page, total));
            let placed = term_groups(c, &chunk, &path, &ctx).and_then(|groups| {
                let pages = c.fragments.listed(c, chunk, &path, &ctx)?;
                ctx.insert_value("groups", groups);
                ctx.insert_value("pages", pages);
                c.fragments.place(c, &mut ctx, &path, false)
            });
            let out = placed.and_then(|()| c.templates.render("taxonomy_term.html", &ctx));
            let out = match &t.intro {
                Some(i) => out.map_err(|d| locate(d, &i.file))?,
                None => out?,
            };
            Ok(html(file_of(&path), out))
        }
        Job::Alias { page, alias } => {
            let p = &site.pages[*page];
            let Some(from) = crate::resolve::alias_path(&p.aliases[*alias]) else {
                return Ok(Vec::new());
            };
            let target = c.urls.href(&from, &p.path);
            let canonical = site.config.permalink(&p.path);
            let body = format!(
                "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>Redirecting to {title}</title>\n<link rel=\"canonical\" href=\"{canonical}\">\n<meta name=\"robots\" content=\"noindex\">\n<meta http-equiv=\"refresh\" content=\"0; url={target}\">\n</head>\n<body>\n<p>This page has moved to <a href=\"{target}\">{title}</a>.</p>\n</body>\n</html>\n",
                lang = escape_attr(&site.config.language),
                title = escape_attr(&p.title),
                canonical = escape_attr(&canonical),
                target = escape_attr(&target),
            );
            Ok(html(file_of(&from), body))
        }
        Job::NotFound => {
            let mut ctx = c.base.clone();
            // Served at any URL: its links must not be relative.
            ctx.insert("__href_base", &site.config.base_path);
            c.fragments.place(c, &mut ctx, "404.html", true)?;
            let out = c.templates.render("404.html", &ctx)?;
            Ok(html("404.html".into(), out))
        }
        Job::Sitemap => Ok(vec![OutputFile {
            path: "sitemap.xml".into(),
            bytes: feeds::sitemap(c).into_bytes(),
        }]),
        Job::Feed => Ok(vec![OutputFile {
            path: "atom.xml".into(),
            bytes: feeds::atom(c).into_bytes(),
        }]),
        Job::Robots => Ok(vec![OutputFile {
            path: "robots.txt".into(),
            bytes: format!(
                "User-agent: *\nAllow: /\n\nSitemap: {}\n",
                site.config.permalink("sitemap.xml")
            )
            .into_bytes(),
        }]),
        Job::SearchIndex => Ok(vec![OutputFile {
            path: "search-index.json".into(),
            bytes: feeds::search_index(c).into_bytes(),
        }]),
        Job::SearchShard(k) => Ok(vec![feeds::shard(
            site,
            &c.urls,
            &c.shards,
            *k,
            &c.rendered,
        )]),
        Job::Search => {
            let mut ctx = c.base.clone();
            c.fragments.place(c, &mut ctx, SEARCH_PATH, false)?;
            let out = c.templates.render("search.html", &ctx)?;
            Ok(html(file_of(SEARCH_PATH), out))
        }
        Job::NoJekyll => Ok(vec![OutputFile {
            path: ".nojekyll".into(),
            bytes: Vec::new(),
        }]),
        Job::Redirects => Ok(vec![OutputFile {
            path: "_redirects".into(),
            bytes: feeds::redirects(c).into_bytes(),
        }]),
    }
}

/// The home page lists the newest articles of the whole site.
pub fn home_pages(site: &Site) -> Vec<usize> {
    let mut all: Vec<usize> = (0..site.pages.len()).collect();
    // Paths are unique, so the order is total and an unstable sort gives the same list.
    all.par_sort_unstable_by(|&a, &b| {
        let (pa, pb) = (&site.pages[a], &site.pages[b]);
        pb.date
            .cmp(&pa.date)
            .then_with(|| pa.title.cmp(&pb.title))
            .then_with(|| pa.path.cmp(&pb.path))
    });
    all
}

/// A template error while rendering a page also names the page.
fn locate(mut d: Diagnostic, file: &str) -> Diagnostic {
    if d.file.is_none() {
        d.message = format!("{} (while rendering {file})", d.message);
    } else {
        d.help = Some(format!(
            "{} while rendering {file}",
            d.help.unwrap_or_default()
        ));
    }
    d
}

/// A term page's articles in groups, for role hubs: the comparisons (articles naming two or
/// more roles) first, then the rest by section (guides, certifications, ...), sections in
/// their own order. Each group is `{key, title, path, pages}`; `key` is `comparisons` or the
/// section's folder.
fn term_groups(
    c: &RenderCtx<'_>,
    chunk: &[usize],
    at: &str,
    listing: &Context,
) -> Result<tera::Value, Diagnostic> {
    let site = c.site;
    let group = |key: &str, title: &str, path: &str, pages: Vec<usize>| {
        let mut m = tera::Map::new();
        m.insert("key".into(), key.into());
        m.insert("title".into(), title.into());
        m.insert("path".into(), path.into());
        m.insert("pages".into(), c.fragments.listed(c, pages, at, listing)?);
        Ok::<_, Diagnostic>(tera::Value::from(m))
    };
    let mut groups = Vec::new();
    let comparisons: Vec<usize> = chunk
        .iter()
        .copied()
        .filter(|&i| c.refs[i].roles.len() >= 2)
        .collect();
    if !comparisons.is_empty() {
        groups.push(group("comparisons", "Comparisons", "", comparisons)?);
    }
    let mut sections: Vec<&crate::model::Section> = site.sections.iter().collect();
    sections.sort_by(|a, b| {
        a.weight
            .unwrap_or(i64::MAX)
            .cmp(&b.weight.unwrap_or(i64::MAX))
            .then_with(|| a.title.cmp(&b.title))
    });
    for s in sections {
        let pages: Vec<usize> = chunk
            .iter()
            .copied()
            .filter(|&i| c.refs[i].roles.len() < 2 && c.refs[i].section == s.dir)
            .collect();
        if !pages.is_empty() {
            groups.push(group(&s.dir, &s.title, &s.path, pages)?);
        }
    }
    Ok(tera::Value::from(groups))
}

/// A taxonomy's title: its introduction's, else its name title-cased (`roles` → `Roles`).
fn taxonomy_title(tax: &crate::model::Taxonomy) -> String {
    tax.intro
        .as_ref()
        .and_then(|i| i.title.clone())
        .unwrap_or_else(|| crate::slug::title_case(&tax.name))
}
