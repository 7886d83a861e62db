//! The command line: flags in, exit codes out (0 success, 1 site errors, 2 usage errors).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::build::{BuildOptions, BuildReport, build, describe_output};
use crate::diagnostics::Printer;
use crate::scaffold::{NewPage, new_page};
use crate::serve::{ServeOptions, WatchOptions};

#[derive(Parser, Debug)]
#[command(
    name = "rolebook",
    version,
    about = "A static site generator for Agile role guides",
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    #[command(flatten)]
    pub global: Global,
}

#[derive(Args, Debug, Clone)]
pub struct Global {
    /// Print only errors
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print more detail (timings of each stage, every file written)
    #[arg(long, short, global = true)]
    pub verbose: bool,
    /// When to use colours (NO_COLOR is honoured with `auto`)
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Build the site into the output folder
    Build(BuildArgs),
    /// Run the whole build in memory and report every problem; writes nothing
    Check(CheckArgs),
    /// Create a new site in DIR: config, three linked sample guides, role introductions
    Init(InitArgs),
    /// Create an article at content/<section>/<slug>.md with its front matter filled in
    New(NewArgs),
    /// Build, serve the site with live reload, and rebuild on every change
    Serve(ServeArgs),
}

#[derive(Args, Debug)]
pub struct BuildArgs {
    /// The site's folder (holding site.yaml)
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Where to write the site (default: output_dir from site.yaml, inside the root)
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Override base_url from site.yaml
    #[arg(long)]
    pub base_url: Option<String>,
    /// Include articles marked `draft: true`
    #[arg(long)]
    pub drafts: bool,
    /// Replace an output folder that holds files rolebook did not write
    #[arg(long)]
    pub force: bool,
    /// After building, rebuild on every change until Ctrl-C
    #[arg(long, short)]
    pub watch: bool,
    /// With --watch: poll for changes instead of using native file events
    #[arg(long, requires = "watch")]
    pub poll: bool,
}

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// The site's folder (holding site.yaml)
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Address to listen on
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: String,
    /// Port to listen on (the next free one is used if it is taken)
    #[arg(long, short, default_value_t = 1111)]
    pub port: u16,
    /// Include articles marked `draft: true`
    #[arg(long)]
    pub drafts: bool,
    /// Open the site in the default browser
    #[arg(long)]
    pub open: bool,
    /// Poll for changes instead of using native file events (network drives, WSL, containers)
    #[arg(long)]
    pub poll: bool,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// The site's folder (holding site.yaml)
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Include articles marked `draft: true`
    #[arg(long)]
    pub drafts: bool,
}

#[derive(Args, Debug)]
pub struct InitArgs {
    /// The folder to create the site in; it must be new or empty
    #[arg(default_value = ".")]
    pub dir: PathBuf,
}

/// `draft` is written as `false`, so the new article shows up in `serve` right away.
#[derive(Args, Debug)]
pub struct NewArgs {
    /// The article's title; the file name is its slug
    pub title: String,
    /// The site's folder (holding site.yaml)
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// The folder under content/ to create the article in
    #[arg(long, default_value = "guides")]
    pub section: String,
    /// A role the article is about (repeatable): `--role product-owner`
    #[arg(long = "role", value_name = "ROLE")]
    pub roles: Vec<String>,
    /// A tag (repeatable): `--tag comparison`
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
}

/// Parses the arguments and runs the command; returns the process exit code.
pub fn run() -> i32 {
    run_with(|| {})
}

