//! Machine-read outputs, written from data rather than templates: `sitemap.xml`, `atom.xml`,
//! `search-index.json` with its body shards, and `_redirects`.

use std::fmt::Write;
use std::sync::Arc;

use serde::Serialize;

use super::context::pager_path;
use super::markdown::Rendered;
use super::{OutputFile, RenderCtx};
use crate::model::Site;
use crate::urls::Urls;

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

/// Articles per body shard of the search index (`search/shard-N.json`), on average.
pub const SHARD_SIZE: usize = 200;

/// The pages of each body shard (computed once per build).
pub fn shard_members(site: &Site) -> Vec<Vec<usize>> {
    let shards = shard_count(site.pages.len());
    let mut out = vec![Vec::new(); shards];
    for (i, p) in site.pages.iter().enumerate() {
        out[shard_of(&p.path, shards)].push(i);
    }
    out
}

/// Number of body shards for `pages` articles: one per `SHARD_SIZE`, at least one.
pub fn shard_count(pages: usize) -> usize {
    pages.div_ceil(SHARD_SIZE).max(1)
}

/// The shard holding the body of the article at site path `path`: a stable hash of the path,
/// so an edit changes one shard and adding an article does not move the others.
pub fn shard_of(path: &str, shards: usize) -> usize {
    // FNV-1a: stable across platforms and releases (unlike `Hash` implementations).
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in path.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    (h % shards.max(1) as u64) as usize
}

/// Output path of body shard `k`.
pub fn shard_file(k: usize) -> String {
    format!("search/shard-{k}.json")
}

/// One article of the search index. Fields in alphabetical order, as the file has always had
/// them (it was once written through a `serde_json::Value`, whose maps sort their keys).
#[derive(Serialize)]
struct SearchEntry<'a> {
    description: &'a str,
    headings: Vec<&'a str>,
    roles: &'a [String],
    /// Index into the entry's `shards`: where this article's body text is.
    shard: usize,
    tags: &'a [String],
    title: &'a str,
    url: String,
}

/// `search-index.json`, serialised straight from the pages (no `Value` tree of 10,000 entries).
#[derive(Serialize)]
struct SearchIndex<'a> {
    base_path: &'a str,
    pages: Vec<SearchEntry<'a>>,
    shards: Vec<String>,
    version: u32,
}

/// The search index's entry point, `search-index.json`: title, URL, description, roles, tags
/// and headings of every article, and the list of body shards (`search/shard-N.json`) that a
/// query loads when it needs body text.
pub fn search_index(c: &RenderCtx<'_>) -> String {
    let site = c.site;
    let empty: Vec<String> = Vec::new();
    let shards = shard_count(site.pages.len());
    let urls = c.urls.absolute();
    let pages: Vec<SearchEntry<'_>> = site
        .pages
        .iter()
        .zip(&c.rendered)
        .map(|(p, r)| SearchEntry {
            title: &p.title,
            url: urls.href("", &p.path),
            description: &p.description,
            roles: p.taxonomies.get("roles").unwrap_or(&empty),
            tags: p.taxonomies.get("tags").unwrap_or(&empty),
            headings: r.headings.iter().map(|h| h.title.as_str()).collect(),
            shard: shard_of(&p.path, shards),
        })
        .collect();
    let index = SearchIndex {
        base_path: &site.config.base_path,
        pages,
        shards: (0..shards).map(shard_file).collect(),
        version: 2,
    };
    serde_json::to_string(&index).unwrap_or_else(|_| "{}".into())
}

/// Body shard `k` of the search index, of the articles in `shards[k]`: URL → body text of
/// each, from their bodies' search text.
pub fn shard(
    site: &Site,
    urls: &Urls,
    shards: &[Vec<usize>],
    k: usize,
    rendered: &[Arc<Rendered>],
) -> OutputFile {
    OutputFile {
        path: shard_file(k),
        bytes: shard_json(site, urls, &shards[k], rendered).into_bytes(),
    }
}

fn shard_json(site: &Site, urls: &Urls, members: &[usize], rendered: &[Arc<Rendered>]) -> String {
    let urls = urls.absolute();
    // By URL, as the JSON has always had them.
    let bodies: std::collections::BTreeMap<String, &str> = members
        .iter()
        .map(|&i| {
            let text = rendered[i].text.as_str();
            (urls.href("", &site.pages[i].path), text)
        })
        .collect();
    // `{"bodies":{url:text,…},"version":2}`, written by hand: the texts are a site's whole
    // prose, and nearly all of it needs no escaping (see `push_json_str`).
    let size: usize = bodies.iter().map(|(u, t)| u.len() + t.len() + 6).sum();
    let mut out = String::with_capacity(size + 32);
    out.push_str("{\"bodies\":{");
    for (n, (url, text)) in bodies.iter().enumerate() {
        if n > 0 {
            out.push(',');
        }
        push_json_str(&mut out, url);
        out.push(':');
        push_json_str(&mut out, text);
    }
    out.push_str("},\"version\":2}");
    out
}

