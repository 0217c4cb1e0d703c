//! What the CLI says on standard error besides errors: warnings, notes and, with
//! `-v`, details of the work; `-q` silences them and the progress bar. Reports on
//! standard output and errors are never silenced.

use std::sync::atomic::{AtomicU8, Ordering};

/// How much the CLI says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// Errors and the report only.
    Quiet = 0,
    /// Also warnings, notes and progress.
    Normal = 1,
    /// Also details: plans, counts and timings.
    Verbose = 2,
}

static LEVEL: AtomicU8 = AtomicU8::new(Level::Normal as u8);

/// Sets the level for the rest of the process (once, from the command line).
pub fn set(level: Level) {
    LEVEL.store(level as u8, Ordering::Relaxed);
}

fn at_least(level: Level) -> bool {
    LEVEL.load(Ordering::Relaxed) >= level as u8
}

/// True with `-q`: no progress bars either.
pub fn quiet() -> bool {
    !at_least(Level::Normal)
}

/// `warning: …` (recorded in the pack or the run too, so `-q` loses nothing).
pub fn warning(message: &str) {
    if at_least(Level::Normal) {
        eprintln!("warning: {message}");
    }
}

/// `note: …`.
pub fn note(message: &str) {
    if at_least(Level::Normal) {
        eprintln!("note: {message}");
    }
}

/// `detail: …`, with `-v` only.
pub fn detail(message: &str) {
    if at_least(Level::Verbose) {
        eprintln!("detail: {message}");
    }
}
