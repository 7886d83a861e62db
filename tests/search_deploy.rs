//! Issue 9: offline search (the `search-index.json` entry point, its body shards, the search
//! page and the header's search box) and deployment files (`.nojekyll`, `_redirects`).
//! Everything is read back parsed: JSON through serde_json, HTML through scraper.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{Site, json_strings, one, select};
use rolebook::build::{BuildOptions, Change, Session};
use serde_json::Value;

const BASE_YAML: &str = "title: Test Site\nbase_url: https://example.org/docs/\n";

/// Three published guides with every searchable field, and a draft.
fn guides() -> Site {
    Site::bare()
        .file("site.yaml", BASE_YAML)
        .file(
            "content/guides/po-vs-sm.md",
            "---\ntitle: Product Owner vs Scrum Master\ndescription: Who owns what.\nroles: [product-owner, scrum-master]\ntags: [comparison, scrum]\n---\nThe quokka sentence of the comparison.\n\n## Goals\n\nText.\n\n## Stakeholders\n\nMore text.\n",
        )
        .file(
            "content/guides/agile-coach.md",
            "---\ntitle: The Agile Coach\ndescription: Coaching teams and leaders.\nroles: [agile-coach]\ntags: [coaching]\n---\nThe axolotl sentence of the coach.\n\n## Daily Work\n\nText.\n",
        )
        .file(
            "content/certs/csm.md",
            "---\ntitle: CSM Explained\n---\nThe pangolin sentence of the certificate.\n",
        )
        .file(
            "content/guides/secret.md",
            "---\ntitle: Secret Draft\ndraft: true\ndescription: Not yet.\n---\nThe narwhal sentence of the draft.\n",
        )
}

fn pages(index: &Value) -> Vec<&Value> {
    index["pages"]
        .as_array()
        .expect("search-index.json has a `pages` array")
        .iter()
        .collect()
}

fn strs(v: &Value) -> Vec<&str> {
    v.as_array()
        .unwrap_or_else(|| panic!("not an array: {v}"))
        .iter()
        .map(|x| x.as_str().unwrap_or_else(|| panic!("not a string: {x}")))
        .collect()
}

/// URL → body text over every shard the entry point names.
fn all_bodies(site: &Site, index: &Value) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for file in strs(&index["shards"]) {
        let shard = site.json(file);
        for (url, body) in shard["bodies"]
            .as_object()
            .unwrap_or_else(|| panic!("{file} has no `bodies` object"))
        {
            let body = body.as_str().expect("a body is a string").to_string();
            assert!(
                out.insert(url.clone(), body).is_none(),
                "{url} is in two shards"
            );
        }
    }
    out
}

#[test]
fn the_entry_point_holds_every_articles_fields_and_no_drafts() {
    let site = guides().build_ok();
    let index = site.json("search-index.json");
    assert_eq!(index["base_path"], "/docs/");
    let by_title: BTreeMap<&str, &Value> = pages(&index)
        .into_iter()
        .map(|p| (p["title"].as_str().expect("a title"), p))
        .collect();
    assert_eq!(
        by_title.keys().copied().collect::<Vec<_>>(),
        vec![
            "CSM Explained",
            "Product Owner vs Scrum Master",
            "The Agile Coach"
        ]
    );
    let po = by_title["Product Owner vs Scrum Master"];
    assert_eq!(po["url"], "/docs/guides/po-vs-sm/");
    assert_eq!(po["description"], "Who owns what.");
    assert_eq!(strs(&po["roles"]), ["product-owner", "scrum-master"]);
    assert_eq!(strs(&po["tags"]), ["comparison", "scrum"]);
    assert_eq!(strs(&po["headings"]), ["Goals", "Stakeholders"]);
    let coach = by_title["The Agile Coach"];
    assert_eq!(coach["url"], "/docs/guides/agile-coach/");
    assert_eq!(strs(&coach["roles"]), ["agile-coach"]);
    assert_eq!(strs(&coach["headings"]), ["Daily Work"]);
    // Every field is there even when empty, so the script never meets a missing key.
    let csm = by_title["CSM Explained"];
    assert_eq!(csm["url"], "/docs/certs/csm/");
    for key in ["description", "roles", "tags", "headings"] {
        assert!(!csm[key].is_null(), "CSM Explained lacks {key}");
    }
    // The body text is not in the entry point: it is in the shards.
    for p in pages(&index) {
        assert!(p.get("body").is_none(), "{p}");
    }
    // No trace of the draft, in the entry point or in any shard.
    let mut strings = json_strings(&index);
    strings.extend(all_bodies(&site, &index).into_values());
    strings.extend(all_bodies(&site, &index).into_keys());
    assert!(
        !strings
            .iter()
            .any(|s| s.contains("Secret Draft") || s.contains("secret") || s.contains("narwhal")),
        "{strings:?}"
    );
}

