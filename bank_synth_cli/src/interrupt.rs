//! Ctrl-C and SIGTERM during `generate`. The first one asks the run to stop: it stops
//! between chunks, removes its partial output and the command exits 128 + the signal
//! (130 for Ctrl-C, 143 for SIGTERM). A run busy elsewhere (planning every parent's
//! children, writing reports) is given a moment; then its staging directory is removed
//! and the process ends anyway. A second signal ends the process at once, as usual.

use std::path::PathBuf;
use std::sync::atomic::{AtomicI32, Ordering};
use std::time::Duration;

/// The signal that asked the run to stop (0: none).
static SIGNAL: AtomicI32 = AtomicI32::new(0);
/// How long a stop request may wait for the run to reach a chunk boundary.
const GRACE: Duration = Duration::from_secs(2);

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
    SIGNAL.store(signal, Ordering::SeqCst);
    // SAFETY: `signal` is async-signal-safe; the next such signal ends the process.
    unsafe {
        libc::signal(signal, libc::SIG_DFL);
    }
}

/// Has the user asked the run to stop?
pub fn requested() -> bool {
    SIGNAL.load(Ordering::SeqCst) != 0
}

/// The exit code of a stopped run: 128 + the signal's number.
pub fn exit_code() -> u8 {
    match SIGNAL.load(Ordering::SeqCst) {
        0 => 130,
        signal => 128u8.saturating_add(signal as u8),
    }
}

/// Makes sure a stop request ends the run writing into `staging` (finished runs are
/// renamed to `done`): if the run has not stopped [`GRACE`] after the request, the
/// staging directory is removed and the process exits.
pub fn watch(staging: PathBuf, done: PathBuf) {
    std::thread::spawn(move || {
        while !requested() {
            std::thread::sleep(Duration::from_millis(50));
        }
        std::thread::sleep(GRACE);
        if !done.exists() {
            let _ = std::fs::remove_dir_all(&staging);
            eprintln!("error: {}", bank_synth_core::Error::Interrupted);
            std::process::exit(i32::from(exit_code()));
        }
    });
}
