//! Bad input (SPEC §9): each case exits 1 without a panic and names the file and, where
//! there is one, the line; every error of a build is reported at once, sorted by file; a
//! failed build writes nothing.

mod common;

use common::Site;

/// A site whose only article is `content/x.md` with `contents`.
fn with_x(contents: impl AsRef<[u8]>) -> Site {
    Site::new().file("content/x.md", contents)
}

const X: &str = "content/x.md";

#[test]
fn malformed_yaml() {
    let run = with_x("---\ntitle: A\ndescription: roles: many\n---\nBody.\n").build();
    run.assert_error_at(X, 3);
    run.assert_stderr_has("YAML");
}

#[test]
fn duplicate_yaml_key_names_the_second_occurrence() {
    let run = with_x("---\ntitle: A\ndescription: d\ntitle: B\n---\nBody.\n").build();
    run.assert_error_at(X, 4);
    run.assert_stderr_has("duplicate");
}

#[test]
fn malformed_yaml_unclosed_bracket_points_at_its_line_not_the_fence() {
    let run = with_x("---\ntitle: A\ntags: [a, b\n---\nBody.\n").build();
    run.assert_error_at(X, 3);
    assert!(
        !run.locations().iter().any(|l| l.file == X && l.line == 4),
        "the closing fence is not the error\n{}",
        run.stderr()
    );
}

#[test]
fn malformed_toml() {
    let run = with_x("+++\ntitle = \"A\"\ndate = what\n+++\nBody.\n").build();
    run.assert_error_at(X, 3);
    run.assert_stderr_has("TOML");
}

#[test]
fn unclosed_front_matter() {
    let run = with_x("---\ntitle: A\n\nBody that never ends the front matter.\n").build();
    run.assert_error_at(X, 1);
    run.assert_stderr_has("never closed");
}

#[test]
fn unclosed_toml_front_matter() {
    with_x("+++\ntitle = \"A\"\nBody.\n")
        .build()
        .assert_error_at(X, 1);
}

#[test]
fn date_that_is_not_a_date() {
    let run = with_x("---\ntitle: A\n\ndate: yesterday\n---\nBody.\n").build();
    run.assert_error_at(X, 4);
    run.assert_stderr_has("yesterday");
    // the help lists the accepted forms
    run.assert_stderr_has("2026-03-14");
}

#[test]
fn tags_that_are_a_number() {
    let run = with_x("---\ntitle: A\ntags: 5\n---\nBody.\n").build();
    run.assert_error_at(X, 3);
    run.assert_stderr_has("`tags`");
}

#[test]
fn missing_title() {
    let run = with_x("---\ndescription: no title here\n---\nBody without a heading.\n").build();
    run.assert_error_at(X, 1);
    run.assert_stderr_has("title");
}

#[test]
fn empty_front_matter_has_no_title() {
    with_x("---\n---\nBody.\n").build().assert_error_at(X, 1);
}

#[test]
fn empty_file() {
    let run = with_x("").build();
    run.assert_error_at(X, 1);
    run.assert_stderr_has("empty");
}

#[test]
fn whitespace_only_file() {
    with_x("\n  \n\t\n").build().assert_error_at(X, 1);
}

#[test]
fn file_without_front_matter() {
    let run = with_x("# Just a heading\n\nAnd text.\n").build();
    run.assert_error_at(X, 1);
    run.assert_stderr_has("front matter");
}

#[test]
fn front_matter_that_is_a_list() {
    with_x("---\n- a\n- b\n---\nBody.\n")
        .build()
        .assert_error_at(X, 2);
}

#[test]
fn non_utf8_bytes() {
    let run = with_x(b"---\ntitle: A\n---\nLine four \xff\xfe here.\n".as_slice()).build();
    run.assert_error_at(X, 4);
    run.assert_stderr_has("UTF-8");
}

