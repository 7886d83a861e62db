//! Write stage: renders into a fresh folder beside `output/` and swaps it in at the end, so a
//! failed build leaves the previous output untouched; refuses to replace folders it did not write.

use std::borrow::Cow;
use std::fs;
use std::io::Write as _;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::model::{Asset, AssetSource};
use crate::render::OutputFile;

pub mod inplace;

/// The file that marks a folder as written by rolebook.
pub const MARKER: &str = ".rolebook-output";

/// Checks that `out` may be (re)written: not the site itself, not a source folder, and either
/// empty, absent, or written by rolebook before (unless `force`).
pub fn check_output_dir(root: &Path, out: &Path, force: bool) -> Result<(), Diagnostic> {
    let canon_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let canon_out = canonical_lenient(out);
    let refuse = |why: &str| {
        Diagnostic::error(format!(
            "refusing to write the site into {}: {why}",
            out.display()
        ))
        .help("pass --output with a folder of its own, such as `output` or `public`")
    };
    if canon_out.parent().is_none() {
        return Err(refuse("it is the root of the file system"));
    }
    if canon_root.starts_with(&canon_out) {
        return Err(refuse("it contains the site's own files"));
    }
    for src in ["content", "static", "templates", "themes"] {
        if canon_out.starts_with(canon_root.join(src)) {
            return Err(refuse(&format!("it is inside the site's {src}/ folder")));
        }
    }
    recover_interrupted(&canon_out);
    if let (Some(parent), Some(name)) = (canon_out.parent(), canon_out.file_name()) {
        clean_leftovers(parent, &name.to_string_lossy());
    }
    if canon_out.is_dir() && !canon_out.join(MARKER).is_file() && !force {
        let non_empty = fs::read_dir(&canon_out)
            .map(|mut d| d.next().is_some())
            .unwrap_or(false);
        if non_empty {
            return Err(Diagnostic::error(format!(
                "{} holds files that rolebook did not write; refusing to replace them",
                out.display()
            ))
            .help(
                "choose another --output folder, empty this one, or pass --force to replace it",
            ));
        }
    }
    if canon_out.exists() && !canon_out.is_dir() {
        return Err(refuse("it is a file"));
    }
    Ok(())
}

/// A build killed between the two renames of [`swap`] leaves no `out` but the previous tree
/// set aside as `.<name>.rolebook-old-<pid>`: put the newest such tree back, so that nothing of
/// a good build is lost even when the next build fails.
fn recover_interrupted(out: &Path) {
    if out.exists() || out.is_symlink() {
        return;
    }
    let (Some(parent), Some(name)) = (out.parent(), out.file_name()) else {
        return;
    };
    let prefix = format!(".{}.rolebook-old-", name.to_string_lossy());
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let newest = entries
        .flatten()
        .filter(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            n.starts_with(&prefix) && !held_by_live_build(&n)
        })
        .filter(|e| e.path().join(MARKER).is_file())
        .max_by_key(|e| e.metadata().and_then(|m| m.modified()).ok());
    if let Some(old) = newest {
        let _ = fs::rename(old.path(), out);
    }
}

fn canonical_lenient(p: &Path) -> PathBuf {
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|d| d.join(p))
            .unwrap_or_else(|_| p.to_path_buf())
    };
    // Resolve component by component: what exists is canonicalised (links followed), so a
    // following `..` pops a real parent; what does not exist yet is taken as written.
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::Prefix(_) | Component::RootDir => out.push(c.as_os_str()),
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            Component::Normal(n) => {
                out.push(n);
                if let Ok(real) = out.canonicalize() {
                    out = real;
                }
            }
        }
    }
    out
}

/// `rel` as a path inside `base`, or `None` if it could leave it.
pub fn contained(base: &Path, rel: &str) -> Option<PathBuf> {
    let p = Path::new(rel);
    let mut out = base.to_path_buf();
    for c in p.components() {
        match c {
            Component::Normal(s) => out.push(s),
            Component::CurDir => {}
            _ => return None,
        }
    }
    (out != base).then_some(out)
}

/// Writes every file and asset into a fresh folder and swaps it in place of `out`.
pub fn write_atomic(out: &Path, files: &[OutputFile], assets: &[Asset]) -> Result<(), Diagnostic> {
    let staging = Staging::new(out)?;
    files.par_iter().try_for_each(|f| staging.write(f))?;
    let written: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    staging.finish(&written, assets)
}

