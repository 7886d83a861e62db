//! Issue 3: the outputs of a complete site — listings and pagination, prev/next, taxonomies,
//! sitemap and Atom, aliases, assets, base_url paths, relative URLs, drafts, determinism.

mod common;

use common::{Site, hrefs, one, select};
use std::collections::BTreeMap;
use std::path::Path;

/// Hrefs inside `<main>` that point at one of `paths`, in document order, without repeats.
fn listed(doc: &scraper::Html, paths: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for h in hrefs(doc, "main a[href]") {
        if paths.contains(&h.as_str()) && !out.contains(&h) {
            out.push(h);
        }
    }
    out
}

fn article(title: &str, date: &str, extra: &str) -> String {
    format!("---\ntitle: {title}\ndate: {date}\n{extra}---\nBody of {title}.\n")
}

fn five_guides() -> Site {
    Site::new()
        .file(
            "site.yaml",
            "title: T\nbase_url: https://example.org/\npaginate: 2\n",
        )
        .file(
            "content/guides/a.md",
            article("Alpha", "2026-01-01", "roles: [scrum-master]\ntags: [x]\n"),
        )
        .file(
            "content/guides/b.md",
            article(
                "Bravo",
                "2026-03-01",
                "roles: [scrum-master, product-owner]\n",
            ),
        )
        .file(
            "content/guides/c.md",
            article("Charlie", "2026-02-01", "weight: 1\n"),
        )
        .file(
            "content/guides/d.md",
            article("Delta", "2026-02-01", "roles: [product-owner]\n"),
        )
        .file(
            "content/guides/e.md",
            article("Echo", "2026-02-01", "draft: true\nroles: [scrum-master]\n"),
        )
        .file(
            "content/guides/_index.md",
            "---\ntitle: All Guides\ndescription: Every guide\n---\nIntro *text* of the section.\n",
        )
}

const ALL: &[&str] = &[
    "/guides/a/",
    "/guides/b/",
    "/guides/c/",
    "/guides/d/",
    "/guides/e/",
];

#[test]
fn listing_order_and_pagination() {
    let site = five_guides().build_ok();
    // weight first (Charlie), then newest date first (Bravo, then Delta before Alpha), title breaks ties.
    let p1 = site.html("guides/index.html");
    assert_eq!(listed(&p1, ALL), ["/guides/c/", "/guides/b/"]);
    let p2 = site.html("guides/page/2/index.html");
    assert_eq!(listed(&p2, ALL), ["/guides/d/", "/guides/a/"]);
    assert!(
        !site.exists("guides/page/3/index.html"),
        "4 published guides at 2 a page make 2 pages\n{}",
        site.listing()
    );
    assert!(hrefs(&p1, "a[rel=next]").contains(&"/guides/page/2/".to_string()));
    assert!(hrefs(&p2, "a[rel=prev]").contains(&"/guides/".to_string()));
    // _index.md gives the section its title and content.
    assert_eq!(common::text(one(&p1, "h1")), "All Guides");
    assert!(
        !select(&p1, "main em").is_empty(),
        "the _index.md body is rendered"
    );
}

#[test]
fn prev_and_next_follow_the_listing() {
    let site = five_guides().build_ok();
    let b = site.html("guides/b/index.html");
    assert_eq!(hrefs(&b, "a[rel=prev]"), ["/guides/c/"]);
    assert_eq!(hrefs(&b, "a[rel=next]"), ["/guides/d/"]);
    let c = site.html("guides/c/index.html");
    assert!(hrefs(&c, "a[rel=prev]").is_empty());
}

#[test]
fn taxonomies_list_the_right_articles() {
    let site = five_guides()
        .file("content/roles/scrum-master.md", "---\ntitle: Scrum Master\ndescription: Serves the team\n---\nThe hub's *introduction*.\n")
        .build_ok();
    let list = site.html("roles/index.html");
    let terms = hrefs(&list, "main a[href^='/roles/']");
    assert!(
        terms.contains(&"/roles/scrum-master/".to_string())
            && terms.contains(&"/roles/product-owner/".to_string()),
        "{terms:?}"
    );
    let sm = site.html("roles/scrum-master/index.html");
    assert_eq!(
        common::text(one(&sm, "h1")),
        "Scrum Master",
        "the hub takes its title from content/roles/scrum-master.md"
    );
    assert!(
        !select(&sm, "main em").is_empty(),
        "the hub shows its introduction"
    );
    let mut got = listed(&sm, ALL);
    got.sort();
    assert_eq!(got, ["/guides/a/", "/guides/b/"], "drafts are not listed");
    let po = site.html("roles/product-owner/index.html");
    let mut got = listed(&po, ALL);
    got.sort();
    assert_eq!(got, ["/guides/b/", "/guides/d/"]);
    assert!(!site.exists("roles/scrum-master/scrum-master/index.html"));
    assert!(!site.exists("roles/scrum-master.html"));
    let tags = site.html("tags/x/index.html");
    assert_eq!(listed(&tags, ALL), ["/guides/a/"]);
}

