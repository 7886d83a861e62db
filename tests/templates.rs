//! Templates (SPEC §1): the built-in theme compiled in, a site's `templates/` overriding it
//! file by file (Tera 2 syntax, with `extends` or standalone), `template:` in front matter,
//! and a `themes/<name>/` folder between the two.

mod common;

use common::{Site, hrefs, one, select, text};

const EXTENDING_PAGE: &str = r#"{% extends "base.html" %}
{% block content %}<article id="mine"><h1>{{ page.title }}</h1>{{ page.content | safe }}</article>{% endblock content %}
"#;

#[test]
fn site_page_template_extending_base_replaces_built_in() {
    let site = Site::new()
        .file("templates/page.html", EXTENDING_PAGE)
        .article("content/guides/a.md", "Alpha", "Body **bold**.\n")
        .build_ok();
    let doc = site.html("guides/a/index.html");
    assert_eq!(text(one(&doc, "#mine h1")), "Alpha");
    assert_eq!(text(one(&doc, "#mine strong")), "bold");
    // the built-in page layout is gone ...
    assert!(select(&doc, ".prose").is_empty());
    // ... but the built-in base.html it extends is still used
    assert_eq!(hrefs(&doc, "link[rel=stylesheet]"), ["/style.css"]);
}

#[test]
fn standalone_site_page_template_replaces_built_in() {
    let site = Site::new()
        .file(
            "templates/page.html",
            "<!DOCTYPE html><html><head><title>{{ page.title }}</title></head><body><p id=\"solo\">{{ page.title }} / {{ config.title }}</p></body></html>\n",
        )
        .article("content/a.md", "Alpha", "Body.\n")
        .build_ok();
    let doc = site.html("a/index.html");
    assert_eq!(text(one(&doc, "#solo")), "Alpha / Test Site");
    assert!(select(&doc, "link[rel=stylesheet]").is_empty());
    // other built-in templates still render
    assert!(select(&site.html("index.html"), "link[rel=stylesheet]").len() == 1);
}

#[test]
fn template_key_selects_a_site_template() {
    let site = Site::new()
        .file(
            "templates/custom.html",
            "{% extends \"base.html\" %}{% block content %}<section id=\"custom\">{{ page.title }}</section>{% endblock content %}\n",
        )
        .file(
            "content/a.md",
            "---\ntitle: Custom One\ntemplate: custom.html\n---\nBody.\n",
        )
        .article("content/b.md", "Plain One", "Body.\n")
        .build_ok();
    let a = site.html("a/index.html");
    assert_eq!(text(one(&a, "#custom")), "Custom One");
    let b = site.html("b/index.html");
    assert!(select(&b, "#custom").is_empty());
    assert_eq!(text(one(&b, ".prose p")), "Body.");
}

#[test]
fn site_partial_overrides_built_in_partial() {
    let site = Site::new()
        .file(
            "templates/partials/toc.html",
            "<nav class=\"toc\" id=\"my-toc\">{% for h in page.toc %}<a href=\"#{{ h.id }}\">{{ h.title }}</a>{% endfor %}</nav>\n",
        )
        .article("content/a.md", "A", "## One\n\n## Two\n")
        .build_ok();
    let doc = site.html("a/index.html");
    assert_eq!(hrefs(&doc, "#my-toc a"), ["#one", "#two"]);
}

#[test]
fn named_theme_overrides_built_in_and_site_templates_override_theme() {
    let site = Site::bare()
        .file(
            "site.yaml",
            "title: Themed\nbase_url: https://example.org/\ntheme: mine\n",
        )
        .file(
            "themes/mine/templates/page.html",
            "{% extends \"base.html\" %}{% block content %}<p id=\"theme-page\">{{ page.title }}</p>{% endblock content %}\n",
        )
        .file(
            "themes/mine/templates/section.html",
            "{% extends \"base.html\" %}{% block content %}<p id=\"theme-section\">{{ section.title }}</p>{% endblock content %}\n",
        )
        .file(
            "templates/section.html",
            "{% extends \"base.html\" %}{% block content %}<p id=\"site-section\">{{ section.title }}</p>{% endblock content %}\n",
        )
        .file("themes/mine/static/style.css", "/* mine */\n")
        .article("content/guides/a.md", "A", "Body.\n")
        .build_ok();
    let page = site.html("guides/a/index.html");
    assert_eq!(text(one(&page, "#theme-page")), "A");
    let section = site.html("guides/index.html");
    assert_eq!(text(one(&section, "#site-section")), "Guides");
    assert!(select(&section, "#theme-section").is_empty());
    assert_eq!(site.read("style.css"), "/* mine */\n");
    // built-in files the theme does not override are still there
    assert!(site.exists("favicon.svg"), "{}", site.listing());
}

