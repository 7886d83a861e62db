//! The link index: from what authors write (a title, a slug, a content path) to pages, and
//! the answer to each lookup as a hash, so a cached body knows when its links changed.

use std::collections::HashMap;

use crate::model::Site;

/// Lowercase, punctuation dropped, runs of spaces collapsed: `PMP vs CSM: 10 Major
/// Differences` and `pmp vs csm 10 major differences` are the same title.
pub fn normalise(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    let mut space = false;
    for c in title.chars() {
        if c.is_ascii_alphanumeric() || (!c.is_ascii() && c.is_alphanumeric()) {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            if c.is_ascii() {
                out.push(c.to_ascii_lowercase());
            } else {
                out.extend(c.to_lowercase());
            }
        } else if c.is_whitespace() || c == '-' || c == '_' || c == '/' {
            space = true;
        }
    }
    out
}

/// Lookup tables from what authors write to pages.
#[derive(Debug, Default)]
pub struct LinkIndex {
    /// Normalised title → pages with it.
    pub titles: HashMap<String, Vec<usize>>,
    /// Slug → pages with it.
    pub slugs: HashMap<String, Vec<usize>>,
}

impl LinkIndex {
    pub fn build(site: &Site) -> Self {
        let mut idx = LinkIndex::default();
        for (i, p) in site.pages.iter().enumerate() {
            idx.titles.entry(normalise(&p.title)).or_default().push(i);
            idx.slugs.entry(p.slug.clone()).or_default().push(i);
        }
        idx
    }

    /// A hash of the index's answer to `q` on `site` (the files it names), so that a body is
    /// re-rendered when, and only when, one of its links would now lead elsewhere.
    pub fn answer(&self, site: &Site, root: &std::path::Path, q: &Lookup) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = crate::render::fingerprint::hasher();
        if let Lookup::File(joined) = q {
            let abs = root.join("content").join(joined);
            let inside = match (abs.canonicalize(), root.canonicalize()) {
                (Ok(real), Ok(root)) => real.starts_with(root),
                _ => false,
            };
            (abs.is_file(), inside).hash(&mut h);
            return h.finish();
        }
        let files = |list: Option<&Vec<usize>>, h: &mut rustc_hash::FxHasher| {
            for &i in list.into_iter().flatten() {
                site.pages[i].file.hash(h);
            }
        };
        let path = match q {
            Lookup::Key(k) => k.strip_prefix("@/"),
            Lookup::Path(p) => Some(p.as_str()),
            Lookup::File(_) => None,
        };
        match (q, path) {
            (_, Some(path)) => {
                let path = path.trim_start_matches('/');
                site.by_file.get(path).hash(&mut h);
                let bundle = format!("{}/index.md", path.trim_end_matches('/'));
                site.by_file.get(bundle.as_str()).hash(&mut h);
                site.failed.contains(path).hash(&mut h);
            }
            (Lookup::Key(k), None) => {
                files(self.titles.get(&normalise(k)), &mut h);
                files(self.slugs.get(k.trim()), &mut h);
            }
            (Lookup::Path(_) | Lookup::File(_), None) => {}
        }
        h.finish()
    }
}

/// One question a body asked the link index.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Lookup {
    /// A title, slug or `@/path` (`Read more:`, wiki links, `@/` links).
    Key(String),
    /// A path in `content/` (relative `.md` links).
    Path(String),
    /// A file in `content/` that a relative link copies beside the page (it must exist and stay
    /// inside the site).
    File(String),
}

#[cfg(test)]
mod tests {
    use super::normalise;

    #[test]
    fn normalises_titles() {
        assert_eq!(
            normalise("PMP vs CSM: 10 Major Differences"),
            normalise("pmp vs  csm 10 major differences")
        );
        assert_eq!(normalise("Scrum Master’s Guide!"), "scrum masters guide");
        assert_eq!(normalise("ÉQUIPE Agile — Rôle"), "équipe agile rôle");
    }
}
