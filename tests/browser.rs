//! Live reload (issue 7) and search (issue 9) in a real browser. Headless Chromium (Debian's
//! `chromium`, driven by `playwright-core` from tests/browser/) opens pages served by
//! `rolebook serve` (or by the search script itself, under a sub-path): live_reload.mjs edits
//! an article and waits for the new text in the open page; search.mjs types into the header's
//! search box and opens a result with the keyboard.
//!
//! Needs `node`, /usr/bin/chromium and `npm ci --prefix tests/browser`; `.ci/run` installs
//! them and sets ROLEBOOK_BROWSER_TESTS=require, which turns a missing tool into a failure.

mod common;

use std::path::Path;
use std::process::Command;

use common::Site;
use common::server::Server;

/// Whether the browser tools are here; panics when they are required but missing.
pub fn browser_available() -> bool {
    let required = std::env::var("ROLEBOOK_BROWSER_TESTS").is_ok_and(|v| v == "require");
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let modules =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/node_modules/playwright-core");
    let node = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let ok = node && Path::new(&chromium).exists() && modules.is_dir();
    if !ok {
        assert!(
            !required,
            "browser tests are required but node, {chromium} or tests/browser/node_modules is missing"
        );
        eprintln!(
            "skipped: node, {chromium} or tests/browser/node_modules is missing (run `npm ci --prefix tests/browser`)"
        );
    }
    ok
}

#[test]
fn an_edit_appears_in_the_open_page() {
    if !browser_available() {
        return;
    }
    let site = Site::new().file(
        "content/guides/live.md",
        "---\ntitle: Live\n---\nOriginal text.\n",
    );
    let server = Server::start(&site);
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/live_reload.mjs");
    let out = Command::new("node")
        .arg(&script)
        .arg(format!("{}/guides/live/", server.url))
        .arg(site.path("content/guides/live.md"))
        .output()
        .expect("run node");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "the browser script failed\n--- stdout ---\n{stdout}\n--- stderr ---\n{}\n--- serve ---\n{}",
        String::from_utf8_lossy(&out.stderr),
        server.log()
    );
    assert_eq!(
        stdout.lines().filter(|l| l.starts_with("ok:")).count(),
        3,
        "{stdout}"
    );
}

/// Runs tests/browser/search.mjs with `args`; fails with everything it printed unless it
/// succeeds with all five `ok:` lines.
fn search_script(args: &[String], context: &str) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/search.mjs");
    let out = Command::new("node")
        .arg(&script)
        .args(args)
        .output()
        .expect("run node");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "the search script failed\n--- stdout ---\n{stdout}\n--- stderr ---\n{}\n--- context ---\n{context}",
        String::from_utf8_lossy(&out.stderr),
    );
    assert_eq!(
        stdout.lines().filter(|l| l.starts_with("ok:")).count(),
        5,
        "{stdout}"
    );
}

/// A small site whose one article holds a word found nowhere else.
fn search_site(site_yaml: &str) -> Site {
    Site::bare()
        .file("site.yaml", site_yaml)
        .file(
            "content/guides/backlog.md",
            "---\ntitle: Refining the Backlog\ndescription: How a team keeps its backlog ready.\nroles: [product-owner]\n---\nRefinement is ongoing work.\n\n## Who Takes Part\n\nThe whole team, and once a quarter a zyzzyva workshop with the stakeholders.\n",
        )
        .file(
            "content/guides/retro.md",
            "---\ntitle: Running a Retrospective\n---\nA retrospective looks back at the sprint.\n",
        )
        .file(
            "content/guides/review.md",
            "---\ntitle: The Sprint Review\n---\nThe review shows the increment.\n",
        )
}

#[test]
fn the_header_search_box_finds_an_article_by_a_word_of_its_body() {
    if !browser_available() {
        return;
    }
    let site = search_site(common::SITE_YAML);
    let server = Server::start(&site);
    let args = [
        "--url".to_string(),
        format!("{}/", server.url),
        "zyzzyva".into(),
        "Refining the Backlog".into(),
        "/guides/backlog/".into(),
    ];
    search_script(&args, &server.log());
}

#[test]
fn search_works_under_a_base_url_path_and_with_relative_urls() {
    if !browser_available() {
        return;
    }
    // A project site (GitHub Pages style): base_url with a path, served under that path.
    let site = search_site("title: Test Site\nbase_url: https://example.org/guides/\n").build_ok();
    let out = site.out("").to_string_lossy().into_owned();
    let args = [
        "--dir".to_string(),
        out.clone(),
        "/guides/".into(),
        "zyzzyva".into(),
        "Refining the Backlog".into(),
        "/guides/guides/backlog/".into(),
    ];
    search_script(&args, "base_url https://example.org/guides/");

    // relative_urls: the same output works from any path, here two folders deep.
    let site =
        search_site("title: Test Site\nbase_url: https://example.org/\nrelative_urls: true\n")
            .build_ok();
    let out = site.out("").to_string_lossy().into_owned();
    let args = [
        "--dir".to_string(),
        out,
        "/deep/sub/".into(),
        "zyzzyva".into(),
        "Refining the Backlog".into(),
        "/deep/sub/guides/backlog/index.html".into(),
    ];
    search_script(&args, "relative_urls: true");
}