#[test]
fn unknown_theme_is_an_error() {
    let site = Site::bare()
        .file(
            "site.yaml",
            "title: T\nbase_url: https://example.org/\ntheme: nowhere\n",
        )
        .article("content/a.md", "A", "Body.\n");
    let run = site.build();
    run.assert_code(1);
    run.assert_names("site.yaml");
    assert!(!site.path("output").exists());
}

/// What each page's main navigation marks as current: (href, aria-current) of every marked link
/// in the header, the brand included.
fn marked(site: &Site, rel: &str) -> Vec<(String, String)> {
    let doc = site.html(rel);
    select(&doc, "header.site-header a[aria-current]")
        .into_iter()
        .map(|a| {
            let attr = |n: &str| a.value().attr(n).unwrap_or_default().to_string();
            (attr("href"), attr("aria-current"))
        })
        .collect()
}

fn navigation_site(extra_yaml: &str) -> Site {
    Site::bare()
        .file(
            "site.yaml",
            format!("{}{extra_yaml}", common::SITE_YAML),
        )
        .file(
            "content/guides/a.md",
            "---\ntitle: Alpha\ndate: 2026-01-02\nroles: [Scrum Master]\ntags: [flow]\n---\nBody.\n",
        )
        .file(
            "content/certs/b.md",
            "---\ntitle: Bravo\ndate: 2026-01-01\nroles: [Scrum Master]\ntags: [flow]\n---\nBody.\n",
        )
        .build_ok()
}

// The header is rendered once per place in the navigation (not once per page): each page must
// still get the marks of its own place.
#[test]
fn the_header_marks_where_each_page_is_in_the_navigation() {
    let site = navigation_site("");
    let page = |h: &str| vec![(h.to_string(), "page".to_string())];
    let inside = |h: &str| vec![(h.to_string(), "true".to_string())];
    assert_eq!(marked(&site, "index.html"), page("/"));
    assert_eq!(marked(&site, "guides/index.html"), page("/guides/"));
    assert_eq!(marked(&site, "guides/a/index.html"), inside("/guides/"));
    assert_eq!(marked(&site, "certs/b/index.html"), inside("/certs/"));
    assert_eq!(marked(&site, "roles/index.html"), page("/roles/"));
    assert_eq!(
        marked(&site, "roles/scrum-master/index.html"),
        inside("/roles/")
    );
    assert_eq!(marked(&site, "tags/flow/index.html"), vec![]);
    assert_eq!(marked(&site, "search/index.html"), vec![]);
    assert_eq!(marked(&site, "404.html"), vec![]);
}

