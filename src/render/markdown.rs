//! Markdown → HTML on pulldown-cmark's event stream: unique heading ids with anchor links,
//! table of contents, summary, word count, and a hook that rewrites every link and card.

use std::collections::HashMap;

use pulldown_cmark::{
    CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
};
use serde::Serialize;

use super::extract::{self, Spanned};
use super::highlight;
use super::line_index::LineIndex;
use crate::diagnostics::Diagnostic;
use crate::model::Heading;
use crate::slug::slugify;

/// The Markdown extensions every page gets.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_WIKILINKS
}

/// A link as the author wrote it, with where it is (1-based line and column in the file).
#[derive(Debug, Clone)]
pub struct LinkRef<'a> {
    pub dest: &'a str,
    pub wiki: bool,
    pub line: usize,
    pub column: usize,
    /// The text of the link (wiki links: the target title before any `|`).
    pub text: &'a str,
}

/// Turns the links of one page into URLs. The resolve stage implements it; tests use `Verbatim`.
pub trait LinkResolver {
    /// The href for a link, `Ok(None)` to keep it as written, or a diagnostic when it is broken.
    fn href(&self, link: &LinkRef<'_>) -> Result<Option<String>, Diagnostic>;
    /// The HTML of a "Read more: <Title>" card, or a diagnostic when the title names no page.
    fn card(&self, target: &str, line: usize, column: usize) -> Result<Option<String>, Diagnostic>;
}

/// Keeps every link as written and renders no cards.
pub struct Verbatim;

impl LinkResolver for Verbatim {
    fn href(&self, _: &LinkRef<'_>) -> Result<Option<String>, Diagnostic> {
        Ok(None)
    }
    fn card(&self, _: &str, _: usize, _: usize) -> Result<Option<String>, Diagnostic> {
        Ok(None)
    }
}

/// A heading being collected: level, explicit id, classes, inner events.
type OpenHeading<'a> = (HeadingLevel, Option<String>, Vec<String>, Vec<Event<'a>>);

/// A table-of-contents entry, nested by heading level.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
    pub children: Vec<TocEntry>,
}

/// What rendering a Markdown body gives.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    /// HTML before `<!-- more -->`, else the first paragraph.
    pub summary: String,
    /// The summary as plain text (what listings show: its links would not work there).
    pub summary_text: String,
    pub headings: Vec<Heading>,
    pub toc: Vec<TocEntry>,
    /// Questions and answers of the "Frequently Asked Questions" section.
    pub faq: Vec<crate::model::Faq>,
    /// `##` sections with their top-level bullets (for comparison tables).
    pub sections: Vec<super::extract::BulletSection>,
    /// The body as plain text (no code blocks) for the search index: whitespace collapsed,
    /// capped at [`super::search_text::BODY_LIMIT`] (kept for every page until the index is written).
    pub text: String,
    /// Hash of everything above that templates can show (fingerprints).
    pub hash: u64,
}

