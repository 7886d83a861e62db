//! Machine-read outputs, written from data rather than templates: `sitemap.xml`, `atom.xml`
//! and `search-index.json`.

use std::fmt::Write;

use serde::Serialize;

use super::RenderCtx;
use super::context::pager_path;

/// Escapes text for XML content and attributes.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 forbids.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            '\u{FFFE}' | '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Every published URL with its last modification date.
pub fn sitemap(c: &RenderCtx<'_>) -> String {
    let site = c.site;
    let mut entries: Vec<(String, Option<String>)> = Vec::new();
    for p in &site.pages {
        entries.push((p.path.clone(), p.updated.or(p.date).map(|d| d.ymd())));
    }
    let per = site.config.paginate.max(1);
    for s in &site.sections {
        let newest = s
            .pages
            .iter()
            .filter_map(|&i| site.pages[i].updated.or(site.pages[i].date))
            .max();
        entries.push((s.path.clone(), newest.map(|d| d.ymd())));
        if !s.dir.is_empty() {
            for n in 2..=s.pages.len().div_ceil(per) {
                entries.push((pager_path(&s.path, n), None));
            }
        }
    }
    for t in &site.taxonomies {
        entries.push((t.path.clone(), None));
        for term in &t.terms {
            let newest = term
                .pages
                .iter()
                .filter_map(|&i| site.pages[i].updated.or(site.pages[i].date))
                .max();
            entries.push((term.path.clone(), newest.map(|d| d.ymd())));
            for n in 2..=term.pages.len().div_ceil(per) {
                entries.push((pager_path(&term.path, n), None));
            }
        }
    }
    entries.sort();
    entries.dedup_by(|a, b| a.0 == b.0);
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (path, lastmod) in entries {
        let _ = write!(
            out,
            "  <url>\n    <loc>{}</loc>\n",
            xml_escape(&site.config.permalink(&path))
        );
        if let Some(l) = lastmod {
            let _ = writeln!(out, "    <lastmod>{l}</lastmod>");
        }
        out.push_str("  </url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

/// An Atom feed of every article, newest first.
pub fn atom(c: &RenderCtx<'_>) -> String {
    let site = c.site;
    let cfg = &site.config;
    let mut order: Vec<usize> = (0..site.pages.len()).collect();
    order.sort_by(|&a, &b| {
        let (pa, pb) = (&site.pages[a], &site.pages[b]);
        pb.date.cmp(&pa.date).then_with(|| pa.path.cmp(&pb.path))
    });
    let newest = site.pages.iter().filter_map(|p| p.updated.or(p.date)).max();
    let feed_updated = newest
        .map(|d| d.rfc3339())
        .unwrap_or_else(|| "1970-01-01T00:00:00+00:00".into());
    let author = if cfg.author.is_empty() {
        &cfg.title
    } else {
        &cfg.author
    };
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = write!(
        out,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{lang}\">\n  <title>{title}</title>\n",
        lang = xml_escape(&cfg.language),
        title = xml_escape(&cfg.title)
    );
    if !cfg.description.is_empty() {
        let _ = writeln!(
            out,
            "  <subtitle>{}</subtitle>",
            xml_escape(&cfg.description)
        );
    }
    let _ = write!(
        out,
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{feed}\"/>\n  <link rel=\"alternate\" type=\"text/html\" href=\"{home}\"/>\n  <id>{home}</id>\n  <updated>{feed_updated}</updated>\n  <author><name>{author}</name></author>\n  <generator uri=\"https://crates.io/crates/rolebook\">rolebook</generator>\n",
        feed = xml_escape(&cfg.permalink("atom.xml")),
        home = xml_escape(&cfg.base_url),
        author = xml_escape(author),
    );
    for i in order {
        let p = &site.pages[i];
        let r = &c.refs[i];
        let link = xml_escape(&r.permalink);
        let updated = p
            .updated
            .or(p.date)
            .map(|d| d.rfc3339())
            .unwrap_or_else(|| feed_updated.clone());
        let _ = write!(
            out,
            "  <entry>\n    <title>{}</title>\n    <link rel=\"alternate\" type=\"text/html\" href=\"{link}\"/>\n    <id>{link}</id>\n",
            xml_escape(&p.title)
        );
        if let Some(d) = p.date {
            let _ = writeln!(out, "    <published>{}</published>", d.rfc3339());
        }
        let _ = writeln!(out, "    <updated>{updated}</updated>");
        for t in r.taxonomies.values().flatten() {
            let _ = writeln!(
                out,
                "    <category term=\"{}\" label=\"{}\"/>",
                xml_escape(&t.slug),
                xml_escape(&t.name)
            );
        }
        let summary = if p.description.is_empty() {
            &r.summary
        } else {
            &p.description
        };
        let kind = if p.description.is_empty() {
            "html"
        } else {
            "text"
        };
        let _ = write!(
            out,
            "    <summary type=\"{kind}\">{}</summary>\n  </entry>\n",
            xml_escape(summary)
        );
    }
    out.push_str("</feed>\n");
    out
}

#[derive(Serialize)]
struct SearchEntry<'a> {
    title: &'a str,
    url: String,
    description: &'a str,
    roles: &'a [String],
    tags: &'a [String],
    headings: Vec<&'a str>,
    body: String,
}

/// Title, URL, description, roles, tags, headings and body text of every article.
pub fn search_index(c: &RenderCtx<'_>) -> String {
    let site = c.site;
    let empty: Vec<String> = Vec::new();
    let entries: Vec<SearchEntry<'_>> = site
        .pages
        .iter()
        .zip(&c.rendered)
        .map(|(p, r)| SearchEntry {
            title: &p.title,
            url: c.urls.absolute().href("", &p.path),
            description: &p.description,
            roles: p.taxonomies.get("roles").unwrap_or(&empty),
            tags: p.taxonomies.get("tags").unwrap_or(&empty),
            headings: r.headings.iter().map(|h| h.title.as_str()).collect(),
            body: r.text.split_whitespace().collect::<Vec<_>>().join(" "),
        })
        .collect();
    serde_json::to_string(&serde_json::json!({ "version": 1, "pages": entries }))
        .unwrap_or_else(|_| "{}".into())
}
