//! SPEC §6: every value from front matter and site.yaml is escaped in every template of the
//! default theme; JSON-LD survives `</script>` inside its strings; `javascript:` aliases are
//! refused.

mod common;

use std::fs;
use std::path::Path;

use common::Site;
use common::hardening::small_site;
use scraper::{Html, Selector};

const XSS: &str = "<script>alert(1)</script>";
const BREAKOUT: &str = "</script><script>x</script>";

/// A YAML double-quoted string holding `s`.
fn q(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

fn hostile_site() -> (Site, String) {
    let site = Site::new();
    let evil = format!("{XSS} & {BREAKOUT} \" ' <!-- -->");
    let title = format!("PO vs SM {XSS} {BREAKOUT}");
    site.put(
        "site.yaml",
        format!(
            "title: {t}\nbase_url: https://example.org/guides/\ndescription: {d}\nauthor: {a}\nlanguage: {l}\nextra:\n  tagline: {d}\n",
            t = q(&format!("Site {XSS}")),
            d = q(&evil),
            a = q(&format!("Author {BREAKOUT}")),
            l = q("en\"><script>alert(1)</script>"),
        ),
    );
    site.put(
        "content/guides/_index.md",
        format!(
            "---\ntitle: {}\ndescription: {}\n---\n\nThe guides.\n",
            q(&format!("Guides {XSS}")),
            q(&evil)
        ),
    );
    site.put(
        "content/roles/scrum-master.md",
        format!(
            "---\ntitle: {}\ndescription: {}\n---\n\nThe role hub.\n",
            q(&format!("Scrum Master {XSS}")),
            q(&evil)
        ),
    );
    site.put(
        "content/roles/product-owner.md",
        format!(
            "---\ntitle: {}\n---\n\nAnother hub.\n",
            q(&format!("Product Owner {BREAKOUT}"))
        ),
    );
    site.put(
        "content/guides/po-vs-sm.md",
        format!(
            "---\ntitle: {title}\ndescription: {desc}\ndate: 2026-03-14\nroles: [product-owner, scrum-master]\ntags: [{t1}, {t2}, agile]\naliases: [/old/po-vs-sm/]\nfaq:\n  - q: {fq}\n    a: {fa}\n  - q: {fa}\n    a: {fq}\nextra:\n  note: {desc}\n---\n\n## 1. Focus\n\n- The Product Owner: value.\n- The Scrum Master: process.\n\n## 2. Events\n\n- The Product Owner's part: the review.\n- The Scrum Master's part: every event.\n\nRead more: Scrum Master basics\n",
            title = q(&title),
            desc = q(&evil),
            t1 = q(XSS),
            t2 = q(BREAKOUT),
            fq = q(&format!("Is {XSS} a question?")),
            fa = q(&format!("Answer {BREAKOUT}")),
        ),
    );
    site.put(
        "content/guides/scrum-master-basics.md",
        format!(
            "---\ntitle: Scrum Master basics\ndescription: {}\nroles: [scrum-master]\nrelated: [po-vs-sm]\n---\n\nThe basics. [[{}]]\n",
            q(&evil),
            "po-vs-sm"
        ),
    );
    (site, title)
}

/// Every string inside a JSON value.
fn json_strings(v: &serde_json::Value) -> Vec<String> {
    match v {
        serde_json::Value::String(s) => vec![s.clone()],
        serde_json::Value::Array(a) => a.iter().flat_map(json_strings).collect(),
        serde_json::Value::Object(m) => m.values().flat_map(json_strings).collect(),
        _ => Vec::new(),
    }
}

fn html_files(dir: &Path) -> Vec<std::path::PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| e.into_path())
        .collect()
}

