//! A progress bar on stderr (drawn only when stderr is a terminal), which also passes
//! on notices and the user's request to stop.

use bank_synth_core::output::Progress;
use indicatif::{HumanCount, ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};
use std::sync::atomic::{AtomicBool, Ordering};

/// Rows written out of the run's total, with the current table's name; before the
/// first table, the parent rows generated for the run's layouts.
pub struct Bar {
    bar: ProgressBar,
    total_rows: u64,
    /// The bar shows the layouts' progress.
    laying_out: AtomicBool,
}

impl Bar {
    pub fn new(total_rows: u64) -> Bar {
        let target = if crate::say::quiet() {
            ProgressDrawTarget::hidden()
        } else {
            ProgressDrawTarget::stderr()
        };
        let bar = ProgressBar::with_draw_target(Some(total_rows), target);
        bar.set_style(
            ProgressStyle::with_template(
                "{msg:>16} [{bar:40}] {human_pos}/{human_len} rows ({rate}, eta {eta})",
            )
            .expect("valid template")
            .with_key(
                "rate",
                |state: &ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = write!(w, "{}/s", HumanCount(state.per_sec() as u64));
                },
            )
            .progress_chars("=> "),
        );
        Bar {
            bar,
            total_rows,
            laying_out: AtomicBool::new(false),
        }
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl Progress for Bar {
    fn laid_out(&self, done: u64, of: u64) {
        if !self.laying_out.swap(true, Ordering::Relaxed) {
            self.bar.set_length(of);
            self.bar.set_message("layout");
        }
        self.bar.set_position(done);
    }

    fn table_started(&self, table: &str, _rows: u64) {
        if self.laying_out.swap(false, Ordering::Relaxed) {
            // The layouts are done: the bar counts the rows written from now on.
            self.bar.reset();
            self.bar.set_length(self.total_rows);
        }
        self.bar.set_message(table.to_string());
    }

    fn rows_written(&self, rows: u64) {
        self.bar.inc(rows);
    }

    fn notice(&self, message: &str) {
        self.bar.suspend(|| crate::say::note(message));
    }

    fn cancelled(&self) -> bool {
        crate::interrupt::requested()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bar_counts_layout_rows_then_the_runs_rows() {
        let bar = Bar::new(1_000);
        bar.laid_out(30, 120);
        assert_eq!((bar.bar.position(), bar.bar.length()), (30, Some(120)));
        bar.laid_out(120, 120);
        assert_eq!(bar.bar.message(), "layout");
        bar.table_started("ACCOUNTS", 400);
        assert_eq!((bar.bar.position(), bar.bar.length()), (0, Some(1_000)));
        bar.rows_written(400);
        bar.table_started("TRANSACTIONS", 600);
        assert_eq!((bar.bar.position(), bar.bar.length()), (400, Some(1_000)));
        assert_eq!(bar.bar.message(), "TRANSACTIONS");
    }
}
