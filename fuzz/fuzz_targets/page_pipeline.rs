//! Arbitrary bytes as one article of a small in-memory site: load, resolve (URLs, sections,
//! taxonomies, aliases), Markdown with link and card resolution, every template of the
//! built-in theme. Nothing touches the disk. Must never panic or hang.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use rolebook::config::Config;
use rolebook::diagnostics::Diagnostics;
use rolebook::load::{MarkdownFile, parse_markdown};
use rolebook::model::{Loaded, SourceKind};
use rolebook::render::{render_site, templates::Templates};
use rolebook::resolve::{ResolveOptions, resolve};

/// A folder that holds no site: templates come from the built-in theme only.
const NO_ROOT: &str = "/nonexistent-rolebook-fuzz-root";

fn config() -> &'static Config {
    static C: OnceLock<Config> = OnceLock::new();
    C.get_or_init(|| Config::with_defaults("Fuzz", "https://example.org/guides/"))
}

fn templates() -> &'static Templates {
    static T: OnceLock<Templates> = OnceLock::new();
    T.get_or_init(|| match Templates::load(Path::new(NO_ROOT), config()) {
        Ok(t) => t,
        Err(e) => panic!("the built-in theme must load: {e:?}"),
    })
}

fn file(rel: &str, section: &str, slug: &str, kind: SourceKind) -> MarkdownFile {
    MarkdownFile {
        abs: rel.into(),
        rel: rel.into(),
        kind,
        section: section.into(),
        file_slug: slug.into(),
        bundle: None,
    }
}

const SCRUM_MASTER: &str = "---\ntitle: Scrum Master\ndescription: Serves the team\nroles: [scrum-master]\ntags: [scrum]\nfaq:\n  - {q: Is it a manager?, a: No.}\n---\n\n## Accountability\n\nThe Scrum Master serves the team.\n\n## Frequently Asked Questions\n\n### Who coaches?\n\nThe Scrum Master.\n";
const PRODUCT_OWNER: &str = "---\ntitle: Product Owner vs Scrum Master\nroles: [product-owner, scrum-master]\n---\n\n## 1. Focus\n\n- The Product Owner: value.\n- The Scrum Master: process.\n\n## 2. Events\n\n- The Product Owner's part: review.\n- The Scrum Master's part: all.\n\nRead more: Scrum Master\n";
const ROLE_INTRO: &str = "---\ntitle: Scrum Master\n---\n\nThe role hub. [[Scrum Master]]\n";

fuzz_target!(|data: &[u8]| {
    let config = config();
    let inputs = [
        (file("content/guides/fuzz.md", "guides", "fuzz", SourceKind::Article), data.to_vec()),
        (file("content/guides/scrum-master.md", "guides", "scrum-master", SourceKind::Article), SCRUM_MASTER.as_bytes().to_vec()),
        (file("content/guides/po-vs-sm.md", "guides", "po-vs-sm", SourceKind::Article), PRODUCT_OWNER.as_bytes().to_vec()),
        (
            file("content/roles/scrum-master.md", "roles", "scrum-master", SourceKind::TermIntro { taxonomy: "roles".into(), term: "scrum-master".into() }),
            ROLE_INTRO.as_bytes().to_vec(),
        ),
        (file("content/guides/_index.md", "guides", "", SourceKind::SectionIndex), data.to_vec()),
    ];
    let mut sources = Vec::new();
    let mut diagnostics = Diagnostics::new();
    for (f, bytes) in inputs {
        let (page, diags) = parse_markdown(bytes, &f, config);
        sources.extend(page);
        diagnostics.extend(diags);
    }
    let loaded = Loaded {
        config: config.clone(),
        sources,
        assets: Vec::new(),
        diagnostics,
        failed: Vec::new(),
    };
    let (mut site, _diags) = resolve(loaded, ResolveOptions { drafts: true });
    let rendered = render_site(&mut site, templates(), Path::new(NO_ROOT));
    // Whatever the article says, nothing may be written outside the output folder.
    for f in &rendered.files {
        assert!(
            rolebook::write::contained(Path::new("/out"), &f.path).is_some(),
            "output path escapes: {:?}",
            f.path
        );
    }
    for a in &rendered.assets {
        assert!(
            rolebook::write::contained(Path::new("/out"), &a.dest).is_some(),
            "asset path escapes: {:?}",
            a.dest
        );
    }
});