#[test]
fn front_matter_and_config_values_are_escaped_everywhere() {
    let (site, title) = hostile_site();
    site.build_long(&[]).assert_ok();
    let out = site.output();
    let files = html_files(&out);
    assert!(files.len() >= 8, "{files:?}");
    let script = Selector::parse("script").unwrap();
    let mut jsonld_seen = 0;
    for f in &files {
        let text = fs::read_to_string(f).unwrap();
        let rel = f.strip_prefix(&out).unwrap().display().to_string();
        let doc = Html::parse_document(&text);
        for s in doc.select(&script) {
            let ty = s.value().attr("type").unwrap_or("");
            let body: String = s.text().collect();
            if let Some(src) = s.value().attr("src") {
                // The theme's own script file: no inline code, nothing from a value.
                assert!(
                    body.trim().is_empty()
                        && src.ends_with("/search.js")
                        && (src.starts_with("/guides/")
                            || src.starts_with("https://example.org/guides/")),
                    "{rel}: unexpected script {}",
                    s.html()
                );
                continue;
            }
            assert_eq!(
                ty,
                "application/ld+json",
                "{rel}: a <script> that is not JSON-LD: {}",
                s.html()
            );
            let json: serde_json::Value = serde_json::from_str(&body)
                .unwrap_or_else(|e| panic!("{rel}: JSON-LD does not parse ({e}): {body}"));
            if rel == "guides/po-vs-sm/index.html" {
                let strings = json_strings(&json);
                assert!(
                    strings.iter().any(|s| s.contains(&title)),
                    "{rel}: JSON-LD lacks the title: {json}"
                );
                assert!(
                    strings.iter().any(|s| s.contains(BREAKOUT)),
                    "{rel}: JSON-LD lacks the FAQ answer: {json}"
                );
                jsonld_seen += 1;
            }
        }
        // No element, attribute name or event handler came out of a value.
        for el in doc
            .root_element()
            .descendants()
            .filter_map(scraper::ElementRef::wrap)
        {
            for (name, _) in el.value().attrs() {
                assert!(
                    !name.starts_with("on") && !name.contains('<') && !name.contains('"'),
                    "{rel}: attribute {name:?} on <{}>",
                    el.value().name()
                );
            }
        }
        for needle in [XSS, "<script>x"] {
            if let Some(i) = text.find(needle) {
                let start = text[..i].char_indices().rev().nth(80).map_or(0, |(b, _)| b);
                panic!(
                    "{rel} holds an unescaped {needle:?}: …{}…",
                    &text[start..(i + needle.len()).min(text.len())]
                );
            }
        }
    }
    assert!(jsonld_seen >= 1, "the article has no JSON-LD");

    // The title is shown as text, exactly as written.
    let page = Html::parse_document(&site.read("guides/po-vs-sm/index.html"));
    let h1 = Selector::parse("h1").unwrap();
    let shown: String = page.select(&h1).next().unwrap().text().collect();
    assert!(shown.contains(&title), "h1 is {shown:?}");
    let t = Selector::parse("title").unwrap();
    let shown: String = page.select(&t).next().unwrap().text().collect();
    assert!(shown.contains(&title), "<title> is {shown:?}");
    // The FAQ from front matter, as text.
    assert!(
        page.root_element()
            .text()
            .collect::<String>()
            .contains(&format!("Is {XSS} a question?")),
        "FAQ question missing"
    );
}

#[test]
fn feeds_and_sitemap_stay_well_formed_xml() {
    let (site, title) = hostile_site();
    site.build_long(&[]).assert_ok();
    for f in ["atom.xml", "sitemap.xml"] {
        let text = site.read(f);
        let doc = roxmltree::Document::parse(&text)
            .unwrap_or_else(|e| panic!("{f} is not well-formed: {e}"));
        if f == "atom.xml" {
            let all: String = doc.descendants().filter_map(|n| n.text()).collect();
            assert!(all.contains(&title), "atom.xml lacks the title");
        }
    }
    let index: serde_json::Value = serde_json::from_str(&site.read("search-index.json")).unwrap();
    assert!(json_strings(&index).iter().any(|s| s.contains(&title)));
}

#[test]
fn alias_redirect_pages_escape_the_title() {
    let (site, title) = hostile_site();
    site.build_long(&[]).assert_ok();
    let text = site.read("old/po-vs-sm/index.html");
    assert!(!text.contains(XSS));
    let doc = Html::parse_document(&text);
    let a = Selector::parse("a").unwrap();
    let link: String = doc.select(&a).next().unwrap().text().collect();
    assert_eq!(link, title);
}

#[test]
fn script_urls_in_aliases_are_refused() {
    for alias in [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "//evil.example/x",
        "https://evil.example/x",
        "\\\\evil.example\\x",
    ] {
        let site = small_site();
        site.put(
            "content/guides/aliased.md",
            format!(
                "---\ntitle: Aliased\naliases: [{}]\n---\n\nBody.\n",
                q(alias)
            ),
        );
        let run = site.build_long(&[]);
        run.assert_code(1).assert_names("content/guides/aliased.md");
        assert!(!site.output().exists(), "alias {alias:?} wrote output");
    }
}

#[test]
fn markdown_link_text_and_urls_from_bodies_keep_escaping() {
    // Bodies are the author's HTML, but what rolebook itself derives from them (heading ids,
    // the table of contents, cards) must not turn text into markup.
    let site = small_site();
    site.put(
        "content/guides/headings.md",
        "---\ntitle: Headings\n---\n\n## A &lt;script&gt;alert(1)&lt;/script&gt; heading\n\n## `</script><script>x</script>` in code\n\nText.\n",
    );
    site.build_long(&[]).assert_ok();
    let text = site.read("guides/headings/index.html");
    assert!(!text.contains(XSS), "{text}");
    assert!(!text.contains("<script>x"), "{text}");
}
