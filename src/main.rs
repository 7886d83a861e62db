//! The `rolebook` command.

/// jemalloc instead of the system allocator (see Cargo.toml for the figures).
#[cfg(all(target_arch = "x86_64", not(target_env = "msvc")))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() {
    std::process::exit(rolebook::cli::run());
}
