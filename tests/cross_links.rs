//! Issue 5: cross-links. Every link form resolved (hrefs asserted on the parsed HTML), every
//! broken one reported at file:line with a suggestion, backlinks and related, and `check`.

mod common;

use common::{Site, hrefs, one, select, text};

fn page(title: &str, extra: &str, body: &str) -> String {
    format!("---\ntitle: \"{title}\"\ndescription: \"About {title}.\"\n{extra}---\n{body}")
}

fn linked() -> Site {
    Site::new()
        .file(
            "content/guides/pmp-vs-csm.md",
            page(
                "PMP vs CSM: 10 Major Differences",
                "roles: [scrum-master]\n",
                "## Eligibility\n\nText.\n\n## Frequently Asked Questions\n\nMore.\n",
            ),
        )
        .file(
            "content/guides/scrum-master.md",
            page(
                "The Scrum Master Role",
                "roles: [scrum-master]\ntags: [scrum]\n",
                "## Duties\n\nSome duties.\n",
            ),
        )
        .file(
            "content/certs/cspo.md",
            page("CSPO vs PSPO", "tags: [scrum]\n", "Certs.\n"),
        )
}

#[test]
fn every_link_form_resolves_to_the_target_url() {
    let site = linked()
        .file(
            "content/guides/a.md",
            page(
                "Alpha",
                "",
                "Intro with [the exam](@/guides/pmp-vs-csm.md#eligibility), [a sibling](scrum-master.md), \
                 [a cousin](../certs/cspo.md), [[The Scrum Master Role]], [[cspo]], \
                 [[PMP vs CSM: 10 Major Differences|the comparison]] and [down](#details).\n\n\
                 Read more: PMP vs CSM 10 Major Differences\n\n\
                 Read more: The Scrum Master Role\nRead more: [the certs](@/certs/cspo.md)\n\n\
                 ## Details\n\n`[[Not A Link]]` stays code.\n",
            ),
        )
        .build_ok();
    let doc = site.html("guides/a/index.html");
    let links = hrefs(&doc, ".prose p a");
    assert_eq!(
        links,
        [
            "/guides/pmp-vs-csm/#eligibility",
            "/guides/scrum-master/",
            "/certs/cspo/",
            "/guides/scrum-master/",
            "/certs/cspo/",
            "/guides/pmp-vs-csm/",
            "#details",
        ]
    );
    let labels: Vec<String> = select(&doc, ".prose p a").into_iter().map(text).collect();
    assert_eq!(labels[4], "cspo");
    assert_eq!(labels[5], "the comparison");
    // Three "Read more" lines give three cards, also the two in one paragraph.
    let cards = select(&doc, ".prose .read-more");
    assert_eq!(cards.len(), 3, "{}", doc.html());
    let card_links: Vec<String> = cards
        .iter()
        .flat_map(|c| {
            c.select(&common::sel("a[href]"))
                .filter_map(|a| a.value().attr("href").map(String::from))
                .collect::<Vec<_>>()
        })
        .collect();
    assert_eq!(
        card_links,
        [
            "/guides/pmp-vs-csm/",
            "/guides/scrum-master/",
            "/certs/cspo/"
        ]
    );
    let first = text(cards[0]);
    assert!(
        first.contains("PMP vs CSM: 10 Major Differences"),
        "{first}"
    );
    assert!(
        first.contains("About PMP vs CSM: 10 Major Differences."),
        "the card shows the description: {first}"
    );
    assert!(
        first.contains("1 min read"),
        "the card shows the reading time: {first}"
    );
    let code = text(one(&doc, ".prose code"));
    assert_eq!(code, "[[Not A Link]]");
}

#[test]
fn links_honour_the_base_path() {
    let site = linked()
        .file(
            "site.yaml",
            "title: T\nbase_url: https://u.github.io/guides/\n",
        )
        .file(
            "content/guides/a.md",
            page(
                "Alpha",
                "",
                "[x](@/certs/cspo.md) and [[The Scrum Master Role]].\n",
            ),
        )
        .build_ok();
    let doc = site.html("guides/a/index.html");
    assert_eq!(
        hrefs(&doc, ".prose a"),
        ["/guides/certs/cspo/", "/guides/guides/scrum-master/"]
    );
}

#[test]
fn a_missing_title_is_an_error_with_a_suggestion() {
    let site = linked().file(
        "content/guides/a.md",
        page("Alpha", "", "Text.\n\nRead more: The Scrum Mastr Role\n"),
    );
    let run = site.build();
    run.assert_error_at("content/guides/a.md", 7)
        .assert_stderr_has("The Scrum Mastr Role")
        .assert_stderr_has("did you mean \"The Scrum Master Role\"");
    assert!(!site.exists("index.html"), "a failed build writes nothing");
}

#[test]
fn a_missing_file_is_an_error_with_a_suggestion() {
    let site = linked().file(
        "content/guides/a.md",
        page("Alpha", "", "See [x](@/guides/scrum-mastr.md).\n"),
    );
    site.build()
        .assert_error_at("content/guides/a.md", 5)
        .assert_stderr_has("@/guides/scrum-master.md");
    let site = linked().file(
        "content/guides/a.md",
        page("Alpha", "", "See [x](nope.md).\n"),
    );
    site.build()
        .assert_error_at("content/guides/a.md", 5)
        .assert_stderr_has("content/guides/nope.md");
}

