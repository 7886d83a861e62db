//! Helpers of the hardening tests (atomic output, containment, escaping, hostile input, fuzz
//! regressions): whole-tree snapshots, leftover temp folders, a longer timeout for big inputs.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::{Run, Site};

/// Bound for a run on a big or hostile input: a hang fails the test, slowness does not.
pub const LONG_TIMEOUT: Duration = Duration::from_secs(120);

impl Site {
    /// Writes `contents` to `rel` (creating folders) without consuming the site.
    pub fn put(&self, rel: &str, contents: impl AsRef<[u8]>) {
        let path = self.path(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("create folders");
        }
        fs::write(&path, contents).expect("write fixture file");
    }

    /// The default output folder.
    pub fn output(&self) -> PathBuf {
        self.root().join("output")
    }

    /// `rolebook build --root <site> <extra>`, bounded by [`LONG_TIMEOUT`].
    pub fn build_long(&self, extra: &[&str]) -> Run {
        let mut cmd = self.command();
        cmd.timeout(LONG_TIMEOUT)
            .arg("build")
            .arg("--root")
            .arg(self.root())
            .args(extra);
        Run {
            output: cmd.output().expect("run the rolebook binary"),
        }
    }

    /// `rolebook check --root <site>`, bounded by [`LONG_TIMEOUT`].
    pub fn check_long(&self) -> Run {
        let mut cmd = self.command();
        cmd.timeout(LONG_TIMEOUT)
            .arg("check")
            .arg("--root")
            .arg(self.root());
        Run {
            output: cmd.output().expect("run the rolebook binary"),
        }
    }
}

/// The `rolebook` binary, without colours, bounded by [`LONG_TIMEOUT`], run in `dir`.
pub fn rolebook_in(dir: &Path) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::new(env!("CARGO_BIN_EXE_rolebook"));
    cmd.current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .timeout(LONG_TIMEOUT);
    cmd
}

/// Runs a command built with [`rolebook_in`].
pub fn run(mut cmd: assert_cmd::Command) -> Run {
    Run {
        output: cmd.output().expect("run the rolebook binary"),
    }
}

/// Every file and folder below `dir`: relative path → bytes (folders as `name/` → empty,
/// symbolic links as `-> target`), to compare whole trees byte for byte.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.expect("walk the folder");
        let rel = e
            .path()
            .strip_prefix(dir)
            .expect("below the folder")
            .to_string_lossy()
            .into_owned();
        if e.path_is_symlink() {
            let t = fs::read_link(e.path()).expect("read link");
            out.insert(rel, format!("-> {}", t.display()).into_bytes());
        } else if e.file_type().is_file() {
            out.insert(rel, fs::read(e.path()).expect("read file"));
        } else if e.file_type().is_dir() && e.depth() > 0 {
            out.insert(format!("{rel}/"), Vec::new());
        }
    }
    out
}

/// Names in `dir` that look like rolebook's temp or set-aside output folders.
pub fn leftovers(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.contains(".rolebook-tmp-") || n.contains(".rolebook-old-"))
                .collect()
        })
        .unwrap_or_default()
}

/// True when this process reads files despite mode 000 (root, CAP_DAC_OVERRIDE), so that
/// `chmod 000` cannot make a file unreadable in a test.
#[cfg(unix)]
pub fn can_bypass_permissions(dir: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let p = dir.join(".permission-probe");
    if fs::write(&p, b"x").is_err() {
        return true;
    }
    let _ = fs::set_permissions(&p, fs::Permissions::from_mode(0o000));
    let readable = fs::read(&p).is_ok();
    let _ = fs::set_permissions(&p, fs::Permissions::from_mode(0o644));
    let _ = fs::remove_file(&p);
    readable
}

/// A small site of two articles that link to each other.
pub fn small_site() -> Site {
    Site::new()
        .file(
            "content/guides/scrum-master.md",
            "---\ntitle: Scrum Master\ndescription: Serves the team.\nroles: [scrum-master]\ntags: [scrum]\n---\n\nThe Scrum Master serves the team.\n\nRead more: Product Owner\n",
        )
        .file(
            "content/guides/product-owner.md",
            "---\ntitle: Product Owner\ndescription: Owns the backlog.\nroles: [product-owner]\n---\n\nThe Product Owner orders the backlog.\n\nRead more: Scrum Master\n",
        )
}