#[test]
fn non_utf8_bytes_in_front_matter() {
    with_x(b"---\ntitle: Caf\xe9\n---\nBody.\n".as_slice())
        .build()
        .assert_error_at(X, 2);
}

#[test]
fn duplicate_urls_name_both_files() {
    let run = Site::new()
        .file(
            "content/guides/one.md",
            "---\ntitle: One\nslug: same\n---\nA.\n",
        )
        .file(
            "content/guides/two.md",
            "---\ntitle: Two\nslug: same\n---\nB.\n",
        )
        .build();
    run.assert_code(1);
    run.assert_names("content/guides/one.md");
    run.assert_names("content/guides/two.md");
    assert!(
        run.locations()
            .iter()
            .any(|l| l.file.starts_with("content/guides/") && l.line == 3),
        "the `slug` line is named: {:?}",
        run.locations()
    );
}

#[test]
fn duplicate_url_from_file_name_and_slug() {
    let run = Site::new()
        .article("content/b.md", "B", "Body.\n")
        .file("content/a.md", "---\ntitle: A\nslug: b\n---\nBody.\n")
        .build();
    run.assert_code(1);
    run.assert_names("content/a.md");
    run.assert_names("content/b.md");
}

#[test]
fn page_with_the_url_of_a_section_listing() {
    let run = Site::new()
        .article(
            "content/guides.md",
            "Guides Page",
            "I would hide the listing.\n",
        )
        .article("content/guides/a.md", "A", "Body.\n")
        .build();
    run.assert_error_at("content/guides.md", 1);
    run.assert_stderr_has("/guides/");
}

#[test]
fn page_with_the_url_of_a_taxonomy_listing() {
    let run = Site::new()
        .file("content/tags.md", "---\ntitle: Tags Page\n---\nBody.\n")
        .file(
            "content/other.md",
            "---\ntitle: Other\nslug: roles\n---\nBody.\n",
        )
        .build();
    run.assert_error_at("content/tags.md", 1);
    run.assert_error_at("content/other.md", 3);
}

#[test]
fn alias_with_the_url_of_a_listing() {
    let run = Site::new()
        .article("content/guides/b.md", "B", "Body.\n")
        .file(
            "content/guides/a.md",
            "---\ntitle: A\naliases: [/guides/, /tags/]\n---\nBody.\n",
        )
        .build();
    run.assert_error_at("content/guides/a.md", 3);
    run.assert_stderr_has("/guides/");
    run.assert_stderr_has("/tags/");
}

#[test]
fn file_name_without_letters_or_digits() {
    let run = Site::new()
        .article("content/guides/!!!.md", "Bang", "Body.\n")
        .article("content/guides/a.md", "A", "Body.\n")
        .build();
    run.assert_error_at("content/guides/!!!.md", 1);
    run.assert_stderr_has("slug");
}

#[test]
fn file_name_without_letters_is_fine_with_a_slug() {
    let site = Site::new()
        .file(
            "content/guides/!!!.md",
            "---\ntitle: Bang\nslug: bang\n---\nBody.\n",
        )
        .build_ok();
    assert!(site.exists("guides/bang/index.html"), "{}", site.listing());
}

#[test]
fn slug_with_slash() {
    let run = with_x("---\ntitle: A\nslug: guides/escape\n---\nBody.\n").build();
    run.assert_error_at(X, 3);
    run.assert_stderr_has("slug");
}

#[test]
fn slug_with_dot_dot() {
    let run = with_x("---\ntitle: A\nslug: ../../etc\n---\nBody.\n").build();
    run.assert_error_at(X, 3);
}

#[test]
fn slug_that_is_only_dot_dot() {
    let site = with_x("---\ntitle: A\nslug: ..\n---\nBody.\n");
    site.build().assert_error_at(X, 3);
    assert!(!site.path("etc").exists() && !site.path("output").exists());
}

#[test]
fn unknown_template() {
    let run = with_x("---\ntitle: A\ntemplate: nope.html\n---\nBody.\n").build();
    run.assert_error_at(X, 3);
    run.assert_stderr_has("nope.html");
}

