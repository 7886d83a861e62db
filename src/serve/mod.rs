//! Watch mode and `serve`: keep the site loaded, rebuild what each change touches, write only
//! files whose bytes changed, and (serve) tell browsers to reload or show the errors.

pub mod server;
pub mod watch;

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::build::{BuildOptions, BuildReport, Change, Session};
use crate::diagnostics::{Diagnostics, Printer};
use crate::write::{self, inplace::InPlace};
use server::{Live, Notice};

/// How watch mode and serve run.
#[derive(Debug, Clone)]
pub struct WatchOptions {
    pub build: BuildOptions,
    pub poll: bool,
    pub color: bool,
    pub quiet: bool,
    /// Print each rebuild's stage timings.
    pub verbose: bool,
}

/// `serve`'s own settings.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub watch: WatchOptions,
    pub bind: String,
    pub port: u16,
    pub open: bool,
}

/// `build --watch`: builds into the output folder, then rebuilds on every change until Ctrl-C.
pub fn watch(mut opts: WatchOptions) -> i32 {
    opts.build.root = canonical_root(&opts.build.root);
    let printer = Printer::new(&opts.build.root, opts.color);
    let mut session = match Session::new(opts.build.clone()) {
        Ok(s) => s,
        Err(d) => return report_fatal(&printer, d),
    };
    let out = session.output_dir();
    if let Err(d) = write::check_output_dir(&opts.build.root, &out, opts.build.force) {
        printer.print(&[d]);
        return 1;
    }
    let watching = match start_watching(&opts) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("error: {e}");
            return 1;
        }
    };
    let report = session.rebuild();
    let mut writer = InPlace::new(out.clone(), None);
    print_diags(&printer, &report, opts.quiet);
    if report.ok() {
        if let Some(r) = &report.rendered {
            if let Err(d) = write::write_atomic(&out, &r.files, &r.assets) {
                printer.print(&[d]);
                return 1;
            }
            writer.assume_written(r);
        }
        println!(
            "built {} pages into {} in {} ms; watching for changes (Ctrl-C to stop)",
            report.pages,
            out.display(),
            report.elapsed.as_millis()
        );
    } else {
        eprintln!(
            "the build failed; fix the errors above and save: watching for changes (Ctrl-C to stop)"
        );
    }
    let stop = ctrl_c_flag();
    run_loop(
        &mut session,
        watching,
        &opts,
        &stop,
        |report, changes, elapsed| {
            print_diags(&printer, report, opts.quiet);
            if !report.ok() {
                eprintln!(
                    "rebuild failed ({} errors); the output keeps the last good build",
                    report.diagnostics.error_count()
                );
                return;
            }
            let Some(r) = &report.rendered else { return };
            match writer.apply(r, &changed_paths(changes)) {
                Ok(w) => {
                    println!("{}", summary(changes, r, w, elapsed));
                    if opts.verbose {
                        println!("  stages: {}", stages(report));
                    }
                }
                Err(e) => eprintln!("error: cannot write {}: {e}", writer.dir().display()),
            }
        },
    );
    0
}

