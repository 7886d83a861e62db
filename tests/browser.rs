//! Issue 7: live reload in a real browser. Headless Chromium (Debian's `chromium`, driven by
//! `playwright-core` from tests/browser/) opens an article served by `rolebook serve`; the
//! script edits the file and waits for the new text to appear in the open page.
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