// With relative URLs the chrome and the cards link from each page's own depth; the 404 page,
// served at any URL, keeps links from the root.
#[test]
fn shared_header_footer_and_cards_link_from_each_pages_depth() {
    let site = navigation_site("relative_urls: true\n");
    let home_link = |rel: &str| {
        let doc = site.html(rel);
        one(&doc, "header.site-header a.brand")
            .value()
            .attr("href")
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(home_link("index.html"), "index.html");
    assert_eq!(home_link("guides/index.html"), "../index.html");
    assert_eq!(home_link("guides/a/index.html"), "../../index.html");
    assert_eq!(home_link("tags/flow/index.html"), "../../index.html");
    assert_eq!(home_link("404.html"), "/");
    let footer = hrefs(
        &site.html("guides/a/index.html"),
        "footer.site-footer nav a",
    );
    assert!(
        footer.contains(&"../../guides/index.html".to_string()),
        "{footer:?}"
    );
    // The same card, in listings at three depths.
    let card = |rel: &str| hrefs(&site.html(rel), ".page-card .card-title a");
    assert_eq!(
        card("index.html"),
        ["guides/a/index.html", "certs/b/index.html"]
    );
    assert_eq!(card("guides/index.html"), ["../guides/a/index.html"]);
    assert_eq!(
        card("tags/flow/index.html"),
        ["../../guides/a/index.html", "../../certs/b/index.html"]
    );
}

// The built-in related and backlinks items are drawn once per page (`page.related_items`); with
// relative URLs, for each page, from its depth. Both ways, each list shows every page once.
#[test]
fn related_and_backlinks_items_link_to_each_page_from_any_depth() {
    let build = |extra: &str| {
        Site::bare()
            .file("site.yaml", format!("{}{extra}", common::SITE_YAML))
            .file(
                "content/guides/a.md",
                "---\ntitle: Alpha\nroles: [Scrum Master]\ntags: [flow]\n---\nRead more: Bravo\n",
            )
            .file(
                "content/certs/b.md",
                "---\ntitle: Bravo\nroles: [Scrum Master, Product Owner]\ntags: [flow]\n---\nBody.\n",
            )
            .file(
                "content/c.md",
                "---\ntitle: Charlie\ntags: [flow]\n---\nRead more: Bravo\n",
            )
            .build_ok()
    };
    let items = |site: &Site, rel: &str, list: &str| {
        let doc = site.html(rel);
        let links = hrefs(&doc, &format!("#{list} li a"));
        let metas: Vec<String> = select(&doc, &format!("#{list} li .link-list-meta"))
            .into_iter()
            .map(text)
            .collect();
        (links, metas)
    };
    let site = build("");
    assert_eq!(
        items(&site, "guides/a/index.html", "related"),
        (
            vec!["/certs/b/".to_string(), "/c/".to_string()],
            vec![
                "1 min read · Scrum Master, Product Owner".to_string(),
                "1 min read".to_string()
            ]
        )
    );
    let from = |site: &Site, rel: &str| items(site, rel, "backlinks").0;
    assert_eq!(from(&site, "certs/b/index.html"), ["/c/", "/guides/a/"]);
    let site = build("relative_urls: true\n");
    assert_eq!(
        items(&site, "guides/a/index.html", "related").0,
        ["../../certs/b/index.html", "../../c/index.html"]
    );
    assert_eq!(
        from(&site, "certs/b/index.html"),
        ["../../c/index.html", "../../guides/a/index.html"]
    );
    assert_eq!(
        items(&site, "c/index.html", "related").0,
        ["../certs/b/index.html", "../guides/a/index.html"]
    );
}

#[test]
fn a_link_item_override_shows_in_related_and_backlinks() {
    let site = Site::new()
        .file(
            "templates/partials/link_item.html",
            "<li class=\"my-item\">{{ l.title }} on {{ page.title }}</li>",
        )
        .file(
            "content/guides/a.md",
            "---\ntitle: Alpha\ntags: [flow]\n---\nRead more: Bravo\n",
        )
        .file(
            "content/guides/b.md",
            "---\ntitle: Bravo\ntags: [flow]\n---\nBody.\n",
        )
        .build_ok();
    let mine = |rel: &str, list: &str| -> Vec<String> {
        select(&site.html(rel), &format!("#{list} li.my-item"))
            .into_iter()
            .map(text)
            .collect()
    };
    assert_eq!(mine("guides/a/index.html", "related"), ["Bravo on Alpha"]);
    assert_eq!(mine("guides/b/index.html", "backlinks"), ["Alpha on Bravo"]);
}

#[test]
fn a_card_override_shows_in_every_listing() {
    let site = Site::new()
        .file(
            "templates/partials/page_card.html",
            "<div class=\"my-card\"><a href=\"{{ p.path | url }}\">{{ p.title }}</a> {{ p.reading_time }}</div>\n",
        )
        .file(
            "content/guides/a.md",
            "---\ntitle: Alpha\nroles: [Scrum Master]\ntags: [flow]\n---\nBody.\n",
        )
        .build_ok();
    for rel in [
        "index.html",
        "guides/index.html",
        "tags/flow/index.html",
        "roles/scrum-master/index.html",
    ] {
        let doc = site.html(rel);
        assert_eq!(hrefs(&doc, ".my-card a"), ["/guides/a/"], "{rel}");
        assert_eq!(text(one(&doc, ".my-card")), "Alpha 1", "{rel}");
        assert!(select(&doc, ".page-card").is_empty(), "{rel}");
    }
}

#[test]
fn an_error_in_the_card_or_header_names_the_partial_and_line() {
    let build_with = |partial: &str, text: &str| {
        Site::new()
            .file(partial, text)
            .article("content/guides/a.md", "A", "Body.\n")
            .build()
    };
    let card = "templates/partials/page_card.html";
    build_with(
        card,
        "<div>\n{{ p.title }}\n{{ p.no_such_field }}\n</div>\n",
    )
    .assert_error_at(card, 3)
    .assert_stderr_has("no_such_field");
    let header = "templates/partials/header.html";
    build_with(header, "<header>\n{{ no_such_variable.x }}\n</header>\n")
        .assert_error_at(header, 2);
}

// A site whose own base.html includes the header as before still gets a working header: the
// include sees the page's place in the navigation too.
#[test]
fn a_base_that_includes_the_header_itself_still_works() {
    let theme_base = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/themes/default/templates/base.html"
    );
    let base = std::fs::read_to_string(theme_base).expect("the theme's base.html");
    assert!(base.contains("{{ site_header }}"), "{base}");
    let base = base.replace(
        "{{ site_header }}",
        "{% include \"partials/header.html\" %}",
    );
    let site = Site::new()
        .file("templates/base.html", base)
        .article("content/guides/a.md", "Alpha", "Body.\n")
        .build_ok();
    assert_eq!(
        marked(&site, "guides/a/index.html"),
        vec![("/guides/".to_string(), "true".to_string())]
    );
}

