//! The Spark entry point (`spark/bank_synth_spark.py`) in Spark local mode with Hive
//! support: `tests/spark/spark_shards.py` runs it with spark-submit in three shards into
//! Hive tables (row counts and zero orphans checked with Spark SQL joins), reads every
//! table back through Hive's ParquetHiveSerDe and compares it with the CLI's rows for the
//! same pack and seed. Needs Java 17 and `pip install -r tests/requirements.txt`.

mod common;

use common::{generate, model};

#[test]
fn spark_generates_the_cli_rows_into_hive_tables_from_shards() {
    let out = tempfile::tempdir().unwrap();
    let run = generate(
        out.path(),
        "cli",
        &[
            "--target_table",
            "CUSTOMERS",
            "--target_rows",
            "150",
            "--include_children",
            "--seed",
            "13",
            "--output_formats",
            "oracle",
        ],
    );
    let binary = std::path::PathBuf::from(env!("CARGO_BIN_EXE_bank_synth"));
    let stdout = common::spark_script("spark_shards.py", &[&binary, &model().to_path_buf(), &run]);
    for line in [
        "check: fk_transactions_account transactions -> accounts: 0 orphans",
        "check: fk_statement_lines_statement statement_lines -> statements: 0 orphans",
        "statement_lines: ",
        "spark shards: every table written by Spark, read through ParquetHiveSerDe, equals the CLI run",
    ] {
        assert!(stdout.contains(line), "missing {line:?} in:\n{stdout}");
    }
}
