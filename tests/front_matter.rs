//! Front matter (SPEC §4): YAML and TOML with every key typed, the accepted date forms, the
//! title from a leading `# Heading`, and unknown keys as grouped warnings naming the nearest key.

mod common;

use common::{Site, one, select, text};
use scraper::Html;

/// A site template that shows each front-matter value in an element of its own.
const DUMP: &str = r#"<!DOCTYPE html>
<html><body>
<h1 id="title">{{ page.title }}</h1>
<p id="description">{{ page.description }}</p>
<p id="date">{{ page.date }}</p>
<p id="updated">{{ page.updated }}</p>
<p id="weight">{{ page.weight }}</p>
<p id="draft">{{ page.draft }}</p>
<p id="path">{{ page.path }}</p>
<ul id="roles">{% for r in page.roles %}<li>{{ r.slug }}</li>{% endfor %}</ul>
<ul id="tags">{% for t in page.tags %}<li>{{ t.slug }}</li>{% endfor %}</ul>
<ul id="aliases">{% for a in page.aliases %}<li>{{ a }}</li>{% endfor %}</ul>
<ul id="related">{% for r in page.related %}<li>{{ r.title }}</li>{% endfor %}</ul>
<dl id="faq">{% for f in page.faq %}<dt>{{ f.q }}</dt><dd>{{ f.a }}</dd>{% endfor %}</dl>
<p id="extra">{{ page.extra.mood | default(value="") }}</p>
<div id="content">{{ page.content | safe }}</div>
</body></html>
"#;

const YAML_ALL_KEYS: &str = "---
title: Every Key
description: A page that sets every key
date: 2024-03-01
updated: 2024-04-02T10:00:00Z
slug: every-key
draft: false
roles: [product-owner, scrum-master]
tags:
  - backlog
  - Sprint Goal
weight: 3
aliases: [/old/every-key/]
template: dump.html
related: [Other Guide]
faq:
  - q: Is this a question?
    a: It is.
compare: [scrum-master, product-owner]
extra:
  mood: cheerful
---
Body text.
";

const TOML_ALL_KEYS: &str = r#"+++
title = "Every Key"
description = "A page that sets every key"
date = 2024-03-01
updated = 2024-04-02T10:00:00Z
slug = "every-key"
draft = false
roles = ["product-owner", "scrum-master"]
tags = ["backlog", "Sprint Goal"]
weight = 3
aliases = ["/old/every-key/"]
template = "dump.html"
related = ["Other Guide"]
compare = ["scrum-master", "product-owner"]

[[faq]]
q = "Is this a question?"
a = "It is."

[extra]
mood = "cheerful"
+++
Body text.
"#;

fn all_keys_site(article: &str) -> Site {
    Site::new()
        .file("templates/dump.html", DUMP)
        .file("content/guides/every.md", article)
        .article("content/guides/other.md", "Other Guide", "Other body.\n")
        .build_ok()
}

fn by_id(doc: &Html, id: &str) -> String {
    text(one(doc, &format!("#{id}")))
}

fn items(doc: &Html, list: &str) -> Vec<String> {
    select(doc, &format!("#{list} li"))
        .into_iter()
        .map(text)
        .collect()
}

fn assert_every_key(site: &Site) {
    let doc = site.html("guides/every-key/index.html");
    assert_eq!(by_id(&doc, "title"), "Every Key");
    assert_eq!(by_id(&doc, "description"), "A page that sets every key");
    assert_eq!(by_id(&doc, "date"), "2024-03-01");
    assert_eq!(by_id(&doc, "updated"), "2024-04-02");
    assert_eq!(by_id(&doc, "weight"), "3");
    assert_eq!(by_id(&doc, "draft"), "false");
    assert_eq!(by_id(&doc, "path"), "guides/every-key/");
    assert_eq!(items(&doc, "roles"), ["product-owner", "scrum-master"]);
    assert_eq!(items(&doc, "tags"), ["backlog", "sprint-goal"]);
    assert_eq!(items(&doc, "aliases"), ["/old/every-key/"]);
    assert_eq!(items(&doc, "related"), ["Other Guide"]);
    let q: Vec<String> = select(&doc, "#faq dt").into_iter().map(text).collect();
    let a: Vec<String> = select(&doc, "#faq dd").into_iter().map(text).collect();
    assert_eq!(q, ["Is this a question?"]);
    assert_eq!(a, ["It is."]);
    assert_eq!(by_id(&doc, "extra"), "cheerful");
    assert_eq!(text(one(&doc, "#content p")), "Body text.");
    // aliases redirect, taxonomies have term pages
    let redirect = site.html("old/every-key/index.html");
    let refresh = one(&redirect, "meta[http-equiv=refresh]");
    assert!(
        refresh
            .value()
            .attr("content")
            .is_some_and(|c| c.ends_with("url=/guides/every-key/")),
        "{:?}",
        refresh.value().attr("content")
    );
    assert!(
        site.exists("roles/scrum-master/index.html"),
        "{}",
        site.listing()
    );
    assert!(
        site.exists("tags/sprint-goal/index.html"),
        "{}",
        site.listing()
    );
}

#[test]
fn yaml_front_matter_with_every_key() {
    let site = all_keys_site(YAML_ALL_KEYS);
    assert_every_key(&site);
}

#[test]
fn toml_front_matter_with_every_key() {
    let site = all_keys_site(TOML_ALL_KEYS);
    assert_every_key(&site);
}

#[test]
fn every_key_without_warnings() {
    let site = Site::new()
        .file("templates/dump.html", DUMP)
        .file("content/guides/every.md", YAML_ALL_KEYS)
        .article("content/guides/other.md", "Other Guide", "Other body.\n");
    let run = site.build();
    run.assert_ok();
    assert_eq!(run.headlines(), Vec::<String>::new());
}

