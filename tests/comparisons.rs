//! Issue 8: comparison tables from plain Markdown, FAQ blocks and FAQPage JSON-LD, Article
//! JSON-LD that survives hostile titles, social meta tags, and role hubs.

mod common;

use common::{Site, hrefs, one, select, text};
use scraper::ElementRef;

const PO: &str = "---\ntitle: Product Owner\ndescription: Owns the backlog\nextra:\n  owns: The Product Backlog\n  serves: Stakeholders\n---\nThe PO hub.\n";
const SM: &str = "---\ntitle: Scrum Master\ndescription: Serves the team\n---\nThe SM hub.\n";

fn comparison(extra: &str) -> String {
    format!(
        "---\ntitle: PO vs SM\n{extra}---\nIntro paragraph.\n\n\
         ## 1. Shared Goal\n\nBoth care.\n\n\
         - The Product Owner maximises *value*.\n\
         - The Scrum Master's focus is the team.\n\n\
         Read more: Other\n\n\
         ## 2. Key Responsibilities:\n\n\
         - The Scrum Master coaches.\n\
         - The Product Owner orders the backlog.\n\n\
         ## 3. Notes\n\nNo bullets here.\n\n\
         ## 4. Decisions\n\n\
         - The Product Owner decides.\n\n\
         ## Frequently Asked Questions\n\n\
         ### Can one person do both?\n\nIt is not recommended.\n\n\
         **Who orders the backlog?**\n\nThe Product Owner, *always*.\n"
    )
}

fn site_with(article: &str) -> Site {
    Site::new()
        .file("content/roles/product-owner.md", PO)
        .file("content/roles/scrum-master.md", SM)
        .file("content/guides/po-vs-sm.md", article)
        .file("content/guides/other.md", "---\ntitle: Other\nroles: [scrum-master]\n---\n- The Scrum Master helps.\n- The Product Owner decides.\n\n## A\n\n- The Scrum Master x\n- The Product Owner y\n\n## B\n\n- The Scrum Master x\n- The Product Owner y\n")
}

/// A body row: the aspect and the text of each cell.
type Row = (String, Vec<String>);
/// A column head: the role's name and its link.
type Head = (String, Option<String>);

/// Every body row of the comparison table, and its column heads.
fn table(doc: &scraper::Html) -> (Vec<Row>, Vec<Head>) {
    let t = one(doc, "table.comparison-table");
    let heads: Vec<(String, Option<String>)> = t
        .select(&common::sel("thead th"))
        .skip(1)
        .map(|th| {
            (
                text(th),
                th.select(&common::sel("a"))
                    .next()
                    .and_then(|a| a.value().attr("href").map(String::from)),
            )
        })
        .collect();
    let rows = t
        .select(&common::sel("tbody tr"))
        .map(|tr: ElementRef<'_>| {
            let aspect = text(tr.select(&common::sel("th")).next().unwrap());
            let cells = tr.select(&common::sel("td")).map(text).collect();
            (aspect, cells)
        })
        .collect();
    (rows, heads)
}

#[test]
fn a_comparison_article_gets_an_at_a_glance_table() {
    let site = site_with(&comparison("roles: [product-owner, scrum-master]\n")).build_ok();
    let doc = site.html("guides/po-vs-sm/index.html");
    let (rows, heads) = table(&doc);
    assert_eq!(
        heads,
        [
            (
                "Product Owner".to_string(),
                Some("/roles/product-owner/".to_string())
            ),
            (
                "Scrum Master".to_string(),
                Some("/roles/scrum-master/".to_string())
            )
        ]
    );
    assert_eq!(
        rows,
        [
            (
                "Shared Goal".to_string(),
                vec![
                    "The Product Owner maximises value.".to_string(),
                    "The Scrum Master’s focus is the team.".to_string()
                ]
            ),
            (
                "Key Responsibilities".to_string(),
                vec![
                    "The Product Owner orders the backlog.".to_string(),
                    "The Scrum Master coaches.".to_string()
                ]
            ),
        ],
        "sections without a bullet per role are not rows"
    );
    // Each cell holds the whole bullet, markup included; the full text stays below.
    assert_eq!(select(&doc, "table.comparison-table td em").len(), 1);
    assert_eq!(select(&doc, ".prose li").len(), 5);
}

