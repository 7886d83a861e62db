//! SPEC §7 "Atomic": nothing of a good build is lost to a failed or killed one, nothing of an
//! older build survives a good one, and rolebook never replaces folders it did not write.

mod common;

use std::fs;
use std::process::Stdio;
use std::thread::sleep;
use std::time::{Duration, Instant};

use common::Site;
use common::hardening::{leftovers, small_site, snapshot};

#[test]
fn failed_build_leaves_previous_output_byte_identical() {
    let site = small_site();
    site.build_long(&[]).assert_ok();
    let before = snapshot(&site.output());
    assert!(before.contains_key("guides/scrum-master/index.html"));
    assert!(before.contains_key(".rolebook-output"));

    // A content error (an unresolved link) …
    site.put(
        "content/guides/scrum-master.md",
        "---\ntitle: Scrum Master\n---\n\nRead more: No Such Guide\n",
    );
    site.build_long(&[])
        .assert_code(1)
        .assert_names("content/guides/scrum-master.md");
    assert_eq!(snapshot(&site.output()), before);

    // … a front-matter error …
    site.put(
        "content/guides/new.md",
        "---\ntitle: [unclosed\n---\nbody\n",
    );
    site.build_long(&[])
        .assert_code(1)
        .assert_names("content/guides/new.md");
    assert_eq!(snapshot(&site.output()), before);

    // … and a template error all leave it alone.
    site.put(
        "content/guides/scrum-master.md",
        "---\ntitle: Scrum Master\n---\n\nFine again.\n",
    );
    fs::remove_file(site.path("content/guides/new.md")).unwrap();
    site.put("templates/page.html", "{{ page.title | no_such_filter }}");
    site.build_long(&[]).assert_code(1);
    assert_eq!(snapshot(&site.output()), before);
    assert!(
        leftovers(site.root()).is_empty(),
        "{:?}",
        leftovers(site.root())
    );
}

#[test]
fn deleted_article_disappears_on_rebuild() {
    let site = small_site();
    site.put(
        "content/guides/old-guide.md",
        "---\ntitle: Old Guide\naliases: [/old/url/]\n---\n\nGone soon.\n",
    );
    site.put("static/old.txt", "old static file");
    site.build_long(&[]).assert_ok();
    assert!(site.output().join("guides/old-guide/index.html").is_file());
    assert!(site.output().join("old/url/index.html").is_file());
    assert!(site.output().join("old.txt").is_file());

    fs::remove_file(site.path("content/guides/old-guide.md")).unwrap();
    fs::remove_file(site.path("static/old.txt")).unwrap();
    site.build_long(&[]).assert_ok();
    assert!(!site.output().join("guides/old-guide").exists());
    assert!(!site.output().join("old/url").exists());
    assert!(!site.output().join("old.txt").exists());
    assert!(
        site.output()
            .join("guides/scrum-master/index.html")
            .is_file()
    );
    for f in ["sitemap.xml", "search-index.json", "guides/index.html"] {
        let text = site.read(f);
        assert!(
            !text.contains("old-guide"),
            "{f} still lists the deleted article"
        );
    }
}

#[test]
fn leftover_temp_folders_of_a_killed_build_are_cleaned() {
    let site = small_site();
    site.build_long(&[]).assert_ok();
    for name in [
        ".output.rolebook-tmp-4194399",
        ".output.rolebook-tmp-4194400",
        ".output.rolebook-old-4194401",
    ] {
        site.put(&format!("{name}/half/written.html"), "<p>partial");
    }
    site.build_long(&[]).assert_ok();
    assert!(
        leftovers(site.root()).is_empty(),
        "{:?}",
        leftovers(site.root())
    );
    assert!(
        site.output()
            .join("guides/scrum-master/index.html")
            .is_file()
    );
}

#[cfg(target_os = "linux")]
#[test]
fn temp_folder_of_a_build_still_running_is_left_alone() {
    // The folder names this test's own process, which is alive: another build in progress.
    let site = small_site();
    let live = format!(".output.rolebook-tmp-{}", std::process::id());
    site.put(&format!("{live}/guides/x.html"), "in progress");
    site.build_long(&[]).assert_ok();
    assert!(site.path(&live).join("guides/x.html").is_file());
}

#[test]
fn build_killed_between_the_two_renames_restores_the_previous_output() {
    // The swap renames output/ away, then the fresh tree in. A kill between the two leaves
    // only `.output.rolebook-old-<pid>`: the next build, even a failing one, must bring it back.
    let site = small_site();
    site.build_long(&[]).assert_ok();
    let before = snapshot(&site.output());
    fs::rename(site.output(), site.path(".output.rolebook-old-4194399")).unwrap();
    site.put(
        ".output.rolebook-tmp-4194399/guides/half.html",
        "<p>partial",
    );
    site.put(
        "content/guides/broken.md",
        "---\ntitle: Broken\n---\n\nRead more: Nowhere\n",
    );
    site.build_long(&[])
        .assert_code(1)
        .assert_names("content/guides/broken.md");
    assert_eq!(snapshot(&site.output()), before);
    assert!(
        leftovers(site.root()).is_empty(),
        "{:?}",
        leftovers(site.root())
    );
}