/// `serve`: builds into a private folder, serves it with live reload, rebuilds on change.
pub fn serve(mut opts: ServeOptions) -> i32 {
    opts.watch.build.root = canonical_root(&opts.watch.build.root);
    let printer = Printer::new(&opts.watch.build.root, opts.watch.color);
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the server runtime: {e}");
            return 1;
        }
    };
    let (listener, addr) = match rt.block_on(server::bind(&opts.bind, opts.port)) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("error: {e}\n  = help: pass another --port, or stop the program using it");
            return 1;
        }
    };
    let tmp = match tempfile::Builder::new().prefix("rolebook-serve-").tempdir() {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: cannot create a folder to serve from: {e}");
            return 1;
        }
    };
    let mut wopts = opts.watch.clone();
    wopts.build.base_url = Some(format!("http://{addr}/"));
    wopts.build.write = false;
    let mut session = match Session::new(wopts.build.clone()) {
        Ok(s) => s,
        Err(d) => return report_fatal(&printer, d),
    };
    let live = Live::new();
    let mut writer = InPlace::new(
        tmp.path().to_path_buf(),
        Some(server::SCRIPT_TAG.to_string()),
    );
    let watching = match start_watching(&wopts) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("error: {e}");
            return 1;
        }
    };
    let report = session.rebuild();
    print_diags(&printer, &report, opts.watch.quiet);
    publish(
        &printer,
        &live,
        &mut writer,
        &report,
        &[],
        Duration::ZERO,
        true,
    );
    let app = server::app(tmp.path().to_path_buf(), live.clone());
    let stop = ctrl_c_flag();
    let stop_server = stop.clone();
    rt.spawn(async move {
        let shutdown = async move {
            while !stop_server.load(Ordering::SeqCst) {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        };
        if let Err(e) = axum::serve(listener, app)
            .with_graceful_shutdown(shutdown)
            .await
        {
            eprintln!("error: the server stopped: {e}");
        }
    });
    let url = format!("http://{addr}/");
    println!("serving {} pages at {url} (Ctrl-C to stop)", report.pages);
    if opts.open {
        let _ = open::that_detached(&url);
    }
    run_loop(
        &mut session,
        watching,
        &wopts,
        &stop,
        |report, changes, elapsed| {
            print_diags(&printer, report, wopts.quiet);
            publish(
                &printer,
                &live,
                &mut writer,
                report,
                changes,
                elapsed,
                false,
            );
            if wopts.verbose {
                println!("  stages: {}", stages(report));
            }
        },
    );
    rt.shutdown_timeout(Duration::from_secs(1));
    drop(tmp);
    println!("stopped");
    0
}

/// Writes a good rebuild into the serve folder and tells browsers; shows errors otherwise.
fn publish(
    printer: &Printer<'_>,
    live: &Live,
    writer: &mut InPlace,
    report: &BuildReport,
    changes: &[Change],
    elapsed: Duration,
    first: bool,
) {
    if !report.ok() {
        let text: String = report
            .diagnostics
            .clone()
            .sorted()
            .iter()
            .filter(|d| d.is_error())
            .map(|d| printer.render_plain(d))
            .collect();
        if first {
            let page = format!(
                "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Build failed</title></head><body><p>The site did not build; see the terminal.</p>{}</body></html>",
                server::SCRIPT_TAG
            );
            for f in ["index.html", "404.html"] {
                let _ = write::replace_file(&writer.dir().join(f), page.as_bytes());
            }
        }
        eprintln!(
            "rebuild failed ({} errors); still serving the last good build",
            report.diagnostics.error_count()
        );
        live.notify(Notice::Errors(text));
        return;
    }
    let Some(r) = &report.rendered else { return };
    let had_errors = live.errors.lock().map(|e| e.is_some()).unwrap_or(false);
    match writer.apply(r, &changed_paths(changes)) {
        Ok(w) => {
            if !first {
                println!("{}", summary(changes, r, w, elapsed));
            }
            let css_only = !changes.is_empty() && r.files.is_empty() && changes.iter().all(|c| matches!(c, Change::Static(p) if p.iter().all(|x| x.extension().is_some_and(|e| e == "css"))));
            if w.written + w.deleted > 0 || had_errors {
                live.notify(if css_only && !had_errors {
                    Notice::Css
                } else {
                    Notice::Reload
                });
            }
        }
        Err(e) => eprintln!("error: cannot write {}: {e}", writer.dir().display()),
    }
}

/// A started watcher and the events it sends.
struct Watching {
    _watcher: watch::Watcher,
    rx: mpsc::Receiver<notify_debouncer_full::DebounceEventResult>,
    root: PathBuf,
}

/// Starts watching before the first build, so that no save during it is missed.
fn start_watching(opts: &WatchOptions) -> Result<Watching, String> {
    let root = opts
        .build
        .root
        .canonicalize()
        .unwrap_or_else(|_| opts.build.root.clone());
    let (tx, rx) = mpsc::channel();
    let w = watch::start(&root, opts.poll, tx)
        .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
    Ok(Watching {
        _watcher: w,
        rx,
        root,
    })
}

