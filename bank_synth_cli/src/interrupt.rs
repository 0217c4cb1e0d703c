//! Ctrl-C and SIGTERM during `generate`: the first one asks the run to stop between
//! chunks — it removes its partial output and the command exits 130 — and a second one
//! ends the process at once, as usual.

use std::sync::atomic::{AtomicBool, Ordering};

static REQUESTED: AtomicBool = AtomicBool::new(false);

/// From now on SIGINT and SIGTERM ask the run to stop instead of ending the process.
pub fn catch() {
    #[cfg(unix)]
    {
        let handler = on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
        // SAFETY: the handler only stores to an atomic and restores the default action,
        // both async-signal-safe.
        unsafe {
            libc::signal(libc::SIGINT, handler);
            libc::signal(libc::SIGTERM, handler);
        }
    }
}

#[cfg(unix)]
extern "C" fn on_signal(signal: libc::c_int) {
    REQUESTED.store(true, Ordering::SeqCst);
    // SAFETY: `signal` is async-signal-safe; the next such signal ends the process.
    unsafe {
        libc::signal(signal, libc::SIG_DFL);
    }
}

/// Has the user asked the run to stop?
pub fn requested() -> bool {
    REQUESTED.load(Ordering::SeqCst)
}
