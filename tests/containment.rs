//! Nothing leaks: no page, alias, asset or slug writes outside the output folder, and no
//! symbolic link in `content/` or `static/` is followed out of the site.

mod common;

use std::fs;
use std::os::unix::fs::symlink;
use std::path::Path;

use common::hardening::{small_site, snapshot};

/// A site at `<tmp>/site` beside a secret at `<tmp>/secret/`, so that anything leaving the
/// site shows up as a change of `<tmp>` outside `site/output`.
struct Fenced {
    parent: tempfile::TempDir,
}

impl Fenced {
    fn new() -> Self {
        let parent = tempfile::tempdir().unwrap();
        let f = Fenced { parent };
        f.write(
            "site/site.yaml",
            "title: Fenced\nbase_url: https://example.org/\n",
        );
        f.write(
            "site/content/guides/a.md",
            "---\ntitle: A\n---\n\nBody of A.\n",
        );
        f.write("secret/passwords.txt", "TOP-SECRET-FILE");
        f.write(
            "secret/leak.md",
            "---\ntitle: Leak\n---\n\nTOP-SECRET-ARTICLE\n",
        );
        f.write("secret/nested/deep.txt", "TOP-SECRET-DEEP");
        f
    }

    fn p(&self, rel: &str) -> std::path::PathBuf {
        self.parent.path().join(rel)
    }

    fn root(&self) -> std::path::PathBuf {
        self.p("site")
    }

