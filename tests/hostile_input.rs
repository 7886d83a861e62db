//! Hostile input (beyond SPEC §9's basic list, which tests/bad_input.rs covers): every case
//! gives a clear diagnostic (exit 1 naming the file) or builds correctly, within a generous
//! timeout, and never panics.

mod common;

use std::fs;

use common::Site;
use common::hardening::{leftovers, small_site};

const X: &str = "content/guides/x.md";

/// A site with `content/guides/x.md` holding `bytes` beside two good articles.
fn with_x(bytes: impl AsRef<[u8]>) -> Site {
    let site = small_site();
    site.put(X, bytes);
    site
}

/// Builds; the run must exit 0 (and write the page) or exit 1 naming x.md; never panic.
fn builds_or_names_x(site: &Site) -> common::Run {
    let run = site.build_long(&[]);
    run.assert_no_panic();
    match run.code() {
        Some(0) => assert!(site.exists("guides/x/index.html"), "{}", site.listing()),
        Some(1) => {
            run.assert_names(X);
        }
        other => panic!("exit code {other:?}\n{}", run.stderr()),
    }
    assert!(leftovers(site.root()).is_empty());
    run
}

#[test]
fn front_matter_that_never_closes_over_a_large_body() {
    let mut text = String::from("---\ntitle: Never closed\ntags: [a]\n");
    for i in 0..50_000 {
        text.push_str(&format!("line {i}: some words of the body that follow\n"));
    }
    let site = with_x(text);
    site.build_long(&[])
        .assert_code(1)
        .assert_at(X, 1)
        .assert_stderr_has("never closed");
}

#[test]
fn front_matter_closed_only_by_a_lookalike() {
    // `----`, ` ---`, `--- x` and `+++` do not close YAML front matter.
    let site = with_x("---\ntitle: A\n----\n ---\n--- x\n+++\nbody\n");
    let run = builds_or_names_x(&site);
    assert_eq!(run.code(), Some(1));
}

#[test]
fn ten_megabyte_yaml_value() {
    let blob = "lorem ipsum ".repeat(10 * 1024 * 1024 / 12);
    let site = with_x(format!(
        "---\ntitle: Big value\ndescription: short\nextra:\n  blob: \"{blob}\"\n---\n\nBody.\n"
    ));
    builds_or_names_x(&site).assert_ok();
}

#[test]
fn ten_megabyte_title_and_description() {
    let blob = "word ".repeat(2 * 1024 * 1024);
    let site = with_x(format!(
        "---\ntitle: \"{blob}\"\ndescription: \"{blob}\"\n---\n\nBody.\n"
    ));
    builds_or_names_x(&site);
}

#[test]
fn ten_megabyte_plain_scalar_key() {
    let key = "k".repeat(10 * 1024 * 1024);
    let site = with_x(format!("---\ntitle: T\n{key}: v\n---\n\nBody.\n"));
    builds_or_names_x(&site);
}

#[test]
fn deeply_nested_yaml_flow_sequences() {
    let site = with_x(format!(
        "---\ntitle: Deep\nextra: {}\n---\n\nBody.\n",
        "[".repeat(10_000)
    ));
    let run = builds_or_names_x(&site);
    assert_eq!(run.code(), Some(1));
    run.assert_at(X, 3);
}

