//! Shared helpers of the integration tests: a fixture `Site` written into a temp folder, the
//! real `rolebook` binary run on it, and parsers for what it wrote and printed.
//!
//! Every test file includes this module and uses only part of it.
#![allow(dead_code)]

pub mod hardening;
pub mod mirror;
pub mod server;

use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

use assert_cmd::Command;
use scraper::{ElementRef, Html, Selector};
use tempfile::TempDir;

/// The `site.yaml` of `Site::new()`.
pub const SITE_YAML: &str = "title: Test Site\nbase_url: https://example.org/\n";

/// How long one run of the binary may take before the test fails.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// A site in a temp folder, removed when dropped.
pub struct Site {
    dir: TempDir,
}

impl Site {
    /// A minimal site: `site.yaml` with `title` and `base_url`, nothing else.
    pub fn new() -> Site {
        Site::bare().file("site.yaml", SITE_YAML)
    }

    /// An empty folder (no `site.yaml`).
    pub fn bare() -> Site {
        let dir = tempfile::Builder::new()
            .prefix("rolebook-test-")
            .tempdir()
            .expect("create a temp folder");
        Site { dir }
    }

    /// Writes `contents` to `rel` (creating folders), replacing any earlier file.
    pub fn file(self, rel: &str, contents: impl AsRef<[u8]>) -> Site {
        let path = self.path(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create folders");
        }
        std::fs::write(&path, contents).expect("write fixture file");
        self
    }

    /// An article with YAML front matter holding only its title.
    pub fn article(self, rel: &str, title: &str, body: &str) -> Site {
        self.file(rel, format!("---\ntitle: {title}\n---\n{body}"))
    }

    /// A symbolic link at `link` pointing to `target` (taken as written, relative to the link).
    #[cfg(unix)]
    pub fn symlink(self, target: &str, link: &str) -> Site {
        let path = self.path(link);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create folders");
        }
        std::os::unix::fs::symlink(target, &path).expect("create symlink");
        self
    }

    /// The site's folder.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// A path inside the site's folder.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    /// The `rolebook` binary, run in the site's folder, without colours.
    pub fn command(&self) -> Command {
        let mut cmd = Command::cargo_bin("rolebook").expect("the rolebook binary is built");
        cmd.current_dir(self.root())
            .env("NO_COLOR", "1")
            .env_remove("CLICOLOR_FORCE")
            .timeout(DEFAULT_TIMEOUT);
        cmd
    }

    /// Runs `rolebook <args>` in the site's folder.
    pub fn run(&self, args: &[&str]) -> Run {
        Run::of(self.command().args(args))
    }

    /// `rolebook build --root <site>`.
    pub fn build(&self) -> Run {
        self.build_with(&[])
    }

    /// `rolebook build --root <site> <extra>`.
    pub fn build_with(&self, extra: &[&str]) -> Run {
        let root = self.root().to_string_lossy().into_owned();
        let mut args = vec!["build", "--root", root.as_str()];
        args.extend_from_slice(extra);
        self.run(&args)
    }

    /// `rolebook check --root <site>`.
    pub fn check(&self) -> Run {
        let root = self.root().to_string_lossy().into_owned();
        self.run(&["check", "--root", &root])
    }

    /// Builds and fails the test (showing stderr) unless the build succeeds.
    pub fn build_ok(self) -> Site {
        self.build().assert_ok();
        self
    }

    /// A path inside the output folder.
    pub fn out(&self, rel: &str) -> PathBuf {
        self.root().join("output").join(rel)
    }

    /// True when the build wrote `rel` (a file) into the output folder.
    pub fn exists(&self, rel: &str) -> bool {
        self.out(rel).is_file()
    }

    /// The text of an output file.
    pub fn read(&self, rel: &str) -> String {
        let path = self.out(rel);
        std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}\n{}", path.display(), self.listing()))
    }

    /// An output HTML file, parsed.
    pub fn html(&self, rel: &str) -> Html {
        Html::parse_document(&self.read(rel))
    }

    /// An output JSON file, parsed.
    pub fn json(&self, rel: &str) -> serde_json::Value {
        serde_json::from_str(&self.read(rel))
            .unwrap_or_else(|e| panic!("output/{rel} is not valid JSON: {e}"))
    }

    /// The `<loc>` URLs of `output/sitemap.xml`, parsed as XML.
    pub fn sitemap_locs(&self) -> Vec<String> {
        let text = self.read("sitemap.xml");
        let doc = roxmltree::Document::parse(&text).expect("sitemap.xml is well-formed XML");
        doc.descendants()
            .filter(|n| n.has_tag_name("loc"))
            .filter_map(|n| n.text())
            .map(|t| t.trim().to_string())
            .collect()
    }

    /// Every file of the output folder, relative and sorted (for failure messages).
    pub fn listing(&self) -> String {
        let base = self.root().join("output");
        let mut files: Vec<String> = walk_files(&base)
            .into_iter()
            .map(|p| p.strip_prefix(&base).unwrap_or(&p).display().to_string())
            .collect();
        files.sort();
        format!("output holds:\n  {}", files.join("\n  "))
    }
}

fn walk_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk_files(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// A `file:line` named in a diagnostic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loc {
    pub file: String,
    pub line: usize,
}

/// What one run of the binary printed and returned.
pub struct Run {
    pub output: Output,
}

impl Run {
    fn of(cmd: &mut Command) -> Run {
        let output = cmd.output().expect("run the rolebook binary");
        Run { output }
    }