/// A fresh folder beside the output that a build fills as it renders and swaps in at the end
/// ([`Staging::finish`]). Dropped unfinished, it is removed and the output stays as it was.
pub struct Staging {
    tmp: PathBuf,
    out: PathBuf,
    parent: PathBuf,
    name: String,
    done: bool,
}

impl Staging {
    pub fn new(out: &Path) -> Result<Staging, Diagnostic> {
        let out = canonical_lenient(out);
        let parent = out
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "output".into());
        fs::create_dir_all(&parent).map_err(|e| io_err(&parent, e))?;
        clean_leftovers(&parent, &name);
        let tmp = parent.join(format!(".{name}.rolebook-tmp-{}", std::process::id()));
        let _ = fs::remove_dir_all(&tmp);
        fs::create_dir_all(&tmp).map_err(|e| io_err(&tmp, e))?;
        Ok(Staging {
            tmp,
            out,
            parent,
            name,
            done: false,
        })
    }

    /// Writes one rendered file (from any thread).
    pub fn write(&self, f: &OutputFile) -> Result<(), Diagnostic> {
        let Some(dest) = contained(&self.tmp, &f.path) else {
            return Err(Diagnostic::error(format!(
                "refusing to write outside the output folder: {}",
                f.path
            )));
        };
        write_creating_dirs(&dest, &f.bytes)
    }

    /// Copies the assets that no rendered file (`written`, output paths) replaces, marks the
    /// folder as rolebook's and swaps it in place of the output.
    pub fn finish(mut self, written: &[&str], assets: &[Asset]) -> Result<(), Diagnostic> {
        // Compared as clean relative paths: no path per rendered file to build and hash.
        let written: std::collections::HashSet<Cow<'_, str>> =
            written.iter().map(|p| clean_rel(p)).collect();
        let mut taken: std::collections::HashSet<PathBuf> = std::collections::HashSet::new();
        // Later assets for the same path win (the site's own over the theme's): keep the last.
        let mut todo = Vec::with_capacity(assets.len());
        for a in assets.iter().rev() {
            let Some(dest) = contained(&self.tmp, &a.dest) else {
                return Err(Diagnostic::error(format!(
                    "refusing to copy an asset outside the output folder: {}",
                    a.dest
                )));
            };
            if !written.contains(&clean_rel(&a.dest)) && taken.insert(dest.clone()) {
                todo.push((dest, &a.src));
            }
        }
        todo.par_iter().try_for_each(|(dest, src)| match src {
            AssetSource::Embedded(b) => write_creating_dirs(dest, b),
            AssetSource::File(p) => {
                create_parent(dest)?;
                copy_file(p, dest)
            }
        })?;
        let mut marker =
            fs::File::create(self.tmp.join(MARKER)).map_err(|e| io_err(&self.tmp, e))?;
        let _ = marker
            .write_all(b"This folder was written by rolebook; the next build replaces it whole.\n");
        swap(&self.tmp, &self.out, &self.parent, &self.name)?;
        self.done = true;
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.done {
            let _ = fs::remove_dir_all(&self.tmp);
        }
    }
}

/// `rel` without its `.` and empty components, which `contained` skips too.
fn clean_rel(rel: &str) -> Cow<'_, str> {
    let skipped = |c: &str| c.is_empty() || c == ".";
    if !rel.split('/').any(skipped) {
        return Cow::Borrowed(rel);
    }
    let parts: Vec<&str> = rel.split('/').filter(|c| !skipped(c)).collect();
    Cow::Owned(parts.join("/"))
}

fn create_parent(dest: &Path) -> Result<(), Diagnostic> {
    match dest.parent() {
        Some(d) => fs::create_dir_all(d).map_err(|e| io_err(d, e)),
        None => Ok(()),
    }
}

/// Writes a file, creating its folder when it is missing (one failed open, not a stat per file).
fn write_creating_dirs(dest: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    match fs::write(dest, bytes) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            create_parent(dest)?;
            fs::write(dest, bytes).map_err(|e| io_err(dest, e))
        }
        r => r.map_err(|e| io_err(dest, e)),
    }
}

/// Copies a file's bytes (a symlink is read through, never recreated as a link).
fn copy_file(src: &Path, dest: &Path) -> Result<(), Diagnostic> {
    fs::copy(src, dest).map(|_| ()).map_err(|e| io_err(src, e))
}

