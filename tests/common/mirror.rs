//! The output watch keeps after a run of rebuilds, file by file, checked after each rebuild
//! against what a fresh build of the same sources gives.

use std::collections::BTreeMap;
use std::path::Path;

use rolebook::build::{BuildOptions, BuildReport, Session};

/// Every output file of the builds taken in so far.
pub struct Mirror {
    files: BTreeMap<String, Vec<u8>>,
}

/// A fresh session's first build of the site at `root`: its files and sorted diagnostics.
fn fresh_build(root: &Path) -> (BTreeMap<String, Vec<u8>>, Vec<String>) {
    let opts = BuildOptions {
        root: root.to_path_buf(),
        ..Default::default()
    };
    let report = Session::new(opts)
        .unwrap_or_else(|d| panic!("{:?}", d.sorted()))
        .rebuild();
    let diags = report
        .diagnostics
        .sorted()
        .iter()
        .map(|d| format!("{d:?}"))
        .collect();
    let files = report
        .rendered
        .map(|r| r.files.into_iter().map(|f| (f.path, f.bytes)).collect())
        .unwrap_or_default();
    (files, diags)
}

impl Mirror {
    /// The output of a first build of the site at `root`.
    pub fn new(root: &Path) -> Mirror {
        Mirror {
            files: fresh_build(root).0,
        }
    }

    /// Takes in a rebuild (its files count only when it succeeded: watch writes nothing else)
    /// and asserts that its diagnostics and the whole output equal a fresh build's. `step`
    /// names the rebuild in failure messages.
    pub fn take_and_check(&mut self, report: BuildReport, root: &Path, step: &str) {
        let ok = report.ok();
        let diags: Vec<String> = report
            .diagnostics
            .sorted()
            .iter()
            .map(|d| format!("{d:?}"))
            .collect();
        let (want, want_diags) = fresh_build(root);
        assert_eq!(diags, want_diags, "{step}: diagnostics");
        if !ok {
            return;
        }
        let r = report.rendered.expect("a rendered site");
        for f in r.files {
            self.files.insert(f.path, f.bytes);
        }
        self.files.retain(|p, _| r.paths.binary_search(p).is_ok());
        assert_eq!(
            self.files.keys().collect::<Vec<_>>(),
            want.keys().collect::<Vec<_>>(),
            "{step}: output paths"
        );
        for (path, bytes) in &want {
            assert!(
                self.files[path] == *bytes,
                "{step}: {path} differs from a fresh build's:\n{}\n---\n{}",
                String::from_utf8_lossy(&self.files[path]),
                String::from_utf8_lossy(bytes)
            );
        }
    }
}