#[test]
fn the_shards_hold_the_body_text_of_every_article() {
    let site = guides().build_ok();
    let index = site.json("search-index.json");
    let shards = strs(&index["shards"]);
    assert_eq!(
        shards,
        ["search/shard-0.json"],
        "a small site has one shard"
    );
    let bodies = all_bodies(&site, &index);
    let urls: BTreeSet<&str> = pages(&index)
        .iter()
        .map(|p| p["url"].as_str().expect("a url"))
        .collect();
    assert_eq!(
        bodies.keys().map(String::as_str).collect::<BTreeSet<_>>(),
        urls,
        "one body per article"
    );
    for (url, word) in [
        ("/docs/guides/po-vs-sm/", "quokka"),
        ("/docs/guides/agile-coach/", "axolotl"),
        ("/docs/certs/csm/", "pangolin"),
    ] {
        assert!(bodies[url].contains(word), "{url}: {:?}", bodies[url]);
    }
    // Each page names the shard that holds its body.
    for p in pages(&index) {
        let k = p["shard"].as_u64().expect("a shard number") as usize;
        let shard = site.json(shards[k]);
        let url = p["url"].as_str().expect("a url");
        assert!(
            shard["bodies"][url].is_string(),
            "{url} is not in {}",
            shards[k]
        );
    }
}

/// `n` small articles, in a session that renders in memory.
fn big_session(n: usize) -> (Site, Session) {
    let mut site = Site::new();
    for i in 0..n {
        site = site.file(
            &format!("content/guides/g{i:04}.md"),
            format!("---\ntitle: Guide {i}\ndate: 2026-01-01\n---\nBody word{i} of guide {i}.\n"),
        );
    }
    let opts = BuildOptions {
        root: site.root().to_path_buf(),
        ..Default::default()
    };
    let session = Session::new(opts).unwrap_or_else(|d| panic!("{:?}", d.sorted()));
    (site, session)
}

