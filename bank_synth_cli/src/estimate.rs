//! What a run will cost, said before it starts: rows, bytes, memory and time at the rate
//! measured by `scripts/bench.sh` (2 vCPUs, Hive Parquet and Oracle CSV both written).
//! A run that cannot fit in this machine's memory is refused before it allocates.

use bank_synth_core::output::Formats;
use indicatif::{HumanBytes, HumanCount, HumanDuration};
use std::time::Duration;

/// Rows per second of a whole run, measured (1M–2M TRANSACTIONS with their parents).
const ROWS_PER_SECOND: f64 = 250_000.0;
/// File bytes per row, measured: Hive Parquet (SNAPPY) and Oracle CSV.
const HIVE_BYTES_PER_ROW: u64 = 29;
const ORACLE_BYTES_PER_ROW: u64 = 90;
/// Memory held per generated row until the run ends (the key-uniqueness and orphan
/// checks keep every key), measured, with headroom.
const MEMORY_PER_ROW: u64 = 130;
/// Runs expected to take longer than this get an estimate line first.
const ANNOUNCE_AFTER: Duration = Duration::from_secs(30);

/// The expected cost of a run of `rows` rows.
pub struct Estimate {
    rows: u64,
    bytes: u64,
    memory: u64,
    time: Duration,
}

impl Estimate {
    pub fn new(rows: u64, formats: &Formats) -> Estimate {
        let per_row = u64::from(formats.hive) * HIVE_BYTES_PER_ROW
            + u64::from(formats.oracle) * ORACLE_BYTES_PER_ROW;
        Estimate {
            rows,
            bytes: rows.saturating_mul(per_row),
            memory: rows.saturating_mul(MEMORY_PER_ROW),
            time: Duration::from_secs_f64(rows as f64 / ROWS_PER_SECOND),
        }
    }

    /// Why the run cannot be done on this machine, if it cannot: it would need more
    /// memory than the machine has.
    pub fn refusal(&self) -> Option<String> {
        let available = physical_memory()?;
        (self.memory > available).then(|| {
            format!(
                "this run plans {} rows, which need about {} of memory while it runs (every generated key is kept for the uniqueness and orphan checks, about {MEMORY_PER_ROW} bytes per row), and this machine has {}: ask for fewer rows, or fewer parents with --parent_scale or --table_rows",
                HumanCount(self.rows),
                HumanBytes(self.memory),
                HumanBytes(available)
            )
        })
    }

    /// The line to print before a long run, if it will be long.
    pub fn announcement(&self) -> Option<String> {
        (self.time > ANNOUNCE_AFTER).then(|| {
            format!(
                "this run plans {} rows: about {} of files and about {} at the measured ~{} rows/s; Ctrl-C stops it and removes what it wrote",
                HumanCount(self.rows),
                HumanBytes(self.bytes),
                HumanDuration(self.time),
                HumanCount(ROWS_PER_SECOND as u64)
            )
        })
    }
}

/// The machine's physical memory (Linux: `MemTotal` of /proc/meminfo); `None` where it
/// cannot be read.
fn physical_memory() -> Option<u64> {
    let info = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = info.lines().find(|l| l.starts_with("MemTotal:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOTH: Formats = Formats {
        hive: true,
        oracle: true,
    };

    #[test]
    fn a_long_run_is_announced_with_its_rows_bytes_and_time() {
        let line = Estimate::new(100_000_000, &BOTH).announcement().unwrap();
        assert!(line.contains("100,000,000 rows"), "{line}");
        assert!(line.contains("11.08 GiB of files"), "{line}");
        assert!(line.contains("7 minutes"), "{line}");
        assert!(Estimate::new(1_000_000, &BOTH).announcement().is_none());
        let hive_only = Formats {
            hive: true,
            oracle: false,
        };
        let line = Estimate::new(100_000_000, &hive_only)
            .announcement()
            .unwrap();
        assert!(line.contains("2.70 GiB of files"), "{line}");
    }

    #[test]
    fn a_run_beyond_this_machines_memory_is_refused() {
        let Some(memory) = physical_memory() else {
            return; // not Linux: no refusal either
        };
        let rows = memory / MEMORY_PER_ROW + 1;
        let why = Estimate::new(rows, &BOTH).refusal().unwrap();
        assert!(why.contains("this machine has"), "{why}");
        assert!(Estimate::new(rows / 2, &BOTH).refusal().is_none());
    }
}
