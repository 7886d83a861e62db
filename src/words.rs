//! Word counts: the words of a Markdown body outside fenced code and HTML comments, counted
//! once when a file is read and used by reading times, cards and JSON-LD alike.

/// Words of a Markdown body outside fenced code blocks: tokens with a letter or digit.
pub fn count(body: &str) -> usize {
    let mut fence: Option<&str> = None;
    let mut n = 0;
    for line in body.lines() {
        let t = line.trim_start();
        if let Some(f) = fence {
            if t.starts_with(f) {
                fence = None;
            }
            continue;
        }
        if t.starts_with("```") || t.starts_with("~~~") {
            fence = Some(&t[..3]);
            continue;
        }
        if t.starts_with("<!--") || is_link_definition(t) {
            continue;
        }
        n += count_line(t);
    }
    n
}

/// `[label]: https://...`: a link reference definition, which renders as nothing.
fn is_link_definition(t: &str) -> bool {
    t.strip_prefix('[')
        .and_then(|rest| rest.split_once("]:"))
        .is_some_and(|(label, _)| {
            // `[^1]: ...` is a footnote, whose text is shown.
            !label.is_empty() && !label.starts_with('^') && !label.contains(['[', ']'])
        })
}

/// Tokens of one line holding a letter or digit. ASCII lines (nearly all) take a byte loop.
fn count_line(line: &str) -> usize {
    if !line.is_ascii() {
        return line
            .split_whitespace()
            .filter(|w| w.chars().any(char::is_alphanumeric))
            .count();
    }
    let mut n = 0;
    let mut in_word = false;
    let mut counted = false;
    for &b in line.as_bytes() {
        if b.is_ascii_whitespace() {
            in_word = false;
            continue;
        }
        if !in_word {
            in_word = true;
            counted = false;
        }
        if !counted && b.is_ascii_alphanumeric() {
            counted = true;
            n += 1;
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::count;

    #[test]
    fn counts_words_with_letters_outside_code() {
        assert_eq!(count("One two, three!\n\n- four\n| --- | five |"), 5);
        assert_eq!(count("a\n```rust\nlet x = 1;\n```\nb"), 2);
        assert_eq!(count("<!-- more -->\nrôle über straße"), 3);
        assert_eq!(count("   \u{a0}word\u{2003}word"), 2);
        assert_eq!(count(""), 0);
        assert_eq!(count("A note[^1].\n\n[^1]: The footnote text."), 6);
        assert_eq!(
            count("See [the guide][g].\n\n[g]: https://example.org/guide \"Guide\""),
            3
        );
    }
}
