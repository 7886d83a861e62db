//! "Did you mean" suggestions: nearest candidates by edit distance, never a silent guess.

/// Up to `max` candidates close to `word`, best first (ties broken alphabetically).
pub fn nearest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    max: usize,
) -> Vec<&'a str> {
    let word_l = word.to_lowercase();
    let mut scored: Vec<(usize, &str)> = candidates
        .into_iter()
        .filter_map(|c| {
            let c_l = c.to_lowercase();
            let d = strsim::levenshtein(&word_l, &c_l);
            let limit = (word_l.chars().count().max(c_l.chars().count()) / 2).max(2);
            let contains = !word_l.is_empty() && (c_l.contains(&word_l) || word_l.contains(&c_l));
            (d <= limit || contains).then_some((if contains { d.min(limit) } else { d }, c))
        })
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(max).map(|(_, c)| c).collect()
}

/// The single nearest candidate, if any is close enough.
pub fn nearest_one<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    nearest(word, candidates, 1).into_iter().next()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_typo() {
        assert_eq!(
            nearest_one("titel", ["title", "tags", "date"]),
            Some("title")
        );
        assert_eq!(nearest_one("zzzzzz", ["title", "tags"]), None);
    }
}