// A site's own header and footer may read anything of the page (as when base.html included
// them): they are rendered for each page, not shared.
#[test]
fn a_site_header_reading_the_page_is_rendered_for_each_page() {
    let site = Site::new()
        .file(
            "templates/partials/header.html",
            "<header class=\"mine\">{{ current_path }}|{% if page is defined %}{{ page.title }}{% else %}-{% endif %}|{{ nav_here }}</header>\n",
        )
        .file(
            "templates/partials/footer.html",
            "<footer class=\"mine\">{{ current_path }}</footer>\n",
        )
        .article("content/guides/a.md", "Alpha", "Body.\n")
        .article("content/guides/b.md", "Bravo", "Body.\n")
        .build_ok();
    for (rel, header, footer) in [
        (
            "guides/a/index.html",
            "guides/a/|Alpha|guides/",
            "guides/a/",
        ),
        (
            "guides/b/index.html",
            "guides/b/|Bravo|guides/",
            "guides/b/",
        ),
        ("guides/index.html", "guides/|-|guides/", "guides/"),
    ] {
        let doc = site.html(rel);
        assert_eq!(text(one(&doc, "header.mine")), header, "{rel}");
        assert_eq!(text(one(&doc, "footer.mine")), footer, "{rel}");
    }
}

// A site's own listing that includes its own card, which reads the listing's context: the
// card is rendered there as before, and also for `p.card` without failing the build.
#[test]
fn a_site_card_reading_the_listing_context_still_builds() {
    let site = Site::new()
        .file(
            "templates/partials/page_card.html",
            "<div class=\"my-card\">{{ p.title }} in {{ section.title }}</div>\n",
        )
        .file(
            "templates/section.html",
            "{% extends \"base.html\" %}{% block content %}{% for p in pages %}{% include \"partials/page_card.html\" %}{% endfor %}{% endblock content %}\n",
        )
        .file("content/guides/_index.md", "---\ntitle: Guides\n---\n")
        .article("content/guides/a.md", "Alpha", "Body.\n")
        .build_ok();
    let doc = site.html("guides/index.html");
    assert_eq!(text(one(&doc, ".my-card")), "Alpha in Guides");
}
