//! Walks `content/` and `static/`: classifies Markdown files (article, `_index.md`, term intro,
//! page bundle) and lists every other file as an asset, never following a link out of the site.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use super::MarkdownFile;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::ignore::is_ignored;
use crate::model::SourceKind;
use crate::slug::slugify;

pub struct Walked {
    pub markdown: Vec<MarkdownFile>,
    /// (absolute source, output-relative destination)
    pub assets: Vec<(PathBuf, String)>,
}

/// `/`-separated path of `p` relative to `root`.
pub fn rel_string(root: &Path, p: &Path) -> String {
    let r = p.strip_prefix(root).unwrap_or(p);
    // A path that is already clean (no `.`, `..` or empty part; walked paths nearly always
    // are): on Unix, its text as it is. The walk runs on one thread, three of these a file.
    // Anything else is rebuilt from its components below.
    #[cfg(unix)]
    if let Some(s) = r.to_str()
        && s.split('/').all(|c| !c.is_empty() && c != "." && c != "..")
    {
        return s.to_string();
    }
    r.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Walks the site at `root`; `taxonomies` are the configured taxonomy names, whose folders in
/// `content/` hold term introductions rather than articles.
pub fn walk(root: &Path, taxonomies: &[String], diags: &mut Diagnostics) -> Walked {
    let mut out = Walked {
        markdown: Vec::new(),
        assets: Vec::new(),
    };
    let canon_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let content = root.join("content");
    let mut bundles: Vec<PathBuf> = Vec::new();
    for entry in files_under(root, &content, &canon_root, diags) {
        let rel_content = rel_string(&content, &entry);
        let rel = rel_string(root, &entry);
        let name = entry
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name.ends_with(".md") {
            let parent = entry.parent().unwrap_or(&content);
            let section = rel_string(&content, parent);
            let stem = name.trim_end_matches(".md");
            let (kind, section, file_slug, bundle) = if name == "_index.md" {
                (SourceKind::SectionIndex, section, String::new(), None)
            } else if name == "index.md" && parent != content {
                bundles.push(parent.to_path_buf());
                let grand = parent.parent().unwrap_or(&content);
                let dir_name = parent
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                (
                    SourceKind::Article,
                    rel_string(&content, grand),
                    slugify(&dir_name),
                    Some(rel_string(root, parent)),
                )
            } else if !section.contains('/') && taxonomies.contains(&section) {
                let term = slugify(stem);
                (
                    SourceKind::TermIntro {
                        taxonomy: section.clone(),
                        term,
                    },
                    section,
                    slugify(stem),
                    None,
                )
            } else {
                (SourceKind::Article, section, slugify(stem), None)
            };
            out.markdown.push(MarkdownFile {
                abs: entry.clone(),
                rel,
                kind,
                section,
                file_slug,
                bundle,
            });
        } else {
            out.assets.push((entry.clone(), rel_content));
        }
    }
    // Files inside a page bundle go beside the page, not to their own relative place.
    if !bundles.is_empty() {
        let mut moved = Vec::new();
        for (src, dest) in out.assets.drain(..) {
            match bundles
                .iter()
                .filter(|b| src.starts_with(b))
                .max_by_key(|b| b.as_os_str().len())
            {
                Some(b) => {
                    let page = out
                        .markdown
                        .iter()
                        .find(|m| m.bundle.as_deref() == Some(&rel_string(root, b)));
                    let inner = rel_string(b, &src);
                    match page {
                        Some(m) => {
                            let prefix = if m.section.is_empty() {
                                String::new()
                            } else {
                                format!("{}/", m.section)
                            };
                            moved.push((src, format!("{prefix}{}/{inner}", m.file_slug)));
                        }
                        None => moved.push((src, dest)),
                    }
                }
                None => moved.push((src, dest)),
            }
        }
        out.assets = moved;
    }
    let static_dir = root.join("static");
    for entry in files_under(root, &static_dir, &canon_root, diags) {
        let dest = rel_string(&static_dir, &entry);
        out.assets.push((entry, dest));
    }
    out.markdown.sort_by(|a, b| a.rel.cmp(&b.rel));
    out
}

/// Every non-ignored file below `dir`, sorted; symlinks are followed only inside the site, and
/// loops are reported.
fn files_under(
    root: &Path,
    dir: &Path,
    canon_root: &Path,
    diags: &mut Diagnostics,
) -> Vec<PathBuf> {
    let mut files = Vec::new();
    if !dir.is_dir() {
        return files;
    }
    // Unsorted: walkdir's sorting compares file names it takes apart from each path again at
    // every comparison (an eighth of the walk at 10,000 guides, more with every thousand).
    // The files are sorted once at the end instead.
    let mut walker = WalkDir::new(dir)
        .follow_links(true)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(&e.file_name().to_string_lossy()));
    while let Some(entry) = walker.next() {
        match entry {
            Ok(e) => {
                if e.path_is_symlink() {
                    let target = e.path().canonicalize();
                    let inside = target
                        .as_ref()
                        .map(|t| t.starts_with(canon_root))
                        .unwrap_or(false);
                    if !inside {
                        diags.push(
                            Diagnostic::warning(
                                "skipped a symbolic link that points outside the site",
                            )
                            .in_file(rel_string(root, e.path()))
                            .help("copy the file into the site instead of linking to it"),
                        );
                        // A linked folder: do not descend into it either.
                        if e.file_type().is_dir() {
                            walker.skip_current_dir();
                        }
                        continue;
                    }
                }
                if e.file_type().is_file() {
                    files.push(e.into_path());
                }
            }
            Err(err) => {
                let path = err
                    .path()
                    .map(|p| rel_string(root, p))
                    .unwrap_or_else(|| rel_string(root, dir));
                let msg = if err.loop_ancestor().is_some() {
                    "symbolic link loop: this link points to a folder that contains it".to_string()
                } else {
                    format!("cannot read: {err}")
                };
                diags.push(
                    Diagnostic::error(msg)
                        .in_file(path)
                        .help("remove or fix the link"),
                );
            }
        }
    }
    sort_as_walked(&mut files);
    files
}

