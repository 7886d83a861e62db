//! Where pages and files land: URLs from file names and `slug:`, transliterated unicode names,
//! page bundles, non-Markdown files in content/, static/, the home page's article links, and a
//! site without a themes/ folder (the built-in theme).

mod common;

use common::{Site, hrefs, one, select, text};

#[test]
fn article_file_becomes_section_slug_index_html() {
    let site = Site::new()
        .article("content/guides/a-b.md", "A and B", "Body text.\n")
        .build_ok();
    let doc = site.html("guides/a-b/index.html");
    assert_eq!(text(one(&doc, "h1")), "A and B");
    assert!(!site.exists("guides/a-b.html"));
}

#[test]
fn slug_in_front_matter_overrides_file_name() {
    let site = Site::new()
        .file(
            "content/guides/long-file-name.md",
            "---\ntitle: Short\nslug: short-url\n---\nBody.\n",
        )
        .build_ok();
    assert!(
        site.exists("guides/short-url/index.html"),
        "{}",
        site.listing()
    );
    assert!(!site.exists("guides/long-file-name/index.html"));
    let doc = site.html("guides/short-url/index.html");
    assert_eq!(text(one(&doc, "h1")), "Short");
}

#[test]
fn unicode_file_name_is_transliterated() {
    let site = Site::new()
        .article("content/guides/café-guide.md", "Café Guide", "Body.\n")
        .article("content/guides/Ñandú Über.md", "Ñandú Über", "Body.\n")
        .build_ok();
    assert!(
        site.exists("guides/cafe-guide/index.html"),
        "{}",
        site.listing()
    );
    assert!(
        site.exists("guides/nandu-uber/index.html"),
        "{}",
        site.listing()
    );
    let doc = site.html("guides/cafe-guide/index.html");
    assert_eq!(text(one(&doc, "h1")), "Café Guide");
}

#[test]
fn unicode_slug_value_is_transliterated() {
    let site = Site::new()
        .file(
            "content/guides/x.md",
            "---\ntitle: X\nslug: Rôle Übersicht\n---\nBody.\n",
        )
        .build_ok();
    assert!(
        site.exists("guides/role-ubersicht/index.html"),
        "{}",
        site.listing()
    );
}

#[test]
fn page_bundle_copies_its_files_beside_the_page() {
    let png: &[u8] = b"\x89PNG\r\n\x1a\nnot really a png";
    let site = Site::new()
        .article(
            "content/guides/x/index.md",
            "Bundle",
            "See the diagram:\n\n![Diagram](diagram.png)\n",
        )
        .file("content/guides/x/diagram.png", png)
        .file("content/guides/x/notes/extra.txt", "nested")
        .build_ok();
    assert!(site.exists("guides/x/index.html"), "{}", site.listing());
    assert_eq!(
        std::fs::read(site.out("guides/x/diagram.png")).unwrap(),
        png
    );
    assert_eq!(site.read("guides/x/notes/extra.txt"), "nested");
    let doc = site.html("guides/x/index.html");
    let img = one(&doc, ".prose img");
    assert_eq!(img.value().attr("src"), Some("diagram.png"));
}

#[test]
fn page_bundle_with_slug_copies_its_files_beside_the_moved_page() {
    let site = Site::new()
        .file(
            "content/guides/folder-name/index.md",
            "---\ntitle: Moved Bundle\nslug: new-name\n---\n<a href=\"notes.pdf\">Notes</a>\n\n![Diagram](diagram.png)\n",
        )
        .file("content/guides/folder-name/diagram.png", "png")
        .file("content/guides/folder-name/notes.pdf", "pdf")
        .build_ok();
    assert!(
        site.exists("guides/new-name/index.html"),
        "{}",
        site.listing()
    );
    // Both files sit beside the page, so the relative links in it keep working.
    assert_eq!(site.read("guides/new-name/diagram.png"), "png");
    assert_eq!(
        site.read("guides/new-name/notes.pdf"),
        "pdf",
        "{}",
        site.listing()
    );
    assert!(
        !site.path("output/guides/folder-name").exists(),
        "{}",
        site.listing()
    );
}

#[test]
fn unicode_bundle_folder_is_transliterated() {
    let site = Site::new()
        .article(
            "content/guides/Rôles Überblick/index.md",
            "Überblick",
            "![x](x.png)\n",
        )
        .file("content/guides/Rôles Überblick/x.png", "png")
        .build_ok();
    assert!(
        site.exists("guides/roles-uberblick/index.html"),
        "{}",
        site.listing()
    );
    assert_eq!(site.read("guides/roles-uberblick/x.png"), "png");
}

