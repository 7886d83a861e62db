//! schema.org JSON-LD for articles (and their FAQ), built with a JSON serialiser and made
//! safe for a `<script>` element.

use serde::Serialize;

use super::context::PageRef;
use super::filters::script_safe_json;
use crate::model::{Faq, Page, Site};

const CONTEXT: &str = "https://schema.org";

/// The `Article` node. Fields are in the byte order of their names, the order the output has
/// always had (it used to be a sorted JSON map).
#[derive(Serialize)]
struct Article<'a> {
    #[serde(rename = "@context", skip_serializing_if = "Option::is_none")]
    context: Option<&'a str>,
    #[serde(rename = "@type")]
    kind: &'a str,
    author: Org<'a>,
    #[serde(rename = "dateModified", skip_serializing_if = "Option::is_none")]
    date_modified: Option<String>,
    #[serde(rename = "datePublished", skip_serializing_if = "Option::is_none")]
    date_published: Option<String>,
    #[serde(skip_serializing_if = "str::is_empty")]
    description: &'a str,
    headline: &'a str,
    #[serde(rename = "inLanguage")]
    in_language: &'a str,
    #[serde(skip_serializing_if = "String::is_empty")]
    keywords: String,
    #[serde(rename = "mainEntityOfPage")]
    main_entity_of_page: &'a str,
    publisher: Org<'a>,
    url: &'a str,
    #[serde(rename = "wordCount")]
    word_count: usize,
}

#[derive(Serialize)]
struct Org<'a> {
    #[serde(rename = "@type")]
    kind: &'a str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
}

/// An article with an FAQ: both nodes in one graph.
#[derive(Serialize)]
struct Graph<'a> {
    #[serde(rename = "@context")]
    context: &'a str,
    #[serde(rename = "@graph")]
    graph: (Article<'a>, FaqPage<'a>),
}

#[derive(Serialize)]
struct FaqPage<'a> {
    #[serde(rename = "@type")]
    kind: &'a str,
    #[serde(rename = "mainEntity")]
    main_entity: Vec<Question<'a>>,
}

#[derive(Serialize)]
struct Question<'a> {
    #[serde(rename = "@type")]
    kind: &'a str,
    #[serde(rename = "acceptedAnswer")]
    accepted_answer: Answer<'a>,
    name: &'a str,
}

#[derive(Serialize)]
struct Answer<'a> {
    #[serde(rename = "@type")]
    kind: &'a str,
    text: &'a str,
}

/// The `Article` (and, with an FAQ, `FAQPage`) JSON-LD of a page.
pub fn article_jsonld(site: &Site, p: &Page, r: &PageRef, faq: &[Faq]) -> String {
    let cfg = &site.config;
    let author = if cfg.author.is_empty() {
        &cfg.title
    } else {
        &cfg.author
    };
    let org = |url| Org {
        kind: "Organization",
        name: author,
        url,
    };
    let keywords: Vec<&str> = r.tags.iter().map(|t| t.name.as_str()).collect();
    let article = Article {
        context: faq.is_empty().then_some(CONTEXT),
        kind: "Article",
        author: org(None),
        date_modified: p.updated.or(p.date).map(|d| d.rfc3339()),
        date_published: p.date.map(|d| d.rfc3339()),
        description: &p.description,
        headline: &p.title,
        in_language: &cfg.language,
        keywords: keywords.join(", "),
        main_entity_of_page: &r.permalink,
        publisher: org(Some(&cfg.base_url)),
        url: &r.permalink,
        word_count: p.word_count,
    };
    let json = if faq.is_empty() {
        serde_json::to_string(&article)
    } else {
        let questions = faq.iter().map(|f| Question {
            kind: "Question",
            accepted_answer: Answer {
                kind: "Answer",
                text: &f.a,
            },
            name: &f.q,
        });
        serde_json::to_string(&Graph {
            context: CONTEXT,
            graph: (
                article,
                FaqPage {
                    kind: "FAQPage",
                    main_entity: questions.collect(),
                },
            ),
        })
    };
    script_safe_json(json.unwrap_or_else(|_| "{}".into()))
}
