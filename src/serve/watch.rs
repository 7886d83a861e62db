//! Watching the site: notify with a short debouncer (native events, or polling where they do
//! not arrive), and the table that sorts file events into the kinds of change a rebuild knows.

use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

use notify::{PollWatcher, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{
    DebounceEventResult, Debouncer, NoCache, RecommendedCache, new_debouncer, new_debouncer_opt,
};

use crate::build::Change;
use crate::load::ignore::is_ignored;

/// How long events are gathered before a rebuild (a burst of saves becomes one rebuild).
pub const DEBOUNCE: Duration = Duration::from_millis(30);

/// A running watcher; dropping it stops watching.
pub enum Watcher {
    Native(Debouncer<RecommendedWatcher, RecommendedCache>),
    Poll(Debouncer<PollWatcher, NoCache>),
}

impl Watcher {
    pub fn is_polling(&self) -> bool {
        matches!(self, Watcher::Poll(_))
    }
}

/// Starts watching `root`; uses polling when asked, or when native events cannot start.
pub fn start(root: &Path, poll: bool, tx: Sender<DebounceEventResult>) -> Result<Watcher, String> {
    if !poll {
        match native(root, tx.clone()) {
            Ok(w) => return Ok(w),
            Err(e) => {
                eprintln!("warning: native file watching failed ({e}); polling for changes instead")
            }
        }
    }
    polling(root, tx)
}

fn native(root: &Path, tx: Sender<DebounceEventResult>) -> Result<Watcher, String> {
    let mut d = new_debouncer(DEBOUNCE, None, tx).map_err(|e| e.to_string())?;
    watch_all(root, |p, m| d.watch(p, m)).map_err(|e| e.to_string())?;
    Ok(Watcher::Native(d))
}

fn polling(root: &Path, tx: Sender<DebounceEventResult>) -> Result<Watcher, String> {
    let config = notify::Config::default()
        .with_poll_interval(Duration::from_millis(200))
        .with_compare_contents(false);
    let mut d = new_debouncer_opt::<_, PollWatcher, NoCache>(DEBOUNCE, None, tx, NoCache, config)
        .map_err(|e| e.to_string())?;
    watch_all(root, |p, m| d.watch(p, m)).map_err(|e| e.to_string())?;
    Ok(Watcher::Poll(d))
}

/// Watches the site root itself (for `site.yaml` and folders appearing) and each source folder.
fn watch_all(
    root: &Path,
    mut watch: impl FnMut(&Path, RecursiveMode) -> notify::Result<()>,
) -> notify::Result<()> {
    watch(root, RecursiveMode::NonRecursive)?;
    for dir in ["content", "templates", "themes", "static"] {
        let p = root.join(dir);
        if p.is_dir() {
            watch(&p, RecursiveMode::Recursive)?;
        }
    }
    Ok(())
}

/// Whether an event changes a file (reads, and access-time updates, do not).
pub fn is_change(kind: &notify::EventKind) -> bool {
    use notify::EventKind as K;
    use notify::event::{MetadataKind, ModifyKind};
    match kind {
        K::Access(_) | K::Other => false,
        K::Modify(ModifyKind::Metadata(m)) => !matches!(m, MetadataKind::AccessTime),
        _ => true,
    }
}

/// Sorts changed paths into the changes a rebuild knows; `None` for paths that do not matter
/// (the output folder, editors' temporary files, other files in the root).
pub fn classify(root: &Path, path: &Path) -> Option<Change> {
    let rel = path.strip_prefix(root).ok()?;
    let name = rel.file_name()?.to_string_lossy();
    let mut parts = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned());
    let first = parts.next()?;
    if rel
        .components()
        .any(|c| is_ignored(&c.as_os_str().to_string_lossy()))
    {
        return None;
    }
    let _ = name;
    match first.as_str() {
        "site.yaml" => Some(Change::Config),
        "content" => Some(Change::Content(vec![path.to_path_buf()])),
        "static" => Some(Change::Static(vec![path.to_path_buf()])),
        "templates" => Some(Change::Templates),
        "themes" => {
            let rest: Vec<String> = parts.collect();
            if rest.get(1).map(String::as_str) == Some("static") {
                Some(Change::Static(vec![path.to_path_buf()]))
            } else {
                Some(Change::Templates)
            }
        }
        _ => None,
    }
}

/// Merges the changes of one debounced batch (paths of one kind are gathered together).
pub fn gather(root: &Path, paths: impl IntoIterator<Item = PathBuf>) -> Vec<Change> {
    let mut content = Vec::new();
    let mut statics = Vec::new();
    let mut templates = false;
    let mut config = false;
    for p in paths {
        match classify(root, &p) {
            Some(Change::Content(v)) => content.extend(v),
            Some(Change::Static(v)) => statics.extend(v),
            Some(Change::Templates) => templates = true,
            Some(Change::Config) => config = true,
            None => {}
        }
    }
    let mut out = Vec::new();
    if config {
        out.push(Change::Config);
    }
    if templates {
        out.push(Change::Templates);
    }
    if !content.is_empty() {
        content.sort();
        content.dedup();
        out.push(Change::Content(content));
    }
    if !statics.is_empty() {
        statics.sort();
        statics.dedup();
        out.push(Change::Static(statics));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_changes() {
        let r = Path::new("/s");
        assert_eq!(classify(r, Path::new("/s/site.yaml")), Some(Change::Config));
        assert_eq!(
            classify(r, Path::new("/s/content/a.md")),
            Some(Change::Content(vec!["/s/content/a.md".into()]))
        );
        assert_eq!(
            classify(r, Path::new("/s/themes/x/templates/page.html")),
            Some(Change::Templates)
        );
        assert!(matches!(
            classify(r, Path::new("/s/themes/x/static/a.css")),
            Some(Change::Static(_))
        ));
        assert_eq!(classify(r, Path::new("/s/output/index.html")), None);
        assert_eq!(classify(r, Path::new("/s/content/.a.md.swp")), None);
        assert_eq!(classify(r, Path::new("/s/content/a.md~")), None);
    }
}
