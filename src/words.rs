//! Word counts: the words of a Markdown body outside fenced code and HTML comments, counted
//! once when a file is read and used by reading times, cards and JSON-LD alike.

/// Words of a Markdown body outside fenced code blocks: tokens with a letter or digit.
pub fn count(body: &str) -> usize {
    let mut fence: Option<&str> = None;
    let mut n = 0;
    // Lines found with memchr (vectorised): this runs over every byte of every body on each
    // load. A `\r` before the `\n` stays on the line, where it counts as whitespace.
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', body.as_bytes()).chain(std::iter::once(body.len()));
    for end in ends {
        let line = &body[start..end];
        start = end + 1;
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

/// Tokens of one line holding a letter or digit. ASCII lines (nearly all) take a branch-free
/// byte loop: it runs over every byte of every body on each load.
fn count_line(line: &str) -> usize {
    if !line.is_ascii() {
        return count_unicode(line);
    }
    let mut n = 0;
    // Whether the token under way already holds a letter or digit (reset by whitespace).
    let mut counted = 0u8;
    for &b in line.as_bytes() {
        let class = CLASS[usize::from(b)];
        let word_char = class & WORD;
        n += usize::from(word_char & !counted);
        counted = (counted | word_char) & !(class >> 1);
    }
    n
}

const WORD: u8 = 1;
const SPACE: u8 = 2;

/// Each byte's class: `WORD` for ASCII letters and digits, `SPACE` for ASCII whitespace.
static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = if c.is_ascii_alphanumeric() {
            WORD
        } else if c.is_ascii_whitespace() {
            SPACE
        } else {
            0
        };
        b += 1;
    }
    t
};

fn count_unicode(line: &str) -> usize {
    line.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

#[cfg(test)]
mod tests {
    use super::{count, count_line, count_unicode};

    proptest::proptest! {
        #[test]
        fn the_ascii_loop_counts_like_split_whitespace(line in "[ a-z0-9.,!|*#\t-]{0,40}") {
            proptest::prop_assert_eq!(count_line(&line), count_unicode(&line));
        }
    }

    #[test]
    fn counts_words_with_letters_outside_code() {
        assert_eq!(count("One two, three!\n\n- four\n| --- | five |"), 5);
        assert_eq!(count("a\n```rust\nlet x = 1;\n```\nb"), 2);
        assert_eq!(count("<!-- more -->\nrôle über straße"), 3);
        assert_eq!(count("   \u{a0}word\u{2003}word"), 2);
        assert_eq!(count(""), 0);
        assert_eq!(count("a b\r\n```\r\nlet x = 1;\r\n```\r\nc\r\n"), 3);
        assert_eq!(count("\n\nlast line without newline"), 4);
        assert_eq!(count("A note[^1].\n\n[^1]: The footnote text."), 6);
        assert_eq!(
            count("See [the guide][g].\n\n[g]: https://example.org/guide \"Guide\""),
            3
        );
    }
}