/// Renders `body`, whose first line is line `body_line` of `file`; with `sections`, also
/// collects its `##` sections' bullets (for comparison tables).
pub fn render(
    body: &str,
    body_line: usize,
    file: &str,
    links: &dyn LinkResolver,
    diags: &mut Vec<Diagnostic>,
    sections: bool,
) -> Rendered {
    let lines = LineIndex::new(body);
    // Sized up front (about one event per 24 bytes of Markdown): growing these vectors and
    // strings by doubling cost more than filling them.
    let mut parsed: Vec<Spanned<'_>> = Vec::with_capacity(body.len() / 24 + 16);
    parsed.extend(Parser::new_ext(body, options()).into_offset_iter());
    let (parsed, faq) = extract::faq_blocks(parsed);
    let sections = if sections {
        extract::bullet_sections(&parsed, &lines)
    } else {
        Vec::new()
    };
    let mut out: Vec<Event<'_>> = Vec::with_capacity(parsed.len());
    let mut ids: HashMap<String, usize> = HashMap::new();
    let mut headings = Vec::new();
    let mut heading: Option<OpenHeading<'_>> = None;
    let mut summary_at: Option<usize> = None;
    let mut first_para_end: Option<usize> = None;
    let mut depth = 0usize;
    let mut text = String::with_capacity(body.len());
    let mut events = parsed.into_iter();
    while let Some((event, range)) = events.next() {
        // Where the event is in the file: only links and images need it (for diagnostics).
        let at = |offset: usize| {
            let (line0, col) = lines.locate(offset);
            (line0 + body_line - 1, col)
        };
        if let Some((_, _, _, buf)) = heading.as_mut() {
            match event {
                Event::End(TagEnd::Heading(_)) => {}
                Event::Text(_) | Event::Code(_) => {
                    buf.push(event);
                    continue;
                }
                other => {
                    buf.push(other);
                    continue;
                }
            }
            let Some((level, id, classes, buf)) = heading.take() else {
                continue;
            };
            let title = extract::plain_text(&buf);
            let base = id.unwrap_or_else(|| {
                let s = slugify(&title);
                if s.is_empty() {
                    "section".to_string()
                } else {
                    s
                }
            });
            let id = unique_id(&mut ids, base);
            let mut inner = String::new();
            pulldown_cmark::html::push_html(&mut inner, buf.into_iter());
            let lvl = level as u8;
            let class = if classes.is_empty() {
                String::new()
            } else {
                format!(" class=\"{}\"", escape_attr(&classes.join(" ")))
            };
            // Joined, not `format!`: every heading of every page.
            let (lvl_s, id_attr) = (lvl.to_string(), escape_attr(&id));
            out.push(Event::Html(CowStr::from(
                [
                    "<h",
                    &lvl_s,
                    " id=\"",
                    &id_attr,
                    "\"",
                    &class,
                    ">",
                    &inner,
                    " <a class=\"heading-anchor\" href=\"#",
                    &id_attr,
                    "\" aria-label=\"Link to this section\">#</a></h",
                    &lvl_s,
                    ">\n",
                ]
                .concat(),
            )));
            text.push_str(&title);
            text.push('\n');
            headings.push(Heading {
                level: lvl,
                id,
                title,
            });
            continue;
        }
        match event {
            Event::Start(Tag::Heading {
                level, id, classes, ..
            }) => {
                heading = Some((
                    level,
                    id.map(|s| s.to_string()),
                    classes.iter().map(|c| c.to_string()).collect(),
                    Vec::new(),
                ));
            }
            Event::Start(Tag::Paragraph) if depth == 0 => {
                depth += 1;
                // A paragraph of "Read more:" lines becomes one card per line.
                if let Some(cards) =
                    read_more_cards(body, &range, body_line, &lines, links, diags, file)
                {
                    // skip the paragraph's events
                    for (ev, _) in events.by_ref() {
                        if matches!(ev, Event::End(TagEnd::Paragraph)) {
                            break;
                        }
                    }
                    depth -= 1;
                    out.push(Event::Html(CowStr::from(cards)));
                    continue;
                }
                out.push(Event::Start(Tag::Paragraph));
            }
            Event::End(TagEnd::Paragraph) => {
                text.push('\n');
                depth = depth.saturating_sub(1);
                out.push(Event::End(TagEnd::Paragraph));
                if depth == 0 && first_para_end.is_none() {
                    first_para_end = Some(out.len());
                }
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                // Code counts no words and stays out of the search text.
                let mut code = String::new();
                for (ev, _) in events.by_ref() {
                    match ev {
                        Event::End(TagEnd::CodeBlock) => break,
                        Event::Text(t) | Event::Html(t) => code.push_str(&t),
                        _ => {}
                    }
                }
                let lang = match &kind {
                    CodeBlockKind::Fenced(info) => highlight::language(info),
                    CodeBlockKind::Indented => None,
                };
                out.push(Event::Html(CowStr::from(highlight::code_block(
                    lang, &code,
                ))));
            }
            Event::Text(ref t) => {
                text.push_str(t);
                out.push(event);
            }
            Event::Code(ref t) => {
                text.push_str(t);
                out.push(event);
            }
            Event::SoftBreak | Event::HardBreak => {
                text.push(' ');
                out.push(event);
            }
            Event::End(TagEnd::Item | TagEnd::TableCell) => {
                text.push(' ');
                out.push(event);
            }
            Event::Html(ref h) | Event::InlineHtml(ref h) if h.trim() == "<!-- more -->" => {
                if summary_at.is_none() {
                    summary_at = Some(out.len());
                }
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let (line, col) = at(range.start);
                let wiki = matches!(link_type, LinkType::WikiLink { .. });
                let text = if wiki { wiki_target(body, &range) } else { "" };
                let link = LinkRef {
                    dest: &dest_url,
                    wiki,
                    line,
                    column: col,
                    text,
                };
                let href = resolved_href(links, &link, &dest_url, file, diags);
                out.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url: href,
                    title,
                    id,
                }));
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let (line, col) = at(range.start);
                let link = LinkRef {
                    dest: &dest_url,
                    wiki: false,
                    line,
                    column: col,
                    text: "",
                };
                let href = resolved_href(links, &link, &dest_url, file, diags);
                out.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url: href,
                    title,
                    id,
                }));
            }
            Event::Start(
                Tag::List(_)
                | Tag::BlockQuote(_)
                | Tag::Table(_)
                | Tag::FootnoteDefinition(_)
                | Tag::HtmlBlock,
            ) => {
                depth += 1;
                out.push(event);
            }
            Event::End(
                TagEnd::List(_)
                | TagEnd::BlockQuote(_)
                | TagEnd::Table
                | TagEnd::FootnoteDefinition
                | TagEnd::HtmlBlock,
            ) => {
                depth = depth.saturating_sub(1);
                out.push(event);
            }
            other => out.push(other),
        }
    }
    let summary_end = summary_at.or(first_para_end).unwrap_or(0);
    let mut summary = String::new();
    pulldown_cmark::html::push_html(
        &mut summary,
        out[..summary_end]
            .iter()
            .filter(|e| !is_heading_html(e))
            .cloned(),
    );
    let summary_text =
        extract::plain_text(out[..summary_end].iter().filter(|e| !is_heading_html(e)));
    let mut html = String::with_capacity(body.len() + body.len() / 2);
    pulldown_cmark::html::push_html(&mut html, out.into_iter());
    html.shrink_to_fit(); // kept for every page until its job runs
    let toc = build_toc(&headings);
    let mut r = Rendered {
        html,
        summary,
        summary_text,
        headings,
        toc,
        faq,
        sections,
        text: super::search_text::body_text(&text),
        hash: 0,
    };
    r.hash = super::fingerprint::hash_of(&(&r.html, &r.summary, &r.text, r.headings.len()));
    r
}

