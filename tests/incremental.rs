//! Issue 7: incremental rebuilds re-render only what a change touches. These tests drive the
//! same `Session` that watch and serve use, and assert which outputs each kind of edit renders.

mod common;

use std::collections::BTreeSet;
use std::path::PathBuf;

use common::Site;
use common::mirror::Mirror;
use rolebook::build::{BuildOptions, Change, Session};

fn fixture() -> Site {
    Site::new()
        .file("content/guides/a.md", "---\ntitle: Alpha\ndate: 2026-01-03\ntags: [x]\n---\nFirst paragraph of alpha.\n\nSecond paragraph.\n")
        .file("content/guides/b.md", "---\ntitle: Bravo\ndate: 2026-01-02\ntags: [y]\n---\nSee [alpha](@/guides/a.md).\n")
        .file("content/guides/c.md", "---\ntitle: Charlie\ndate: 2026-01-01\ntags: [z]\n---\nNothing to see.\n")
        .file("content/notes/d.md", "---\ntitle: Delta\ndate: 2025-01-01\ntags: [z]\n---\nElsewhere.\n")
        .file("templates/page.html", "{% extends \"base.html\" %}{% block content %}<article>{{ page.title }}{{ page.content | safe }}{% if page.prev %}<a href=\"{{ get_url(path=page.prev.path) }}\">{{ page.prev.title }}</a>{% endif %}</article>{% endblock content %}")
        .file("static/extra.css", "body{}")
}

fn session(site: &Site) -> Session {
    let opts = BuildOptions {
        root: site.root().to_path_buf(),
        ..Default::default()
    };
    Session::new(opts).unwrap_or_else(|d| panic!("{:?}", d.sorted()))
}

/// The fixture and a session that has built it once: where most tests start.
fn built() -> (Site, Session) {
    let site = fixture();
    let mut s = session(&site);
    s.rebuild();
    (site, s)
}

/// Applies `changes` and rebuilds; returns the report, whatever it says.
fn apply(s: &mut Session, changes: &[Change]) -> rolebook::build::BuildReport {
    s.apply(changes)
        .unwrap_or_else(|d| panic!("{:?}", d.sorted()));
    s.rebuild()
}

/// Applies `changes` and rebuilds; returns the output files that were rendered.
fn rebuild(s: &mut Session, changes: &[Change]) -> BTreeSet<String> {
    let report = apply(s, changes);
    assert!(report.ok(), "{:?}", report.diagnostics.sorted());
    let r = report.rendered.expect("a rendered site");
    let files: BTreeSet<String> = r.files.iter().map(|f| f.path.clone()).collect();
    assert_eq!(files.len(), r.stats.jobs);
    files
}

