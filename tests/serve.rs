//! Issue 7: `serve` as a browser sees it — pages, MIME types, 404, no file outside the output,
//! edits (also saved by rename), new and deleted pages, and bad edits that never stop it.

mod common;

use common::Site;
use common::server::Server;

fn site() -> Site {
    Site::new()
        .file(
            "content/guides/a.md",
            "---\ntitle: Alpha\n---\nOriginal alpha text.\n",
        )
        .file(
            "content/guides/b.md",
            "---\ntitle: Bravo\n---\nRead more: Alpha\n",
        )
        .file("secret.txt", "TOP-SECRET-VALUE")
}

#[test]
fn serves_pages_types_404_and_nothing_outside_the_output() {
    let site = site();
    let s = Server::start(&site);
    let (code, ty, body) = s.get("/");
    assert_eq!((code, ty.as_str()), (200, "text/html"));
    let doc = scraper::Html::parse_document(&body);
    let scripts: Vec<_> = common::select(&doc, "script[src='/__rolebook/live.js']");
    assert_eq!(
        scripts.len(),
        1,
        "served HTML carries the live-reload script"
    );
    let (code, ty, _) = s.get("/style.css");
    assert_eq!((code, ty.as_str()), (200, "text/css"));
    let (code, ty, body) = s.get("/guides/a/");
    assert_eq!((code, ty.as_str()), (200, "text/html"));
    assert!(body.contains("Original alpha text."));
    let (code, _, body) = s.get("/no/such/page/");
    assert_eq!(code, 404);
    let doc = scraper::Html::parse_document(&body);
    assert!(
        !common::select(&doc, "main").is_empty(),
        "the 404 page of the site is served"
    );
    for path in [
        "/../secret.txt",
        "/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2e%2e%2fsecret.txt",
        "/..%2fsecret.txt",
        "/guides/../../secret.txt",
        "//secret.txt",
    ] {
        let resp = s.raw(path);
        assert!(
            !resp.contains("TOP-SECRET-VALUE"),
            "{path} served a file outside the output:\n{resp}"
        );
        assert!(
            !resp.starts_with("HTTP/1.1 200"),
            "{path}: {}",
            resp.lines().next().unwrap_or("")
        );
    }
    // Nothing made for localhost lands in the site's own output folder.
    assert!(!site.root().join("output").exists());
}

#[test]
fn edits_new_pages_deletions_and_saves_by_rename_are_served() {
    let site = site();
    let s = Server::start(&site);
    s.get("/guides/a/");
    std::fs::write(
        site.path("content/guides/a.md"),
        "---\ntitle: Alpha\n---\nEdited alpha text.\n",
    )
    .unwrap();
    s.wait_for("/guides/a/", "the edit", |c, b| {
        c == 200 && b.contains("Edited alpha text.")
    });

    // Save by rename, as many editors do: write a temp file, then move it over the article.
    let tmp = site.path("content/guides/.a.md.swp");
    std::fs::write(&tmp, "---\ntitle: Alpha\n---\nRenamed-in alpha text.\n").unwrap();
    std::fs::rename(&tmp, site.path("content/guides/a.md")).unwrap();
    s.wait_for("/guides/a/", "the renamed-in save", |c, b| {
        c == 200 && b.contains("Renamed-in alpha text.")
    });

    std::fs::write(
        site.path("content/guides/c.md"),
        "---\ntitle: Charlie\n---\nBrand new.\n",
    )
    .unwrap();
    s.wait_for("/guides/c/", "the new page", |c, b| {
        c == 200 && b.contains("Brand new.")
    });
    s.wait_for("/guides/", "the new page in the listing", |_, b| {
        b.contains("/guides/c/")
    });

    std::fs::remove_file(site.path("content/guides/c.md")).unwrap();
    s.wait_for("/guides/c/", "the deletion", |c, _| c == 404);

    std::fs::create_dir_all(site.path("content/more")).unwrap();
    std::fs::write(
        site.path("content/more/d.md"),
        "---\ntitle: Delta\n---\nIn a new folder.\n",
    )
    .unwrap();
    s.wait_for("/more/d/", "a page in a new folder", |c, b| {
        c == 200 && b.contains("In a new folder.")
    });
}

#[test]
fn a_bad_edit_keeps_the_last_good_site_and_the_fix_brings_the_new_one() {
    let site = site();
    let s = Server::start(&site);
    std::fs::write(
        site.path("content/guides/a.md"),
        "---\ntitle: [Alpha\n---\nBroken edit.\n",
    )
    .unwrap();
    // The error reaches the browser as an event; the old page is still served.
    let events = s.raw_events_until("errors");
    assert!(
        events.contains("content/guides/a.md:2"),
        "the error names the line of the unclosed bracket: {events}"
    );
    let (code, _, body) = s.get("/guides/a/");
    assert_eq!(code, 200);
    assert!(body.contains("Original alpha text.") && !body.contains("Broken edit."));
    std::fs::write(
        site.path("content/guides/a.md"),
        "---\ntitle: Alpha\n---\nFixed alpha text.\n",
    )
    .unwrap();
    s.wait_for("/guides/a/", "the fix", |c, b| {
        c == 200 && b.contains("Fixed alpha text.")
    });
    // A broken link is an error too, and does not stop the server either.
    std::fs::write(
        site.path("content/guides/b.md"),
        "---\ntitle: Bravo\n---\nRead more: Nobody\n",
    )
    .unwrap();
    let events = s.raw_events_until("errors");
    assert!(events.contains("Nobody"), "{events}");
    std::fs::write(
        site.path("content/guides/b.md"),
        "---\ntitle: Bravo\n---\nRead more: Alpha\n\nFixed bravo.\n",
    )
    .unwrap();
    s.wait_for("/guides/b/", "the fixed link", |c, b| {
        c == 200 && b.contains("Fixed bravo.")
    });
}