#[test]
fn compare_forces_roles_and_order_and_warns_about_a_missing_bullet() {
    let site = site_with(&comparison(
        "roles: [product-owner, scrum-master]\ncompare: [scrum-master, product-owner]\n",
    ));
    let run = site.build();
    run.assert_ok();
    let doc = site.html("guides/po-vs-sm/index.html");
    let (rows, heads) = table(&doc);
    assert_eq!(
        heads.iter().map(|h| h.0.as_str()).collect::<Vec<_>>(),
        ["Scrum Master", "Product Owner"]
    );
    assert_eq!(
        rows.len(),
        3,
        "forced: the one-bullet section is a row too: {rows:?}"
    );
    assert_eq!(rows[2].0, "Decisions");
    assert_eq!(rows[2].1, ["—", "The Product Owner decides."]);
    // The warning names the section's line (line 26 of the file: `## 4. Decisions`).
    run.assert_at("content/guides/po-vs-sm.md", 26)
        .assert_stderr_has("no bullet for Scrum Master");
}

#[test]
fn ordinary_articles_get_no_table() {
    let site = site_with(&comparison("roles: [product-owner]\n"))
        .file("content/guides/lists.md", "---\ntitle: Lists\nroles: [product-owner, scrum-master]\n---\n## One\n\n- apples\n- pears\n\n## Two\n\n- The Developers build.\n- The Stakeholders watch.\n")
        .build_ok();
    for page in ["guides/po-vs-sm/index.html", "guides/lists/index.html"] {
        assert!(
            select(&site.html(page), "table.comparison-table").is_empty(),
            "{page} has a table"
        );
    }
    // "Other" names one role: its bullets make no table either.
    assert!(
        select(
            &site.html("guides/other/index.html"),
            "table.comparison-table"
        )
        .is_empty()
    );
}

fn jsonld(doc: &scraper::Html) -> Vec<serde_json::Value> {
    select(doc, "script[type='application/ld+json']")
        .into_iter()
        .map(|s| {
            let t: String = s.text().collect();
            serde_json::from_str(&t).unwrap_or_else(|e| panic!("JSON-LD does not parse: {e}\n{t}"))
        })
        .collect()
}

fn faq_of(doc: &serde_json::Value) -> Vec<(String, String)> {
    let graph = doc["@graph"]
        .as_array()
        .cloned()
        .unwrap_or_else(|| vec![doc.clone()]);
    graph
        .iter()
        .filter(|n| n["@type"] == "FAQPage")
        .flat_map(|n| n["mainEntity"].as_array().cloned().unwrap_or_default())
        .map(|q| {
            (
                q["name"].as_str().unwrap_or("").to_string(),
                q["acceptedAnswer"]["text"]
                    .as_str()
                    .unwrap_or("")
                    .to_string(),
            )
        })
        .collect()
}

#[test]
fn faq_sections_render_as_details_and_faqpage_jsonld() {
    let site = site_with(&comparison("roles: [product-owner, scrum-master]\n")).build_ok();
    let doc = site.html("guides/po-vs-sm/index.html");
    let qs: Vec<String> = select(&doc, ".prose details summary")
        .into_iter()
        .map(text)
        .collect();
    assert_eq!(qs, ["Can one person do both?", "Who orders the backlog?"]);
    let answers: Vec<String> = select(&doc, ".prose details")
        .into_iter()
        .map(|d| text(d))
        .collect();
    assert!(
        answers[1].ends_with("The Product Owner, always."),
        "{answers:?}"
    );
    let ld = jsonld(&doc);
    let faq: Vec<(String, String)> = ld.iter().flat_map(faq_of).collect();
    assert_eq!(
        faq,
        [
            (
                "Can one person do both?".to_string(),
                "It is not recommended.".to_string()
            ),
            (
                "Who orders the backlog?".to_string(),
                "The Product Owner, always.".to_string()
            )
        ]
    );
}