#[test]
fn non_markdown_file_in_content_is_copied_to_same_place() {
    let site = Site::new()
        .article("content/guides/a.md", "A", "Body.\n")
        .file("content/guides/files/checklist.pdf", "%PDF-1.4 fake")
        .file("content/top.txt", "top level")
        .build_ok();
    assert_eq!(site.read("guides/files/checklist.pdf"), "%PDF-1.4 fake");
    assert_eq!(site.read("top.txt"), "top level");
}

#[test]
fn file_referenced_by_an_article_is_copied_beside_its_page() {
    let site = Site::new()
        .article(
            "content/guides/a.md",
            "A",
            "Download [the checklist](checklist.pdf).\n",
        )
        .file("content/guides/checklist.pdf", "%PDF-1.4 fake")
        .build_ok();
    assert_eq!(site.read("guides/a/checklist.pdf"), "%PDF-1.4 fake");
    let doc = site.html("guides/a/index.html");
    let links = hrefs(&doc, ".prose a");
    assert_eq!(links, ["checklist.pdf"]);
}

#[test]
fn static_folder_is_copied_to_output_root() {
    let site = Site::new()
        .article("content/a.md", "A", "Body.\n")
        .file("static/robots-extra.txt", "hello")
        .file("static/img/logo.svg", "<svg/>")
        .build_ok();
    assert_eq!(site.read("robots-extra.txt"), "hello");
    assert_eq!(site.read("img/logo.svg"), "<svg/>");
    assert!(!site.exists("static/img/logo.svg"));
}

#[test]
fn home_page_links_to_every_article() {
    let site = Site::new()
        .article("content/guides/scrum-master.md", "Scrum Master", "Body.\n")
        .article(
            "content/guides/product-owner.md",
            "Product Owner",
            "Body.\n",
        )
        .article("content/top-level.md", "Top Level", "Body.\n")
        .build_ok();
    let doc = site.html("index.html");
    let links = hrefs(&doc, "main a[href]");
    for want in [
        "/guides/scrum-master/",
        "/guides/product-owner/",
        "/top-level/",
    ] {
        assert!(
            links.iter().any(|h| h == want),
            "home page has no link to {want}; links: {links:?}"
        );
    }
    let titles: Vec<String> = select(&doc, "main a[href]").into_iter().map(text).collect();
    assert!(titles.iter().any(|t| t == "Scrum Master"), "{titles:?}");
}

#[test]
fn base_url_path_prefixes_internal_links() {
    let site = Site::bare()
        .file(
            "site.yaml",
            "title: T\nbase_url: https://user.github.io/guides/\n",
        )
        .article("content/guides/a.md", "A", "Body.\n")
        .build_ok();
    // The output layout is independent of the base path ...
    assert!(site.exists("guides/a/index.html"), "{}", site.listing());
    // ... but links carry it.
    let doc = site.html("index.html");
    let links = hrefs(&doc, "main a[href]");
    assert!(
        links.iter().any(|h| h == "/guides/guides/a/"),
        "links: {links:?}"
    );
}

#[test]
fn site_without_themes_folder_uses_the_built_in_theme() {
    let site = Site::new()
        .article("content/guides/a.md", "A", "Body.\n")
        .build_ok();
    assert!(!site.path("themes").exists());
    let css = site.read("style.css");
    assert!(!css.trim().is_empty(), "style.css is empty");
    let doc = site.html("guides/a/index.html");
    let sheets = hrefs(&doc, "link[rel=stylesheet]");
    assert_eq!(sheets, ["/style.css"]);
}

#[test]
fn output_option_writes_elsewhere() {
    let site = Site::new().article("content/a.md", "A", "Body.\n");
    let elsewhere = site.path("public");
    site.build_with(&["--output", &elsewhere.to_string_lossy()])
        .assert_ok();
    assert!(elsewhere.join("a/index.html").is_file());
    assert!(!site.exists("a/index.html"));
}

#[test]
fn summary_line_counts_pages() {
    let site =
        Site::new()
            .article("content/a.md", "A", "Body.\n")
            .article("content/b.md", "B", "Body.\n");
    let run = site.build();
    run.assert_ok();
    let stdout = run.stdout();
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("built 2 pages into output")),
        "summary line: {stdout:?}"
    );
}
