//! The output folder that watch keeps in step with its rebuilds (`InPlace`): after each one it
//! holds exactly what the site has, with a site's own files over the theme's.

mod common;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use common::Site;
use rolebook::build::{BuildOptions, Change, Session};
use rolebook::write::inplace::InPlace;

/// A session on `site` that has built it once into `out`, and the writer keeping `out`.
fn watched(site: &Site, out: &Path) -> (Session, InPlace) {
    let opts = BuildOptions {
        root: site.root().to_path_buf(),
        ..Default::default()
    };
    let mut s = Session::new(opts).unwrap_or_else(|d| panic!("{:?}", d.sorted()));
    let mut w = InPlace::new(out.to_path_buf(), None);
    let report = s.rebuild();
    assert!(report.ok(), "{:?}", report.diagnostics.sorted());
    w.apply(&report.rendered.expect("a rendered site"), &HashSet::new())
        .expect("write the first build");
    (s, w)
}

/// Applies `changes`, rebuilds and writes the result, as watch does.
fn save(s: &mut Session, w: &mut InPlace, changes: Vec<Change>, paths: &[PathBuf]) {
    s.apply(&changes)
        .unwrap_or_else(|d| panic!("{:?}", d.sorted()));
    let report = s.rebuild();
    assert!(report.ok(), "{:?}", report.diagnostics.sorted());
    let changed: std::collections::HashSet<PathBuf> = paths.iter().cloned().collect();
    w.apply(&report.rendered.expect("a rendered site"), &changed)
        .expect("write the rebuild");
}

#[test]
fn a_sites_own_style_sheet_stays_over_the_themes_after_a_rebuild() {
    let site = Site::new()
        .file("content/guides/a.md", "---\ntitle: A\n---\nBody.\n")
        .file("static/style.css", "/* mine */");
    let out = tempfile::tempdir().unwrap();
    let (mut s, mut w) = watched(&site, out.path());
    let css = || std::fs::read_to_string(out.path().join("style.css")).unwrap();
    assert_eq!(css(), "/* mine */");
    let a = site.path("content/guides/a.md");
    std::fs::write(&a, "---\ntitle: A\n---\nBody two.\n").unwrap();
    save(&mut s, &mut w, vec![Change::Content(vec![a.clone()])], &[a]);
    assert_eq!(
        css(),
        "/* mine */",
        "the theme's style.css was written over the site's"
    );
}

#[test]
fn files_the_site_no_longer_has_leave_the_output() {
    // The site's favicon overrides the theme's, and a bundle's image is both walked and linked:
    // two destinations listed twice.
    let site = Site::new()
        .file(
            "content/guides/g/index.md",
            "---\ntitle: Gee\n---\nA picture: ![p](pic.png)\n",
        )
        .file("content/guides/g/pic.png", "PNG")
        .file(
            "content/guides/x.md",
            "---\ntitle: X\n---\nSee ![a](a.png).\n",
        )
        .file("content/guides/a.png", "PNG")
        .file("static/favicon.svg", "<svg/>")
        .file("static/extra.css", "body{}");
    let out = tempfile::tempdir().unwrap();
    let (mut s, mut w) = watched(&site, out.path());
    assert!(out.path().join("extra.css").exists());
    assert!(out.path().join("guides/x/a.png").exists());
    // A body edit drops the only link to an image.
    let x = site.path("content/guides/x.md");
    std::fs::write(&x, "---\ntitle: X\n---\nNo picture.\n").unwrap();
    save(&mut s, &mut w, vec![Change::Content(vec![x.clone()])], &[x]);
    assert!(
        !out.path().join("guides/x/a.png").exists(),
        "guides/x/a.png is still in the output"
    );
    // A static file is deleted.
    let css = site.path("static/extra.css");
    std::fs::remove_file(&css).unwrap();
    save(
        &mut s,
        &mut w,
        vec![Change::Static(vec![css.clone()])],
        &[css],
    );
    assert!(
        !out.path().join("extra.css").exists(),
        "extra.css is still in the output"
    );
    assert!(out.path().join("guides/g/pic.png").exists());
    assert_eq!(
        std::fs::read_to_string(out.path().join("favicon.svg")).unwrap(),
        "<svg/>"
    );
}