#[test]
fn faq_front_matter_renders_a_block_and_jsonld() {
    let site = Site::new()
        .file("content/a.md", "---\ntitle: A\nfaq:\n  - q: First <question>?\n    a: First answer.\n  - q: Second?\n    a: Second answer.\n---\nBody.\n")
        .build_ok();
    let doc = site.html("a/index.html");
    let qs: Vec<String> = select(&doc, "details summary")
        .into_iter()
        .map(text)
        .filter(|t| t.ends_with('?'))
        .collect();
    assert_eq!(qs, ["First <question>?", "Second?"]);
    let faq: Vec<(String, String)> = jsonld(&doc).iter().flat_map(faq_of).collect();
    assert_eq!(faq.len(), 2);
    assert_eq!(faq[0].0, "First <question>?");
}

#[test]
fn every_article_has_article_jsonld_that_survives_a_script_title() {
    let title = "Ends </script><script>alert(1)</script> <!-- here";
    let site = Site::new()
        .file("site.yaml", "title: T\nbase_url: https://example.org/\nauthor: Agile Team\n")
        .file("content/g/x.md", format!("---\ntitle: '{title}'\ndescription: 'Desc </script>'\ndate: 2026-02-03\nupdated: 2026-02-04\ntags: [t]\n---\nBody.\n"))
        .file("content/g/y.md", "---\ntitle: Plain\n---\nBody.\n")
        .build_ok();
    for page in ["g/x/index.html", "g/y/index.html"] {
        let doc = site.html(page);
        let scripts = select(&doc, "script");
        assert!(
            scripts
                .iter()
                .all(|s| s.value().attr("type") == Some("application/ld+json")
                    || s.value().attr("src").is_some()),
            "{page}: a script element came from content"
        );
        let ld = jsonld(&doc);
        let article = ld
            .iter()
            .find(|d| d["@type"] == "Article")
            .unwrap_or_else(|| panic!("{page}: no Article JSON-LD in {ld:?}"));
        assert_eq!(article["@context"], "https://schema.org");
        assert_eq!(article["author"]["name"], "Agile Team");
        assert_eq!(article["publisher"]["name"], "Agile Team");
        assert!(
            article["url"]
                .as_str()
                .unwrap()
                .starts_with("https://example.org/g/")
        );
        if page == "g/x/index.html" {
            assert_eq!(article["headline"], title);
            assert_eq!(article["description"], "Desc </script>");
            assert_eq!(article["datePublished"], "2026-02-03T00:00:00+00:00");
            assert_eq!(article["dateModified"], "2026-02-04T00:00:00+00:00");
        }
    }
}

#[test]
fn articles_carry_open_graph_and_twitter_tags() {
    let site = Site::new()
        .file(
            "content/g/x.md",
            "---\ntitle: Shared <Title>\ndescription: A description\n---\nBody.\n",
        )
        .build_ok();
    let doc = site.html("g/x/index.html");
    let meta = |sel: &str| one(&doc, sel).value().attr("content").map(String::from);
    assert_eq!(
        meta("meta[property='og:title']").as_deref(),
        Some("Shared <Title>")
    );
    assert_eq!(
        meta("meta[property='og:description']").as_deref(),
        Some("A description")
    );
    assert_eq!(
        meta("meta[property='og:url']").as_deref(),
        Some("https://example.org/g/x/")
    );
    assert_eq!(
        meta("meta[name='twitter:card']").as_deref(),
        Some("summary")
    );
    assert_eq!(
        meta("meta[name='twitter:title']").as_deref(),
        Some("Shared <Title>")
    );
}