/// Sorts paths in the order of a walk that visits each folder's entries by name: part by part,
/// so `a/z` comes before `a-b/c` (as `a` sorts before `a-b`), though `-` sorts before `/`.
fn sort_as_walked(files: &mut [PathBuf]) {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        // The separator as the lowest byte: comparing the bytes then compares part by part.
        files.sort_by_cached_key(|p| {
            let bytes = p.as_os_str().as_bytes();
            bytes
                .iter()
                .map(|&b| if b == b'/' { 0 } else { b })
                .collect::<Vec<u8>>()
        });
    }
    #[cfg(not(unix))]
    files.sort();
}

#[cfg(test)]
mod tests {
    use super::{rel_string, sort_as_walked};
    use std::path::{Path, PathBuf};

    #[test]
    fn files_are_sorted_part_by_part_as_a_sorted_walk_visits_them() {
        let mut files: Vec<PathBuf> = [
            "/s/content/a-b/c.md",
            "/s/content/a/z.md",
            "/s/content/a.md",
            "/s/content/a/b/c.md",
            "/s/content/B.md",
            "/s/content/a/b.md",
        ]
        .iter()
        .map(PathBuf::from)
        .collect();
        sort_as_walked(&mut files);
        let mut by_parts = files.clone();
        by_parts.sort(); // `Path`'s own order compares component by component
        assert_eq!(files, by_parts);
        assert_eq!(
            files
                .iter()
                .map(|p| p.to_str().unwrap())
                .collect::<Vec<_>>(),
            [
                "/s/content/B.md",
                "/s/content/a/b/c.md",
                "/s/content/a/b.md",
                "/s/content/a/z.md",
                "/s/content/a-b/c.md",
                "/s/content/a.md",
            ]
        );
    }

    #[test]
    fn relative_paths_are_slash_separated_and_clean() {
        let root = Path::new("/site");
        let cases = [
            ("/site/content/guides/a.md", "content/guides/a.md"),
            ("/site/content//guides/./a.md", "content/guides/a.md"),
            ("/site/static/img/", "static/img"),
            ("/site", ""),
            ("/site/../x", "../x"),
        ];
        for (path, want) in cases {
            assert_eq!(rel_string(root, Path::new(path)), want, "{path}");
        }
        // Not UTF-8: the lossy text of each part, as before.
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let path = Path::new(std::ffi::OsStr::from_bytes(b"/site/content/caf\xe9.md"));
            assert_eq!(rel_string(root, path), "content/caf\u{fffd}.md");
        }
    }
}