fn rendered_json(files: &[rolebook::render::OutputFile], path: &str) -> Value {
    let f = files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("{path} was not rendered"));
    serde_json::from_slice(&f.bytes).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn a_large_site_splits_its_body_text_and_an_edit_renders_one_shard() {
    let (site, mut s) = big_session(1001);
    let first = s.rebuild();
    assert!(first.ok(), "{:?}", first.diagnostics.sorted());
    let files = first.rendered.expect("a rendered site").files;
    let index = rendered_json(&files, "search-index.json");
    let shards: Vec<String> = strs(&index["shards"])
        .into_iter()
        .map(str::to_string)
        .collect();
    let want: Vec<String> = (0..6).map(|k| format!("search/shard-{k}.json")).collect();
    assert_eq!(shards, want, "1,001 articles make six shards of about 200");
    let mut seen = 0;
    for (k, file) in shards.iter().enumerate() {
        let shard = rendered_json(&files, file);
        let bodies = shard["bodies"].as_object().expect("bodies");
        assert!(bodies.len() > 100, "{file} holds only {}", bodies.len());
        for url in bodies.keys() {
            let entry = pages(&index)
                .into_iter()
                .find(|p| p["url"] == url.as_str())
                .unwrap_or_else(|| panic!("{url} is in {file} but not in the entry point"));
            assert_eq!(entry["shard"], k);
        }
        seen += bodies.len();
    }
    assert_eq!(seen, 1001);

    // An edit of one body re-renders the shard holding it, and neither the entry point nor
    // the other shards.
    let page = pages(&index)
        .into_iter()
        .find(|p| p["title"] == "Guide 500")
        .expect("Guide 500");
    let own = shards[page["shard"].as_u64().expect("a shard") as usize].clone();
    let path = site.path("content/guides/g0500.md");
    let text = std::fs::read_to_string(&path).expect("read");
    std::fs::write(&path, text.replace("Body word500", "Edited body word500")).expect("write");
    s.apply(&[Change::Content(vec![path])])
        .unwrap_or_else(|d| panic!("{:?}", d.sorted()));
    let again = s.rebuild();
    assert!(again.ok(), "{:?}", again.diagnostics.sorted());
    let files = again.rendered.expect("a rendered site").files;
    let search: Vec<&str> = files
        .iter()
        .map(|f| f.path.as_str())
        .filter(|p| p.starts_with("search"))
        .collect();
    assert_eq!(search, [own.as_str()]);
    let shard = rendered_json(&files, &own);
    assert!(
        shard["bodies"]["/guides/g0500/"]
            .as_str()
            .is_some_and(|b| b.starts_with("Edited body word500")),
        "{}",
        shard["bodies"]["/guides/g0500/"]
    );
}

#[test]
fn the_output_root_has_a_nojekyll_file() {
    let site = guides().build_ok();
    assert!(site.exists(".nojekyll"), "{}", site.listing());
    assert_eq!(site.read(".nojekyll"), "");
}

/// The `(from, to, status)` rules of `_redirects`, comments and blank lines skipped.
fn redirect_rules(site: &Site) -> Vec<(String, String, String)> {
    site.read("_redirects")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let fields: Vec<&str> = l.split_whitespace().collect();
            assert_eq!(fields.len(), 3, "not `from to status`: {l:?}");
            (
                fields[0].to_string(),
                fields[1].to_string(),
                fields[2].to_string(),
            )
        })
        .collect()
}

#[test]
fn redirects_list_every_alias_with_the_base_path() {
    let site = Site::bare()
        .file("site.yaml", BASE_YAML)
        .file(
            "content/guides/new.md",
            "---\ntitle: New Home\naliases: [/old/path/, old-name.html, /older/index.html]\n---\nHere.\n",
        )
        .file(
            "content/other.md",
            "---\ntitle: Other\naliases: [/was/other/]\n---\nThere.\n",
        )
        .build_ok();
    let rules: BTreeSet<(String, String, String)> = redirect_rules(&site).into_iter().collect();
    let want: BTreeSet<(String, String, String)> = [
        ("/docs/old/path/", "/docs/guides/new/"),
        ("/docs/old-name.html", "/docs/guides/new/"),
        ("/docs/older/", "/docs/guides/new/"),
        ("/docs/was/other/", "/docs/other/"),
    ]
    .into_iter()
    .map(|(a, b)| (a.to_string(), b.to_string(), "301".to_string()))
    .collect();
    assert_eq!(rules, want);
    // The HTML redirect pages stay for hosts without `_redirects` (GitHub Pages, S3).
    for page in [
        "old/path/index.html",
        "old-name.html/index.html",
        "older/index.html",
        "was/other/index.html",
    ] {
        assert!(site.exists(page), "{page} missing\n{}", site.listing());
    }
}

#[test]
fn a_site_without_aliases_still_writes_an_empty_redirects_file() {
    let site = guides().build_ok();
    assert!(redirect_rules(&site).is_empty());
}

