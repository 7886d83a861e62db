//! In-place writing for watch and serve: after a rebuild, replace only the files whose bytes
//! changed (each by a temp file and a rename), and delete the ones the site no longer has.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{contained, replace_file};
use crate::model::{Asset, AssetSource};
use crate::render::RenderedSite;

/// What one in-place update did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    pub written: usize,
    pub deleted: usize,
}

/// Keeps an output folder in step with successive rebuilds.
pub struct InPlace {
    dir: PathBuf,
    /// HTML inserted before `</body>` of every page (serve's live-reload script).
    inject: Option<String>,
    /// The output paths written last, sorted (shared with the rendered site).
    pages: Arc<Vec<String>>,
    assets: HashMap<String, AssetSource>,
}

impl InPlace {
    /// For a folder that already holds the site as `rendered` describes it (`known`), or an
    /// empty one.
    pub fn new(dir: PathBuf, inject: Option<String>) -> Self {
        InPlace {
            dir,
            inject,
            pages: Arc::default(),
            assets: HashMap::default(),
        }
    }

    /// Remembers the files of a site already written whole (by `write_atomic`).
    pub fn assume_written(&mut self, site: &RenderedSite) {
        self.pages = site.paths.clone();
        self.assets = site
            .assets
            .iter()
            .map(|a| (a.dest.clone(), a.src.clone()))
            .collect();
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes what changed. `changed_sources` are source files known to have changed (an
    /// asset whose source is among them is copied again).
    pub fn apply(
        &mut self,
        site: &RenderedSite,
        changed_sources: &std::collections::HashSet<PathBuf>,
    ) -> io::Result<Written> {
        let mut w = Written::default();
        for a in &site.assets {
            let fresh = match self.assets.get(&a.dest) {
                None => true,
                Some(prev) => {
                    *prev != a.src
                        || matches!(&a.src, AssetSource::File(p) if changed_sources.contains(p))
                }
            };
            if fresh && self.write_asset(a)? {
                w.written += 1;
            }
        }
        for f in &site.files {
            let Some(dest) = contained(&self.dir, &f.path) else {
                continue;
            };
            let changed = match (&self.inject, f.path.ends_with(".html")) {
                (Some(script), true) => replace_file(&dest, &inject(&f.bytes, script))?,
                _ => replace_file(&dest, &f.bytes)?,
            };
            if changed {
                w.written += 1;
            }
        }
        // The same outputs as the last build (a body edit) leave no page behind.
        let same_pages = Arc::ptr_eq(&self.pages, &site.paths) || self.pages == site.paths;
        let now: HashSet<&str> = site.assets.iter().map(|a| a.dest.as_str()).collect();
        let same_assets =
            self.assets.len() == now.len() && now.iter().all(|d| self.assets.contains_key(*d));
        if !(same_pages && same_assets) {
            w.deleted = self.delete_gone(site, &now);
        }
        self.pages = site.paths.clone();
        if !same_assets {
            self.assets = site
                .assets
                .iter()
                .map(|a| (a.dest.clone(), a.src.clone()))
                .collect();
        } else {
            for a in &site.assets {
                if let Some(src) = self.assets.get_mut(&a.dest) {
                    src.clone_from(&a.src);
                }
            }
        }
        Ok(w)
    }

    /// Deletes the files of the last build that this one no longer has (`now_assets`: this
    /// build's asset destinations); returns how many.
    fn delete_gone(&self, site: &RenderedSite, now_assets: &HashSet<&str>) -> usize {
        let now_pages: HashSet<&str> = site.paths.iter().map(String::as_str).collect();
        let gone =
            self.pages
                .iter()
                .filter(|p| !now_pages.contains(p.as_str()) && !now_assets.contains(p.as_str()))
                .chain(self.assets.keys().filter(|a| {
                    !now_assets.contains(a.as_str()) && !now_pages.contains(a.as_str())
                }));
        let mut deleted = 0;
        for g in gone {
            if let Some(p) = contained(&self.dir, g) {
                if fs::remove_file(&p).is_ok() {
                    deleted += 1;
                    remove_empty_parents(&self.dir, &p);
                }
            }
        }
        deleted
    }

    fn write_asset(&self, a: &Asset) -> io::Result<bool> {
        let Some(dest) = contained(&self.dir, &a.dest) else {
            return Ok(false);
        };
        match &a.src {
            AssetSource::Embedded(b) => replace_file(&dest, b),
            AssetSource::File(src) => match fs::read(src) {
                Ok(bytes) => replace_file(&dest, &bytes),
                Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
                Err(e) => Err(e),
            },
        }
    }
}

/// Inserts `script` before the last `</body>` (or at the end).
pub fn inject(html: &[u8], script: &str) -> Vec<u8> {
    let needle = b"</body>";
    let pos = html
        .windows(needle.len())
        .rposition(|w| w.eq_ignore_ascii_case(needle))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + script.len());
    out.extend_from_slice(&html[..pos]);
    out.extend_from_slice(script.as_bytes());
    out.extend_from_slice(&html[pos..]);
    out
}

fn remove_empty_parents(base: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d == base || !d.starts_with(base) || fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn injects_before_body_end() {
        assert_eq!(
            inject(b"<p>x</p></BODY></html>", "<s>"),
            b"<p>x</p><s></BODY></html>".to_vec()
        );
        assert_eq!(inject(b"plain", "<s>"), b"plain<s>".to_vec());
    }
}
