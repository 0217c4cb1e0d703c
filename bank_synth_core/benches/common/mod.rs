//! What the benches share: one line per measured stage.

use std::time::Instant;

/// The allocator of the `bank_synth` binary, for the stages and the baselines alike, so
/// a stage costs here what it costs there.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Prints `rows` of `stage` since `started` as rows per second.
pub fn report(stage: &str, rows: u64, started: Instant) {
    let secs = started.elapsed().as_secs_f64();
    println!(
        "{stage:<30} {rows} rows in {secs:.2}s = {:>10.0} rows/s",
        rows as f64 / secs
    );
}
