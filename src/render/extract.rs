//! Structure found in a Markdown event stream: the `##` sections with their top-level bullets
//! (for comparison tables) and the "Frequently Asked Questions" section (for FAQ blocks).

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Tag, TagEnd};

use super::line_index::LineIndex;
use crate::model::Faq;

/// An event with the byte range of its source.
pub type Spanned<'a> = (Event<'a>, Range<usize>);

/// A top-level bullet of a `##` section.
#[derive(Debug, Clone)]
pub struct Bullet {
    pub text: String,
    pub html: String,
}

/// A `##` section and the bullets of its top-level lists.
#[derive(Debug, Clone)]
pub struct BulletSection {
    pub title: String,
    /// 1-based line of the heading in the body (warnings name it; the body is not kept).
    pub line: usize,
    pub bullets: Vec<Bullet>,
}

/// Plain text of inline events.
pub fn plain_text<'a>(events: impl IntoIterator<Item = &'a Event<'a>>) -> String {
    let mut s = String::new();
    for e in events {
        match e {
            Event::Text(t) | Event::Code(t) => s.push_str(t),
            Event::SoftBreak | Event::HardBreak => s.push(' '),
            _ => {}
        }
    }
    s.trim().to_string()
}

/// Every `##` section with the items of the lists directly inside it; `lines` is the body's.
pub fn bullet_sections(events: &[Spanned<'_>], lines: &LineIndex<'_>) -> Vec<BulletSection> {
    let mut out: Vec<BulletSection> = Vec::new();
    let mut i = 0;
    let mut list_depth = 0usize;
    while i < events.len() {
        match &events[i].0 {
            Event::Start(Tag::Heading { level, .. }) if *level <= HeadingLevel::H2 => {
                let end = find_end(events, i);
                if *level == HeadingLevel::H2 {
                    let title = plain_text(events[i + 1..end].iter().map(|(e, _)| e));
                    out.push(BulletSection {
                        title,
                        line: lines.locate(events[i].1.start).0,
                        bullets: Vec::new(),
                    });
                } else {
                    out.push(BulletSection {
                        title: String::new(),
                        line: lines.locate(events[i].1.start).0,
                        bullets: Vec::new(),
                    });
                }
                i = end;
            }
            Event::Start(Tag::List(_)) => list_depth += 1,
            Event::End(TagEnd::List(_)) => list_depth = list_depth.saturating_sub(1),
            Event::Start(Tag::Item) if list_depth == 1 => {
                let end = find_end(events, i);
                if let Some(sec) = out.last_mut().filter(|s| !s.title.is_empty()) {
                    let inner = &events[i + 1..end];
                    let mut html = String::new();
                    pulldown_cmark::html::push_html(
                        &mut html,
                        inner.iter().map(|(e, _)| e.clone()).filter(|e| {
                            !matches!(
                                e,
                                Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph)
                            )
                        }),
                    );
                    sec.bullets.push(Bullet {
                        text: plain_text(inner.iter().map(|(e, _)| e)),
                        html: html.trim().to_string(),
                    });
                }
                i = end;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// Index of the `End` matching the `Start` at `start`.
fn find_end(events: &[Spanned<'_>], start: usize) -> usize {
    let mut depth = 0usize;
    for (k, (e, _)) in events.iter().enumerate().skip(start) {
        match e {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    return k;
                }
            }
            _ => {}
        }
    }
    events.len().saturating_sub(1)
}

/// True for the heading texts that open an FAQ section.
fn is_faq_title(t: &str) -> bool {
    let n = crate::resolve::links::normalise(t);
    matches!(n.as_str(), "frequently asked questions" | "faq" | "faqs")
}

/// Rewrites the "Frequently Asked Questions" section into `<details>` blocks (questions as
/// `###` headings or bold lines) and returns the questions and answers found.
pub fn faq_blocks<'a>(events: Vec<Spanned<'a>>) -> (Vec<Spanned<'a>>, Vec<Faq>) {
    let is_faq_heading = |k: usize| {
        matches!(
            events[k].0,
            Event::Start(Tag::Heading {
                level: HeadingLevel::H2,
                ..
            })
        ) && is_faq_title(&plain_text(
            events[k + 1..find_end(&events, k)].iter().map(|(e, _)| e),
        ))
    };
    let Some(start) = (0..events.len()).find(|&k| is_faq_heading(k)) else {
        return (events, Vec::new());
    };
    let heading_end = find_end(&events, start);
    let section_end = (heading_end + 1..events.len())
        .find(|&k| matches!(events[k].0, Event::Start(Tag::Heading { level, .. }) if level <= HeadingLevel::H2))
        .unwrap_or(events.len());
    // The section is taken out and put back rewritten: only the events after it move (the
    // FAQ usually ends the article), not the whole body.
    let mut events = events;
    let section: Vec<Spanned<'a>> = events.drain(heading_end + 1..section_end).collect();
    // Split the section's blocks into (question, answer blocks).
    let mut items: Vec<(Vec<Spanned<'a>>, Vec<Spanned<'a>>)> = Vec::new();
    let mut lead: Vec<Spanned<'a>> = Vec::new();
    let mut k = 0;
    while k < section.len() {
        let end = match &section[k].0 {
            Event::Start(_) => find_end(&section, k),
            _ => k,
        };
        let block = &section[k..=end.min(section.len() - 1)];
        if let Some(q) = question_of(block) {
            items.push((q, Vec::new()));
        } else if let Some(last) = items.last_mut() {
            last.1.extend(block.iter().cloned());
        } else {
            lead.extend(block.iter().cloned());
        }
        k = end + 1;
    }
    let items: Vec<_> = items.into_iter().filter(|(_, a)| !a.is_empty()).collect();
    if items.is_empty() {
        events.splice(heading_end + 1..heading_end + 1, section);
        return (events, Vec::new());
    }
    let at = lead
        .last()
        .map_or_else(|| events[heading_end].1.clone(), |(_, r)| r.clone());
    let mut faqs = Vec::new();
    let mut out: Vec<Spanned<'a>> = Vec::with_capacity(section.len() + 4 * items.len() + 2);
    out.extend(lead);
    out.push((
        Event::Html(CowStr::from("<div class=\"faq\">\n")),
        at.clone(),
    ));
    for (q, a) in items {
        faqs.push(Faq {
            q: plain_text(q.iter().map(|(e, _)| e)),
            a: answer_text(&a),
        });
        out.push((
            Event::Html(CowStr::from("<details class=\"faq-item\">\n<summary>")),
            at.clone(),
        ));
        out.extend(q);
        out.push((
            Event::Html(CowStr::from("</summary>\n<div class=\"faq-answer\">\n")),
            at.clone(),
        ));
        out.extend(a);
        out.push((
            Event::Html(CowStr::from("</div>\n</details>\n")),
            at.clone(),
        ));
    }
    out.push((Event::Html(CowStr::from("</div>\n")), at));
    events.splice(heading_end + 1..heading_end + 1, out);
    (events, faqs)
}

/// The question events of a block: a `###` heading, or a paragraph that is one bold span.
fn question_of<'a>(block: &[Spanned<'a>]) -> Option<Vec<Spanned<'a>>> {
    match block.first().map(|(e, _)| e) {
        Some(Event::Start(Tag::Heading {
            level: HeadingLevel::H3,
            ..
        })) => Some(block[1..block.len() - 1].to_vec()),
        Some(Event::Start(Tag::Paragraph)) => {
            let inner = &block[1..block.len().saturating_sub(1)];
            let strong = matches!(
                inner.first().map(|(e, _)| e),
                Some(Event::Start(Tag::Strong))
            ) && find_end(inner, 0) + 1 == inner.len();
            strong.then(|| inner[1..inner.len() - 1].to_vec())
        }
        _ => None,
    }
}

