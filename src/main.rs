//! The `rolebook` command.

/// jemalloc instead of the system allocator (see Cargo.toml for the figures).
#[cfg(all(target_arch = "x86_64", not(target_env = "msvc")))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() {
    std::process::exit(rolebook::cli::run_with(keep_freed_pages));
}

/// Before a single build (`build` without `--watch`, `check`): jemalloc keeps the pages the
/// build frees for its later allocations instead of handing them back to the kernel after 10 s.
/// A build that lasts longer than that (100,000 guides) otherwise spends a few percent of its
/// time in the purges and in the TLB shootdowns each purge sends to the other cores; a shorter
/// one never purges anyway. A process that stays (`serve`, `--watch`) keeps the default.
fn keep_freed_pages() {
    #[cfg(all(target_arch = "x86_64", not(target_env = "msvc")))]
    {
        // `arena.4096` is every arena made so far (MALLCTL_ARENAS_ALL); `arenas.` the default
        // for those made later. A failure leaves the default: it only costs time.
        // SAFETY: both keys take an `ssize_t`, which `isize` is.
        unsafe {
            let _ = tikv_jemalloc_ctl::raw::write(b"arena.4096.dirty_decay_ms\0", -1isize);
            let _ = tikv_jemalloc_ctl::raw::write(b"arenas.dirty_decay_ms\0", -1isize);
        }
    }
}