#[test]
fn sitemap_and_atom_hold_exactly_the_published_pages() {
    let site = five_guides().build_ok();
    let locs = site.sitemap_locs();
    for p in ["a", "b", "c", "d"] {
        assert!(
            locs.contains(&format!("https://example.org/guides/{p}/")),
            "{p} missing from {locs:?}"
        );
    }
    assert!(
        !locs.iter().any(|l| l.contains("/guides/e/")),
        "draft in sitemap"
    );
    assert!(locs.contains(&"https://example.org/".to_string()));
    let text = site.read("sitemap.xml");
    let doc = roxmltree::Document::parse(&text).unwrap();
    let lastmod: BTreeMap<String, String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("url"))
        .filter_map(|u| {
            let loc = u
                .children()
                .find(|c| c.has_tag_name("loc"))?
                .text()?
                .to_string();
            let lm = u
                .children()
                .find(|c| c.has_tag_name("lastmod"))?
                .text()?
                .to_string();
            Some((loc, lm))
        })
        .collect();
    assert_eq!(lastmod["https://example.org/guides/b/"], "2026-03-01");

    let atom = site.read("atom.xml");
    let doc = roxmltree::Document::parse(&atom).expect("atom.xml is well-formed");
    let ns = "http://www.w3.org/2005/Atom";
    assert_eq!(doc.root_element().tag_name().namespace(), Some(ns));
    let entries: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name((ns, "entry")))
        .map(|e| {
            e.children()
                .find(|c| c.has_tag_name((ns, "title")))
                .and_then(|t| t.text())
                .unwrap_or("")
                .to_string()
        })
        .collect();
    assert_eq!(entries.len(), 4, "{entries:?}");
    assert_eq!(entries[0], "Bravo", "newest first: {entries:?}");
    assert!(!entries.contains(&"Echo".to_string()));
    for tag in ["id", "title", "updated"] {
        assert!(
            doc.root_element()
                .children()
                .any(|c| c.has_tag_name((ns, tag))),
            "feed lacks {tag}"
        );
    }
}