/// Waits for file events and rebuilds after each batch until `stop` is set.
fn run_loop(
    session: &mut Session,
    watching: Watching,
    opts: &WatchOptions,
    stop: &AtomicBool,
    mut on_rebuild: impl FnMut(&BuildReport, &[Change], Duration),
) {
    let Watching { rx, root, .. } = &watching;
    while !stop.load(Ordering::SeqCst) {
        let Ok(first) = rx.recv_timeout(Duration::from_millis(100)) else {
            continue;
        };
        let start = Instant::now();
        let mut paths: Vec<PathBuf> = Vec::new();
        for batch in std::iter::once(first).chain(rx.try_iter()) {
            match batch {
                Ok(events) => paths.extend(
                    events
                        .into_iter()
                        .filter(|e| watch::is_change(&e.event.kind))
                        .flat_map(|e| e.event.paths),
                ),
                Err(errors) => {
                    for e in errors {
                        eprintln!("warning: file watching: {e}");
                    }
                }
            }
        }
        let changes = watch::gather(
            root,
            paths
                .into_iter()
                .map(|p| relocate(root, &opts.build.root, p)),
        );
        if changes.is_empty() {
            continue;
        }
        if let Err(d) = session.apply(&changes) {
            let report = BuildReport::failed(d, start);
            on_rebuild(&report, &changes, start.elapsed());
            continue;
        }
        let report = session.rebuild();
        on_rebuild(&report, &changes, start.elapsed());
    }
}

/// The root as an absolute path, so that file events (always absolute) map onto site files.
fn canonical_root(root: &std::path::Path) -> PathBuf {
    root.canonicalize().unwrap_or_else(|_| root.to_path_buf())
}

/// Event paths are absolute under the canonical root; the session knows the root as given.
fn relocate(canonical: &std::path::Path, given: &std::path::Path, p: PathBuf) -> PathBuf {
    match p.strip_prefix(canonical) {
        Ok(rel) if given.is_absolute() => given.join(rel),
        _ => p,
    }
}

fn changed_paths(changes: &[Change]) -> HashSet<PathBuf> {
    changes
        .iter()
        .flat_map(|c| match c {
            Change::Content(p) | Change::Static(p) => p.clone(),
            _ => Vec::new(),
        })
        .collect()
}

/// One line per rebuild: what changed, what was re-rendered, how long it took.
fn summary(
    changes: &[Change],
    r: &crate::render::RenderedSite,
    w: write::inplace::Written,
    elapsed: Duration,
) -> String {
    let what: Vec<String> = changes
        .iter()
        .map(|c| match c {
            Change::Content(p) if p.len() == 1 => p[0]
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            Change::Content(p) => format!("{} content files", p.len()),
            Change::Static(p) => format!(
                "{} static file{}",
                p.len(),
                if p.len() == 1 { "" } else { "s" }
            ),
            Change::Templates => "templates".into(),
            Change::Config => "site.yaml".into(),
        })
        .collect();
    format!(
        "rebuilt after {}: {} of {} outputs re-rendered, {} files written, {} deleted, in {} ms",
        what.join(", "),
        r.stats.jobs,
        r.stats.total_jobs,
        w.written,
        w.deleted,
        elapsed.as_millis()
    )
}

/// `load 3 ms, resolve 40 ms, ...`: how long each step of a build took.
pub fn stages(report: &BuildReport) -> String {
    let stages: Vec<String> = report
        .timings
        .iter()
        .map(|(name, d)| format!("{name} {} ms", d.as_millis()))
        .collect();
    stages.join(", ")
}

fn print_diags(printer: &Printer<'_>, report: &BuildReport, quiet: bool) {
    let shown: Vec<_> = report
        .diagnostics
        .clone()
        .sorted()
        .into_iter()
        .filter(|d| d.is_error() || !quiet)
        .collect();
    printer.print(&shown);
}

fn report_fatal(printer: &Printer<'_>, d: Diagnostics) -> i32 {
    printer.print(&d.sorted());
    1
}

/// A flag set by Ctrl-C (SIGINT) or SIGTERM.
fn ctrl_c_flag() -> Arc<AtomicBool> {
    let flag = Arc::new(AtomicBool::new(false));
    let f = flag.clone();
    std::thread::spawn(move || {
        let Ok(rt) = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        else {
            return;
        };
        rt.block_on(async {
            #[cfg(unix)]
            {
                use tokio::signal::unix::{SignalKind, signal};
                let mut term = match signal(SignalKind::terminate()) {
                    Ok(s) => s,
                    Err(_) => {
                        let _ = tokio::signal::ctrl_c().await;
                        return;
                    }
                };
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            #[cfg(not(unix))]
            {
                let _ = tokio::signal::ctrl_c().await;
            }
        });
        f.store(true, Ordering::SeqCst);
    });
    flag
}
