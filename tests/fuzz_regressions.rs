//! What fuzzing found, kept as tests: every input under `tests/fixtures/fuzz/<target>/` is
//! replayed through the same library calls as the cargo-fuzz target of that name (see
//! `fuzz/`), and a property test feeds arbitrary bytes as an article to the whole build,
//! in-process. Nothing may panic; a build either succeeds or reports errors.

use std::fs;
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use rolebook::build::{BuildOptions, build};
use rolebook::config::Config;
use rolebook::load::{MarkdownFile, front_matter, parse_markdown};
use rolebook::model::SourceKind;

fn fixtures(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fuzz")
        .join(target);
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .map(|rd| rd.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    files
}

/// The `front_matter` fuzz target, as a function.
fn front_matter_target(data: &[u8]) {
    let config = Config::with_defaults("Fuzz", "https://example.org/");
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(split) = front_matter::split(text) {
            let mut diags = Vec::new();
            let _ = front_matter::parse(&split, "content/x.md", &config.taxonomies, &mut diags);
        }
    }
    for kind in [SourceKind::Article, SourceKind::SectionIndex] {
        let f = MarkdownFile {
            abs: "content/guides/fuzz.md".into(),
            rel: "content/guides/fuzz.md".into(),
            kind,
            section: "guides".into(),
            file_slug: "fuzz".into(),
            bundle: None,
        };
        let (page, diags) = parse_markdown(data.to_vec(), &f, &config);
        // Either a page or an error saying why not.
        assert!(
            page.is_some() || diags.iter().any(|d| d.is_error()),
            "no page and no error for {:?}",
            String::from_utf8_lossy(data)
        );
    }
}

/// The whole build, in-process, of a small site whose `content/guides/x.md` is `data`.
fn build_with_article(data: &[u8]) {
    let site = tempfile::tempdir().unwrap();
    let root = site.path().join("site");
    fs::create_dir_all(root.join("content/guides")).unwrap();
    fs::create_dir_all(root.join("content/roles")).unwrap();
    fs::write(
        root.join("site.yaml"),
        "title: Fuzz\nbase_url: https://example.org/guides/\n",
    )
    .unwrap();
    fs::write(
        root.join("content/guides/scrum-master.md"),
        "---\ntitle: Scrum Master\nroles: [scrum-master]\nfaq: [{q: Who?, a: The team.}]\n---\n\n## Accountability\n\n- The Scrum Master coaches.\n",
    )
    .unwrap();
    fs::write(
        root.join("content/roles/scrum-master.md"),
        "---\ntitle: Scrum Master\n---\n\nThe hub.\n",
    )
    .unwrap();
    fs::write(root.join("content/guides/x.md"), data).unwrap();
    let out = site.path().join("out");
    let report = build(&BuildOptions {
        root: root.clone(),
        output: Some(out.clone()),
        write: true,
        drafts: true,
        ..Default::default()
    });
    if report.ok() {
        assert!(out.join("index.html").is_file());
        assert!(out.join(".rolebook-output").is_file());
    } else {
        assert!(!out.exists(), "a failed build wrote output");
        assert!(
            report
                .diagnostics
                .iter()
                .filter(|d| d.is_error())
                .all(|d| !d.message.is_empty()),
        );
    }
    // Nothing appeared beside the site and its output.
    let mut names: Vec<String> = fs::read_dir(site.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(
        names == ["site"] || names == ["out", "site"],
        "unexpected files beside the site: {names:?}"
    );
}

#[test]
fn front_matter_fixtures_never_panic() {
    for f in fixtures("front_matter") {
        front_matter_target(&fs::read(&f).unwrap());
    }
}

#[test]
fn page_pipeline_fixtures_never_panic() {
    for f in fixtures("page_pipeline") {
        build_with_article(&fs::read(&f).unwrap());
    }
}

/// Pieces of what articles are made of, so that random inputs reach past the front matter.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("---\n".to_string()),
        Just("+++\n".to_string()),
        Just("title: ".to_string()),
        Just("title = \"T\"\n".to_string()),
        Just("description: d\n".to_string()),
        Just("roles: [scrum-master, product-owner]\n".to_string()),
        Just("tags: [a, b]\n".to_string()),
        Just("aliases: [/old/]\n".to_string()),
        Just("slug: s\n".to_string()),
        Just("date: 2026-03-14\n".to_string()),
        Just("faq: [{q: Q, a: A}]\n".to_string()),
        Just("compare: [scrum-master, product-owner]\n".to_string()),
        Just("&a ".to_string()),
        Just("*a".to_string()),
        Just("Read more: Scrum Master\n".to_string()),
        Just("Read more: ".to_string()),
        Just("[[Scrum Master]]".to_string()),
        Just("[[".to_string()),
        Just("[x](@/guides/scrum-master.md#accountability)".to_string()),
        Just("[x](#nowhere)".to_string()),
        Just("## ".to_string()),
        Just("## Frequently Asked Questions\n".to_string()),
        Just("### ".to_string()),
        Just("- The Scrum Master ".to_string()),
        Just("- The Product Owner's ".to_string()),
        Just("{#id .c}".to_string()),
        Just("<!-- more -->".to_string()),
        Just("```rust\nfn main() {}\n```\n".to_string()),
        Just("| a | b |\n|---|---|\n| 1 | 2 |\n".to_string()),
        Just("[^1]\n\n[^1]: note\n".to_string()),
        Just("<script>".to_string()),
        Just("{{ page.title }}{% if x %}".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("\u{feff}".to_string()),
        "[ -~]{0,12}",
        "\\PC{0,6}",
    ]
}

fn article_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..256),
        prop::collection::vec(fragment(), 0..32).prop_map(|v| v.concat().into_bytes()),
        (
            prop::collection::vec(fragment(), 0..12),
            prop::collection::vec(fragment(), 0..24)
        )
            .prop_map(|(front, body)| format!(
                "---\ntitle: T\n{}\n---\n{}",
                front.concat(),
                body.concat()
            )
            .into_bytes()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 64,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_bytes_as_an_article_never_panic_the_build(data in article_bytes()) {
        build_with_article(&data);
    }

    #[test]
    fn any_bytes_as_a_markdown_file_never_panic_loading(data in article_bytes()) {
        front_matter_target(&data);
    }
}
