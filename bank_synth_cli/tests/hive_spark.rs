//! Hive output proven with real Spark (Hive support on): `tests/spark/hive_roundtrip.py`
//! runs `hive_load.sql` in a fresh metastore and reads every table back through Hive's
//! ParquetHiveSerDe, comparing every value with the Oracle CSV of the same run — with
//! the default SNAPPY files, and with GZIP files cut into several parts per table.
//! Needs Java 17 and `pip install -r tests/requirements.txt` (pyspark 3.5).

mod common;

use common::{TABLES, generate};

/// Generates a run with `extra` arguments and proves it through Hive's reader.
fn round_trip(run_id: &str, extra: &[&str]) -> std::path::PathBuf {
    let out = tempfile::tempdir().unwrap().keep();
    let mut args = vec![
        "--target_table",
        "CUSTOMERS",
        "--target_rows",
        "250",
        "--include_children",
        "--seed",
        "3",
    ];
    args.extend_from_slice(extra);
    let run = generate(&out, run_id, &args);
    let stdout = common::spark_script("hive_roundtrip.py", &[&run]);
    for table in TABLES {
        assert!(
            stdout
                .lines()
                .any(|l| l.starts_with(table) && l.ends_with(" 0 mismatching rows")),
            "{table} was read back identically:\n{stdout}"
        );
    }
    run
}

#[test]
fn every_table_reads_back_through_hives_own_parquet_reader() {
    round_trip("spark", &[]);
}

#[test]
fn gzip_files_in_several_parts_read_back_as_one_table() {
    let run = round_trip(
        "parts",
        &[
            "--compression",
            "gzip",
            "--part_size",
            "16KiB",
            "--chunk_rows",
            "200",
        ],
    );
    let parts = std::fs::read_dir(run.join("hive/transactions"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.starts_with("transactions-") && name.ends_with(".parquet"))
        .count();
    assert!(parts > 1, "transactions is written in {parts} parts");
    let codecs = common::parquet_codecs(&run.join("hive/transactions/transactions-00000.parquet"));
    assert!(codecs.iter().all(|c| c == "GZIP"), "{codecs:?}");
}
