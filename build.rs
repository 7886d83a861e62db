//! Rebuilds the binary when any file of the built-in theme changes: `include_dir!` alone does
//! not notice files that are added or removed.

fn main() {
    println!("cargo:rerun-if-changed=themes/default");
    println!("cargo:rerun-if-changed=src/scaffold/site");
}