    /// The exit code (`None` when killed, e.g. by the timeout).
    pub fn code(&self) -> Option<i32> {
        self.output.status.code()
    }

    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }

    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    fn describe(&self) -> String {
        format!(
            "exit code {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.code(),
            self.stdout(),
            self.stderr()
        )
    }

    /// Fails unless the binary exited with `code` (and did not panic).
    pub fn assert_code(&self, code: i32) -> &Run {
        self.assert_no_panic();
        assert_eq!(
            self.code(),
            Some(code),
            "expected exit code {code}\n{}",
            self.describe()
        );
        self
    }

    /// Fails unless the run succeeded (exit 0).
    pub fn assert_ok(&self) -> &Run {
        self.assert_code(0)
    }

    /// Fails if the binary panicked.
    pub fn assert_no_panic(&self) -> &Run {
        assert!(
            !self.stderr().contains("panicked") && self.code() != Some(101),
            "rolebook panicked\n{}",
            self.describe()
        );
        self
    }

    /// Every `file:line` that a diagnostic names, in order of appearance: the location line
    /// under a headline (`  ┌─ content/x.md:4:1`) or the headline itself when the source line
    /// cannot be shown (`error: content/x.md:4: message`).
    pub fn locations(&self) -> Vec<Loc> {
        self.stderr()
            .lines()
            .filter_map(|l| {
                let l = l.trim_start();
                l.strip_prefix("┌─ ")
                    .or_else(|| l.strip_prefix("error: "))
                    .or_else(|| l.strip_prefix("warning: "))
            })
            .filter_map(|rest| {
                let token = rest.split_whitespace().next()?;
                let mut parts = token.split(':');
                let file = parts.next()?;
                let line = parts.next()?.parse::<usize>().ok()?;
                (!file.is_empty()).then(|| Loc {
                    file: file.to_string(),
                    line,
                })
            })
            .collect()
    }

    /// True when stderr names `file` as a word of its own (`content/a.md`, `content/a.md:3:1`,
    /// `content/a.md,`), not as part of a longer path.
    pub fn names_file(&self, file: &str) -> bool {
        self.stderr().split_whitespace().any(|token| {
            let token = token.trim_matches(|c: char| "\"'`()[],;".contains(c));
            let path = token.split(':').next().unwrap_or(token);
            path == file
        })
    }

    /// Fails unless stderr names `file`.
    pub fn assert_names(&self, file: &str) -> &Run {
        assert!(
            self.names_file(file),
            "stderr does not name {file}\n{}",
            self.describe()
        );
        self
    }

    /// Fails unless stderr names `file` at `line` (any column).
    pub fn assert_at(&self, file: &str, line: usize) -> &Run {
        let want = Loc {
            file: file.to_string(),
            line,
        };
        assert!(
            self.locations().contains(&want),
            "stderr does not name {file}:{line}; it names {:?}\n{}",
            self.locations(),
            self.describe()
        );
        self
    }

    /// Fails unless the run failed with site errors (exit 1, no panic) naming `file:line`.
    pub fn assert_error_at(&self, file: &str, line: usize) -> &Run {
        self.assert_code(1).assert_at(file, line)
    }

    /// Fails unless stderr contains `needle` (for words of messages, never for HTML).
    pub fn assert_stderr_has(&self, needle: &str) -> &Run {
        assert!(
            self.stderr().contains(needle),
            "stderr lacks {needle:?}\n{}",
            self.describe()
        );
        self
    }

    /// The lines of stderr that start a diagnostic (`error: ...`, `warning: ...`).
    pub fn headlines(&self) -> Vec<String> {
        self.stderr()
            .lines()
            .filter(|l| l.starts_with("error") || l.starts_with("warning"))
            .map(str::to_string)
            .collect()
    }
}

/// Parses a CSS selector (the tests' selectors are all valid).
pub fn sel(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|e| panic!("bad selector {css:?}: {e:?}"))
}

/// Every element matching `css`.
pub fn select<'a>(doc: &'a Html, css: &str) -> Vec<ElementRef<'a>> {
    doc.select(&sel(css)).collect()
}

/// The one element matching `css`; fails when there is none.
pub fn one<'a>(doc: &'a Html, css: &str) -> ElementRef<'a> {
    doc.select(&sel(css))
        .next()
        .unwrap_or_else(|| panic!("no element matches {css:?} in:\n{}", doc.html()))
}

/// The text of an element, whitespace collapsed.
pub fn text(el: ElementRef<'_>) -> String {
    el.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The `href` of every element matching `css`.
pub fn hrefs(doc: &Html, css: &str) -> Vec<String> {
    select(doc, css)
        .into_iter()
        .filter_map(|e| e.value().attr("href").map(str::to_string))
        .collect()
}

/// The content of the page's article body (`.prose`), as a fragment of the document.
pub fn prose(doc: &Html) -> ElementRef<'_> {
    one(doc, ".prose")
}

/// Every string anywhere in a JSON value (keys excluded).
pub fn json_strings(v: &serde_json::Value) -> Vec<String> {
    let mut out = Vec::new();
    collect_strings(v, &mut out);
    out
}

fn collect_strings(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(a) => a.iter().for_each(|x| collect_strings(x, out)),
        serde_json::Value::Object(m) => m.values().for_each(|x| collect_strings(x, out)),
        _ => {}
    }
}
