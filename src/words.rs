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

/// Tokens of one line holding a letter or digit. ASCII lines (nearly all) go 64 bytes at a time
/// through bit masks on x86-64 (every byte of every body is counted on each load), and byte by
/// byte through a branch-free loop for the rest.
fn count_line(line: &str) -> usize {
    if !line.is_ascii() {
        return count_unicode(line);
    }
    #[cfg(target_arch = "x86_64")]
    {
        let mut blocks = line.as_bytes().chunks_exact(64);
        let mut pending = true;
        let mut n = 0;
        for block in &mut blocks {
            let (word, space) = sse2::classes(block);
            n += count_block(word, space, &mut pending);
        }
        n + count_bytes(blocks.remainder(), !pending)
    }
    #[cfg(not(target_arch = "x86_64"))]
    count_bytes(line.as_bytes(), false)
}

/// Words starting in `bytes`, one byte at a time; `counted`: the text before ends inside a
/// word.
fn count_bytes(bytes: &[u8], counted: bool) -> usize {
    let mut n = 0;
    // Whether the token under way already holds a letter or digit (reset by whitespace).
    let mut counted = u8::from(counted);
    for &b in bytes {
        let class = CLASS[usize::from(b)];
        let word_char = class & WORD;
        n += usize::from(word_char & !counted);
        counted = (counted | word_char) & !(class >> 1);
    }
    n
}

/// Words starting in a 64-byte block, from its masks of word characters and of whitespace
/// (bit `i` for byte `i`). A word character starts a word when the last word character or
/// whitespace before it is whitespace (or there is none, and `pending` says the block starts
/// between words); `pending` becomes whether the block ends between words.
fn count_block(word: u64, space: u64, pending: &mut bool) -> usize {
    let other = !(word | space);
    // Where a word may start: right after whitespace, and at the block's start when pending.
    let after_space = (space << 1) | u64::from(*pending);
    // A start on punctuation moves past it to the first byte that is not: adding a bit at the
    // start of a run of ones carries through the run to the bit after it.
    let reached = (other.wrapping_add(after_space & other) & !other) | (after_space & !other);
    let marked = word | space;
    if marked != 0 {
        let last = 63 - marked.leading_zeros();
        *pending = (space >> last) & 1 == 1;
    }
    (reached & word).count_ones() as usize
}

/// Byte classes of 64 ASCII bytes as bit masks, 16 bytes per SSE2 instruction (SSE2 is part
/// of every x86-64 processor: no runtime check). Needs Rust 1.87 (safe intrinsics inside a
/// `target_feature` function), the crate's `rust-version`.
#[cfg(target_arch = "x86_64")]
mod sse2 {
    use std::arch::x86_64::*;

    /// (word characters, whitespace) of a 64-byte `block`, bit `i` for byte `i`.
    pub fn classes(block: &[u8]) -> (u64, u64) {
        let (mut word, mut space) = (0u64, 0u64);
        for (k, chunk) in block.chunks_exact(16).enumerate() {
            let (w, s) = classes16(chunk);
            word |= u64::from(w) << (16 * k);
            space |= u64::from(s) << (16 * k);
        }
        (word, space)
    }

    /// (word characters, whitespace) of a 16-byte `c`.
    fn classes16(c: &[u8]) -> (u16, u16) {
        let b = |i: usize| c[i] as i8;
        // SAFETY: these intrinsics only compute on values (no memory access); their one
        // requirement is SSE2, which every x86-64 processor has (it is in the target's
        // baseline features).
        unsafe { classes16_sse2(b) }
    }

    #[target_feature(enable = "sse2")]
    fn classes16_sse2(b: impl Fn(usize) -> i8) -> (u16, u16) {
        let v = _mm_setr_epi8(
            b(0),
            b(1),
            b(2),
            b(3),
            b(4),
            b(5),
            b(6),
            b(7),
            b(8),
            b(9),
            b(10),
            b(11),
            b(12),
            b(13),
            b(14),
            b(15),
        );
        // Bytes are ASCII (below 0x80), so signed comparisons order them as unsigned ones.
        let between = |x: __m128i, lo: u8, hi: u8| {
            _mm_and_si128(
                _mm_cmpgt_epi8(x, _mm_set1_epi8(lo as i8 - 1)),
                _mm_cmplt_epi8(x, _mm_set1_epi8(hi as i8 + 1)),
            )
        };
        // `A`-`Z` and `a`-`z` are the bytes that become `a`-`z` with bit 5 set.
        let lower = _mm_or_si128(v, _mm_set1_epi8(0x20));
        let word = _mm_or_si128(between(lower, b'a', b'z'), between(v, b'0', b'9'));
        // ASCII whitespace: space, and tab to carriage return except vertical tab (11).
        let controls = _mm_andnot_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(11)), between(v, 9, 13));
        let space = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(b' ' as i8)), controls);
        (
            _mm_movemask_epi8(word) as u16,
            _mm_movemask_epi8(space) as u16,
        )
    }
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
    use super::{count, count_bytes, count_line, count_unicode};

    proptest::proptest! {
        #[test]
        fn the_ascii_loop_counts_like_split_whitespace(line in "[ a-z0-9.,!|*#\t-]{0,40}") {
            proptest::prop_assert_eq!(count_line(&line), count_unicode(&line));
        }

        // Long lines go through the 64-byte blocks: every ASCII class, words and runs of
        // punctuation across block boundaries.
        #[test]
        fn the_block_masks_count_like_the_byte_loop(
            line in "([ \t\r\x0b\x0c]{0,3}[a-zA-Z0-9]{0,6}[.,!|*#(\\[\"`_~@{}/:;<=>?^-]{0,70}){0,60}"
        ) {
            proptest::prop_assert_eq!(count_line(&line), count_bytes(line.as_bytes(), false));
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
