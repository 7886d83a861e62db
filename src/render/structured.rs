//! schema.org JSON-LD for articles (and their FAQ), built with a JSON serialiser and made
//! safe for a `<script>` element.

use serde_json::{Value, json};

use super::context::PageRef;
use super::templates::script_safe_json;
use crate::model::{Page, Site};

/// The `Article` (and, with an FAQ, `FAQPage`) JSON-LD of a page.
pub fn article_jsonld(site: &Site, p: &Page, r: &PageRef, faq: &[crate::model::Faq]) -> String {
    let cfg = &site.config;
    let author = if cfg.author.is_empty() {
        cfg.title.clone()
    } else {
        cfg.author.clone()
    };
    let mut article = json!({
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": p.title,
        "url": r.permalink,
        "mainEntityOfPage": r.permalink,
        "author": {"@type": "Organization", "name": author},
        "publisher": {"@type": "Organization", "name": author, "url": cfg.base_url},
        "inLanguage": cfg.language,
        "wordCount": p.word_count,
    });
    if !p.description.is_empty() {
        article["description"] = Value::String(p.description.clone());
    }
    if let Some(d) = p.date {
        article["datePublished"] = Value::String(d.rfc3339());
    }
    if let Some(d) = p.updated.or(p.date) {
        article["dateModified"] = Value::String(d.rfc3339());
    }
    let keywords: Vec<&str> = r.tags.iter().map(|t| t.name.as_str()).collect();
    if !keywords.is_empty() {
        article["keywords"] = Value::String(keywords.join(", "));
    }
    let doc = if faq.is_empty() {
        article
    } else {
        let faq = json!({
            "@type": "FAQPage",
            "mainEntity": faq.iter().map(|f| json!({
                "@type": "Question",
                "name": f.q,
                "acceptedAnswer": {"@type": "Answer", "text": f.a},
            })).collect::<Vec<_>>(),
        });
        let mut a = article;
        if let Value::Object(m) = &mut a {
            m.remove("@context");
        }
        json!({"@context": "https://schema.org", "@graph": [a, faq]})
    };
    script_safe_json(&serde_json::to_string(&doc).unwrap_or_else(|_| "{}".into()))
}
