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