#[test]
fn a_missing_anchor_is_an_error_naming_the_headings() {
    let site = linked().file(
        "content/guides/a.md",
        page(
            "Alpha",
            "",
            "\nSee [x](@/guides/pmp-vs-csm.md#eligibilty) and [y](#nowhere).\n\n## Here\n",
        ),
    );
    let run = site.build();
    run.assert_error_at("content/guides/a.md", 6)
        .assert_stderr_has("#eligibility")
        .assert_stderr_has("nowhere");
    assert_eq!(
        run.headlines()
            .iter()
            .filter(|l| l.starts_with("error: link"))
            .count(),
        2,
        "{:?}",
        run.headlines()
    );
}

#[test]
fn an_ambiguous_title_lists_the_candidates() {
    let site = linked()
        .file(
            "content/certs/sm.md",
            page("The Scrum Master Role", "slug: sm-cert\n", "Other.\n"),
        )
        .file(
            "content/guides/a.md",
            page("Alpha", "", "[[The Scrum Master Role]]\n"),
        );
    site.build()
        .assert_error_at("content/guides/a.md", 5)
        .assert_stderr_has("ambiguous")
        .assert_names("content/certs/sm.md")
        .assert_stderr_has("content/guides/scrum-master.md");
}

#[test]
fn three_broken_links_in_three_files_are_reported_in_one_run() {
    let site = Site::new()
        .file("content/a.md", page("A", "", "Read more: Nothing Here\n"))
        .file("content/b.md", page("B", "", "[[Also Nothing]]\n"))
        .file("content/c.md", page("C", "", "[x](@/missing.md)\n"));
    let run = site.build();
    run.assert_code(1);
    let errs: Vec<String> = run
        .locations()
        .into_iter()
        .map(|l| format!("{}:{}", l.file, l.line))
        .collect();
    assert_eq!(
        errs,
        ["content/a.md:5", "content/b.md:5", "content/c.md:5"],
        "sorted by file: {}",
        run.stderr()
    );
    run.assert_stderr_has("failed with 3 errors");
}

#[test]
fn check_writes_nothing_and_reports_problems() {
    let site = linked().file(
        "content/guides/a.md",
        page("Alpha", "", "Read more: Nothing Here\n"),
    );
    let run = site.check();
    run.assert_error_at("content/guides/a.md", 5);
    assert!(
        !site.root().join("output").exists(),
        "check wrote an output folder"
    );
    let site = linked().file(
        "content/guides/a.md",
        page("Alpha", "", "[[The Scrum Master Role]]\n"),
    );
    let run = site.check();
    run.assert_ok();
    assert!(!site.root().join("output").exists());
    // Nothing links to CSPO vs PSPO or to Alpha: both are orphans (warnings, exit 0).
    let orphans: Vec<String> = run
        .headlines()
        .into_iter()
        .filter(|l| l.contains("orphan"))
        .collect();
    assert_eq!(orphans.len(), 3, "{orphans:?}\n{}", run.stderr());
    run.assert_names("content/certs/cspo.md");
}

const GRAPH_TEMPLATE: &str = r#"<!DOCTYPE html><html lang="en"><head><title>{{ page.title }}</title></head><body><main>
<ul id="related">{% for r in page.related %}<li><a href="{{ get_url(path=r.path) }}">{{ r.title }}</a></li>{% endfor %}</ul>
<ul id="backlinks">{% for r in page.backlinks %}<li><a href="{{ get_url(path=r.path) }}">{{ r.title }}</a></li>{% endfor %}</ul>
</main></body></html>"#;

#[test]
fn backlinks_and_related_are_computed() {
    let site = Site::new()
        .file("templates/page.html", GRAPH_TEMPLATE)
        .file(
            "content/g/target.md",
            page("Target", "roles: [po, sm]\ntags: [x]\n", "Nothing.\n"),
        )
        .file("content/g/linker.md", page("Linker", "", "[[Target]]\n"))
        .file(
            "content/g/both-roles.md",
            page("Both Roles", "roles: [po, sm]\n", "x\n"),
        )
        .file(
            "content/g/one-role.md",
            page("One Role", "roles: [po]\n", "x\n"),
        )
        .file(
            "content/g/tag-only.md",
            page("Tag Only", "tags: [x]\n", "x\n"),
        )
        .file(
            "content/g/unrelated.md",
            page("Unrelated", "tags: [y]\n", "x\n"),
        )
        .file(
            "content/g/draft.md",
            page("Draft", "draft: true\nroles: [po, sm]\n", "[[Target]]\n"),
        )
        .file(
            "content/g/pinned.md",
            page("Pinned", "related: [Unrelated, \"@/g/target.md\"]\n", "x\n"),
        )
        .build_ok();
    let doc = site.html("g/target/index.html");
    assert_eq!(
        hrefs(&doc, "#backlinks a"),
        ["/g/linker/"],
        "a `related` entry is no link; drafts link nowhere"
    );
    // shared roles weigh most (3 each), a direct link 2, a shared tag 1; ties by path
    assert_eq!(
        hrefs(&doc, "#related a"),
        [
            "/g/both-roles/",
            "/g/one-role/",
            "/g/linker/",
            "/g/tag-only/"
        ]
    );
    let pinned = site.html("g/pinned/index.html");
    assert_eq!(
        hrefs(&pinned, "#related a")[..2],
        ["/g/unrelated/", "/g/target/"],
        "explicit `related` comes first"
    );
}

#[test]
fn an_unknown_related_entry_is_an_error() {
    let site = Site::new().file("content/a.md", page("A", "related: [Nope Nope]\n", "x\n"));
    site.build()
        .assert_error_at("content/a.md", 4)
        .assert_stderr_has("Nope Nope");
}