#[test]
fn unknown_template_in_section_index() {
    let run = Site::new()
        .file(
            "content/guides/_index.md",
            "---\ntitle: Guides\n\ntemplate: no-such-section.html\n---\nIntro.\n",
        )
        .article("content/guides/a.md", "A", "Body.\n")
        .build();
    run.assert_error_at("content/guides/_index.md", 4);
    run.assert_stderr_has("no-such-section.html");
}

#[test]
fn template_runtime_error_names_template_file_and_line() {
    let run = Site::new()
        .file(
            "templates/page.html",
            "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ page.title }}</h1>\n<p>{{ no_such_variable.field }}</p>\n{% endblock content %}\n",
        )
        .article("content/x.md", "A", "Body.\n")
        .build();
    run.assert_error_at("templates/page.html", 4);
    run.assert_stderr_has("no_such_variable");
}

#[test]
fn template_syntax_error_names_template_file_and_line() {
    let run = Site::new()
        .file(
            "templates/page.html",
            "{% extends \"base.html\" %}\n{% block content %}\n{% if page.title %}\n<p>unclosed if</p>\n{% endblock content %}\n",
        )
        .article("content/x.md", "A", "Body.\n")
        .build();
    run.assert_code(1);
    assert!(
        run.locations()
            .iter()
            .any(|l| l.file == "templates/page.html"),
        "{}",
        run.stderr()
    );
}

#[test]
fn unresolved_read_more_link() {
    let run = Site::new()
        .article("content/guides/real.md", "Real Guide", "Body.\n")
        .file(
            "content/x.md",
            "---\ntitle: A\n---\nIntro paragraph.\n\nRead more: No Such Title\n",
        )
        .build();
    run.assert_error_at(X, 6);
    run.assert_stderr_has("No Such Title");
}

#[test]
fn link_error_lines_survive_heading_titles_bom_crlf_and_toml() {
    let run = Site::new()
        .file(
            "content/a.md",
            "---\ndescription: d\n---\n\n# Heading Title\n\nPara.\n\nRead more: Nope One\n",
        )
        .file(
            "content/b.md",
            "\u{feff}---\r\ntitle: B\r\n---\r\nPara.\r\n\r\nRead more: Nope Two\r\n",
        )
        .file(
            "content/c.md",
            "+++\ntitle = \"C\"\n+++\n\n- item\n\nText [link](@/nope.md) here.\n",
        )
        .build();
    run.assert_error_at("content/a.md", 9);
    run.assert_error_at("content/b.md", 6);
    run.assert_error_at("content/c.md", 7);
}

#[test]
fn unresolved_links_of_every_kind_are_all_reported() {
    let run = Site::new()
        .article("content/real.md", "Real Guide", "## Only heading\n")
        .file(
            "content/x.md",
            "---\ntitle: A\n---\nRead more: Missing One\n\n[[Missing Two]]\n\n[three](@/missing-three.md)\n\n[four](real.md#no-such-heading)\n",
        )
        .build();
    run.assert_code(1);
    for line in [4, 6, 8, 10] {
        run.assert_at(X, line);
    }
}

#[cfg(unix)]
#[test]
fn symlink_loop_in_content() {
    let site = Site::new()
        .article("content/a.md", "A", "Body.\n")
        .symlink(".", "content/loop");
    let run = site.build();
    run.assert_code(1);
    run.assert_names("content/loop");
    run.assert_stderr_has("loop");
}

#[cfg(unix)]
#[test]
fn symlink_to_parent_folder_loop() {
    let site = Site::new()
        .article("content/guides/a.md", "A", "Body.\n")
        .symlink("..", "content/guides/up");
    let run = site.build();
    run.assert_code(1);
    run.assert_names("content/guides/up");
}

