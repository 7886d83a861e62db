//! Scaffolding: `init` writes a new site from sample files embedded in the binary
//! (`src/scaffold/site/`), and `new` writes one article with its front matter filled in.

mod new_page;

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;

pub use new_page::{NewPage, new_page};

/// The files of a new site: path inside the site, contents.
const SITE_FILES: &[(&str, &str)] = &[
    ("site.yaml", include_str!("scaffold/site/site.yaml")),
    ("README.md", include_str!("scaffold/site/README.md")),
    (".gitignore", include_str!("scaffold/site/gitignore")),
    (
        "content/guides/_index.md",
        include_str!("scaffold/site/content/guides/_index.md"),
    ),
    (
        "content/guides/product-owner-vs-scrum-master.md",
        include_str!("scaffold/site/content/guides/product-owner-vs-scrum-master.md"),
    ),
    (
        "content/guides/sprint-review.md",
        include_str!("scaffold/site/content/guides/sprint-review.md"),
    ),
    (
        "content/guides/writing-backlog-items.md",
        include_str!("scaffold/site/content/guides/writing-backlog-items.md"),
    ),
    (
        "content/roles/product-owner.md",
        include_str!("scaffold/site/content/roles/product-owner.md"),
    ),
    (
        "content/roles/scrum-master.md",
        include_str!("scaffold/site/content/roles/scrum-master.md"),
    ),
];

/// Writes a new site into `dir`, creating it when missing. A folder that holds anything but
/// hidden entries (such as `.git`), or a hidden entry the site would overwrite, is refused
/// untouched. Returns the files written, relative to `dir`.
pub fn init(dir: &Path) -> Result<Vec<&'static str>, Diagnostic> {
    check_empty(dir)?;
    let mut created = Created::default();
    match write_site(dir, &mut created) {
        Ok(()) => Ok(SITE_FILES.iter().map(|(path, _)| *path).collect()),
        Err(e) => {
            created.undo();
            Err(Diagnostic::error(format!(
                "could not create the site in `{}`: {e}",
                dir.display()
            ))
            .help("check that the folder is writable and the disk is not full"))
        }
    }
}

/// Refuses a folder that is a file, unreadable, or holds anything `init` should not touch.
fn check_empty(dir: &Path) -> Result<(), Diagnostic> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) if dir.is_file() => {
            return Err(Diagnostic::error(format!(
                "`{}` is a file, not a folder ({e})",
                dir.display()
            ))
            .help("name a new or empty folder: `rolebook init my-site`"));
        }
        Err(e) => {
            return Err(Diagnostic::error(format!(
                "cannot read `{}`: {e}",
                dir.display()
            )));
        }
    };
    let mut found: Vec<String> = entries
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| !name.starts_with('.') || SITE_FILES.iter().any(|(p, _)| p == name))
        .collect();
    if found.is_empty() {
        return Ok(());
    }
    found.sort();
    let more = found.len().saturating_sub(3);
    found.truncate(3);
    let mut listing = found.join("`, `");
    if more > 0 {
        listing.push_str(&format!("` and {more} more"));
    } else {
        listing.push('`');
    }
    Err(Diagnostic::error(format!(
        "`{}` is not empty (it holds `{listing}); nothing was written",
        dir.display()
    ))
    .help("run `rolebook init` with a new or empty folder: `rolebook init my-site`"))
}

fn write_site(dir: &Path, created: &mut Created) -> io::Result<()> {
    created.dir_all(dir)?;
    for (path, text) in SITE_FILES {
        let target = dir.join(path);
        if let Some(parent) = target.parent() {
            created.dir_all(parent)?;
        }
        created.file(&target, text)?;
    }
    Ok(())
}

/// What `init` created so far, so that a failure halfway leaves nothing behind.
#[derive(Default)]
struct Created {
    dirs: Vec<PathBuf>,
    files: Vec<PathBuf>,
}

impl Created {
    /// Creates `dir` and its missing parents, remembering each one it made.
    fn dir_all(&mut self, dir: &Path) -> io::Result<()> {
        let mut missing = Vec::new();
        let mut cur = Some(dir);
        while let Some(d) = cur {
            if d.as_os_str().is_empty() || d.exists() {
                break;
            }
            missing.push(d.to_path_buf());
            cur = d.parent();
        }
        for d in missing.into_iter().rev() {
            fs::create_dir(&d)?;
            self.dirs.push(d);
        }
        Ok(())
    }

    /// Writes a file that must not exist yet.
    fn file(&mut self, path: &Path, text: &str) -> io::Result<()> {
        let mut f = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)?;
        self.files.push(path.to_path_buf());
        f.write_all(text.as_bytes())
    }

    fn undo(self) {
        for f in self.files.iter().rev() {
            let _ = fs::remove_file(f);
        }
        for d in self.dirs.iter().rev() {
            let _ = fs::remove_dir(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_every_sample_into_a_missing_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("a/b");
        let files = init(&dir).unwrap();
        assert_eq!(files.len(), SITE_FILES.len());
        for f in files {
            assert!(dir.join(f).is_file(), "{f}");
        }
    }

    #[test]
    fn hidden_entries_are_allowed_unless_they_collide() {
        let tmp = tempfile::tempdir().unwrap();
        fs::create_dir(tmp.path().join(".git")).unwrap();
        assert!(init(tmp.path()).is_ok());

        let tmp = tempfile::tempdir().unwrap();
        fs::write(tmp.path().join(".gitignore"), "x").unwrap();
        let err = init(tmp.path()).unwrap_err();
        assert!(err.message.contains(".gitignore"), "{err}");
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 1);
    }

    #[test]
    fn refuses_a_file_and_a_non_empty_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("f");
        fs::write(&file, "x").unwrap();
        assert!(init(&file).is_err());
        let err = init(tmp.path()).unwrap_err();
        assert!(err.message.contains("not empty"), "{err}");
    }
}