#[test]
fn role_hubs_list_their_guides_comparisons_and_certifications() {
    let site = Site::new()
        .file("content/roles/scrum-master.md", SM)
        .file("content/roles/product-owner.md", PO)
        .file(
            "content/guides/_index.md",
            "---\ntitle: Guides\nweight: 1\n---\n",
        )
        .file(
            "content/certifications/_index.md",
            "---\ntitle: Certifications\nweight: 2\n---\n",
        )
        .file(
            "content/guides/sm.md",
            "---\ntitle: SM Guide\nroles: [scrum-master]\n---\nx\n",
        )
        .file(
            "content/guides/cmp.md",
            "---\ntitle: SM vs PO\nroles: [scrum-master, product-owner]\n---\nx\n",
        )
        .file(
            "content/guides/po.md",
            "---\ntitle: PO Guide\nroles: [product-owner]\n---\nx\n",
        )
        .file(
            "content/certifications/csm.md",
            "---\ntitle: CSM\nroles: [scrum-master]\n---\nx\n",
        )
        .file(
            "content/certifications/other.md",
            "---\ntitle: Other Cert\ntags: [x]\n---\nx\n",
        )
        .build_ok();
    let hub = site.html("roles/scrum-master/index.html");
    assert_eq!(text(one(&hub, "h1")), "Scrum Master");
    assert!(
        text(one(&hub, "main")).contains("The SM hub."),
        "the hub shows its introduction"
    );
    let group = |id: &str| -> Vec<String> {
        let section = one(&hub, &format!("section[aria-labelledby='{id}']"));
        let mut v: Vec<String> = section
            .select(&common::sel("a[href]"))
            .filter_map(|a| a.value().attr("href").map(String::from))
            .filter(|h| h.starts_with("/guides/") || h.starts_with("/certifications/"))
            .collect();
        v.dedup();
        v
    };
    assert_eq!(group("group-comparisons"), ["/guides/cmp/"]);
    assert_eq!(group("group-guides"), ["/guides/sm/"]);
    assert_eq!(group("group-certifications"), ["/certifications/csm/"]);
    // `/roles/` compares the roles at a glance: what each owns and whom it serves.
    let roles = site.html("roles/index.html");
    let rows: Vec<Vec<String>> = select(&roles, "table.roles-glance tbody tr")
        .into_iter()
        .map(|tr| tr.select(&common::sel("th, td")).map(text).collect())
        .collect();
    assert_eq!(
        rows,
        [vec![
            "Product Owner".to_string(),
            "The Product Backlog".to_string(),
            "Stakeholders".to_string()
        ]]
    );
    assert!(hrefs(&roles, "main a").contains(&"/roles/scrum-master/".to_string()));
}

#[test]
fn word_count_and_reading_time_agree_everywhere() {
    // 460 words (2 min at 230 words a minute): prose, and a table whose rule row counts
    // none. A code block of 600 words and a link definition count none (the definition once
    // made the JSON-LD count 462 and the cards "3 min" while the page said "2 min").
    let prose = "word ".repeat(451);
    let code = "token ".repeat(600);
    let body = format!(
        "{prose}\n\n```text\n{code}\n```\n\n| a b | c d e |\n|---|---|\n| f g h | i |\n\n[ref]: https://example.org/x\n"
    );
    let site = Site::new()
        .file(
            "content/guides/long.md",
            format!("---\ntitle: Long\ndate: 2026-01-02\n---\n{body}"),
        )
        .file(
            "content/guides/short.md",
            "---\ntitle: Short\ndate: 2026-01-01\n---\nRead more: Long\n",
        )
        .build_ok();
    let doc = site.html("guides/long/index.html");
    let words = jsonld(&doc)
        .iter()
        .find_map(|d| {
            let article = if d["@graph"].is_array() {
                d["@graph"][0].clone()
            } else {
                d.clone()
            };
            article["wordCount"].as_u64()
        })
        .expect("Article JSON-LD with a wordCount");
    assert_eq!(words, 460);
    let minutes = words.div_ceil(230);
    let want = format!("{minutes} min read");
    let meta = text(one(&doc, "article .meta"));
    assert!(meta.contains(&want), "article meta {meta:?}, want {want:?}");
    let listing = site.html("guides/index.html");
    let card = select(&listing, ".meta")
        .into_iter()
        .map(text)
        .find(|t| t.contains("min read"))
        .expect("a card with a reading time");
    assert!(card.contains(&want), "listing {card:?}, want {want:?}");
    let short = site.html("guides/short/index.html");
    let read_more = text(one(&short, ".prose"));
    assert!(
        read_more.contains(&want),
        "Read more card {read_more:?}, want {want:?}"
    );
}
