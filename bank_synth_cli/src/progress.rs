//! A progress bar on stderr (drawn only when stderr is a terminal), which also passes
//! on notices and the user's request to stop.

use bank_synth_core::output::Progress;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Rows written out of the run's total, with the current table's name.
pub struct Bar(ProgressBar);

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
                "{msg:>16} [{bar:40}] {human_pos}/{human_len} rows ({per_sec:.0}, eta {eta})",
            )
            .expect("valid template")
            .progress_chars("=> "),
        );
        Bar(bar)
    }

    pub fn finish(&self) {
        self.0.finish_and_clear();
    }
}

impl Progress for Bar {
    fn table_started(&self, table: &str, _rows: u64) {
        self.0.set_message(table.to_string());
    }

    fn rows_written(&self, rows: u64) {
        self.0.inc(rows);
    }

    fn notice(&self, message: &str) {
        self.0.suspend(|| crate::say::note(message));
    }

    fn cancelled(&self) -> bool {
        crate::interrupt::requested()
    }
}
