//! What every template starts from, made once per build: the base context (configuration,
//! navigation, taxonomies, URL settings) and each section as an article's page sees it.

use serde::Serialize;
use tera::Context;

use crate::model::Site;

/// The context every template starts from: configuration, navigation and URL settings.
pub fn base_context(site: &Site) -> (Context, u64) {
    #[derive(Serialize)]
    struct Nav<'a> {
        title: &'a str,
        path: &'a str,
        description: &'a str,
        count: usize,
    }
    #[derive(Serialize)]
    struct TaxNav<'a> {
        name: &'a str,
        path: &'a str,
        terms: Vec<TermNav<'a>>,
    }
    #[derive(Serialize)]
    struct TermNav<'a> {
        name: &'a str,
        slug: &'a str,
        path: &'a str,
        count: usize,
    }
    let mut ctx = Context::new();
    ctx.insert("config", &site.config);
    let home = &site.sections[0];
    let nav: Vec<Nav<'_>> = home
        .subsections
        .iter()
        .map(|&i| {
            let s = &site.sections[i];
            Nav {
                title: &s.title,
                path: &s.path,
                description: &s.description,
                count: s.pages.len(),
            }
        })
        .collect();
    ctx.insert("nav_sections", &nav);
    let taxonomies: Vec<TaxNav<'_>> = site
        .taxonomies
        .iter()
        .map(|t| TaxNav {
            name: &t.name,
            path: &t.path,
            terms: t
                .terms
                .iter()
                .map(|x| TermNav {
                    name: &x.name,
                    slug: &x.slug,
                    path: &x.path,
                    count: x.pages.len(),
                })
                .collect(),
        })
        .collect();
    ctx.insert("taxonomies", &taxonomies);
    // What `get_url` reads: the base path links start with, or none for URLs relative to
    // `current_path` (one value, so each link makes one lookup).
    let href_base = (!site.config.relative_urls).then_some(&site.config.base_path);
    ctx.insert("__href_base", &href_base);
    ctx.insert("__base_url", &site.config.base_url);
    let hash = super::fingerprint::hash_json(&(&site.config, &nav, &taxonomies));
    (ctx, hash)
}

/// Each section as an article's page sees it, made once per build rather than per page.
pub fn section_values(site: &Site) -> Vec<tera::Value> {
    site.sections
        .iter()
        .map(|s| {
            tera::Value::from_serializable(&serde_json::json!({
                "title": s.title, "path": s.path, "description": s.description,
            }))
        })
        .collect()
}