fn edit(site: &Site, rel: &str, from: &str, to: &str) -> Vec<Change> {
    let path = site.path(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{rel} lacks {from:?}");
    std::fs::write(&path, text.replace(from, to)).unwrap();
    vec![Change::Content(vec![path])]
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// The feed lists every page with its title and summary, so an edit to either re-renders it;
/// the sitemap lists URLs and dates only. The search index is split: its entry point
/// (`search-index.json`) holds titles, descriptions and headings, and the body text lives in
/// shards (one, `search/shard-0.json`, for a site this small).
const FEED: &str = "atom.xml";
const SITEMAP: &str = "sitemap.xml";
const SEARCH_ENTRY: &str = "search-index.json";
const SEARCH_SHARD: &str = "search/shard-0.json";

fn with_site_wide(items: &[&str], search: &str) -> BTreeSet<String> {
    let mut s = set(items);
    s.insert(FEED.to_string());
    s.insert(search.to_string());
    s
}

#[test]
fn the_first_build_renders_everything_and_an_unchanged_rebuild_nothing() {
    let site = fixture();
    let mut s = session(&site);
    let first = s.rebuild();
    let stats = &first.rendered.as_ref().unwrap().stats;
    assert_eq!(stats.jobs, stats.total_jobs);
    assert_eq!(stats.bodies, 4);
    let again = rebuild(
        &mut s,
        &[Change::Content(vec![site.path("content/guides/c.md")])],
    );
    assert!(again.is_empty(), "{again:?}");
}

#[test]
fn a_body_edit_renders_the_page_and_the_listings_showing_its_summary() {
    let (site, mut s) = built();
    let got = rebuild(
        &mut s,
        &edit(
            &site,
            "content/guides/a.md",
            "First paragraph of alpha.",
            "First paragraph of alpha, edited.",
        ),
    );
    assert_eq!(
        got,
        with_site_wide(
            &[
                "guides/a/index.html",
                "guides/index.html",
                "index.html",
                "tags/x/index.html"
            ],
            SEARCH_SHARD
        )
    );
    // An edit outside the summary that keeps the word count changes only the page (and the
    // search shard with its text); listings show the summary and the reading time, which stay
    // the same.
    let got = rebuild(
        &mut s,
        &edit(
            &site,
            "content/guides/a.md",
            "Second paragraph.",
            "Second sentence.",
        ),
    );
    assert_eq!(got, set(&["guides/a/index.html", SEARCH_SHARD]));
}

#[test]
fn a_title_edit_also_renders_the_pages_linking_to_it() {
    let (site, mut s) = built();
    let got = rebuild(
        &mut s,
        &edit(
            &site,
            "content/guides/a.md",
            "title: Alpha",
            "title: Alpha Prime",
        ),
    );
    // b links to a (and shows it as its previous guide); c and d do not.
    assert_eq!(
        got,
        with_site_wide(
            &[
                "guides/a/index.html",
                "guides/b/index.html",
                "guides/index.html",
                "index.html",
                "tags/x/index.html"
            ],
            SEARCH_ENTRY
        )
    );
}

#[test]
fn a_date_edit_also_renders_the_sitemap() {
    let (site, mut s) = built();
    let got = rebuild(
        &mut s,
        &edit(
            &site,
            "content/guides/c.md",
            "date: 2026-01-01",
            "date: 2020-01-01",
        ),
    );
    assert!(got.contains(SITEMAP), "{got:?}");
    assert!(got.contains(FEED), "{got:?}");
    assert!(got.contains("guides/c/index.html"), "{got:?}");
}

#[test]
fn a_template_edit_renders_the_pages_using_it() {
    let (site, mut s) = built();
    std::fs::write(site.path("templates/page.html"), "{% extends \"base.html\" %}{% block content %}<article class=\"v2\">{{ page.title }}</article>{% endblock content %}").unwrap();
    let got = rebuild(&mut s, &[Change::Templates]);
    assert_eq!(
        got,
        set(&[
            "guides/a/index.html",
            "guides/b/index.html",
            "guides/c/index.html",
            "notes/d/index.html"
        ])
    );
}

/// The rendered file `rel` of a rebuild's report, as text.
fn rendered_text(report: &rolebook::build::BuildReport, rel: &str) -> String {
    let r = report.rendered.as_ref().expect("a rendered site");
    let f = r.files.iter().find(|f| f.path == rel);
    String::from_utf8(
        f.unwrap_or_else(|| panic!("{rel} was not rendered"))
            .bytes
            .clone(),
    )
    .expect("UTF-8 output")
}

// Header, footer and cards are rendered once and put into pages whose own templates no longer
// include them: an edit of one must still render every page that shows it.
#[test]
fn editing_the_header_or_the_card_renders_the_pages_showing_them() {
    let (site, mut s) = built();
    std::fs::create_dir_all(site.path("templates/partials")).unwrap();
    std::fs::write(
        site.path("templates/partials/page_card.html"),
        "<div class=\"card-v2\">{{ p.title }}</div>",
    )
    .unwrap();
    let report = apply(&mut s, &[Change::Templates]);
    assert!(report.ok(), "{:?}", report.diagnostics.sorted());
    for listing in ["index.html", "guides/index.html", "tags/x/index.html"] {
        let html = rendered_text(&report, listing);
        assert!(
            html.contains("<div class=\"card-v2\">Alpha</div>"),
            "{listing}: {html}"
        );
    }
    std::fs::write(
        site.path("templates/partials/header.html"),
        "<header class=\"header-v2\">{{ nav_here }}</header>",
    )
    .unwrap();
    let report = apply(&mut s, &[Change::Templates]);
    assert!(report.ok(), "{:?}", report.diagnostics.sorted());
    for (page, here) in [
        ("guides/a/index.html", "guides/"),
        ("tags/x/index.html", "tags/"),
    ] {
        let html = rendered_text(&report, page);
        assert!(
            html.contains(&format!("<header class=\"header-v2\">{here}</header>")),
            "{page}: {html}"
        );
    }
}

#[test]
fn a_static_file_edit_renders_nothing() {
    let (site, mut s) = built();
    std::fs::write(site.path("static/extra.css"), "body{color:red}").unwrap();
    let got = rebuild(
        &mut s,
        &[Change::Static(vec![site.path("static/extra.css")])],
    );
    assert!(got.is_empty(), "{got:?}");
}

#[test]
fn a_deleted_static_file_leaves_the_site() {
    let (site, mut s) = built();
    let css = site.path("static/extra.css");
    // An edit of a listed file needs no walk; a deletion does.
    std::fs::write(&css, "body{color:red}").unwrap();
    assert!(rebuild(&mut s, &[Change::Static(vec![css.clone()])]).is_empty());
    std::fs::remove_file(&css).unwrap();
    let report = apply(&mut s, &[Change::Static(vec![css])]);
    let assets = &report.rendered.expect("a rendered site").assets;
    assert!(
        !assets.iter().any(|a| a.dest == "extra.css"),
        "extra.css is still among the assets"
    );
}

#[test]
fn a_config_edit_renders_everything() {
    let site = fixture();
    let mut s = session(&site);
    let total = s.rebuild().rendered.unwrap().stats.total_jobs;
    std::fs::write(
        site.path("site.yaml"),
        "title: Renamed\nbase_url: https://example.org/\n",
    )
    .unwrap();
    let got = rebuild(&mut s, &[Change::Config]);
    assert_eq!(got.len(), total);
}

#[test]
fn adding_and_deleting_pages_updates_the_site() {
    let (site, mut s) = built();
    let new = site.path("content/guides/e.md");
    std::fs::write(&new, "---\ntitle: Echo\ndate: 2026-02-01\n---\nNew.\n").unwrap();
    let got = rebuild(&mut s, &[Change::Content(vec![new.clone()])]);
    assert!(
        got.contains("guides/e/index.html") && got.contains("guides/a/index.html"),
        "a gains e as its previous guide: {got:?}"
    );
    std::fs::remove_file(&new).unwrap();
    s.apply(&[Change::Content(vec![new])]).unwrap();
    let report = s.rebuild();
    let paths = report.rendered.unwrap().paths;
    assert!(!paths.contains(&"guides/e/index.html".to_string()));
    assert!(paths.contains(&"guides/a/index.html".to_string()));
}

#[test]
fn a_bad_edit_fails_and_the_fix_recovers() {
    let (site, mut s) = built();
    let bad = edit(
        &site,
        "content/guides/c.md",
        "title: Charlie",
        "title: [Charlie",
    );
    s.apply(&bad).unwrap();
    let report = s.rebuild();
    assert!(!report.ok());
    let fix = edit(
        &site,
        "content/guides/c.md",
        "title: [Charlie",
        "title: Charlie again",
    );
    let got = rebuild(&mut s, &fix);
    assert!(got.contains("guides/c/index.html"), "{got:?}");
    let _: PathBuf = site.path("content");
}

#[test]
fn bodies_render_again_only_when_their_links_would_lead_elsewhere() {
    let site = Site::new()
        .file(
            "content/guides/a.md",
            "---\ntitle: Alpha\n---\nRead more: Charlie\n",
        )
        .file(
            "content/guides/b.md",
            "---\ntitle: Bravo\n---\nNo links here.\n",
        )
        .file(
            "content/guides/c.md",
            "---\ntitle: Charlie\n---\nThe target.\n",
        );
    let mut s = session(&site);
    s.rebuild();
    let bodies = |s: &mut Session, changes: &[Change]| {
        let report = apply(s, changes);
        let bodies = report.rendered.as_ref().map_or(0, |r| r.stats.bodies);
        (report, bodies)
    };
    // Retitling a page nobody links to by title renders no body at all (its own body does not
    // show its title; before lookups were tracked, every body was rendered again).
    let (report, n) = bodies(
        &mut s,
        &edit(
            &site,
            "content/guides/b.md",
            "title: Bravo",
            "title: Bravo Two",
        ),
    );
    assert!(report.ok(), "{:?}", report.diagnostics.sorted());
    assert_eq!(n, 0);
    // Saving the linked page unchanged renders nothing.
    let (report, n) = bodies(
        &mut s,
        &edit(
            &site,
            "content/guides/c.md",
            "title: Charlie",
            "title: Charlie",
        ),
    );
    assert!(report.ok(), "{:?}", report.diagnostics.sorted());
    assert_eq!(n, 0, "an unchanged save renders nothing");
    // A new page with the linked title makes the link ambiguous: a's body is checked again
    // and the build fails naming both candidates.
    let path = site.path("content/guides/d.md");
    std::fs::write(&path, "---\ntitle: Charlie\n---\nA second Charlie.\n").unwrap();
    let (report, _) = bodies(&mut s, &[Change::Content(vec![path.clone()])]);
    assert!(!report.ok(), "an ambiguous title must fail the build");
    let errors = format!("{:?}", report.diagnostics.sorted());
    assert!(
        errors.contains("ambiguous") && errors.contains("content/guides/a.md"),
        "{errors}"
    );
    // Removing it again resolves the link.
    std::fs::remove_file(&path).unwrap();
    let (report, _) = bodies(&mut s, &[Change::Content(vec![path])]);
    assert!(report.ok(), "{:?}", report.diagnostics.sorted());
}

#[test]
fn a_static_file_saved_with_an_article_is_published() {
    let (site, mut s) = built();
    // One batch: an article edit (a file the session knows) and a new static file.
    let mut changes = edit(
        &site,
        "content/guides/c.md",
        "Nothing to see.",
        "Something to see.",
    );
    let css = site.path("static/new.css");
    std::fs::write(&css, "p{}").unwrap();
    changes.push(Change::Static(vec![css]));
    let report = apply(&mut s, &changes);
    assert!(report.ok(), "{:?}", report.diagnostics.sorted());
    let assets = &report.rendered.expect("a rendered site").assets;
    assert!(
        assets.iter().any(|a| a.dest == "new.css"),
        "new.css is not among the assets: {:?}",
        assets.iter().map(|a| &a.dest).collect::<Vec<_>>()
    );
}

#[test]
fn deleting_a_linked_file_fails_the_page_that_links_to_it() {
    let site = fixture()
        .file(
            "content/guides/e.md",
            "---\ntitle: Echo\n---\n![A chart](chart.png)\n",
        )
        .file("content/guides/chart.png", "not really a png");
    let mut s = session(&site);
    let first = s.rebuild();
    assert!(first.ok(), "{:?}", first.diagnostics.sorted());
    let png = site.path("content/guides/chart.png");
    std::fs::remove_file(&png).unwrap();
    let report = apply(&mut s, &[Change::Content(vec![png])]);
    assert!(!report.ok(), "the page still links to a deleted file");
    let errors = format!("{:?}", report.diagnostics.sorted());
    assert!(
        errors.contains("content/guides/e.md") && errors.contains("chart.png"),
        "{errors}"
    );
}

#[test]
fn comparison_warnings_follow_their_section_after_an_edit() {
    let article = "---\ntitle: A vs B\nroles: [a, b]\ncompare: [a, b]\n---\n## Focus\n\n- The A looks ahead.\n- The B looks around.\n\n## Decisions\n\n- The A decides.\n";
    let site = Site::new().file("content/guides/ab.md", article);
    let mut s = session(&site);
    let line_of_warning = |report: &rolebook::build::BuildReport| {
        report
            .diagnostics
            .clone()
            .sorted()
            .into_iter()
            .find(|d| d.message.contains("no bullet for B"))
            .and_then(|d| d.line)
            .expect("a warning about the missing bullet")
    };
    let first = s.rebuild();
    assert_eq!(line_of_warning(&first), 11, "`## Decisions` is line 11");
    // Two blank lines above it: the table is the same, the warning moves down.
    let changes = edit(
        &site,
        "content/guides/ab.md",
        "\n## Decisions",
        "\n\n\n## Decisions",
    );
    let again = apply(&mut s, &changes);
    assert_eq!(line_of_warning(&again), 13);
}

#[test]
fn a_second_role_gives_the_article_its_comparison_table() {
    // Only articles naming two roles keep their bullet lists; adding the second role must
    // render the body again, or the table would be built from nothing.
    let article = "---\ntitle: A and B\nroles: [a]\n---\n## Focus\n\n- The A looks ahead.\n- The B looks around.\n\n## Decisions\n\n- The A decides.\n- The B advises.\n";
    let site = Site::new().file("content/guides/ab.md", article);
    let mut s = session(&site);
    let table_rows = |report: &rolebook::build::BuildReport| {
        let r = report.rendered.as_ref().expect("a rendered site");
        let page = r
            .files
            .iter()
            .find(|f| f.path == "guides/ab/index.html")
            .expect("the article is rendered");
        let html = scraper::Html::parse_document(&String::from_utf8_lossy(&page.bytes));
        let rows = scraper::Selector::parse(".at-a-glance tbody tr").unwrap();
        html.select(&rows).count()
    };
    let first = s.rebuild();
    assert!(first.ok(), "{:?}", first.diagnostics.sorted());
    assert_eq!(table_rows(&first), 0, "one role: no table");
    let changes = edit(&site, "content/guides/ab.md", "roles: [a]", "roles: [a, b]");
    let again = apply(&mut s, &changes);
    assert!(again.ok(), "{:?}", again.diagnostics.sorted());
    assert_eq!(table_rows(&again), 2, "two roles: a row per section");
}

/// A site whose pages depend on each other's bodies: cards show reading times, fragment links
/// point at headings, comparison tables read bullets, listings show summaries.
fn linked_fixture() -> Site {
    let words = "word ".repeat(150);
    Site::new()
        .file("content/guides/a.md", format!("---\ntitle: Alpha\ndate: 2026-01-05\nroles: [scrum-master, product-owner]\ntags: [x]\n---\nAlpha opens here.\n\n## Focus\n\n- The Scrum Master coaches.\n- The Product Owner orders.\n\n## Setup\n\nSee [bravo's setup](@/guides/b.md#setup).\n\nRead more: Bravo\n\n{words}\n"))
        .file("content/guides/b.md", "---\ntitle: Bravo\ndate: 2026-01-04\ntags: [x, y]\n---\nBravo opens here.\n\n## Setup\n\nSteps.\n\nRead more: Alpha\n")
        .file("content/guides/c.md", "---\ntitle: Charlie\ndate: 2026-01-03\nroles: [scrum-master]\n---\nCharlie opens here, linking [alpha](@/guides/a.md).\n")
        .file("content/notes/d.md", "---\ntitle: Delta\ndate: 2026-01-02\ntags: [y]\n---\nDelta opens here.\n\n## FAQ\n\n### Is this a question?\n\nYes it is.\n")
        .file("content/notes/e.md", "---\ntitle: Echo\ndate: 2026-01-01\ntags: [y]\n---\nEcho opens here.\n")
        // Introductions with cards: they show reading times too.
        .file("content/notes/_index.md", "---\ntitle: Notes\n---\nRead more: Alpha\n")
        .file("content/roles/scrum-master.md", "---\ntitle: Scrum Master\n---\nRead more: Charlie\n")
        // Two articles a listing page: edits show on one page of a listing, not the others.
        .file("site.yaml", "title: Linked\nbase_url: https://example.org/\npaginate: 2\n")
}

#[test]
fn body_edits_give_what_a_fresh_build_gives() {
    let site = linked_fixture();
    let mut s = session(&site);
    let mut mirror = Mirror::new(site.root());
    s.rebuild();
    let edits: &[(&str, &str, &str)] = &[
        // Reading time of Alpha: Bravo's card of it changes.
        (
            "content/guides/a.md",
            "Alpha opens here.",
            &format!("Alpha opens here. {}", "more ".repeat(400)),
        ),
        // Bravo's heading goes away: Alpha's fragment link breaks, then is mended.
        ("content/guides/b.md", "## Setup", "## Set up"),
        ("content/guides/b.md", "## Set up", "## Setup"),
        // Charlie links to Bravo: backlinks and related lists change.
        (
            "content/guides/c.md",
            "Charlie opens",
            "Read more: Bravo\n\nCharlie opens",
        ),
        (
            "content/guides/c.md",
            "Read more: Bravo\n\nCharlie opens",
            "Charlie opens",
        ),
        // A bullet of the comparison table goes: its warning comes and goes.
        ("content/guides/a.md", "- The Product Owner orders.\n", ""),
        (
            "content/guides/a.md",
            "- The Scrum Master coaches.\n",
            "- The Scrum Master coaches.\n- The Product Owner orders.\n",
        ),
        // The summary of Delta, its FAQ.
        (
            "content/notes/d.md",
            "Delta opens here.",
            "Delta now opens elsewhere.",
        ),
        ("content/notes/d.md", "Yes it is.", "No, it is not."),
        // Charlie's reading time: the role hub's introduction shows its card.
        (
            "content/guides/c.md",
            "Charlie opens here",
            &format!("Charlie opens here {}", "more ".repeat(400)),
        ),
        // Echo, on the second page of the notes and of tag y.
        (
            "content/notes/e.md",
            "Echo opens here.",
            "Echo now opens elsewhere.",
        ),
        // A resolve error (an alias on a listing's URL), a body edit while it stands, the fix:
        // what the failed builds rendered was never written, so it must be rendered again.
        (
            "content/notes/e.md",
            "title: Echo\n",
            "title: Echo\naliases: [\"/tags/\"]\n",
        ),
        (
            "content/guides/c.md",
            "Charlie opens here",
            "Charlie now opens here",
        ),
        (
            "content/notes/e.md",
            "title: Echo\naliases: [\"/tags/\"]\n",
            "title: Echo\n",
        ),
        // An unknown title: an error, then the fix.
        (
            "content/guides/b.md",
            "Read more: Alpha",
            "Read more: Alpah",
        ),
        (
            "content/guides/b.md",
            "Read more: Alpah",
            "Read more: Alpha",
        ),
    ];
    for (k, (rel, from, to)) in edits.iter().enumerate() {
        let report = apply(&mut s, &edit(&site, rel, from, to));
        mirror.take_and_check(report, site.root(), &format!("edit {k} ({rel})"));
    }
}
