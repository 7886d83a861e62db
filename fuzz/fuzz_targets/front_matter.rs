//! Arbitrary bytes as a Markdown file: UTF-8 check, BOM, front-matter split, YAML or TOML
//! parse, every key check. Must never panic or hang.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use rolebook::config::Config;
use rolebook::load::{MarkdownFile, front_matter, parse_markdown};
use rolebook::model::SourceKind;

fn config() -> &'static Config {
    static C: OnceLock<Config> = OnceLock::new();
    C.get_or_init(|| Config::with_defaults("Fuzz", "https://example.org/"))
}

fuzz_target!(|data: &[u8]| {
    // The library calls on their own …
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(split) = front_matter::split(text) {
            let mut diags = Vec::new();
            let _ = front_matter::parse(&split, "content/x.md", &config().taxonomies, &mut diags);
        }
    }
    // … and the whole of loading one file, as an article and as a section index.
    for kind in [SourceKind::Article, SourceKind::SectionIndex] {
        let f = MarkdownFile {
            abs: "content/guides/fuzz.md".into(),
            rel: "content/guides/fuzz.md".into(),
            kind,
            section: "guides".into(),
            file_slug: "fuzz".into(),
            bundle: None,
        };
        let _ = parse_markdown(data.to_vec(), &f, config());
    }
});
