//! Build-time highlighting of fenced code: syntect turns a block into `<span class="hl-…">`
//! spans, so the theme's CSS colours it; unknown languages come out as plain escaped code.

use std::cell::RefCell;
use std::sync::LazyLock;

use rustc_hash::FxHashMap;
use syntect::html::{ClassStyle, line_tokens_to_classed_spans};
use syntect::parsing::{ParseState, ScopeStack, ScopeStackOp, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

use super::markdown::escape_attr;

/// The prefix of every highlighting class (`hl-keyword`, `hl-string`, …).
pub const CLASS_PREFIX: &str = "hl-";

/// Blocks larger than this are not highlighted (a generated 10 MB dump stays fast).
const MAX_HIGHLIGHT_BYTES: usize = 512 * 1024;

/// syntect's default syntaxes, loaded on first use and shared by every render thread.
static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);

/// The language of a fence's info string: its first word (`rust,ignore` and
/// `rust title="x"` give `rust`); `None` when the fence names none.
pub fn language(info: &str) -> Option<&str> {
    info.trim()
        .split(|c: char| c.is_whitespace() || c == ',' || c == '{')
        .next()
        .map(str::trim)
        .filter(|l| !l.is_empty())
}

/// The HTML of one code block: `<pre class="code" data-lang="x"><code class="language-x">…`,
/// with highlighting spans when syntect knows the language, escaped text otherwise.
pub fn code_block(lang: Option<&str>, code: &str) -> String {
    let Some(lang) = lang else {
        return format!(
            "<pre class=\"code\"><code>{}</code></pre>\n",
            escape_text(code)
        );
    };
    let attr = escape_attr(lang);
    let body = highlight(lang, code).unwrap_or_else(|| escape_text(code));
    format!(
        "<pre class=\"code\" data-lang=\"{attr}\"><code class=\"language-{attr}\">{body}</code></pre>\n"
    )
}

/// Highlighted HTML for `code`, or `None` for an unknown language, plain text, a block too
/// large to be worth it, or a parse error.
fn highlight(lang: &str, code: &str) -> Option<String> {
    if code.len() > MAX_HIGHLIGHT_BYTES {
        return None;
    }
    let syntax = find_syntax(lang)?;
    let style = ClassStyle::SpacedPrefixed {
        prefix: CLASS_PREFIX,
    };
    // What syntect's `ClassedHTMLGenerator` does, with each line's parse looked up first.
    let mut state = ParseState::new(syntax);
    let mut scopes = ScopeStack::new();
    let mut html = String::with_capacity(code.len() * 3);
    let mut open_spans = 0isize;
    for line in LinesWithEndings::from(code) {
        let ops = parse_line(&mut state, line)?;
        let (spans, delta) = line_tokens_to_classed_spans(line, &ops, style, &mut scopes).ok()?;
        open_spans += delta;
        html.push_str(&spans);
    }
    for _ in 0..open_spans {
        html.push_str("</span>");
    }
    Some(html)
}

/// A parsed line: the parser's state before it, its scope operations, the state after it.
type ParsedLine = (ParseState, Vec<(usize, ScopeStackOp)>, ParseState);

/// Lines a memo keeps per thread before starting again, and the longest it keeps.
const MEMO_LINES: usize = 4096;
const MEMO_LINE_BYTES: usize = 256;
/// Parser states kept per line (a blank line follows many).
const MEMO_STATES: usize = 16;

thread_local! {
    /// Lines already parsed, by text: parsing is a function of the state and the line, and
    /// guides repeat their snippets' lines (`sprint:`, `  team:`), each costing syntect's
    /// YAML grammar about 100,000 instructions.
    static PARSED: RefCell<FxHashMap<String, Vec<ParsedLine>>> = RefCell::default();
}

/// `state.parse_line(line)`, from the memo when this line was parsed from this state before.
fn parse_line(state: &mut ParseState, line: &str) -> Option<Vec<(usize, ScopeStackOp)>> {
    if line.len() > MEMO_LINE_BYTES {
        return state.parse_line(line, &SYNTAXES).ok();
    }
    let known = PARSED.with_borrow(|memo| {
        let seen = memo.get(line)?;
        let (_, ops, after) = seen.iter().find(|(before, _, _)| before == &*state)?;
        Some((ops.clone(), after.clone()))
    });
    if let Some((ops, after)) = known {
        *state = after;
        return Some(ops);
    }
    let before = state.clone();
    let ops = state.parse_line(line, &SYNTAXES).ok()?;
    PARSED.with_borrow_mut(|memo| {
        if memo.len() >= MEMO_LINES {
            memo.clear();
        }
        let seen = memo.entry(line.to_string()).or_default();
        if seen.len() < MEMO_STATES {
            seen.push((before, ops.clone(), state.clone()));
        }
    });
    Some(ops)
}

