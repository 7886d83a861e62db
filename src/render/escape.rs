//! Finding the few bytes an escaper must replace: text is checked 32 bytes at a time, so the
//! runs between them (nearly all of a page) are copied whole by the HTML and JSON escapers.

/// Positions of the bytes of `bytes` for which `marked` holds, in order. Each 32-byte chunk is
/// first tested as a whole (a loop without early exit, which the compiler vectorises); only a
/// chunk holding a marked byte is looked at byte by byte.
pub fn marked_bytes(
    bytes: &[u8],
    marked: impl Fn(u8) -> bool + Copy,
) -> impl Iterator<Item = usize> {
    bytes
        .chunks(32)
        .enumerate()
        .filter(move |(_, chunk)| chunk.iter().fold(false, |any, &b| any | marked(b)))
        .flat_map(move |(n, chunk)| {
            chunk
                .iter()
                .enumerate()
                .filter(move |&(_, &b)| marked(b))
                .map(move |(k, _)| n * 32 + k)
        })
}

#[cfg(test)]
mod tests {
    use super::marked_bytes;

    proptest::proptest! {
        #[test]
        fn finds_the_same_positions_as_a_plain_scan(text in "[a<&\"é ]{0,100}") {
            let marked = |b: u8| b == b'<' || b == b'&';
            let found: Vec<usize> = marked_bytes(text.as_bytes(), marked).collect();
            let plain: Vec<usize> = text
                .bytes()
                .enumerate()
                .filter(|&(_, b)| marked(b))
                .map(|(i, _)| i)
                .collect();
            proptest::prop_assert_eq!(found, plain);
        }
    }
}
