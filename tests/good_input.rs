//! Input that must build fine (SPEC §9): a UTF-8 BOM, CRLF line endings, unicode titles,
//! and editors' temporary files, which are ignored.

mod common;

use common::{Site, json_strings, one, select, text};

#[test]
fn utf8_bom_is_ignored() {
    let site = Site::new()
        .file(
            "content/bom.md",
            "\u{feff}---\ntitle: With BOM\n---\nBody.\n",
        )
        .build_ok();
    let doc = site.html("bom/index.html");
    assert_eq!(text(one(&doc, "h1")), "With BOM");
    assert_eq!(text(one(&doc, ".prose p")), "Body.");
}

#[test]
fn utf8_bom_in_site_yaml_is_ignored() {
    let site = Site::bare()
        .file(
            "site.yaml",
            "\u{feff}title: BOM Site\nbase_url: https://example.org/\n",
        )
        .article("content/a.md", "A", "Body.\n")
        .build_ok();
    let doc = site.html("a/index.html");
    assert_eq!(text(one(&doc, "title")), "A · BOM Site");
}

#[test]
fn crlf_line_endings() {
    let site = Site::new()
        .file(
            "content/guides/crlf.md",
            "---\r\ntitle: Windows Guide\r\ndate: 2024-05-06\r\ntags: [scrum]\r\n---\r\nFirst line\r\nsame paragraph.\r\n\r\n## Next part\r\n\r\n- one\r\n- two\r\n",
        )
        .build_ok();
    let doc = site.html("guides/crlf/index.html");
    assert_eq!(text(one(&doc, "h1")), "Windows Guide");
    assert_eq!(text(one(&doc, ".prose p")), "First line same paragraph.");
    assert_eq!(one(&doc, ".prose h2").value().id(), Some("next-part"));
    let items: Vec<String> = select(&doc, ".prose li").into_iter().map(text).collect();
    assert_eq!(items, ["one", "two"]);
    assert!(site.exists("tags/scrum/index.html"), "{}", site.listing());
    let time = one(&doc, "time[datetime]");
    assert_eq!(time.value().attr("datetime"), Some("2024-05-06"));
}

#[test]
fn crlf_with_bom_and_title_from_heading() {
    let site = Site::new()
        .file(
            "content/w.md",
            "\u{feff}---\r\ndescription: d\r\n---\r\n# Heading Title\r\n\r\nBody.\r\n",
        )
        .build_ok();
    let doc = site.html("w/index.html");
    assert_eq!(text(one(&doc, "h1")), "Heading Title");
}

#[test]
fn crlf_errors_still_name_the_line() {
    Site::new()
        .file(
            "content/x.md",
            "---\r\ntitle: A\r\ndate: yesterday\r\n---\r\nBody.\r\n",
        )
        .build()
        .assert_error_at("content/x.md", 3);
}

#[test]
fn unicode_titles() {
    let titles = [
        "Scrum Master’s Guide — «Rôles» et Équipes",
        "Владелец продукта",
        "产品负责人与敏捷教练",
        "Agile 🚀 Coach",
    ];
    let mut site = Site::new();
    for (i, t) in titles.iter().enumerate() {
        site = site.file(
            &format!("content/guides/u{i}.md"),
            format!("---\ntitle: \"{t}\"\n---\nBody {i}.\n"),
        );
    }
    let site = site.build_ok();
    for (i, t) in titles.iter().enumerate() {
        let doc = site.html(&format!("guides/u{i}/index.html"));
        assert_eq!(text(one(&doc, "h1")), *t);
    }
    let home: Vec<String> = select(&site.html("index.html"), "main a")
        .into_iter()
        .map(text)
        .collect();
    for t in titles {
        assert!(home.iter().any(|h| h == t), "home lacks {t:?}: {home:?}");
    }
    let strings = json_strings(&site.json("search-index.json"));
    for t in titles {
        assert!(strings.iter().any(|s| s == t), "search index lacks {t:?}");
    }
}

#[test]
fn unicode_title_slug_link_resolves() {
    let site = Site::new()
        .file(
            "content/guides/role.md",
            "---\ntitle: \"Rôle de l’Équipe\"\n---\nBody.\n",
        )
        .article(
            "content/guides/linker.md",
            "Linker",
            "Intro.\n\nRead more: rôle de l'équipe\n",
        )
        .build_ok();
    let doc = site.html("guides/linker/index.html");
    let links: Vec<String> = common::hrefs(&doc, ".prose a[href]");
    assert!(links.iter().any(|h| h == "/guides/role/"), "{links:?}");
}

#[test]
fn editor_temporary_files_are_ignored() {
    let site = Site::new()
        .article("content/a.md", "A", "Body.\n")
        .file("content/.#a.md", "garbage")
        .file("content/a.md~", "garbage")
        .file("content/.a.md.swp", "garbage")
        .file("content/.goutputstream-ABC123", "garbage")
        .file("content/.hidden/secret.md", "no front matter")
        .build_ok();
    assert!(!site.exists("a.md~"), "{}", site.listing());
    assert!(!site.exists(".goutputstream-ABC123"), "{}", site.listing());
    assert!(
        !site.exists(".hidden/secret/index.html"),
        "{}",
        site.listing()
    );
}
