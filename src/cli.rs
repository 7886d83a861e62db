//! The command line: flags in, exit codes out (0 success, 1 site errors, 2 usage errors).

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::build::{BuildOptions, BuildReport, build, describe_output};
use crate::diagnostics::Printer;

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

/// Parses the arguments and runs the command; returns the process exit code.
pub fn run() -> i32 {
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
            };
            let report = build(&opts);
            finish(&opts, &report, &cli.global, color, "built")
        }
        Command::Check(a) => {
            let opts = BuildOptions {
                root: a.root,
                drafts: a.drafts,
                write: false,
                ..Default::default()
            };
            let report = build(&opts);
            finish(&opts, &report, &cli.global, color, "checked")
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
    }
    0
}
