//! A 50 MB article builds (SPEC §9). Not a timing test: the only bound is a generous timeout,
//! so a hang or a quadratic blow-up fails instead of stalling the suite.

mod common;

use std::time::Duration;

use common::{Run, Site, one, select, text};

const TARGET_BYTES: usize = 50 * 1024 * 1024;

/// An article of about 50 MB in the shape users write: `##` sections, role bullets, prose.
fn huge_article() -> String {
    let mut s = String::with_capacity(TARGET_BYTES + 4096);
    s.push_str("---\ntitle: The Very Long Guide\ndescription: Fifty megabytes of roles\n---\n");
    s.push_str("The opening paragraph of a very long guide.\n\n");
    let mut section = 0;
    while s.len() < TARGET_BYTES {
        section += 1;
        s.push_str(&format!("## {section}. Aspect number {section}\n\n"));
        for _ in 0..8 {
            s.push_str(
                "- The Product Owner orders the *backlog* and talks to stakeholders every week.\n",
            );
            s.push_str("- The Scrum Master coaches the team, removes impediments and guards the timebox.\n");
        }
        s.push('\n');
        for _ in 0..4 {
            s.push_str("Both roles share one goal: a team that delivers value \"early\" and often, sprint after sprint, without burning out. ");
        }
        s.push_str("\n\n");
    }
    s
}

#[test]
fn fifty_megabyte_article_builds() {
    let site = Site::new()
        .file("content/guides/huge.md", huge_article())
        .article(
            "content/guides/small.md",
            "Small Guide",
            "Read more: The Very Long Guide\n",
        );
    let run = Run {
        output: site
            .command()
            .args(["build", "--root", &site.root().to_string_lossy()])
            .timeout(Duration::from_secs(120))
            .output()
            .expect("run rolebook"),
    };
    run.assert_ok();
    let doc = site.html("guides/huge/index.html");
    assert_eq!(text(one(&doc, "h1")), "The Very Long Guide");
    let sections = select(&doc, ".prose h2").len();
    assert!(sections > 1000, "only {sections} sections rendered");
    let last = select(&doc, ".prose h2")
        .last()
        .map(|h| text(*h))
        .unwrap_or_default();
    assert!(
        last.starts_with(&format!("{sections}. Aspect number {sections}")),
        "{last}"
    );
    // the small page's card still links to it
    let small = site.html("guides/small/index.html");
    let links = common::hrefs(&small, ".prose a[href]");
    assert!(links.iter().any(|h| h == "/guides/huge/"), "{links:?}");
}