/// The href a link or image gets: rewritten by the resolver, else as written (a broken link is
/// reported and keeps its text).
fn resolved_href<'a>(
    links: &dyn LinkResolver,
    link: &LinkRef<'_>,
    dest: &CowStr<'a>,
    file: &str,
    diags: &mut Vec<Diagnostic>,
) -> CowStr<'a> {
    match links.href(link) {
        Ok(Some(h)) => CowStr::from(h),
        Ok(None) => dest.clone(),
        Err(d) => {
            diags.push(d.in_file(file));
            dest.clone()
        }
    }
}

fn is_heading_html(e: &Event<'_>) -> bool {
    matches!(e, Event::Html(h) if h.starts_with("<h"))
}

/// The `Title` of `[[Title|label]]` as written in the source.
fn wiki_target<'a>(body: &'a str, range: &std::ops::Range<usize>) -> &'a str {
    let raw = body.get(range.clone()).unwrap_or("");
    let inner = raw.trim_start_matches("[[").trim_end_matches("]]");
    inner.split('|').next().unwrap_or(inner).trim()
}

/// When every line of the paragraph at `range` is `Read more: <target>`, the cards' HTML.
fn read_more_cards(
    body: &str,
    range: &std::ops::Range<usize>,
    body_line: usize,
    lines: &LineIndex,
    links: &dyn LinkResolver,
    diags: &mut Vec<Diagnostic>,
    file: &str,
) -> Option<String> {
    let text = body.get(range.clone())?;
    let mut targets = Vec::new();
    let mut offset = range.start;
    for raw in text.split_inclusive('\n') {
        let l = raw.trim_end();
        let lead = l.len() - l.trim_start().len();
        let rest = l.trim_start().strip_prefix("Read more:")?;
        let target = rest.trim();
        if target.is_empty() {
            return None;
        }
        let col_byte = offset + lead + "Read more:".len() + (rest.len() - rest.trim_start().len());
        targets.push((target, col_byte));
        offset += raw.len();
    }
    if targets.is_empty() {
        return None;
    }
    let mut html = String::new();
    for (target, at) in targets {
        let (line0, col) = lines.locate(at);
        match links.card(target, line0 + body_line - 1, col) {
            Ok(Some(card)) => html.push_str(&card),
            Ok(None) => {
                html.push_str("<p>Read more: ");
                pulldown_cmark::html::push_html(
                    &mut html,
                    Parser::new_ext(target, options()).filter(|e| {
                        !matches!(
                            e,
                            Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph)
                        )
                    }),
                );
                html.push_str("</p>\n");
            }
            Err(d) => {
                diags.push(d.in_file(file));
            }
        }
    }
    Some(html)
}

fn unique_id(ids: &mut HashMap<String, usize>, base: String) -> String {
    let n = ids.entry(base.clone()).or_insert(0);
    *n += 1;
    if *n == 1 {
        base
    } else {
        let mut candidate = format!("{base}-{}", *n - 1);
        while ids.contains_key(&candidate) {
            *ids.get_mut(&base).unwrap_or(&mut 0) += 1;
            candidate = format!("{base}-{}", ids.get(&base).copied().unwrap_or(1));
        }
        ids.insert(candidate.clone(), 1);
        candidate
    }
}

/// Nests headings of level 2 and below under each other; a level-1 heading is treated as level 2.
fn build_toc(headings: &[Heading]) -> Vec<TocEntry> {
    let mut root: Vec<TocEntry> = Vec::new();
    for h in headings {
        let entry = TocEntry {
            level: h.level.max(2),
            id: h.id.clone(),
            title: h.title.clone(),
            children: Vec::new(),
        };
        insert_toc(&mut root, entry);
    }
    root
}

fn insert_toc(list: &mut Vec<TocEntry>, entry: TocEntry) {
    match list.last_mut() {
        Some(last) if last.level < entry.level && entry.level - last.level < 4 => {
            insert_toc(&mut last.children, entry)
        }
        _ => list.push(entry),
    }
}

/// Escapes a value for an HTML attribute.
pub fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
