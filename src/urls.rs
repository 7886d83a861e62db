//! Every internal URL comes from here: site paths (`guides/x/`) become hrefs that honour the
//! path of `base_url` and, with `relative_urls: true`, become relative to the current page.

use crate::config::Config;

/// Makes hrefs for one site.
#[derive(Debug, Clone)]
pub struct Urls {
    base_path: String,
    base_url: String,
    relative: bool,
}

impl Urls {
    pub fn new(config: &Config) -> Self {
        Urls {
            base_path: config.base_path.clone(),
            base_url: config.base_url.clone(),
            relative: config.relative_urls,
        }
    }

    /// The href of site path `to` (`guides/x/`, `style.css`, with an optional `#fragment`) as
    /// written in the page at site path `from` (`guides/y/`, or `404.html`).
    pub fn href(&self, from: &str, to: &str) -> String {
        href(&self.base_path, self.relative, from, to)
    }

    /// The absolute URL of a site path, for canonical links, sitemap, feeds and JSON-LD.
    pub fn permalink(&self, to: &str) -> String {
        permalink(&self.base_url, to)
    }
}

/// [`Urls::permalink`] from a borrowed `base_url`.
pub fn permalink(base_url: &str, to: &str) -> String {
    [base_url, to.trim_start_matches('/')].concat()
}

/// [`Urls::href`] from borrowed settings (templates read them from their context).
pub fn href(base_path: &str, relative: bool, from: &str, to: &str) -> String {
    {
        let (to, frag) = match to.find('#') {
            Some(i) => (&to[..i], &to[i..]),
            None => (to, ""),
        };
        let to = to.trim_start_matches('/');
        if !relative {
            // Not `format!`: templates ask for some fifty hrefs a page, and it costs ten times more.
            return [base_path, to, frag].concat();
        }
        let mut out = "../".repeat(depth(from));
        out.push_str(to);
        if out.is_empty() || out.ends_with('/') {
            out.push_str("index.html");
        }
        out.push_str(frag);
        out
    }
}

/// How many folders deep the page at site path `from` is: how many `../` its relative links
/// climb (`guides/x/` → 2, `a/b.html` → 1, `404.html` → 0).
pub fn depth(from: &str) -> usize {
    let dir = match from.rfind('/') {
        Some(k) => &from[..=k],
        None => "",
    };
    dir.split('/').filter(|s| !s.is_empty()).count()
}

impl Urls {
    /// Builds the helper from its settings (as templates carry them in their context).
    pub fn from_parts(base_path: &str, base_url: &str, relative: bool) -> Self {
        Urls {
            base_path: base_path.to_string(),
            base_url: base_url.to_string(),
            relative,
        }
    }

    /// The same settings with relative URLs switched off (the 404 page is served at any path).
    pub fn absolute(&self) -> Self {
        Urls {
            relative: false,
            ..self.clone()
        }
    }

    pub fn is_relative(&self) -> bool {
        self.relative
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_and_relative() {
        let mut c = Config::with_defaults("t", "https://u.github.io/guides/");
        let u = Urls::new(&c);
        assert_eq!(u.href("guides/a/", "roles/sm/"), "/guides/roles/sm/");
        assert_eq!(u.href("", "style.css"), "/guides/style.css");
        c.relative_urls = true;
        let u = Urls::new(&c);
        assert_eq!(
            u.href("guides/a/", "roles/sm/#x"),
            "../../roles/sm/index.html#x"
        );
        assert_eq!(u.href("", ""), "index.html");
        assert_eq!(u.href("404.html", "style.css"), "style.css");
        assert_eq!(u.permalink("a/"), "https://u.github.io/guides/a/");
    }
}