/// Appends `s` as a JSON string, exactly as serde_json writes it: the text between the rare
/// characters that need escaping is copied whole (serde_json's byte-by-byte escaper took 3%
/// of a build).
fn push_json_str(out: &mut String, s: &str) {
    out.reserve(s.len() + 2);
    out.push('"');
    let mut start = 0;
    for at in super::escape::marked_bytes(s.as_bytes(), needs_escape) {
        // Escaped characters are ASCII: `at` is a character boundary.
        out.push_str(&s[start..at]);
        push_escape(out, s.as_bytes()[at]);
        start = at + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

fn needs_escape(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

fn push_escape(out: &mut String, b: u8) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    match b {
        b'"' => out.push_str("\\\""),
        b'\\' => out.push_str("\\\\"),
        b'\n' => out.push_str("\\n"),
        b'\r' => out.push_str("\\r"),
        b'\t' => out.push_str("\\t"),
        0x08 => out.push_str("\\b"),
        0x0c => out.push_str("\\f"),
        _ => {
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xf)]));
        }
    }
}

/// `_redirects` for Netlify and Cloudflare Pages: one `from  to  301` line per alias, both
/// with the path of `base_url` (the HTML redirect pages beside it serve every other host).
pub fn redirects(c: &RenderCtx<'_>) -> String {
    let site = c.site;
    let urls = c.urls.absolute();
    let mut lines: Vec<(String, String)> = Vec::new();
    for p in &site.pages {
        for a in &p.aliases {
            let Some(from) = crate::resolve::alias_path(a) else {
                continue;
            };
            let mut from = urls.href("", &from);
            // The old URL as it was written: `/old.html` stays a file, `/old/` a folder.
            let a = a.trim();
            if !a.ends_with('/') && !a.ends_with("index.html") && from.ends_with('/') {
                from.pop();
            }
            lines.push((from, urls.href("", &p.path)));
        }
    }
    lines.sort();
    lines.dedup_by(|a, b| a.0 == b.0);
    let mut out = String::from(
        "# Redirects of old URLs (`aliases` in front matter), written by rolebook.\n# Netlify and Cloudflare Pages read this file; other hosts use the HTML redirect pages.\n",
    );
    for (from, to) in lines {
        // An alias keeps its segments as written: a space would split the line into fields.
        let _ = writeln!(out, "{}  {}  301", no_spaces(&from), no_spaces(&to));
    }
    out
}

/// Percent-encodes whitespace, which would split a `_redirects` line into fields.
fn no_spaces(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        if ch.is_whitespace() {
            let mut buf = [0u8; 4];
            for b in ch.encode_utf8(&mut buf).bytes() {
                let _ = write!(out, "%{b:02X}");
            }
        } else {
            out.push(ch);
        }
    }
    out
}

#[cfg(test)]
mod search_tests {
    use super::*;

    #[test]
    fn one_shard_per_200_articles_at_least_one() {
        assert_eq!(shard_count(0), 1);
        assert_eq!(shard_count(200), 1);
        assert_eq!(shard_count(201), 2);
        assert_eq!(shard_count(10_000), 50);
    }

    #[test]
    fn shard_of_is_stable_and_in_range() {
        // FNV-1a of "guides/a/": the same on every platform and in every release.
        assert_eq!(shard_of("guides/a/", 1), 0);
        assert_eq!(shard_of("guides/a/", 7), shard_of("guides/a/", 7));
        for i in 0..1000 {
            assert!(shard_of(&format!("guides/{i}/"), 3) < 3);
        }
        let mut counts = [0usize; 4];
        for i in 0..4000 {
            counts[shard_of(&format!("guides/article-{i}/"), 4)] += 1;
        }
        assert!(counts.iter().all(|&n| n > 800), "{counts:?}");
    }

    proptest::proptest! {
        #[test]
        fn json_strings_come_out_as_serde_json_writes_them(t in "[a\"\\\\ \x00-\x1f\x7fé€/<]{0,100}") {
            let mut ours = String::new();
            push_json_str(&mut ours, &t);
            proptest::prop_assert_eq!(ours, serde_json::to_string(&t).unwrap());
        }
    }
}
