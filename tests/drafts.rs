//! Drafts (SPEC §4): absent everywhere without `--drafts` (page, home, section listing,
//! sitemap, search index, feed, taxonomy terms), present with it.

mod common;

use common::{Site, hrefs, json_strings};

fn site() -> Site {
    Site::new()
        .file(
            "content/guides/published.md",
            "---\ntitle: Published Guide\ndate: 2024-01-01\ntags: [shared]\n---\nBody.\n",
        )
        .file(
            "content/guides/secret.md",
            "---\ntitle: Secret Draft\ndate: 2024-02-01\ndraft: true\ntags: [shared, draft-only]\n---\nBody.\n",
        )
}

const DRAFT_PATH: &str = "/guides/secret/";
const DRAFT_URL: &str = "https://example.org/guides/secret/";

fn atom_links(site: &Site) -> Vec<String> {
    let text = site.read("atom.xml");
    let doc = roxmltree::Document::parse(&text).expect("atom.xml is well-formed XML");
    doc.descendants()
        .filter(|n| n.has_tag_name("link"))
        .filter_map(|n| n.attribute("href"))
        .map(str::to_string)
        .collect()
}

#[test]
fn draft_is_absent_without_drafts_flag() {
    let site = site().build_ok();
    assert!(site.exists("guides/published/index.html"));
    assert!(
        !site.exists("guides/secret/index.html"),
        "{}",
        site.listing()
    );

    let home = hrefs(&site.html("index.html"), "a[href]");
    assert!(home.iter().any(|h| h == "/guides/published/"), "{home:?}");
    assert!(!home.iter().any(|h| h == DRAFT_PATH), "{home:?}");

    let section = hrefs(&site.html("guides/index.html"), "a[href]");
    assert!(!section.iter().any(|h| h == DRAFT_PATH), "{section:?}");

    let locs = site.sitemap_locs();
    assert!(
        locs.iter()
            .any(|l| l == "https://example.org/guides/published/")
    );
    assert!(!locs.iter().any(|l| l == DRAFT_URL), "{locs:?}");

    let strings = json_strings(&site.json("search-index.json"));
    assert!(
        strings.iter().any(|s| s == "Published Guide"),
        "{strings:?}"
    );
    assert!(!strings.iter().any(|s| s == "Secret Draft"), "{strings:?}");
    assert!(!strings.iter().any(|s| s.contains("/guides/secret/")));

    let feed = atom_links(&site);
    assert!(!feed.iter().any(|l| l == DRAFT_URL), "{feed:?}");

    // A term used only by the draft has no page; a shared term does not list the draft.
    assert!(
        !site.exists("tags/draft-only/index.html"),
        "{}",
        site.listing()
    );
    let shared = hrefs(&site.html("tags/shared/index.html"), "a[href]");
    assert!(
        shared.iter().any(|h| h == "/guides/published/"),
        "{shared:?}"
    );
    assert!(!shared.iter().any(|h| h == DRAFT_PATH), "{shared:?}");
}

#[test]
fn draft_is_present_with_drafts_flag() {
    let site = site();
    site.build_with(&["--drafts"]).assert_ok();
    assert!(
        site.exists("guides/secret/index.html"),
        "{}",
        site.listing()
    );

    let home = hrefs(&site.html("index.html"), "a[href]");
    assert!(home.iter().any(|h| h == DRAFT_PATH), "{home:?}");

    let locs = site.sitemap_locs();
    assert!(locs.iter().any(|l| l == DRAFT_URL), "{locs:?}");

    let strings = json_strings(&site.json("search-index.json"));
    assert!(strings.iter().any(|s| s == "Secret Draft"), "{strings:?}");

    assert!(
        site.exists("tags/draft-only/index.html"),
        "{}",
        site.listing()
    );
}

#[test]
fn link_to_a_draft_is_an_error_without_drafts_flag() {
    let site = site().file(
        "content/guides/linker.md",
        "---\ntitle: Linker\n---\nIntro.\n\nRead more: Secret Draft\n",
    );
    site.build().assert_error_at("content/guides/linker.md", 6);
    site.build_with(&["--drafts"]).assert_ok();
}

#[test]
fn files_of_a_draft_bundle_are_not_published() {
    let site = Site::new()
        .article("content/guides/public.md", "Public", "Body.\n")
        .file(
            "content/guides/secret-plan/index.md",
            "---\ntitle: Secret Plan\ndraft: true\n---\n![Org chart](org-chart.png)\n",
        )
        .file("content/guides/secret-plan/org-chart.png", "png")
        .build_ok();
    assert!(
        !site.exists("guides/secret-plan/index.html"),
        "{}",
        site.listing()
    );
    assert!(
        !site.exists("guides/secret-plan/org-chart.png"),
        "{}",
        site.listing()
    );
    site.build_with(&["--drafts"]).assert_ok();
    assert_eq!(site.read("guides/secret-plan/org-chart.png"), "png");
}
