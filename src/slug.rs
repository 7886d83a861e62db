//! Slugs: transliterated to ASCII, lowercase, words joined by `-` (`Scrum Master’s Guide` →
//! `scrum-masters-guide`, `Ça va` → `ca-va`).

/// Makes a URL-safe slug out of any text.
pub fn slugify(text: &str) -> String {
    let ascii = deunicode::deunicode(text);
    let mut out = String::with_capacity(ascii.len());
    let mut dash = false;
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c.to_ascii_lowercase());
        } else if c == '\'' || c == '`' {
            // apostrophes join: "master's" -> "masters"
        } else {
            dash = true;
        }
    }
    out
}

/// Title-cases a slug: `release-train-engineer` → `Release Train Engineer`.
pub fn title_case(slug: &str) -> String {
    slug.split(['-', '_'])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(
            slugify("Product Owner vs Scrum Master: Who?"),
            "product-owner-vs-scrum-master-who"
        );
        assert_eq!(slugify("Scrum Master’s Guide"), "scrum-masters-guide");
        assert_eq!(slugify("Ça va, Zoë"), "ca-va-zoe");
        assert_eq!(slugify("--"), "");
        assert_eq!(
            title_case("release-train-engineer"),
            "Release Train Engineer"
        );
    }
}
