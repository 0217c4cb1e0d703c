//! The process's allocator: mimalloc, keeping the memory it frees for the next
//! allocations instead of handing it back to the system.

/// mimalloc: generation allocates cells on worker threads and frees them on the
/// writer's, where glibc's arenas spend a fifth of the run consolidating.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (its 16th option in `mimalloc.h`, v2 and v3 alike),
/// which `libmimalloc-sys` has no constant for.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// The environment variable that sets the same option, which the user's setting wins.
const PURGE_DELAY_VARIABLE: &str = "MIMALLOC_PURGE_DELAY";

/// Stops mimalloc from returning freed memory to the system (by default 10 ms after it is
/// freed). A run frees each row group's column buffers and allocates them again: handed
/// back, every reuse faulted in fresh pages the kernel cleared first (about 28,000 page
/// faults and a tenth of the CPU at 1M TRANSACTIONS; about 500 faults kept). A run's
/// memory is bounded, so keeping it costs no more than its peak, which it reaches anyway.
pub fn keep_freed_memory() {
    if std::env::var_os(PURGE_DELAY_VARIABLE).is_none() {
        // SAFETY: sets one of mimalloc's options to a value its documentation allows
        // (-1: never purge); mimalloc reads the option on each purge decision.
        unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, -1) };
    }
}
