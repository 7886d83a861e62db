//! "At a glance" tables for role comparisons: an article naming two or more roles whose `##`
//! sections hold one "The <Role>…" bullet per role gets a table of aspects × roles.

use super::extract::BulletSection;
use crate::render::markdown::escape_attr;

/// Whether an article can have a table: it names two or more roles to compare (in `compare:`,
/// else in `roles:`). Only such bodies keep their bullet lists.
pub fn may_compare(p: &crate::model::Page) -> bool {
    let n = if p.compare.is_empty() {
        p.taxonomies.get("roles").map_or(0, Vec::len)
    } else {
        p.compare.len()
    };
    n >= 2
}

/// A role column: its display name and the href of its hub (if it has one).
#[derive(Debug, Clone, Hash)]
pub struct Column {
    pub slug: String,
    pub name: String,
    pub href: Option<String>,
}

/// A section that `compare:` forced but that lacks a role's bullet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingBullet {
    /// 1-based line of the section's heading in the body.
    pub line: usize,
    pub section: String,
    pub role: String,
}

/// The table's HTML (empty when the article is no comparison) and the forced sections that
/// lack a bullet.
pub fn table(
    sections: &[BulletSection],
    columns: &[Column],
    forced: bool,
) -> (String, Vec<MissingBullet>) {
    if columns.len() < 2 {
        return (String::new(), Vec::new());
    }
    let mut rows: Vec<(String, Vec<Option<&str>>)> = Vec::new();
    let mut missing = Vec::new();
    for sec in sections {
        let cells: Vec<Option<&str>> = columns
            .iter()
            .map(|c| {
                sec.bullets
                    .iter()
                    .find(|b| starts_with_role(&b.text, &c.name))
                    .map(|b| b.html.as_str())
            })
            .collect();
        let found = cells.iter().filter(|c| c.is_some()).count();
        // Forced roles: any section with a role's bullet is a row (a missing bullet is warned
        // about); otherwise every role needs its bullet.
        let qualifies = if forced {
            found >= 1
        } else {
            found == columns.len()
        };
        if !qualifies {
            continue;
        }
        if forced {
            for (c, cell) in columns.iter().zip(&cells) {
                if cell.is_none() {
                    missing.push(MissingBullet {
                        line: sec.line,
                        section: sec.title.clone(),
                        role: c.name.clone(),
                    });
                }
            }
        }
        rows.push((aspect(&sec.title), cells));
    }
    if rows.len() < 2 {
        return (String::new(), if forced { missing } else { Vec::new() });
    }
    let mut html = String::from(
        "<div class=\"comparison\" role=\"region\" aria-label=\"At a glance\" tabindex=\"0\">\n<table class=\"comparison-table\">\n",
    );
    html.push_str("<caption>At a glance</caption>\n<thead>\n<tr><th scope=\"col\">Aspect</th>");
    for c in columns {
        match &c.href {
            Some(h) => html.push_str(&format!(
                "<th scope=\"col\"><a href=\"{}\">{}</a></th>",
                escape_attr(h),
                escape_attr(&c.name)
            )),
            None => html.push_str(&format!("<th scope=\"col\">{}</th>", escape_attr(&c.name))),
        }
    }
    html.push_str("</tr>\n</thead>\n<tbody>\n");
    for (aspect, cells) in rows {
        html.push_str(&format!(
            "<tr><th scope=\"row\">{}</th>",
            escape_attr(&aspect)
        ));
        for cell in cells {
            html.push_str(&format!("<td>{}</td>", cell.unwrap_or("—")));
        }
        html.push_str("</tr>\n");
    }
    html.push_str("</tbody>\n</table>\n</div>\n");
    (html, missing)
}

/// Whether a bullet begins with "The <name>" (possessive too: "The Scrum Master's").
pub fn starts_with_role(text: &str, name: &str) -> bool {
    let text = text.trim_start();
    let Some(rest) = strip_prefix_ci(text, "the ") else {
        return false;
    };
    let Some(after) = strip_prefix_ci(rest, name) else {
        return false;
    };
    match after.chars().next() {
        None => true,
        Some(c) => !c.is_alphanumeric(),
    }
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let mut it = s.char_indices();
    for p in prefix.chars() {
        let (_, c) = it.next()?;
        if !c.to_lowercase().eq(p.to_lowercase()) {
            return None;
        }
    }
    Some(it.next().map(|(i, _)| &s[i..]).unwrap_or(""))
}

/// The heading without its number: `2. Key Responsibilities:` → `Key Responsibilities`.
pub fn aspect(title: &str) -> String {
    let t = title.trim();
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    let t = if digits > 0 {
        t[digits..].trim_start_matches(['.', ')', ':']).trim_start()
    } else {
        t
    };
    t.trim_end_matches(':').trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_prefixes() {
        assert!(starts_with_role(
            "The Scrum Master’s primary duty",
            "Scrum Master"
        ));
        assert!(starts_with_role(
            "The Scrum Master's primary duty",
            "Scrum Master"
        ));
        assert!(starts_with_role(
            "the product owner decides",
            "Product Owner"
        ));
        assert!(!starts_with_role("The Scrum Masters", "Scrum Master"));
        assert!(!starts_with_role("A Scrum Master", "Scrum Master"));
    }

    #[test]
    fn aspects() {
        assert_eq!(aspect("2. Key Responsibilities"), "Key Responsibilities");
        assert_eq!(
            aspect("5. Focus on Continuous Improvement:"),
            "Focus on Continuous Improvement"
        );
        assert_eq!(aspect("Decision Making"), "Decision Making");
    }
}