#[test]
fn foreign_output_folder_is_refused_and_untouched_unless_forced() {
    let site = small_site();
    site.put("output/my-thesis.tex", "precious");
    site.put("output/notes/todo.txt", "also precious");
    let before = snapshot(&site.output());
    let run = site.build_long(&[]);
    run.assert_code(1).assert_stderr_has("did not write");
    assert!(run.stderr().contains("--force"), "{}", run.stderr());
    assert_eq!(snapshot(&site.output()), before);

    // Also through --output.
    let other = tempfile::tempdir().unwrap();
    fs::write(other.path().join("keep.txt"), "mine").unwrap();
    site.build_long(&["--output", other.path().to_str().unwrap()])
        .assert_code(1);
    assert_eq!(
        fs::read_to_string(other.path().join("keep.txt")).unwrap(),
        "mine"
    );

    site.build_long(&["--force"]).assert_ok();
    assert!(!site.output().join("my-thesis.tex").exists());
    assert!(
        site.output()
            .join("guides/scrum-master/index.html")
            .is_file()
    );
    assert!(site.output().join(".rolebook-output").is_file());
    // From now on the folder is rolebook's: no --force needed.
    site.build_long(&[]).assert_ok();
}

#[test]
fn empty_existing_output_folder_is_fine() {
    let site = small_site();
    fs::create_dir_all(site.output()).unwrap();
    site.build_long(&[]).assert_ok();
    assert!(site.output().join("index.html").is_file());
}

#[test]
fn output_on_the_site_or_its_sources_is_refused() {
    let parent = tempfile::tempdir().unwrap();
    let root = parent.path().join("site");
    fs::create_dir_all(root.join("content/guides")).unwrap();
    fs::create_dir_all(root.join("static")).unwrap();
    fs::write(
        root.join("site.yaml"),
        "title: T\nbase_url: https://example.org/\n",
    )
    .unwrap();
    fs::write(
        root.join("content/guides/a.md"),
        "---\ntitle: A\n---\n\nBody.\n",
    )
    .unwrap();
    fs::write(root.join("static/s.txt"), "s").unwrap();
    let before = snapshot(parent.path());
    let r = root.to_str().unwrap().to_string();
    let targets = [
        r.clone(),
        format!("{r}/"),
        format!("{r}/content"),
        format!("{r}/content/guides"),
        format!("{r}/content/new-folder"),
        format!("{r}/static"),
        format!("{r}/content/../content"),
        format!("{r}/output/.."),
        parent.path().to_str().unwrap().to_string(),
        "/".to_string(),
        format!("{r}/site.yaml"),
    ];
    for t in &targets {
        let mut cmd = common::hardening::rolebook_in(&root);
        cmd.arg("build")
            .arg("--root")
            .arg(&root)
            .arg("--output")
            .arg(t);
        let run = common::hardening::run(cmd);
        run.assert_code(1);
        assert!(
            run.stderr().contains("refusing") || run.stderr().contains("refuse"),
            "--output {t}: {}",
            run.stderr()
        );
        assert_eq!(
            snapshot(parent.path()),
            before,
            "--output {t} changed files"
        );
    }
    // Relative forms, from inside the site.
    for t in [".", "content", "./static/..", ".."] {
        let mut cmd = common::hardening::rolebook_in(&root);
        cmd.current_dir(&root).args(["build", "--output", t]);
        common::hardening::run(cmd).assert_code(1);
        assert_eq!(
            snapshot(parent.path()),
            before,
            "--output {t} changed files"
        );
    }
    // --force does not lift these refusals.
    let mut cmd = common::hardening::rolebook_in(&root);
    cmd.arg("build")
        .arg("--root")
        .arg(&root)
        .arg("--force")
        .arg("--output")
        .arg(&root);
    common::hardening::run(cmd).assert_code(1);
    assert_eq!(snapshot(parent.path()), before);
}

#[test]
fn output_dir_in_site_yaml_is_checked_too() {
    let site = small_site();
    site.put(
        "site.yaml",
        "title: T\nbase_url: https://example.org/\noutput_dir: content\n",
    );
    let before = snapshot(site.root());
    site.build_long(&[]).assert_code(1);
    assert_eq!(snapshot(site.root()), before);
    site.put(
        "site.yaml",
        "title: T\nbase_url: https://example.org/\noutput_dir: ..\n",
    );
    let before = snapshot(site.root());
    site.build_long(&[]).assert_code(1);
    assert_eq!(snapshot(site.root()), before);
}

