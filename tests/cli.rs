//! The command line (SPEC §2): exit code 2 for usage errors, 0 for `--help` and `--version`,
//! `check` writes nothing, `--quiet`, and refusing an output folder rolebook did not write.

mod common;

use common::Site;

fn site() -> Site {
    Site::new().article("content/a.md", "A", "Body.\n")
}

#[test]
fn unknown_flag_is_a_usage_error() {
    let run = site().run(&["build", "--no-such-flag"]);
    run.assert_code(2);
    run.assert_stderr_has("--no-such-flag");
}

#[test]
fn unknown_command_is_a_usage_error() {
    site().run(&["frobnicate"]).assert_code(2);
}

#[test]
fn no_command_is_a_usage_error() {
    site().run(&[]).assert_code(2);
}

#[test]
fn help_exits_zero() {
    let run = site().run(&["--help"]);
    run.assert_ok();
    assert!(run.stdout().contains("build"), "{}", run.stdout());
    site().run(&["build", "--help"]).assert_ok();
}

#[test]
fn version_exits_zero_and_prints_version() {
    let run = site().run(&["--version"]);
    run.assert_ok();
    assert_eq!(
        run.stdout().trim(),
        format!("rolebook {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn check_writes_no_output_folder() {
    let site = site();
    let run = site.check();
    run.assert_ok();
    assert!(!site.path("output").exists());
    let entries: Vec<_> = std::fs::read_dir(site.root())
        .expect("read site folder")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    let mut entries = entries;
    entries.sort();
    assert_eq!(entries, ["content", "site.yaml"], "check left files behind");
}

#[test]
fn check_writes_nothing_even_with_errors() {
    let site = Site::new().file("content/x.md", "no front matter\n");
    site.check().assert_error_at("content/x.md", 1);
    assert!(!site.path("output").exists());
}

#[test]
fn build_runs_in_current_folder_by_default() {
    let site = site();
    site.run(&["build"]).assert_ok();
    assert!(site.exists("a/index.html"), "{}", site.listing());
}

#[test]
fn quiet_prints_no_summary() {
    let site = site();
    let run = site.run(&["build", "--quiet"]);
    run.assert_ok();
    assert_eq!(run.stdout(), "");
}

#[test]
fn missing_root_is_a_site_error_not_a_panic() {
    let site = site();
    let run = site.run(&["build", "--root", "does/not/exist"]);
    run.assert_code(1);
    run.assert_stderr_has("site.yaml");
}

#[test]
fn refuses_output_folder_it_did_not_write() {
    let site = site().file("output/precious.txt", "keep me");
    site.build().assert_code(1);
    assert_eq!(site.read("precious.txt"), "keep me");
    site.build_with(&["--force"]).assert_ok();
    assert!(!site.exists("precious.txt"));
    assert!(site.exists("a/index.html"));
}

#[test]
fn rebuild_replaces_previous_output() {
    let site = site();
    site.build().assert_ok();
    assert!(site.exists("a/index.html"));
    let site = site.file("content/a.md", "---\ntitle: A\nslug: renamed\n---\nBody.\n");
    site.build().assert_ok();
    assert!(site.exists("renamed/index.html"));
    assert!(!site.exists("a/index.html"), "{}", site.listing());
}

#[test]
fn base_url_flag_overrides_site_yaml() {
    let site = site();
    site.build_with(&["--base-url", "https://other.org/sub"])
        .assert_ok();
    let locs = site.sitemap_locs();
    assert!(
        locs.iter().any(|l| l == "https://other.org/sub/a/"),
        "{locs:?}"
    );
    assert!(
        locs.iter().all(|l| l.starts_with("https://other.org/sub/")),
        "{locs:?}"
    );
    let links = common::hrefs(&site.html("index.html"), "main a[href]");
    assert!(links.iter().any(|h| h == "/sub/a/"), "{links:?}");
}

#[test]
fn check_with_drafts_checks_draft_links() {
    let site = Site::new().file(
        "content/d.md",
        "---\ntitle: D\ndraft: true\n---\nIntro.\n\nRead more: Nowhere\n",
    );
    site.check().assert_ok();
    let root = site.root().to_string_lossy().into_owned();
    site.run(&["check", "--root", &root, "--drafts"])
        .assert_error_at("content/d.md", 7);
}