#[test]
fn robots_404_and_search_index_exist() {
    let site = five_guides().build_ok();
    assert!(
        site.read("robots.txt")
            .lines()
            .any(|l| l == "Sitemap: https://example.org/sitemap.xml")
    );
    let nf = site.html("404.html");
    assert!(!select(&nf, "h1").is_empty());
    let idx = site.json("search-index.json");
    let titles: Vec<&str> = idx["pages"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["title"].as_str())
        .collect();
    assert_eq!(titles.len(), 4);
    assert!(!titles.contains(&"Echo"));
    let a = idx["pages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["title"] == "Alpha")
        .unwrap();
    assert_eq!(a["url"], "/guides/a/");
    assert_eq!(a["roles"][0], "scrum-master");
    // The body text lives in the index's shard, keyed by URL.
    let shard = idx["shards"][a["shard"].as_u64().unwrap() as usize]
        .as_str()
        .unwrap();
    let bodies = site.json(shard);
    assert!(
        bodies["bodies"]["/guides/a/"]
            .as_str()
            .unwrap()
            .contains("Body of Alpha")
    );
}

#[test]
fn aliases_redirect_to_the_page() {
    let site = Site::new()
        .file(
            "content/guides/new.md",
            "---\ntitle: New Home\naliases: [/old/path/, /older.html]\n---\nHere.\n",
        )
        .build_ok();
    for alias in ["old/path/index.html", "older.html/index.html"] {
        let doc = site.html(alias);
        let refresh = one(&doc, "meta[http-equiv=refresh]")
            .value()
            .attr("content")
            .unwrap()
            .to_string();
        assert!(refresh.ends_with("url=/guides/new/"), "{alias}: {refresh}");
        assert_eq!(
            one(&doc, "link[rel=canonical]").value().attr("href"),
            Some("https://example.org/guides/new/")
        );
        assert_eq!(hrefs(&doc, "a"), ["/guides/new/"]);
    }
}

#[test]
fn assets_are_copied_by_each_rule() {
    let site = Site::new()
        .file(
            "content/guides/a.md",
            "---\ntitle: A\n---\n![diagram](diagram.png) and [the PDF](files/sheet.pdf)\n",
        )
        .file("content/guides/diagram.png", b"PNG".as_slice())
        .file("content/guides/files/sheet.pdf", b"PDF".as_slice())
        .file(
            "content/guides/bundle/index.md",
            "---\ntitle: Bundle\n---\n![x](inside.svg)\n",
        )
        .file("content/guides/bundle/inside.svg", "<svg/>")
        .file("content/other/data.csv", "a,b\n")
        .file("static/img/logo.png", b"LOGO".as_slice())
        .build_ok();
    // referenced relatively: beside the page, so the reference keeps working unchanged
    assert_eq!(
        std::fs::read(site.out("guides/a/diagram.png")).unwrap(),
        b"PNG"
    );
    assert_eq!(
        std::fs::read(site.out("guides/a/files/sheet.pdf")).unwrap(),
        b"PDF"
    );
    let doc = site.html("guides/a/index.html");
    assert_eq!(
        one(&doc, ".prose img").value().attr("src"),
        Some("diagram.png")
    );
    // page bundle: the folder goes beside the page
    assert!(site.exists("guides/bundle/index.html"));
    assert!(site.exists("guides/bundle/inside.svg"));
    // any other content file: same relative place
    assert!(site.exists("guides/diagram.png"));
    assert!(site.exists("other/data.csv"));
    // static/ and the theme's static files: the output root
    assert!(site.exists("img/logo.png"));
    assert!(site.exists("style.css"));
}

#[test]
fn a_missing_relative_file_is_an_error() {
    let site = Site::new().file(
        "content/guides/a.md",
        "---\ntitle: A\n---\n\n![x](missing.png)\n",
    );
    site.build()
        .assert_error_at("content/guides/a.md", 5)
        .assert_stderr_has("missing.png");
}

/// Every internal `href`/`src` of every HTML file in the output.
fn internal_refs(out: &Path) -> Vec<(String, String, String)> {
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(out).into_iter().flatten() {
        let p = entry.path();
        if p.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let doc = scraper::Html::parse_document(&std::fs::read_to_string(p).unwrap());
        let file = p.strip_prefix(out).unwrap().display().to_string();
        for el in select(&doc, "[href], [src]") {
            for attr in ["href", "src"] {
                if let Some(v) = el.value().attr(attr) {
                    let external = v.starts_with("http://")
                        || v.starts_with("https://")
                        || v.starts_with("mailto:")
                        || v.starts_with('#');
                    if !external {
                        found.push((file.clone(), el.value().name().to_string(), v.to_string()));
                    }
                }
            }
        }
    }
    found
}

fn linked_site(config: &str) -> Site {
    Site::new()
        .file("site.yaml", config)
        .file("content/guides/a.md", "---\ntitle: Alpha\nroles: [scrum-master]\ntags: [t]\naliases: [/old/]\n---\nSee [[Bravo]] and [b](@/guides/b.md).\n\nRead more: Bravo\n")
        .file("content/guides/b.md", "---\ntitle: Bravo\ndate: 2026-01-02\n---\n![d](d.png)\n")
        .file("content/guides/d.png", b"PNG".as_slice())
}

#[test]
fn base_url_with_a_path_prefixes_every_internal_url() {
    let site = linked_site("title: T\nbase_url: https://user.github.io/guides/\n").build_ok();
    let refs = internal_refs(&site.root().join("output"));
    assert!(refs.len() > 20, "{refs:?}");
    for (file, el, url) in &refs {
        if el == "img" && file.starts_with("guides/") {
            continue; // page-relative asset references stay as written
        }
        assert!(
            url.starts_with("/guides/"),
            "{file}: <{el}> {url} lacks the base path"
        );
    }
    let doc = site.html("guides/a/index.html");
    assert!(hrefs(&doc, ".prose a").contains(&"/guides/guides/b/".to_string()));
    let locs = site.sitemap_locs();
    assert!(locs.contains(&"https://user.github.io/guides/guides/a/".to_string()));
}

#[test]
fn base_url_flag_overrides_the_config() {
    let site = linked_site(common::SITE_YAML);
    site.build_with(&["--base-url", "https://x.test/sub"])
        .assert_ok();
    let doc = site.html("guides/a/index.html");
    assert_eq!(
        one(&doc, "link[rel=canonical]").value().attr("href"),
        Some("https://x.test/sub/guides/a/")
    );
    assert!(
        hrefs(&doc, "link[rel=stylesheet]")
            .iter()
            .all(|h| h.starts_with("/sub/"))
    );
}

#[test]
fn relative_urls_make_every_internal_link_relative_but_canonical() {
    let site =
        linked_site("title: T\nbase_url: https://example.org/\nrelative_urls: true\n").build_ok();
    let out = site.root().join("output");
    for (file, el, url) in internal_refs(&out) {
        if file == "404.html" {
            continue; // served at any path: it links absolutely
        }
        assert!(
            !url.starts_with('/'),
            "{file}: <{el}> {url} is not relative"
        );
        // and it resolves to a file that exists
        let base = Path::new(&file).parent().unwrap_or(Path::new(""));
        let target = out.join(base).join(url.split(['#', '?']).next().unwrap());
        assert!(
            target.exists(),
            "{file}: {url} points to a missing {}",
            target.display()
        );
    }
    let doc = site.html("guides/a/index.html");
    assert_eq!(
        one(&doc, "link[rel=canonical]").value().attr("href"),
        Some("https://example.org/guides/a/")
    );
    assert!(
        site.sitemap_locs()
            .iter()
            .all(|l| l.starts_with("https://example.org/"))
    );
}

#[test]
fn drafts_are_absent_from_every_output() {
    let site = five_guides()
        .file(
            "content/guides/a.md",
            article(
                "Alpha",
                "2026-01-01",
                "roles: [scrum-master]\ntags: [solo]\n",
            ),
        )
        .build_ok();
    assert!(!site.exists("guides/e/index.html"));
    let out = site.root().join("output");
    for entry in walkdir::WalkDir::new(&out)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
    {
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        assert!(
            !text.contains("Echo"),
            "{} mentions the draft",
            entry.path().display()
        );
        assert!(
            !text.contains("/guides/e/"),
            "{} links to the draft",
            entry.path().display()
        );
    }
    site.build_with(&["--drafts"]).assert_ok();
    assert!(site.exists("guides/e/index.html"));
}

#[test]
fn two_builds_into_two_folders_are_byte_identical() {
    let site = five_guides().file(
        "content/roles/scrum-master.md",
        "---\ntitle: Scrum Master\n---\nHub.\n",
    );
    let one_dir = site.root().join("out-one");
    let two_dir = tempfile::tempdir().unwrap();
    let two = two_dir.path().join("elsewhere");
    site.build_with(&["--output", one_dir.to_str().unwrap()])
        .assert_ok();
    site.build_with(&["--output", two.to_str().unwrap()])
        .assert_ok();
    let files = |d: &Path| -> BTreeMap<String, Vec<u8>> {
        walkdir::WalkDir::new(d)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                (
                    e.path().strip_prefix(d).unwrap().display().to_string(),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .collect()
    };
    let (a, b) = (files(&one_dir), files(&two));
    assert!(a.len() > 10);
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (k, v) in &a {
        assert!(v == &b[k], "{k} differs between the two builds");
    }
}

#[test]
fn the_404_page_describes_its_browse_links_and_its_footer_does_not() {
    let site = Site::new()
        .file(
            "content/guides/_index.md",
            "---\ntitle: Guides\ndescription: Practical guides.\n---\n",
        )
        .file("content/guides/a.md", article("Alpha", "2026-01-01", ""))
        .build_ok();
    let nf = site.html("404.html");
    let described = |sel: &str| {
        let s = scraper::Selector::parse(sel).unwrap();
        nf.select(&s).count()
    };
    assert_eq!(
        described("main .not-found-links .muted"),
        1,
        "the body list"
    );
    assert_eq!(
        described(".footer-nav .muted"),
        0,
        "the footer, as on every page"
    );
}
