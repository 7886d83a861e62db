//! The searchable body text of an article (the search index's body shards): whitespace
//! collapsed, at most [`BODY_LIMIT`] bytes, cut at a word.

/// Longest body text (bytes) an article contributes to the search index: enough for any
/// guide (about 10,000 words), so that one huge article cannot bloat a shard.
pub const BODY_LIMIT: usize = 64 * 1024;

/// The searchable body text of an article: whitespace collapsed, at most `BODY_LIMIT` bytes
/// (cut at a word boundary).
pub fn body_text(text: &str) -> String {
    // Nearly every body: ASCII and shorter than the cap (so no word can be cut).
    if text.len() < BODY_LIMIT && text.is_ascii() {
        return collapse_ascii(text.as_bytes());
    }
    capped_words(text)
}

/// ASCII whitespace runs as single spaces, ends trimmed. A body's text has spaces and newlines
/// and nearly never other whitespace or two spaces in a row: it is copied line by line, each
/// line whole unless it holds a double space (vectorised searches, not a test per byte).
fn collapse_ascii(bytes: &[u8]) -> String {
    if memchr::memchr3(b'\t', b'\r', 0x0c, bytes).is_some() {
        return collapse_runs(bytes);
    }
    let double = memchr::memmem::Finder::new(b"  ");
    let mut out = Vec::with_capacity(bytes.len());
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', bytes).chain(std::iter::once(bytes.len()));
    for end in ends {
        let line = trim_spaces(&bytes[start..end]);
        start = end + 1;
        if line.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(b' ');
        }
        match double.find(line) {
            None => out.extend_from_slice(line),
            // Rare: the byte loop collapses the line's double spaces.
            Some(_) => out.extend_from_slice(collapse_runs(line).as_bytes()),
        }
    }
    out.shrink_to_fit();
    String::from_utf8(out).unwrap_or_default()
}

fn trim_spaces(mut s: &[u8]) -> &[u8] {
    while let [b' ', rest @ ..] = s {
        s = rest;
    }
    while let [rest @ .., b' '] = s {
        s = rest;
    }
    s
}

/// [`collapse_ascii`] for text with any ASCII whitespace. Copies whole runs of text in which
/// every gap is already one space instead of byte by byte.
fn collapse_runs(bytes: &[u8]) -> String {
    let ws = |b: &u8| b.is_ascii_whitespace();
    let n = bytes.len();
    let mut out = Vec::with_capacity(n);
    let mut i = bytes.iter().position(|b| !ws(b)).unwrap_or(n);
    while i < n {
        let start = i;
        // Extend the run over single spaces followed by text.
        loop {
            match bytes[i..].iter().position(ws) {
                None => i = n,
                Some(k) => {
                    i += k;
                    if bytes[i] == b' ' && i + 1 < n && !ws(&bytes[i + 1]) {
                        i += 1;
                        continue;
                    }
                }
            }
            break;
        }
        out.extend_from_slice(&bytes[start..i]);
        i += bytes[i..].iter().position(|b| !ws(b)).unwrap_or(n - i);
        if i < n {
            out.push(b' ');
        }
    }
    out.shrink_to_fit();
    String::from_utf8(out).unwrap_or_default()
}

/// [`body_text`] word by word: any text, cut at the last word that fits.
fn capped_words(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(BODY_LIMIT));
    let mut push = |w: &str| {
        if out.len() + w.len() + 1 > BODY_LIMIT {
            return false;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
        true
    };
    // ASCII text (nearly all) splits on bytes, much faster than on Unicode whitespace.
    if text.is_ascii() {
        for w in text.split_ascii_whitespace() {
            if !push(w) {
                break;
            }
        }
    } else {
        for w in text.split_whitespace() {
            if !push(w) {
                break;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn the_fast_path_collapses_like_the_word_by_word_one(t in "[a-c \t\n\r\x0c]{0,60}") {
            proptest::prop_assert_eq!(body_text(&t), capped_words(&t));
        }

        // Text with only spaces and newlines takes the line-by-line path.
        #[test]
        fn lines_collapse_like_the_word_by_word_one(t in "[a-c\x0b \n]{0,80}") {
            proptest::prop_assert_eq!(body_text(&t), capped_words(&t));
            proptest::prop_assert_eq!(collapse_runs(t.as_bytes()), capped_words(&t));
        }
    }

    #[test]
    fn body_text_collapses_whitespace_and_is_capped_at_a_word() {
        assert_eq!(body_text("  a\n\n b\tc  "), "a b c");
        let long = "word ".repeat(BODY_LIMIT);
        let t = body_text(&long);
        assert!(t.len() <= BODY_LIMIT && t.len() > BODY_LIMIT - 10);
        assert!(t.ends_with("word"));
    }
}
