//! Baselines for `scripts/bench.sh`: the plain arrow-rs Parquet writer (SNAPPY) and the
//! plain csv crate writer on an 8-column table shaped like TRANSACTIONS (two BIGINTs, a
//! TIMESTAMP, a DECIMAL(18,2) and four strings, one of them nullable), with values from a
//! counter and no model at all. What generation is measured against, in the same run.
//! Run: `cargo bench -p bank_synth_core --features io --bench baselines [-- ROWS]`.

mod common;

use common::report;

use arrow_array::builder::{
    Decimal128Builder, Int64Builder, StringBuilder, TimestampMicrosecondBuilder,
};
use arrow_array::{ArrayRef, RecordBatch};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;
use std::io::Write;
use std::sync::Arc;
use std::time::Instant;

const BATCH: u64 = 131_072;
const TYPES: [&str; 2] = ["DEBIT", "CREDIT"];
const CHANNELS: [&str; 4] = ["CARD", "ATM", "ONLINE", "BRANCH"];

/// A cheap, well-spread function of the row index (Fibonacci hashing).
fn mix(x: u64) -> u64 {
    x.wrapping_mul(0x9e37_79b9_7f4a_7c15).rotate_left(29)
}

fn batch(start: u64, end: u64) -> RecordBatch {
    let n = (end - start) as usize;
    let mut id = Int64Builder::with_capacity(n);
    let mut account = Int64Builder::with_capacity(n);
    let mut ts = TimestampMicrosecondBuilder::with_capacity(n);
    let mut amount = Decimal128Builder::with_capacity(n);
    let mut kind = StringBuilder::new();
    let mut channel = StringBuilder::new();
    let mut mcc = StringBuilder::new();
    let mut description = StringBuilder::new();
    for i in start..end {
        let h = mix(i);
        id.append_value(900_000_001 + i as i64);
        account.append_value(5_000_001 + (i / 8) as i64);
        ts.append_value(1_600_000_000_000_000 + (h % 100_000_000_000_000) as i64);
        amount.append_value((h % 1_000_000) as i128 - 500_000);
        kind.append_value(TYPES[(h >> 20) as usize % 2]);
        channel.append_value(CHANNELS[(h >> 24) as usize % 4]);
        if h & 1 == 0 {
            mcc.append_value(format!("{}", 5000 + (h >> 32) % 999));
        } else {
            mcc.append_null();
        }
        description.append_value(format!("POS MERCHANT #{:04}", (h >> 40) % 9999));
    }
    let columns: Vec<(&str, ArrayRef, bool)> = vec![
        ("txn_id", Arc::new(id.finish()), true),
        ("account_id", Arc::new(account.finish()), true),
        ("txn_ts", Arc::new(ts.finish()), true),
        (
            "amount",
            Arc::new(amount.finish().with_precision_and_scale(18, 2).unwrap()),
            true,
        ),
        ("txn_type", Arc::new(kind.finish()), true),
        ("channel", Arc::new(channel.finish()), true),
        ("mcc", Arc::new(mcc.finish()), true),
        ("description", Arc::new(description.finish()), true),
    ];
    RecordBatch::try_from_iter_with_nullable(columns).unwrap()
}

fn main() {
    let rows: u64 = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let dir = tempfile::tempdir().unwrap();

    let started = Instant::now();
    let file = std::fs::File::create(dir.path().join("t.parquet")).unwrap();
    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .build();
    let mut writer = ArrowWriter::try_new(file, batch(0, 1).schema(), Some(props)).unwrap();
    for start in (0..rows).step_by(BATCH as usize) {
        writer
            .write(&batch(start, (start + BATCH).min(rows)))
            .unwrap();
    }
    writer.close().unwrap();
    report("plain arrow-rs parquet writer", rows, started);

    let started = Instant::now();
    let file = std::fs::File::create(dir.path().join("t.csv")).unwrap();
    let mut csv = csv::Writer::from_writer(std::io::BufWriter::new(file));
    let mut line = Vec::with_capacity(8);
    for i in 0..rows {
        let h = mix(i);
        line.clear();
        line.push((900_000_001 + i).to_string());
        line.push((5_000_001 + i / 8).to_string());
        line.push(format!("2024-01-{:02} 12:34:56.000000", 1 + h % 28));
        let cents = (h % 1_000_000) as i64 - 500_000;
        let sign = if cents < 0 { "-" } else { "" };
        let cents = cents.unsigned_abs();
        line.push(format!("{sign}{}.{:02}", cents / 100, cents % 100));
        line.push(TYPES[(h >> 20) as usize % 2].to_string());
        line.push(CHANNELS[(h >> 24) as usize % 4].to_string());
        line.push(if h & 1 == 0 {
            format!("{}", 5000 + (h >> 32) % 999)
        } else {
            String::new()
        });
        line.push(format!("POS MERCHANT #{:04}", (h >> 40) % 9999));
        csv.write_record(&line).unwrap();
    }
    csv.into_inner().unwrap().flush().unwrap();
    report("plain csv crate writer", rows, started);
}
