//! Byte offsets of a source text to 1-based lines and columns, for diagnostics that point
//! into a Markdown body (cross-links, comparison tables).

/// Maps byte offsets of a text to 1-based lines and columns (columns count characters).
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
    /// The last answer (line index, byte offset, 0-based column): a new offset on the same
    /// line counts only the characters from there, so walking the events of a megabytes-long
    /// line costs linear, not quadratic, time.
    last: std::cell::Cell<(usize, usize, usize)>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex {
            text,
            starts,
            last: std::cell::Cell::new((0, 0, 0)),
        }
    }

    pub fn locate(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let count = |a: usize, b: usize| self.text.get(a..b).map_or(0, |s| s.chars().count());
        let (last_line, last_offset, last_col) = self.last.get();
        let start = self.starts[line];
        let col = if last_line != line {
            count(start, offset)
        } else if last_offset <= offset {
            last_col + count(last_offset, offset)
        } else if last_offset - offset < offset - start {
            last_col - count(offset, last_offset)
        } else {
            count(start, offset)
        };
        self.last.set((line, offset, col));
        (line + 1, col + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::LineIndex;

    #[test]
    fn locate_in_any_order_counts_characters() {
        let text = "ab\ncé d\n\nxyz";
        let idx = LineIndex::new(text);
        let naive = |off: usize| {
            let before = &text[..off];
            let line = before.matches('\n').count() + 1;
            let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            (line, col)
        };
        let offsets: Vec<usize> = (0..=text.len())
            .filter(|o| text.is_char_boundary(*o))
            .collect();
        for &o in offsets.iter().chain(offsets.iter().rev()) {
            assert_eq!(idx.locate(o), naive(o), "offset {o}");
        }
        assert_eq!(idx.locate(6), (2, 3));
        assert_eq!(idx.locate(999), naive(text.len()));
    }
}