#[test]
fn accepted_date_forms() {
    let cases = [
        ("plain", "2024-03-01", "2024-03-01"),
        ("rfc3339", "2024-03-01T09:30:00+02:00", "2024-03-01"),
        ("jekyll", "2024-03-01 09:30:00 +0100", "2024-03-01"),
    ];
    let mut site = Site::new().file("templates/dump.html", DUMP);
    for (name, date, _) in cases {
        site = site.file(
            &format!("content/{name}.md"),
            format!("---\ntitle: {name}\ndate: \"{date}\"\ntemplate: dump.html\n---\nx\n"),
        );
    }
    let site = site.build_ok();
    for (name, _, want) in cases {
        let doc = site.html(&format!("{name}/index.html"));
        assert_eq!(by_id(&doc, "date"), want, "date form {name}");
    }
}

#[test]
fn wrong_type_of_every_typed_key_is_an_error_at_its_line() {
    // (file name, front-matter line); the bad key is always on line 3.
    let cases = [
        ("description", "description: [a, b]"),
        ("date", "date: 14/03/2024"),
        ("updated", "updated: soon"),
        ("slug", "slug: {a: b}"),
        ("draft", "draft: maybe"),
        ("roles", "roles: {po: 1}"),
        ("tags", "tags: 5"),
        ("weight", "weight: heavy"),
        ("aliases", "aliases: {a: 1}"),
        ("template", "template: [a]"),
        ("related", "related: {a: b}"),
        ("faq", "faq: [just a string]"),
        ("compare", "compare: {a: b}"),
        ("extra", "extra: 12"),
    ];
    let mut site = Site::new();
    for (name, line) in cases {
        site = site.file(
            &format!("content/{name}.md"),
            format!("---\ntitle: T {name}\n{line}\n---\nBody.\n"),
        );
    }
    let run = site.build();
    run.assert_code(1);
    for (name, _) in cases {
        run.assert_at(&format!("content/{name}.md"), 3);
    }
}

#[test]
fn title_comes_from_leading_heading() {
    let site = Site::new()
        .file(
            "content/guides/h.md",
            "---\ndescription: no title key\n---\n\n# Scrum Master vs Agile Coach\n\nBody text.\n",
        )
        .build_ok();
    let doc = site.html("guides/h/index.html");
    let h1: Vec<String> = select(&doc, "h1").into_iter().map(text).collect();
    assert_eq!(
        h1,
        ["Scrum Master vs Agile Coach"],
        "one h1, from the heading"
    );
    assert_eq!(
        text(one(&doc, "title")),
        "Scrum Master vs Agile Coach · Test Site"
    );
    assert_eq!(text(one(&doc, ".prose p")), "Body text.");
}

#[test]
fn title_key_wins_over_leading_heading() {
    let site = Site::new()
        .file(
            "content/h.md",
            "---\ntitle: From Key\n---\n# From Heading\n\nBody.\n",
        )
        .build_ok();
    let doc = site.html("h/index.html");
    assert_eq!(text(one(&doc, "header h1, .page-header h1")), "From Key");
}

#[test]
fn unknown_key_is_a_warning_naming_the_nearest_key() {
    let site = Site::new().file("templates/dump.html", DUMP).file(
        "content/a.md",
        "---\ntitle: A\ntemplate: dump.html\ntgas: [scrum]\nmood: calm\n---\nBody.\n",
    );
    let run = site.build();
    run.assert_ok();
    run.assert_at("content/a.md", 4);
    let warnings: Vec<String> = run
        .headlines()
        .into_iter()
        .filter(|l| l.starts_with("warning"))
        .collect();
    assert!(
        warnings.iter().any(|w| w.contains("`tgas`")),
        "{warnings:?}"
    );
    run.assert_stderr_has("did you mean `tags`?");
    // The value is still there for templates.
    let doc = site.html("a/index.html");
    assert_eq!(by_id(&doc, "extra"), "calm");
}

#[test]
fn same_unknown_key_in_two_files_is_one_grouped_warning() {
    let site = Site::new()
        .file("content/a.md", "---\ntitle: A\ntgas: [x]\n---\nBody.\n")
        .file("content/b.md", "---\ntitle: B\n\ntgas: [y]\n---\nBody.\n")
        .file("content/c.md", "---\ntitle: C\nautor: me\n---\nBody.\n");
    let run = site.build();
    run.assert_ok();
    let tgas: Vec<String> = run
        .headlines()
        .into_iter()
        .filter(|l| l.starts_with("warning") && l.contains("tgas"))
        .collect();
    assert_eq!(tgas.len(), 1, "one line for `tgas`: {}", run.stderr());
    assert!(
        tgas[0]
            .split(|c: char| !c.is_ascii_digit())
            .any(|n| n == "2"),
        "the line carries the count: {}",
        tgas[0]
    );
    // first location shown, second not
    run.assert_at("content/a.md", 3);
    assert!(
        !run.locations()
            .iter()
            .any(|l| l.file == "content/b.md" && l.line == 4),
        "{}",
        run.stderr()
    );
    // a different unknown key is a line of its own
    let autor = run
        .headlines()
        .into_iter()
        .filter(|l| l.starts_with("warning") && l.contains("autor"))
        .count();
    assert_eq!(autor, 1, "{}", run.stderr());
}

#[test]
fn unknown_key_in_toml_front_matter_names_its_line() {
    let site = Site::new().file(
        "content/t.md",
        "+++\ntitle = \"T\"\n\ndescripton = \"typo\"\n+++\nBody.\n",
    );
    let run = site.build();
    run.assert_ok();
    run.assert_at("content/t.md", 4);
    run.assert_stderr_has("`description`");
}
