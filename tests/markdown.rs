//! Markdown rendering: every extension of SPEC §6 (tables, footnotes, strikethrough, task
//! lists, smart punctuation, heading attributes), unique heading ids with anchor links, the
//! table of contents, and template syntax in a body kept as literal text.

mod common;

use common::{Site, hrefs, one, prose, select, text};
use scraper::Html;

/// Builds one article with `body` and returns its page.
fn page(body: &str) -> Html {
    let site = Site::new()
        .article("content/guides/p.md", "P", body)
        .build_ok();
    site.html("guides/p/index.html")
}

#[test]
fn tables() {
    let doc = page("| Role | Owns |\n|------|------|\n| PO | Backlog |\n| SM | Process |\n");
    let body = prose(&doc);
    let heads: Vec<String> = body
        .select(&common::sel("table thead th"))
        .map(text)
        .collect();
    assert_eq!(heads, ["Role", "Owns"]);
    let cells: Vec<String> = body
        .select(&common::sel("table tbody td"))
        .map(text)
        .collect();
    assert_eq!(cells, ["PO", "Backlog", "SM", "Process"]);
}

#[test]
fn footnotes() {
    let doc = page("The Scrum Guide says so.[^guide]\n\n[^guide]: The 2020 edition.\n");
    let body = prose(&doc);
    let refs: Vec<_> = body.select(&common::sel("sup a[href^='#']")).collect();
    assert_eq!(refs.len(), 1, "one footnote reference");
    let target = refs[0].value().attr("href").unwrap_or_default();
    let id = target.trim_start_matches('#');
    let def = body
        .select(&common::sel("[id]"))
        .find(|e| e.value().id() == Some(id))
        .unwrap_or_else(|| panic!("no footnote definition with id {id:?}"));
    assert!(text(def).contains("The 2020 edition."), "{}", text(def));
    // The definition is not left as literal text.
    assert!(!text(body).contains("[^guide]"));
}

#[test]
fn strikethrough() {
    let doc = page("Daily standups are ~~optional~~ essential.\n");
    let del = select(&doc, ".prose del");
    assert_eq!(del.len(), 1);
    assert_eq!(text(del[0]), "optional");
}

#[test]
fn task_lists() {
    let doc = page("- [ ] write the sprint goal\n- [x] refine the backlog\n");
    let boxes = select(&doc, ".prose li input[type=checkbox]");
    assert_eq!(boxes.len(), 2);
    assert!(boxes[0].value().attr("checked").is_none());
    assert!(boxes[1].value().attr("checked").is_some());
    let items: Vec<String> = select(&doc, ".prose li").into_iter().map(text).collect();
    assert_eq!(items, ["write the sprint goal", "refine the backlog"]);
}

#[test]
fn smart_punctuation() {
    let doc = page("The \"product owner\" isn't a 'proxy' -- ever...\n");
    let p = text(one(&doc, ".prose p"));
    assert_eq!(
        p,
        "The \u{201c}product owner\u{201d} isn\u{2019}t a \u{2018}proxy\u{2019} \u{2013} ever\u{2026}"
    );
}

#[test]
fn heading_attributes_set_id_and_class() {
    let doc = page("## Roles at a glance {#custom .wide}\n\nText.\n");
    let h = one(&doc, ".prose h2");
    assert_eq!(h.value().id(), Some("custom"));
    assert!(h.value().classes().any(|c| c == "wide"));
    assert!(text(h).starts_with("Roles at a glance"));
    assert!(!text(h).contains("{#custom"));
}

#[test]
fn duplicate_headings_get_unique_ids() {
    let doc = page("## Summary\n\nA.\n\n## Summary\n\nB.\n\n## Summary\n\nC.\n");
    let ids: Vec<&str> = select(&doc, ".prose h2")
        .into_iter()
        .filter_map(|h| h.value().id())
        .collect();
    assert_eq!(ids, ["summary", "summary-1", "summary-2"]);
}