#[test]
fn unknown_key_in_site_yaml_names_line_and_nearest_key() {
    let run = Site::bare()
        .file(
            "site.yaml",
            "title: T\nbase_url: https://example.org/\npaginat: 10\n",
        )
        .article("content/a.md", "A", "Body.\n")
        .build();
    run.assert_error_at("site.yaml", 3);
    run.assert_stderr_has("paginat");
    run.assert_stderr_has("`paginate`");
}

#[test]
fn site_yaml_missing_base_url() {
    let run = Site::bare()
        .file("site.yaml", "title: T\n")
        .article("content/a.md", "A", "Body.\n")
        .build();
    run.assert_code(1);
    run.assert_names("site.yaml");
    run.assert_stderr_has("base_url");
}

#[test]
fn missing_site_yaml() {
    let run = Site::bare().article("content/a.md", "A", "Body.\n").build();
    run.assert_code(1);
    run.assert_stderr_has("site.yaml");
}

#[test]
fn every_error_of_several_files_in_one_run_sorted_by_file() {
    let site = Site::new()
        .file(
            "content/z-last.md",
            "---\ntitle: Z\ndate: someday\n---\nBody.\n",
        )
        .file("content/a-first.md", "no front matter\n")
        .file(
            "content/guides/m-middle.md",
            "---\ntitle: M\ntags: 5\n---\n",
        )
        .file("content/guides/b.md", "")
        .file(
            "content/c-two-errors.md",
            "---\ntitle: C\nweight: heavy\ndraft: maybe\n---\nBody.\n",
        );
    let run = site.build();
    run.assert_code(1);
    let want = [
        ("content/a-first.md", 1),
        ("content/c-two-errors.md", 3),
        ("content/c-two-errors.md", 4),
        ("content/guides/b.md", 1),
        ("content/guides/m-middle.md", 3),
        ("content/z-last.md", 3),
    ];
    for (file, line) in want {
        run.assert_at(file, line);
    }
    // In order of appearance, the located diagnostics are sorted by file, then line.
    let seen: Vec<(String, usize)> = run
        .locations()
        .into_iter()
        .map(|l| (l.file, l.line))
        .collect();
    let mut sorted = seen.clone();
    sorted.sort();
    assert_eq!(seen, sorted, "{}", run.stderr());
    // and the run says how many
    run.assert_stderr_has("6 errors");
}

#[test]
fn failed_build_writes_nothing_and_keeps_previous_output() {
    let site = Site::new().article("content/a.md", "A", "First version.\n");
    site.build().assert_ok();
    let before = site.read("a/index.html");
    let site = site.file(
        "content/a.md",
        "---\ntitle: A\ndate: never\n---\nSecond version.\n",
    );
    site.build().assert_error_at("content/a.md", 3);
    assert_eq!(site.read("a/index.html"), before);
}

#[test]
fn check_reports_the_same_errors() {
    let site = with_x("---\ntitle: A\ndate: yesterday\n---\nBody.\n");
    site.check().assert_error_at(X, 3);
}

#[test]
fn odd_inputs_never_panic() {
    let cases: [&[u8]; 12] = [
        b"---",
        b"---\n",
        b"+++",
        b"---\n---",
        b"---\ntitle:\n---\n",
        b"---\ntitle: [a, b]\n---\n",
        b"---\ntitle: {a: b}\n---\n",
        b"---\n: no key\n---\n",
        b"\xef\xbb\xbf",
        b"\r\n\r\n",
        b"---\r\ntitle: A\r\nfaq: [{q: only}]\r\n---\r\n",
        b"---\ntitle: A\n---\n[[]] [x]( ) Read more:\n\n# \n## {#}\n",
    ];
    let mut site = Site::new();
    for (i, c) in cases.iter().enumerate() {
        site = site.file(&format!("content/odd-{i:02}.md"), c);
    }
    let run = site.build();
    run.assert_no_panic();
    assert!(
        matches!(run.code(), Some(0 | 1)),
        "exit code {:?}\n{}",
        run.code(),
        run.stderr()
    );
}
