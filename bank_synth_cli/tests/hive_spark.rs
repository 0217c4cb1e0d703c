//! Hive output proven with real Spark (Hive support on): `tests/spark/hive_roundtrip.py`
//! runs `hive_load.sql` in a fresh metastore and reads every table back through Hive's
//! ParquetHiveSerDe, comparing every value with the Oracle CSV of the same run.
//! Needs Java 17 and `pip install -r tests/requirements.txt` (pyspark 3.5).

mod common;

use common::{generate, repo};
use std::process::Command;

#[test]
fn every_table_reads_back_through_hives_own_parquet_reader() {
    let out = tempfile::tempdir().unwrap();
    let run = generate(
        out.path(),
        "spark",
        &[
            "--target_table",
            "CUSTOMERS",
            "--target_rows",
            "250",
            "--include_children",
            "--seed",
            "3",
        ],
    );
    let result = Command::new("python3")
        .arg(repo().join("tests/spark/hive_roundtrip.py"))
        .arg(&run)
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&result.stdout);
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(
        !stderr.contains("No module named 'pyspark'"),
        "pyspark is missing: run `python3 -m pip install -r tests/requirements.txt`"
    );
    assert!(
        result.status.success(),
        "Hive round trip failed:\n{stdout}\n{stderr}"
    );
    for table in [
        "branches",
        "customers",
        "accounts",
        "transactions",
        "cards",
        "statements",
        "statement_lines",
    ] {
        assert!(
            stdout
                .lines()
                .any(|l| l.starts_with(table) && l.ends_with(" 0 mismatching rows")),
            "{table} was read back identically:\n{stdout}"
        );
    }
}