/// A site of `n` articles of a few hundred words that link to each other.
fn large_site(n: usize) -> Site {
    let site = Site::new();
    let para = "The Scrum Master coaches the team on empiricism, removes impediments and \
                facilitates events, while the Product Owner orders the backlog and talks to \
                stakeholders about value, outcomes and the product goal. ";
    for i in 0..n {
        let next = (i + 1) % n;
        let body = format!(
            "## Accountability\n\n{}\n\n## Events\n\n- The Scrum Master: facilitates.\n- The Product Owner: attends.\n\nRead more: Guide {next}\n\n[next](@/s{}/guide-{next}.md)\n",
            para.repeat(8),
            next % 10
        );
        site.put(
            &format!("content/s{}/guide-{i}.md", i % 10),
            format!(
                "---\ntitle: Guide {i}\ndescription: Guide number {i}\nroles: [scrum-master, product-owner]\ntags: [t{}]\n---\n\n{body}",
                i % 50
            ),
        );
    }
    site
}

/// When to kill a build.
#[derive(Debug, Clone, Copy)]
enum KillAt {
    /// After this share of the time an undisturbed build took (while loading or rendering).
    Share(f64),
    /// As soon as the fresh tree beside `output/` appears (writing has begun).
    TreeAppears,
    /// Once the fresh tree holds this many files (writing is well under way).
    TreeHolds(usize),
}

/// Spawns `rolebook build` on `site` and SIGKILLs it at `at`; true if it was still running.
fn build_and_kill(site: &Site, at: KillAt, full: Duration) -> bool {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_rolebook"))
        .arg("build")
        .arg("--root")
        .arg(site.root())
        .arg("--quiet")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let tmp = site
        .root()
        .join(format!(".output.rolebook-tmp-{}", child.id()));
    let deadline = Instant::now() + full * 4 + Duration::from_secs(30);
    match at {
        KillAt::Share(f) => sleep(full.mul_f64(f)),
        KillAt::TreeAppears | KillAt::TreeHolds(_) => loop {
            let reached = match at {
                KillAt::TreeHolds(n) => {
                    tmp.is_dir() && walkdir::WalkDir::new(&tmp).into_iter().take(n).count() >= n
                }
                _ => tmp.is_dir(),
            };
            if reached || Instant::now() > deadline || child.try_wait().unwrap().is_some() {
                break;
            }
            sleep(Duration::from_millis(2));
        },
    }
    let running = child.try_wait().unwrap().is_none();
    let _ = child.kill(); // SIGKILL
    let _ = child.wait();
    running
}

#[test]
fn build_killed_mid_way_then_rebuilt_gives_correct_output() {
    let site = large_site(2500);
    // The reference: the same site built, undisturbed, into a folder of its own.
    let reference_dir = tempfile::tempdir().unwrap();
    let reference = reference_dir.path().join("out");
    let t0 = Instant::now();
    site.build_long(&["--output", reference.to_str().unwrap()])
        .assert_ok();
    let full = t0.elapsed();
    let expected = snapshot(&reference);
    assert!(expected.len() > 2500);
    site.build_long(&[]).assert_ok();
    assert_eq!(snapshot(&site.output()), expected);

    let mut killed_while_running = 0;
    for at in [
        KillAt::Share(0.3),
        KillAt::TreeAppears,
        KillAt::TreeHolds(expected.len() / 2),
    ] {
        if build_and_kill(&site, at, full) {
            killed_while_running += 1;
        }
        // Right after the kill, output/ is the old tree whole (identical content here), or —
        // killed between the two renames — absent, with the old tree set aside.
        if site.output().exists() {
            assert_eq!(snapshot(&site.output()), expected, "killed at {at:?}");
        } else {
            assert!(
                leftovers(site.root())
                    .iter()
                    .any(|n| n.starts_with(".output.rolebook-old-")),
                "output/ vanished after a kill at {at:?}"
            );
        }
        site.build_long(&[]).assert_ok();
        assert_eq!(
            snapshot(&site.output()),
            expected,
            "rebuild after a kill at {at:?}"
        );
        assert!(
            leftovers(site.root()).is_empty(),
            "{:?}",
            leftovers(site.root())
        );
    }
    assert!(killed_while_running > 0, "no build was killed while it ran");

    // The very first build killed while writing: the rebuild gives the whole site.
    fs::remove_dir_all(site.output()).unwrap();
    build_and_kill(&site, KillAt::TreeHolds(expected.len() / 3), full);
    assert!(!site.output().exists() || snapshot(&site.output()) == expected);
    site.build_long(&[]).assert_ok();
    assert_eq!(snapshot(&site.output()), expected);
    assert!(leftovers(site.root()).is_empty());
}

#[cfg(unix)]
#[test]
fn output_that_is_a_link_to_the_site_or_a_foreign_folder_is_refused() {
    use std::os::unix::fs::symlink;
    let parent = tempfile::tempdir().unwrap();
    let foreign = parent.path().join("foreign");
    fs::create_dir_all(&foreign).unwrap();
    fs::write(foreign.join("keep.txt"), "mine").unwrap();
    for target in ["content", ".", "..", "/", foreign.to_str().unwrap()] {
        let site = small_site();
        symlink(target, site.output()).unwrap();
        let before = snapshot(site.root());
        let foreign_before = snapshot(&foreign);
        site.build_long(&[]).assert_code(1);
        assert_eq!(snapshot(site.root()), before, "output -> {target}");
        assert_eq!(snapshot(&foreign), foreign_before, "output -> {target}");
    }
}