    fn write(&self, rel: &str, text: impl AsRef<[u8]>) {
        let p = self.p(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }

    fn build(&self, args: &[&str]) -> common::Run {
        let mut cmd = common::hardening::rolebook_in(self.parent.path());
        cmd.arg("build").arg("--root").arg(self.root()).args(args);
        common::hardening::run(cmd)
    }

    /// Everything under the parent folder except the output.
    fn outside_output(&self) -> std::collections::BTreeMap<String, Vec<u8>> {
        snapshot(self.parent.path())
            .into_iter()
            .filter(|(k, _)| !k.starts_with("site/output"))
            .collect()
    }

    /// Asserts that no output file holds a secret.
    fn assert_no_secret_in_output(&self) {
        let out = self.root().join("output");
        if !out.exists() {
            return;
        }
        for (k, v) in snapshot(&out) {
            let text = String::from_utf8_lossy(&v);
            assert!(
                !text.contains("TOP-SECRET"),
                "output/{k} holds a secret from outside the site"
            );
        }
    }
}

fn assert_contained(
    f: &Fenced,
    run: &common::Run,
    before: &std::collections::BTreeMap<String, Vec<u8>>,
) {
    assert!(!run.stderr().contains("panicked"), "{}", run.stderr());
    assert_eq!(&f.outside_output(), before, "files outside output/ changed");
    f.assert_no_secret_in_output();
}

#[test]
fn hostile_slugs_are_refused() {
    for slug in [
        "../escape",
        "../../escape",
        "a/b",
        "/absolute",
        "/etc/passwd",
        "..",
        "a\\\\..\\\\..\\\\b",
        "%2e%2e/x",
    ] {
        let f = Fenced::new();
        f.write(
            "site/content/guides/evil.md",
            format!(
                "---\ntitle: Evil\nslug: {}\n---\n\nBody.\n",
                serde_json::to_string(slug).unwrap()
            ),
        );
        let before = f.outside_output();
        let run = f.build(&[]);
        run.assert_code(1).assert_names("content/guides/evil.md");
        assert_contained(&f, &run, &before);
    }
}

#[test]
fn hostile_aliases_are_refused_or_kept_inside() {
    for (alias, ok) in [
        ("../../escape/", false),
        ("/../../escape/", false),
        ("/old/../../../escape/", false),
        ("..", false),
        ("/", false),
        ("", false),
        ("C:\\Windows\\evil", false),
        ("/a/\\..\\..\\b/", false),
        // Absolute paths are paths of this site: written inside output/.
        ("/etc/passwd", true),
        ("/tmp/evil/", true),
        ("/old/url/index.html", true),
    ] {
        let f = Fenced::new();
        f.write(
            "site/content/guides/evil.md",
            format!(
                "---\ntitle: Evil\naliases: [{}]\n---\n\nBody.\n",
                serde_json::to_string(alias).unwrap()
            ),
        );
        let before = f.outside_output();
        let run = f.build(&[]);
        if ok {
            run.assert_ok();
        } else {
            run.assert_code(1).assert_names("content/guides/evil.md");
        }
        assert_contained(&f, &run, &before);
    }
    // And an absolute alias lands inside output/.
    let f = Fenced::new();
    f.write(
        "site/content/guides/evil.md",
        "---\ntitle: Evil\naliases: [/etc/passwd]\n---\n\nBody.\n",
    );
    f.build(&[]).assert_ok();
    assert!(f.root().join("output/etc/passwd/index.html").is_file());
}

#[test]
fn hostile_taxonomy_names_and_theme_do_not_escape() {
    for yaml in [
        "taxonomies: [\"../../escape\"]",
        "taxonomies: [\"/abs\"]",
        "taxonomies: [\"\"]",
        "taxonomies: [\"a/b\"]",
        "theme: ../../secret",
        "theme: /etc",
    ] {
        let f = Fenced::new();
        f.write(
            "site/site.yaml",
            format!("title: Fenced\nbase_url: https://example.org/\n{yaml}\n"),
        );
        f.write(
            "site/content/guides/tagged.md",
            "---\ntitle: Tagged\n---\n\nBody.\n",
        );
        let before = f.outside_output();
        let run = f.build(&[]);
        run.assert_code(1).assert_names("site.yaml");
        assert_contained(&f, &run, &before);
    }
}

#[test]
fn hostile_file_and_folder_names_stay_inside() {
    let f = Fenced::new();
    // Names that are legal on Unix and odd in URLs.
    f.write(
        "site/content/we ird/na%2Fme.md",
        "---\ntitle: Weird\n---\n\nBody.\n",
    );
    f.write(
        "site/content/guides/..md",
        "---\ntitle: Dots\n---\n\nBody.\n",
    );
    f.write(
        "site/content/guides/a\\b.md",
        "---\ntitle: Backslash\n---\n\nBody.\n",
    );
    f.write("site/static/..txt", "dots");
    f.write("site/static/sub/%2e%2e", "encoded dots");
    let before = f.outside_output();
    let run = f.build(&[]);
    assert_contained(&f, &run, &before);
}

#[test]
fn symlinked_files_pointing_outside_are_not_followed() {
    let f = Fenced::new();
    symlink(f.p("secret/leak.md"), f.p("site/content/guides/leak.md")).unwrap();
    symlink(
        f.p("secret/passwords.txt"),
        f.p("site/content/guides/passwords.txt"),
    )
    .unwrap();
    fs::create_dir_all(f.p("site/static")).unwrap();
    symlink(
        f.p("secret/passwords.txt"),
        f.p("site/static/passwords.txt"),
    )
    .unwrap();
    symlink("/etc/passwd", f.p("site/static/etc-passwd")).unwrap();
    // Relative links that climb out.
    symlink(
        "../../../secret/passwords.txt",
        f.p("site/content/guides/rel.txt"),
    )
    .unwrap();
    let before = f.outside_output();
    let run = f.build(&[]);
    run.assert_ok();
    assert!(
        run.stderr().contains("outside the site"),
        "{}",
        run.stderr()
    );
    assert_contained(&f, &run, &before);
    let out = f.root().join("output");
    assert!(!out.join("guides/leak").exists());
    assert!(!out.join("passwords.txt").exists());
    assert!(!out.join("etc-passwd").exists());
    assert!(out.join("guides/a/index.html").is_file());
}

#[test]
fn symlinked_folders_pointing_outside_are_not_descended() {
    let f = Fenced::new();
    symlink(f.p("secret"), f.p("site/content/secret")).unwrap();
    fs::create_dir_all(f.p("site/static")).unwrap();
    symlink(f.p("secret"), f.p("site/static/secret")).unwrap();
    symlink("../../secret/nested", f.p("site/static/rel-nested")).unwrap();
    let before = f.outside_output();
    let run = f.build(&[]);
    run.assert_ok();
    assert!(
        run.stderr().contains("outside the site"),
        "{}",
        run.stderr()
    );
    assert_contained(&f, &run, &before);
    let out = f.root().join("output");
    assert!(
        !out.join("secret").exists(),
        "a folder outside the site was copied"
    );
    assert!(!out.join("rel-nested").exists());
    // The warning is given once per link, not once per file below it.
    let warnings = run.stderr().matches("outside the site").count();
    assert!(warnings <= 3, "{warnings} warnings:\n{}", run.stderr());
}

#[test]
fn content_folder_itself_linked_outside_is_refused() {
    let f = Fenced::new();
    fs::remove_dir_all(f.root().join("content")).unwrap();
    symlink(f.p("secret"), f.root().join("content")).unwrap();
    let before = f.outside_output();
    let run = f.build(&[]);
    assert_contained(&f, &run, &before);
}

#[test]
fn symlinks_inside_the_site_are_copied_as_files() {
    let site = small_site();
    site.put("shared/logo.txt", "LOGO");
    site.put(
        "shared-articles/shared.md",
        "---\ntitle: Shared\n---\n\nShared body.\n",
    );
    fs::create_dir_all(site.path("static")).unwrap();
    symlink(site.path("shared/logo.txt"), site.path("static/logo.txt")).unwrap();
    symlink(site.path("shared-articles"), site.path("content/shared")).unwrap();
    site.build_long(&[]).assert_ok();
    let logo = site.output().join("logo.txt");
    let meta = fs::symlink_metadata(&logo).unwrap();
    assert!(
        meta.file_type().is_file(),
        "a link was recreated in output/"
    );
    assert_eq!(fs::read_to_string(&logo).unwrap(), "LOGO");
    assert!(site.output().join("shared/shared/index.html").is_file());
    for (k, _) in snapshot(&site.output()) {
        let p = site.output().join(&k);
        assert!(
            !fs::symlink_metadata(&p).unwrap().file_type().is_symlink(),
            "output/{k} is a link"
        );
    }
}

fn loop_case(make: impl Fn(&Path)) {
    let site = small_site();
    make(site.root());
    let run = site.build_long(&[]);
    run.assert_code(1);
    assert!(
        run.stderr().contains("loop") || run.stderr().contains("symbolic link"),
        "{}",
        run.stderr()
    );
    let run = site.check_long();
    run.assert_code(1);
}

#[test]
fn symlink_loop_to_an_ancestor_ends_with_an_error() {
    loop_case(|root| symlink(root.join("content"), root.join("content/guides/loop")).unwrap());
}

#[test]
fn symlink_loop_to_the_site_root_ends_with_an_error() {
    loop_case(|root| {
        fs::create_dir_all(root.join("static")).unwrap();
        symlink("..", root.join("static/up")).unwrap();
    });
}

#[test]
fn self_referencing_and_mutual_symlinks_end_with_an_error() {
    loop_case(|root| symlink("self", root.join("content/guides/self")).unwrap());
    loop_case(|root| {
        symlink("b", root.join("content/guides/a")).unwrap();
        symlink("a", root.join("content/guides/b")).unwrap();
    });
    loop_case(|root| {
        fs::create_dir_all(root.join("content/x")).unwrap();
        fs::create_dir_all(root.join("content/y")).unwrap();
        symlink("../y", root.join("content/x/to-y")).unwrap();
        symlink("../x", root.join("content/y/to-x")).unwrap();
    });
}

#[test]
fn configured_taxonomies_decide_which_folders_hold_term_intros() {
    let site = small_site();
    site.put(
        "site.yaml",
        "title: T\nbase_url: https://example.org/\ntaxonomies: [roles, tags, levels]\n",
    );
    site.put(
        "content/guides/beginner-guide.md",
        "---\ntitle: Beginner guide\nlevels: [beginner]\n---\n\nBody.\n",
    );
    site.put(
        "content/levels/beginner.md",
        "---\ntitle: Beginners\n---\n\nFor those who start.\n",
    );
    site.build_long(&[]).assert_ok();
    let hub = site.read("levels/beginner/index.html");
    assert!(hub.contains("For those who start."), "{hub}");
    assert!(!site.output().join("levels/beginner/beginner").exists());

    // Without `levels` configured, the same folder is an ordinary section.
    site.put(
        "site.yaml",
        "title: T\nbase_url: https://example.org/\ntaxonomies: [roles, tags]\n",
    );
    site.put(
        "content/guides/beginner-guide.md",
        "---\ntitle: Beginner guide\n---\n\nBody.\n",
    );
    site.build_long(&[]).assert_ok();
    assert!(site.output().join("levels/beginner/index.html").is_file());
    assert!(site.read("levels/index.html").contains("Beginners"));
}

#[test]
fn files_referenced_from_articles_through_links_pointing_outside_are_not_copied() {
    // The walker skips these links; a relative reference from an article must not bring
    // them back in as "files beside the page".
    let f = Fenced::new();
    symlink(
        f.p("secret/passwords.txt"),
        f.p("site/content/guides/passwords.txt"),
    )
    .unwrap();
    symlink(f.p("secret"), f.p("site/content/guides/secret-dir")).unwrap();
    f.write(
        "site/content/guides/b.md",
        "---\ntitle: B\n---\n\n[pw](passwords.txt) and [deep](secret-dir/nested/deep.txt) and ![img](secret-dir/passwords.txt)\n",
    );
    let before = f.outside_output();
    let run = f.build(&[]);
    assert_contained(&f, &run, &before);
    run.assert_code(1)
        .assert_names("content/guides/b.md")
        .assert_stderr_has("outside the site");
}