#[test]
fn explicit_id_does_not_collide_with_generated_one() {
    let doc = page("## X {#x-1}\n\n## X\n\n## X\n");
    let ids: Vec<&str> = select(&doc, ".prose h2")
        .into_iter()
        .filter_map(|h| h.value().id())
        .collect();
    assert_eq!(ids.len(), 3);
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 3, "ids must be unique: {ids:?}");
    assert_eq!(ids[0], "x-1");
}

#[test]
fn headings_have_anchor_links_to_themselves() {
    let doc = page("## First part\n\nA.\n\n### Second part\n\nB.\n");
    for h in select(&doc, ".prose h2, .prose h3") {
        let id = h.value().id().expect("heading has an id");
        let anchors: Vec<String> = h
            .select(&common::sel("a[href]"))
            .filter_map(|a| a.value().attr("href").map(str::to_string))
            .collect();
        assert_eq!(anchors, [format!("#{id}")], "heading {id}");
    }
}

#[test]
fn unicode_heading_gets_ascii_id() {
    let doc = page("## Rôle de l’équipe\n");
    let h = one(&doc, ".prose h2");
    assert_eq!(h.value().id(), Some("role-de-lequipe"));
}

#[test]
fn table_of_contents_links_to_heading_ids() {
    let doc = page("## Accountability\n\nA.\n\n### Sub point\n\nB.\n\n## Events\n\nC.\n");
    let ids: Vec<String> = select(&doc, ".prose h2, .prose h3")
        .into_iter()
        .filter_map(|h| h.value().id().map(str::to_string))
        .collect();
    let toc = hrefs(&doc, "nav.toc a[href]");
    let want: Vec<String> = ids.iter().map(|id| format!("#{id}")).collect();
    assert_eq!(toc, want);
    let labels: Vec<String> = select(&doc, "nav.toc a").into_iter().map(text).collect();
    assert_eq!(labels, ["Accountability", "Sub point", "Events"]);
}

#[test]
fn page_without_headings_has_no_toc() {
    let doc = page("Just a paragraph.\n");
    assert!(select(&doc, "nav.toc").is_empty());
}

#[test]
fn template_syntax_in_body_is_literal_text() {
    let body = "Liquid: {{ page.title }} and {{ name }}.\n\n{% if user %}hello{% endif %}\n\n{# a comment #}\n\n```\n{{ code }} {% raw %}\n```\n";
    let doc = page(body);
    let paragraphs: Vec<String> = select(&doc, ".prose p").into_iter().map(text).collect();
    assert_eq!(
        paragraphs,
        [
            "Liquid: {{ page.title }} and {{ name }}.",
            "{% if user %}hello{% endif %}",
            "{# a comment #}",
        ]
    );
    let code = text(one(&doc, ".prose pre code"));
    assert_eq!(code, "{{ code }} {% raw %}");
}

#[test]
fn template_syntax_in_title_is_literal_text() {
    let site = Site::new()
        .file(
            "content/t.md",
            "---\ntitle: \"Using {{ config.title }} in Hugo\"\n---\nBody.\n",
        )
        .build_ok();
    let doc = site.html("t/index.html");
    assert_eq!(text(one(&doc, "h1")), "Using {{ config.title }} in Hugo");
}

#[test]
fn raw_html_in_body_passes_through_and_front_matter_is_escaped() {
    let site = Site::new()
        .file(
            "content/t.md",
            "---\ntitle: \"<b>Bold</b> title\"\n---\n<div class=\"callout\">Raw</div>\n",
        )
        .build_ok();
    let doc = site.html("t/index.html");
    assert_eq!(text(one(&doc, ".prose div.callout")), "Raw");
    let h1 = one(&doc, "h1");
    assert!(h1.select(&common::sel("b")).next().is_none());
    assert_eq!(text(h1), "<b>Bold</b> title");
}