/// The syntax for a language name or file extension (`rust`, `rs`, `Python`, `sh`);
/// plain text counts as unknown, so it gets no spans.
fn find_syntax(lang: &str) -> Option<&'static SyntaxReference> {
    let set: &'static SyntaxSet = &SYNTAXES;
    let syntax = set
        .find_syntax_by_token(lang)
        .or_else(|| set.find_syntax_by_token(&lang.to_ascii_lowercase()))?;
    (syntax.name != "Plain Text").then_some(syntax)
}

/// Escapes text for an HTML element body.
fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// syntect's own line-by-line HTML, without the memo.
    fn reference(lang: &str, code: &str) -> String {
        let syntax = find_syntax(lang).expect("a known language");
        let style = ClassStyle::SpacedPrefixed {
            prefix: CLASS_PREFIX,
        };
        let mut g =
            syntect::html::ClassedHTMLGenerator::new_with_class_style(syntax, &SYNTAXES, style);
        for line in LinesWithEndings::from(code) {
            g.parse_html_for_line_which_includes_newline(line).unwrap();
        }
        g.finalize()
    }

    // The same lines in other states (inside a comment or a string, in another language)
    // must not take each other's parse from the memo.
    #[test]
    fn remembered_lines_highlight_as_syntect_does() {
        let blocks = [
            (
                "yaml",
                "sprint:\n  team:\n    - developer\n  wip_limit: 4\n",
            ),
            (
                "yaml",
                "team:\n  wip_limit: 4\nnote: |\n  team:\n  wip_limit: 4\n",
            ),
            ("rust", "/*\nlet x = 1;\n*/\nlet x = 1;\n"),
            ("python", "x = 1\n\"\"\"\nx = 1\n\"\"\"\nx = 1\n"),
            ("rust", "let x = 1;\n\"unclosed\nlet x = 1;\n"),
        ];
        for round in 0..2 {
            for (lang, code) in blocks {
                assert_eq!(
                    highlight(lang, code).as_deref(),
                    Some(reference(lang, code).as_str()),
                    "round {round}, {lang}: {code:?}"
                );
            }
        }
    }

    #[test]
    fn rust_gets_class_spans() {
        let html = code_block(Some("rust"), "fn main() { let x = \"<hi>\"; }\n");
        assert!(
            html.starts_with(
                "<pre class=\"code\" data-lang=\"rust\"><code class=\"language-rust\">"
            ),
            "{html}"
        );
        assert!(html.contains("<span class=\"hl-"), "{html}");
        assert!(html.contains("&lt;hi&gt;"), "{html}");
        assert!(!html.contains("style="), "{html}");
    }

    #[test]
    fn unknown_language_is_escaped_plain_text() {
        let html = code_block(Some("nosuchlang"), "a < b && c\n");
        assert_eq!(
            html,
            "<pre class=\"code\" data-lang=\"nosuchlang\"><code class=\"language-nosuchlang\">a &lt; b &amp;&amp; c\n</code></pre>\n"
        );
    }

    #[test]
    fn no_language_and_plain_text_get_no_spans() {
        assert_eq!(
            code_block(None, "<x>\n"),
            "<pre class=\"code\"><code>&lt;x&gt;\n</code></pre>\n"
        );
        assert!(!code_block(Some("text"), "hello\n").contains("<span"));
    }

    #[test]
    fn language_is_the_first_word_and_attributes_are_escaped() {
        assert_eq!(language("rust,ignore"), Some("rust"));
        assert_eq!(language("  "), None);
        assert_eq!(language("py title=\"x\""), Some("py"));
        let html = code_block(Some("a\"b"), "x\n");
        assert!(html.contains("data-lang=\"a&quot;b\""), "{html}");
    }

    #[test]
    fn extensions_and_case_are_recognised() {
        assert!(code_block(Some("rs"), "let x = 1;\n").contains("hl-"));
        assert!(code_block(Some("Python"), "def f(): pass\n").contains("hl-"));
    }
}
