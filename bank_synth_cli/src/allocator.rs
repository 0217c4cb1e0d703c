//! The process's allocator: mimalloc, keeping the memory it frees for the next
//! allocations a while longer before handing it back to the system.

/// mimalloc: generation allocates cells on worker threads and frees them on the
/// writer's, where glibc's arenas spend a fifth of the run consolidating.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (its 16th option in `mimalloc.h`, v2 and v3 alike),
/// which `libmimalloc-sys` has no constant for.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// The environment variable that sets the same option, which the user's setting wins.
const PURGE_DELAY_VARIABLE: &str = "MIMALLOC_PURGE_DELAY";

/// How long mimalloc keeps memory freed before it hands it back to the system, in ms.
/// Its default, 10 ms, is shorter than the gap between a row group's buffers being freed
/// and allocated again on a loaded machine, when every reuse faulted in fresh pages the
/// kernel cleared first: 100M TRANSACTIONS took 1.96M page faults and 15 s of system
/// time (a tenth of the CPU) at 10 ms, 97k and 9 s at a second. Never handing memory back
/// kept no fewer faults but let the peak RSS creep up over a long run (195 MiB at 100M
/// against 146 MiB at 1M); at a second it stays flat (153 MiB).
const KEEP_FREED_MS: std::ffi::c_long = 1000;

/// Keeps memory mimalloc frees for [`KEEP_FREED_MS`] before handing it back, unless the
/// user set the option.
pub fn keep_freed_memory() {
    if std::env::var_os(PURGE_DELAY_VARIABLE).is_none() {
        // SAFETY: sets one of mimalloc's options to a value its documentation allows
        // (a delay in milliseconds); mimalloc reads the option on each purge decision.
        unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, KEEP_FREED_MS) };
    }
}
