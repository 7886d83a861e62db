//! The `rolebook` command.

fn main() {
    std::process::exit(rolebook::cli::run());
}