fn swap(tmp: &Path, out: &Path, parent: &Path, name: &str) -> Result<(), Diagnostic> {
    if out.exists() {
        let old = parent.join(format!(".{name}.rolebook-old-{}", std::process::id()));
        let _ = fs::remove_dir_all(&old);
        fs::rename(out, &old).map_err(|e| io_err(out, e))?;
        if let Err(e) = fs::rename(tmp, out) {
            let _ = fs::rename(&old, out);
            return Err(io_err(out, e));
        }
        remove_tree(&old);
    } else {
        fs::rename(tmp, out).map_err(|e| io_err(out, e))?;
    }
    Ok(())
}

/// Removes a folder tree, its subfolders two levels down in parallel (a 10,000-guide site's
/// old output took a fifth of a second on one thread). Symbolic links are removed, not
/// followed.
fn remove_tree(dir: &Path) {
    let entries = |d: &Path| -> Vec<(PathBuf, bool)> {
        fs::read_dir(d)
            .map(|rd| {
                rd.flatten()
                    .map(|e| (e.path(), e.file_type().is_ok_and(|t| t.is_dir())))
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut dirs = Vec::new();
    for (path, is_dir) in entries(dir) {
        if is_dir {
            dirs.extend(entries(&path));
        }
    }
    dirs.par_iter().for_each(|(path, is_dir)| {
        let _ = if *is_dir {
            fs::remove_dir_all(path)
        } else {
            fs::remove_file(path)
        };
    });
    let _ = fs::remove_dir_all(dir);
}

/// Removes temp and old folders left by a build that was killed.
fn clean_leftovers(parent: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let tmp_prefix = format!(".{name}.rolebook-tmp-");
    let old_prefix = format!(".{name}.rolebook-old-");
    for e in entries.flatten() {
        let n = e.file_name().to_string_lossy().into_owned();
        if (n.starts_with(&tmp_prefix) || n.starts_with(&old_prefix)) && !held_by_live_build(&n) {
            let _ = fs::remove_dir_all(e.path());
        }
    }
}

/// True when the process whose id ends a temp folder's name (`...-<pid>`) is another build
/// still running (Linux: `/proc/<pid>` exists), whose folder must not be pulled away.
fn held_by_live_build(folder: &str) -> bool {
    let Some(pid) = folder
        .rsplit('-')
        .next()
        .and_then(|p| p.parse::<u32>().ok())
    else {
        return false;
    };
    pid != std::process::id()
        && Path::new("/proc/self").exists()
        && Path::new("/proc").join(pid.to_string()).exists()
}

/// Replaces one file in place through a temp file and a rename (for watch and serve).
pub fn replace_file(path: &Path, bytes: &[u8]) -> std::io::Result<bool> {
    if fs::read(path).map(|old| old == bytes).unwrap_or(false) {
        return Ok(false);
    }
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.rolebook-tmp-{}", std::process::id()));
    fs::write(&tmp, bytes)?;
    fs::rename(&tmp, path).inspect_err(|_| {
        let _ = fs::remove_file(&tmp);
    })?;
    Ok(true)
}

fn io_err(p: &Path, e: std::io::Error) -> Diagnostic {
    Diagnostic::error(format!("cannot write {}: {e}", p.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn containment() {
        let b = Path::new("/tmp/out");
        assert_eq!(
            contained(b, "a/b.html"),
            Some(PathBuf::from("/tmp/out/a/b.html"))
        );
        assert_eq!(contained(b, "../x"), None);
        assert_eq!(contained(b, "/etc/passwd"), None);
        assert_eq!(contained(b, ""), None);
    }

    #[test]
    fn a_rendered_file_wins_over_an_asset_at_the_same_path() {
        assert_eq!(clean_rel("a/./b//c.html"), "a/b/c.html");
        assert_eq!(clean_rel("./a/b"), "a/b");
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let page = OutputFile {
            path: "a/index.html".into(),
            bytes: b"page".to_vec(),
        };
        let asset = |dest: &str, bytes: &'static [u8]| Asset {
            src: AssetSource::Embedded(bytes),
            dest: dest.into(),
        };
        let assets = [asset("a/./index.html", b"asset"), asset("b.css", b"css")];
        write_atomic(&out, &[page], &assets).unwrap();
        assert_eq!(fs::read(out.join("a/index.html")).unwrap(), b"page");
        assert_eq!(fs::read(out.join("b.css")).unwrap(), b"css");
    }
}