/// [`run`], calling `one_shot` before a build that no other follows in this process (`build`
/// without `--watch`, `check`): the binary tunes its allocator there.
pub fn run_with(one_shot: fn()) -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    let color = use_color(cli.global.color);
    match cli.command {
        Command::Build(a) => {
            let opts = BuildOptions {
                root: a.root,
                output: a.output,
                base_url: a.base_url,
                drafts: a.drafts,
                force: a.force,
                write: true,
                orphans: false,
            };
            if a.watch {
                return crate::serve::watch(WatchOptions {
                    build: opts,
                    poll: a.poll,
                    color,
                    quiet: cli.global.quiet,
                    verbose: cli.global.verbose,
                });
            }
            one_shot();
            let report = build(&opts);
            finish(&opts, &report, &cli.global, color, "built")
        }
        Command::Init(a) => run_init(&a.dir, &cli.global, color),
        Command::New(a) => run_new(a, &cli.global, color),
        Command::Check(a) => {
            let opts = BuildOptions {
                root: a.root,
                drafts: a.drafts,
                write: false,
                orphans: true,
                ..Default::default()
            };
            one_shot();
            let report = build(&opts);
            finish(&opts, &report, &cli.global, color, "checked")
        }
        Command::Serve(a) => {
            let build = BuildOptions {
                root: a.root,
                drafts: a.drafts,
                ..Default::default()
            };
            let watch = WatchOptions {
                build,
                poll: a.poll,
                color,
                quiet: cli.global.quiet,
                verbose: cli.global.verbose,
            };
            crate::serve::serve(ServeOptions {
                watch,
                bind: a.bind,
                port: a.port,
                open: a.open,
            })
        }
    }
}

fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stderr().is_terminal()
        }
    }
}

/// Prints the diagnostics and the summary line; returns the exit code.
fn finish(opts: &BuildOptions, report: &BuildReport, g: &Global, color: bool, verb: &str) -> i32 {
    let diags = report.diagnostics.clone().sorted();
    let shown: Vec<_> = diags
        .into_iter()
        .filter(|d| d.is_error() || !g.quiet)
        .collect();
    Printer::new(&opts.root, color).print(&shown);
    let errors = report.diagnostics.error_count();
    let warnings = report.diagnostics.warning_count();
    if errors > 0 {
        eprintln!(
            "error: {} failed with {errors} error{}{}",
            if verb == "built" { "build" } else { "check" },
            if errors == 1 { "" } else { "s" },
            if warnings > 0 {
                format!(
                    " and {warnings} warning{}",
                    if warnings == 1 { "" } else { "s" }
                )
            } else {
                String::new()
            }
        );
        return 1;
    }
    if !g.quiet {
        let ms = report.elapsed.as_millis();
        let where_ = match (&report.output, verb) {
            (Some(o), "built") => format!(" into {}", describe_output(&opts.root, o)),
            _ => String::new(),
        };
        let warn = if warnings > 0 {
            format!(
                ", {warnings} warning{}",
                if warnings == 1 { "" } else { "s" }
            )
        } else {
            String::new()
        };
        println!(
            "{verb} {} page{}{where_} in {ms} ms ({} files{warn})",
            report.pages,
            if report.pages == 1 { "" } else { "s" },
            report.files
        );
        if g.verbose {
            println!("  stages: {}", crate::serve::stages(report));
        }
    }
    0
}

/// `rolebook init`: writes the sample site and says what to run next.
fn run_init(dir: &Path, g: &Global, color: bool) -> i32 {
    match crate::scaffold::init(dir) {
        Ok(files) => {
            if !g.quiet {
                println!("created a new site in {}:", dir.display());
                for f in files {
                    println!("  {f}");
                }
                let cd = if dir == Path::new(".") {
                    String::new()
                } else {
                    format!("cd {} && ", shell_quote(&dir.display().to_string()))
                };
                println!("next: {cd}rolebook serve   (or `rolebook build` to write output/)");
            }
            0
        }
        Err(d) => {
            Printer::new(Path::new("."), color).print(&[d]);
            1
        }
    }
}

/// `rolebook new`: writes one article dated today.
fn run_new(a: NewArgs, g: &Global, color: bool) -> i32 {
    let page = NewPage {
        root: a.root,
        title: a.title,
        section: a.section,
        roles: a.roles,
        tags: a.tags,
        date: chrono::Local::now().format("%Y-%m-%d").to_string(),
    };
    match new_page(&page) {
        Ok(rel) => {
            if !g.quiet {
                let shown = if page.root == Path::new(".") {
                    PathBuf::from(&rel)
                } else {
                    page.root.join(&rel)
                };
                println!("created {}", shown.display());
                println!("next: write it, then `rolebook serve` to preview");
            }
            0
        }
        Err(d) => {
            Printer::new(&page.root, color).print(&[d]);
            1
        }
    }
}

/// Quotes a path for a shell command line when it holds spaces or shell characters.
fn shell_quote(s: &str) -> String {
    if s.chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_./~+".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}
