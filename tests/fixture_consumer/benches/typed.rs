//! Typed generation: ROWS (default 1,000,000) TRANSACTIONS with every parent they need,
//! as the structs of the generated module. Prints seconds, rows/s and peak RSS.
//! `cargo bench -p fixture_consumer --bench typed -- 1000000`

use fixture_consumer::core_fixtures::{Fixtures, Table};
use std::time::Instant;

fn peak_rss_mib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        })
        .map_or(0, |kib| kib / 1024)
}

fn main() {
    let rows: u64 = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let start = Instant::now();
    let data = Fixtures::seeded(42)
        .target(Table::Transactions, rows)
        .build();
    let secs = start.elapsed().as_secs_f64();
    let total =
        data.branches.len() + data.customers.len() + data.accounts.len() + data.transactions.len();
    println!(
        "typed fixtures: TRANSACTIONS={rows} + parents ({total} rows in all, {} accounts, {} customers) in {secs:.2}s = {:.0} rows/s, peak RSS {} MiB",
        data.accounts.len(),
        data.customers.len(),
        total as f64 / secs,
        peak_rss_mib()
    );
}