fn answer_text(events: &[Spanned<'_>]) -> String {
    let mut s = String::new();
    for (e, _) in events {
        match e {
            Event::Text(t) | Event::Code(t) => s.push_str(t),
            Event::SoftBreak | Event::HardBreak => s.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Item) => s.push(' '),
            _ => {}
        }
    }
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::Parser;

    fn events(md: &str) -> Vec<Spanned<'_>> {
        Parser::new_ext(md, crate::render::markdown::options())
            .into_offset_iter()
            .collect()
    }

    #[test]
    fn sections_and_bullets() {
        let md = "## 1. Goals\n\nIntro.\n\n- The A does x.\n- The B does y.\n  - nested\n\n## Two\n\n- one\n";
        let s = bullet_sections(&events(md), &LineIndex::new(md));
        assert_eq!(s.len(), 2);
        assert_eq!((s[0].line, s[1].line), (1, 9));
        assert_eq!(s[0].title, "1. Goals");
        assert_eq!(s[0].bullets.len(), 2);
        assert_eq!(s[0].bullets[1].text.trim_end(), "The B does y.nested");
    }

    #[test]
    fn faq_from_h3_and_bold() {
        let md = "## FAQ\n\n### Why?\n\nBecause.\n\n**How?**\n\nLike this.\n\n## After\n\ntext\n";
        let (ev, faq) = faq_blocks(events(md));
        assert_eq!(
            faq,
            vec![
                Faq {
                    q: "Why?".into(),
                    a: "Because.".into()
                },
                Faq {
                    q: "How?".into(),
                    a: "Like this.".into()
                }
            ]
        );
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, ev.into_iter().map(|(e, _)| e));
        assert!(html.contains("<summary>Why?</summary>"), "{html}");
        assert!(html.contains("<h2>After</h2>"), "{html}");
    }
}