#[test]
fn the_search_page_loads_search_js_under_the_base_path() {
    let site = guides().build_ok();
    let doc = site.html("search/index.html");
    let scripts: Vec<&str> = select(&doc, "script[src]")
        .into_iter()
        .filter_map(|s| s.value().attr("src"))
        .collect();
    assert!(scripts.contains(&"/docs/search.js"), "{scripts:?}");
    assert!(site.exists("search.js"), "{}", site.listing());
    let form = one(&doc, "main form[data-search='page']");
    assert_eq!(form.value().attr("action"), Some("/docs/search/"));
    assert_eq!(form.value().attr("method"), Some("get"));
    assert_eq!(form.value().attr("data-root"), Some("/docs/"));
    one(&doc, "main form[data-search='page'] input[name='q']");
    one(&doc, "#search-page-results");
    // Not meant for search engines.
    let robots = one(&doc, "meta[name='robots']");
    assert_eq!(robots.value().attr("content"), Some("noindex"));
}

#[test]
fn every_page_has_a_search_box_that_works_without_javascript() {
    let site = guides().build_ok();
    for page in [
        "index.html",
        "guides/po-vs-sm/index.html",
        "guides/index.html",
        "roles/scrum-master/index.html",
        "404.html",
        "search/index.html",
    ] {
        let doc = site.html(page);
        let form = one(&doc, "header form[role='search'][data-search='box']");
        // A plain GET form to the search page, with the query as `q`.
        assert_eq!(form.value().attr("action"), Some("/docs/search/"), "{page}");
        assert_eq!(form.value().attr("method"), Some("get"), "{page}");
        assert_eq!(form.value().attr("data-root"), Some("/docs/"), "{page}");
        let input = one(&doc, "header form[data-search] input[name='q']");
        let id = input.value().attr("id").expect("the input has an id");
        let label = one(&doc, &format!("header label[for='{id}']"));
        assert!(!label.text().collect::<String>().trim().is_empty());
        let scripts: Vec<&str> = select(&doc, "script[src]")
            .into_iter()
            .filter_map(|s| s.value().attr("src"))
            .collect();
        assert_eq!(scripts, ["/docs/search.js"], "{page}");
    }
}

#[test]
fn with_relative_urls_the_search_box_links_relative_to_each_page() {
    let site = guides()
        .file("site.yaml", format!("{BASE_YAML}relative_urls: true\n"))
        .build_ok();
    for (page, root, action, script) in [
        ("index.html", "index.html", "search/index.html", "search.js"),
        (
            "guides/po-vs-sm/index.html",
            "../../index.html",
            "../../search/index.html",
            "../../search.js",
        ),
        (
            "search/index.html",
            "../index.html",
            "../search/index.html",
            "../search.js",
        ),
    ] {
        let doc = site.html(page);
        let form = one(&doc, "header form[data-search='box']");
        assert_eq!(form.value().attr("data-root"), Some(root), "{page}");
        assert_eq!(form.value().attr("action"), Some(action), "{page}");
        let src = one(&doc, "script[src]");
        assert_eq!(src.value().attr("src"), Some(script), "{page}");
    }
    // The index keeps root-relative URLs and names the base path the script strips.
    let index = site.json("search-index.json");
    assert_eq!(index["base_path"], "/docs/");
    assert!(
        pages(&index)
            .iter()
            .any(|p| p["url"] == "/docs/guides/po-vs-sm/")
    );
}

#[test]
fn a_sites_own_search_page_wins_over_the_built_in_one() {
    let site = Site::new()
        .file(
            "content/search.md",
            "---\ntitle: Our Own Search\n---\nA page of our own.\n",
        )
        .build_ok();
    let doc = site.html("search/index.html");
    assert_eq!(common::text(one(&doc, "h1")), "Our Own Search");
}