#[test]
fn deeply_nested_yaml_that_closes() {
    let site = with_x(format!(
        "---\ntitle: Deep\nextra: {}{}\n---\n\nBody.\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    ));
    builds_or_names_x(&site);
    let site = with_x(format!(
        "---\ntitle: Deep\nextra: {}1{}\n---\n\nBody.\n",
        "{a: ".repeat(10_000),
        "}".repeat(10_000)
    ));
    builds_or_names_x(&site);
}

#[test]
fn deeply_nested_yaml_block_structure() {
    let mut text = String::from("---\ntitle: Deep\nextra:\n");
    for depth in 0..5_000 {
        text.push_str(&" ".repeat(depth + 2));
        text.push_str("k:\n");
    }
    text.push_str("---\n\nBody.\n");
    builds_or_names_x(&with_x(text));
    let mut text = String::from("---\ntitle: Deep\nextra: ");
    text.push_str(&"- ".repeat(10_000));
    text.push_str("x\n---\n\nBody.\n");
    builds_or_names_x(&with_x(text));
}

#[test]
fn deeply_nested_toml() {
    let site = with_x(format!(
        "+++\ntitle = \"Deep\"\n[extra]\nx = {}\n+++\n\nBody.\n",
        "[".repeat(10_000)
    ));
    assert_eq!(builds_or_names_x(&site).code(), Some(1));
    let site = with_x(format!(
        "+++\ntitle = \"Deep\"\n[extra]\nx = {}1{}\n+++\n\nBody.\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    ));
    builds_or_names_x(&site);
    let site = with_x(format!(
        "+++\ntitle = \"Deep\"\n[extra]\nx = {}1{}\n+++\n\nBody.\n",
        "{a = ".repeat(10_000),
        "}".repeat(10_000)
    ));
    builds_or_names_x(&site);
}

#[test]
fn billion_laughs_in_front_matter() {
    let mut doc = String::from(
        "---\ntitle: Laughs\nextra:\n  a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let mut prev = 'a';
    for c in 'b'..='j' {
        let refs = vec![format!("*{prev}"); 9].join(",");
        doc.push_str(&format!("  {c}: &{c} [{refs}]\n"));
        prev = c;
    }
    doc.push_str("---\n\nBody.\n");
    builds_or_names_x(&with_x(doc));
}

#[test]
fn billion_laughs_in_site_yaml() {
    let site = small_site();
    let mut doc = String::from(
        "title: Laughs\nbase_url: https://example.org/\nextra:\n  a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let mut prev = 'a';
    for c in 'b'..='j' {
        let refs = vec![format!("*{prev}"); 9].join(",");
        doc.push_str(&format!("  {c}: &{c} [{refs}]\n"));
        prev = c;
    }
    site.put("site.yaml", doc);
    let run = site.build_long(&[]);
    run.assert_no_panic();
    if run.code() == Some(1) {
        run.assert_names("site.yaml");
    } else {
        run.assert_ok();
    }
}

#[test]
fn yaml_aliases_used_in_titles_and_lists() {
    // Ordinary anchors and aliases are fine.
    let site = with_x(
        "---\ntitle: &t Anchored title\ndescription: *t\ntags: &tags [a, b]\nextra: {again: *tags}\n---\n\nBody.\n",
    );
    builds_or_names_x(&site).assert_ok();
    assert!(site.read("guides/x/index.html").contains("Anchored title"));
}

#[test]
fn odd_yaml_features() {
    for fm in [
        "title: !!binary aGVsbG8=",
        "title: A\nextra: !!set {a, b}",
        "title: A\n? [complex, key]\n: value",
        "title: A\n<<: {description: merged}",
        "title: A\nweight: 1e400",
        "title: A\nweight: 99999999999999999999999999",
        "title: .nan",
        "title: A\ndate: 99999-01-01",
        "title: A\ndate: 2026-02-30",
        "title: A\ndate: 0000-00-00",
        "title: A\nfaq: [{q: [1, 2], a: {x: y}}]",
        "title: A\naliases: [[/nested/]]",
        "title: A\nroles: [{a: b}]",
        "title: A\nextra: !custom-tag {x: 1}",
        "title: A\n%YAML 1.2",
        "title: A\n---\nsecond: document",
        "title: \"\\u0000\"",
        "\"\\uD800\": x\ntitle: A",
    ] {
        let site = with_x(format!("---\n{fm}\n---\n\nBody.\n"));
        let run = site.build_long(&[]);
        run.assert_no_panic();
        match run.code() {
            Some(0) => {}
            Some(1) => {
                run.assert_names(X);
            }
            other => panic!("{fm:?}: exit {other:?}\n{}", run.stderr()),
        }
    }
}

#[test]
fn nul_bytes() {
    // In the body: Markdown replaces them; in front matter: YAML refuses them.
    let site = with_x(b"---\ntitle: Nul\n---\n\nBefore\0after.\n\0\0\0\n");
    builds_or_names_x(&site);
    let site = with_x(b"---\ntitle: Nu\0l\n---\n\nBody.\n");
    let run = builds_or_names_x(&site);
    if run.code() == Some(0) {
        assert!(
            !fs::read(site.out("guides/x/index.html"))
                .unwrap()
                .contains(&0)
        );
    }
    let site = with_x(b"---\0\ntitle: Nul\n---\n");
    builds_or_names_x(&site);
    let site = with_x(b"+++\ntitle = \"a\0b\"\n+++\n\nBody.\n");
    builds_or_names_x(&site);
}

#[test]
fn one_megabyte_lines() {
    let long = "word ".repeat(200 * 1024);
    // A paragraph, a heading, a link text, a Read more target, a table cell, a code line.
    for body in [
        long.clone(),
        format!("## {long}\n\nText."),
        format!("[{long}](https://example.org/)"),
        format!("Read more: {long}"),
        format!("| a | b |\n|---|---|\n| {long} | x |\n"),
        format!("```\n{long}\n```\n"),
        format!("[[{long}]]"),
        "*".repeat(1024 * 1024),
        "[".repeat(1024 * 1024),
        "<".repeat(1024 * 1024),
        "`".repeat(1024 * 1024),
        "> ".repeat(100_000),
        "- ".repeat(100_000),
    ] {
        let site = with_x(format!("---\ntitle: Long line\n---\n\n{body}\n"));
        builds_or_names_x(&site);
    }
    // In front matter.
    let site = with_x(format!(
        "---\ntitle: Long\ndescription: {long}\n---\n\nBody.\n"
    ));
    builds_or_names_x(&site).assert_ok();
}

#[test]
fn fifty_megabyte_single_paragraph() {
    // tests/large_article.rs builds a 50 MB article of ordinary sections; this one is one
    // paragraph without a line break, the worst case for per-line and per-paragraph work.
    let mut text = String::with_capacity(51 * 1024 * 1024);
    text.push_str("---\ntitle: One paragraph\n---\n\n");
    let chunk = "The Scrum Master and the Product Owner work with the team, *every* day. ";
    while text.len() < 50 * 1024 * 1024 {
        text.push_str(chunk);
    }
    text.push('\n');
    let site = with_x(text);
    builds_or_names_x(&site).assert_ok();
}

#[test]
fn tens_of_thousands_of_headings() {
    let mut text = String::from("---\ntitle: Headings\n---\n\n");
    for i in 0..30_000 {
        // Repeated titles (ids must stay unique), explicit ids that collide with generated ones.
        match i % 4 {
            0 => text.push_str("## Same title\n\n"),
            1 => text.push_str(&format!("### Same title {}\n\n", i / 4)),
            2 => text.push_str("## Other {#same-title-1}\n\n"),
            _ => text.push_str(&format!("#### Deep {i}\n\nText.\n\n")),
        }
    }
    let site = with_x(text);
    builds_or_names_x(&site).assert_ok();
    let doc = site.html("guides/x/index.html");
    let ids: Vec<String> = common::select(&doc, ".prose [id]")
        .into_iter()
        .filter_map(|e| e.value().attr("id").map(str::to_string))
        .collect();
    assert!(ids.len() >= 30_000, "{} ids", ids.len());
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "heading ids are not unique");
}

#[test]
fn tens_of_thousands_of_broken_links_in_one_big_file() {
    // Each error shows its source line: reading the file once per error must not make this
    // quadratic (20,000 errors × a 1 MB file).
    let mut text = String::from("---\ntitle: Broken\n---\n\n");
    for i in 0..20_000 {
        text.push_str(&format!(
            "A line of text that pads the file a little, then [link {i}](@/nowhere-{i}.md).\n\n"
        ));
    }
    let site = with_x(text);
    let run = site.build_long(&[]);
    run.assert_code(1).assert_at(X, 5);
    assert!(
        run.stderr().contains("20000 errors"),
        "{}",
        &run.stderr()[run.stderr().len().saturating_sub(300)..]
    );
}

#[test]
fn many_faq_entries_and_aliases() {
    let mut text = String::from("---\ntitle: Many\nfaq:\n");
    for i in 0..5_000 {
        text.push_str(&format!(
            "  - {{q: \"Question {i}?\", a: \"Answer {i}.\"}}\n"
        ));
    }
    text.push_str("aliases:\n");
    for i in 0..2_000 {
        text.push_str(&format!("  - /old/{i}/\n"));
    }
    text.push_str("---\n\nBody.\n");
    let site = with_x(text);
    builds_or_names_x(&site).assert_ok();
    assert!(site.exists("old/1999/index.html"));
}

#[test]
fn directory_named_like_an_article() {
    let site = small_site();
    fs::create_dir_all(site.path("content/guides/folder.md")).unwrap();
    site.put(
        "content/guides/dir.md/inner.md",
        "---\ntitle: Inner\n---\n\nInside a folder named dir.md.\n",
    );
    site.put("content/guides/empty.md/.keep", "");
    let run = site.build_long(&[]);
    run.assert_no_panic();
    assert!(matches!(run.code(), Some(0 | 1)), "{}", run.stderr());
    if run.code() == Some(1) {
        run.assert_stderr_has("dir.md");
    }
}

#[cfg(unix)]
#[test]
fn unreadable_file() {
    use std::os::unix::fs::PermissionsExt;
    let site = small_site();
    site.put(X, "---\ntitle: Secret\n---\n\nBody.\n");
    site.put("static/locked.txt", "locked");
    fs::set_permissions(site.path(X), fs::Permissions::from_mode(0o000)).unwrap();
    fs::set_permissions(
        site.path("static/locked.txt"),
        fs::Permissions::from_mode(0o000),
    )
    .unwrap();
    let run = site.build_long(&[]);
    run.assert_no_panic();
    if common::hardening::can_bypass_permissions(site.root()) {
        // Running as root (as in CI containers): mode 000 does not stop reads, so the build
        // succeeds and there is nothing to assert about the diagnostic.
        assert!(matches!(run.code(), Some(0 | 1)));
    } else {
        run.assert_code(1).assert_names(X);
        run.assert_stderr_has("static/locked.txt");
        assert!(!site.output().exists(), "a failed build wrote output");
    }
    // Restore the mode so the temp folder can be removed.
    fs::set_permissions(site.path(X), fs::Permissions::from_mode(0o644)).unwrap();
}

#[cfg(unix)]
#[test]
fn unreadable_folder() {
    use std::os::unix::fs::PermissionsExt;
    let site = small_site();
    site.put("content/locked/a.md", "---\ntitle: Locked\n---\n\nBody.\n");
    fs::set_permissions(
        site.path("content/locked"),
        fs::Permissions::from_mode(0o000),
    )
    .unwrap();
    let run = site.build_long(&[]);
    run.assert_no_panic();
    if !common::hardening::can_bypass_permissions(site.root()) {
        run.assert_code(1).assert_stderr_has("content/locked");
    }
    fs::set_permissions(
        site.path("content/locked"),
        fs::Permissions::from_mode(0o755),
    )
    .unwrap();
}

#[cfg(unix)]
#[test]
fn fifo_and_dangling_links_never_hang() {
    // Unreadable in a way that also holds for root: a FIFO would block a reader forever.
    let site = small_site();
    for p in [X, "static/pipe.txt", "content/guides/pipe-asset.bin"] {
        let path = site.path(p);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        let status = std::process::Command::new("mkfifo").arg(&path).status();
        if !status.is_ok_and(|s| s.success()) {
            return; // no mkfifo on this system
        }
    }
    std::os::unix::fs::symlink("nowhere.md", site.path("content/guides/dangling.md")).unwrap();
    std::os::unix::fs::symlink("pipe.txt", site.path("static/link-to-pipe.txt")).unwrap();
    let run = site.build_long(&[]);
    run.assert_no_panic();
    assert!(matches!(run.code(), Some(0 | 1)), "{}", run.stderr());
}

#[test]
fn non_utf8_file_and_folder_names() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let site = small_site();
    let dir = site.path("content").join(OsStr::from_bytes(b"sec\xfftion"));
    fs::create_dir_all(&dir).unwrap();
    fs::write(
        dir.join(OsStr::from_bytes(b"na\xffme.md")),
        "---\ntitle: Odd name\n---\n\nBody.\n",
    )
    .unwrap();
    fs::create_dir_all(site.path("static")).unwrap();
    fs::write(
        site.path("static").join(OsStr::from_bytes(b"a\xfe.txt")),
        "x",
    )
    .unwrap();
    let run = site.build_long(&[]);
    run.assert_no_panic();
    assert!(matches!(run.code(), Some(0 | 1)), "{}", run.stderr());
}

#[test]
fn very_long_file_name() {
    let site = small_site();
    let name = format!("content/guides/{}.md", "a".repeat(240));
    site.put(&name, "---\ntitle: Long name\n---\n\nBody.\n");
    let run = site.build_long(&[]);
    run.assert_no_panic();
    assert!(matches!(run.code(), Some(0 | 1)), "{}", run.stderr());
}

#[test]
fn hostile_site_yaml_values() {
    for yaml in [
        "title: T\nbase_url: \"javascript:alert(1)\"",
        "title: T\nbase_url: \"\"",
        "title: T\nbase_url: \"https://example.org/\\\"><script>x</script>\"",
        "title: T\nbase_url: https://example.org/\npaginate: 0",
        "title: T\nbase_url: https://example.org/\npaginate: 18446744073709551615",
        "title: T\nbase_url: https://example.org/\nreading_speed_wpm: 1",
        "title: T\nbase_url: https://example.org/\ntaxonomies: []",
        "title: T\nbase_url: https://example.org/\ntaxonomies: [tags, tags]",
        "title: T\nbase_url: https://example.org/\ntaxonomies: [guides]",
        "title: T\nbase_url: https://example.org/\nlanguage: \"\"",
        "title: \"\"\nbase_url: https://example.org/",
        "[]",
        "\"just a string\"",
        "title: T\nbase_url: https://example.org/\nextra: [1, 2]",
    ] {
        let site = small_site();
        site.put("site.yaml", yaml);
        let run = site.build_long(&[]);
        run.assert_no_panic();
        match run.code() {
            Some(0) => {}
            Some(1) => {
                assert!(
                    run.names_file("site.yaml") || run.stderr().contains("content/"),
                    "{yaml:?}\n{}",
                    run.stderr()
                );
            }
            other => panic!("{yaml:?}: exit {other:?}\n{}", run.stderr()),
        }
    }
}
