//! `train --source hive --hive_spark` against real Hive tables in Spark local mode (Hive
//! support, Derby metastore): `tests/spark/hive_source.py` loads the sample bank into
//! ORC and Parquet tables, one partitioned, one with a column of a type not modelled,
//! and the pack trained through the CLI's Spark job must be the one trained from the
//! same rows as CSV files. Needs Java 17 and `pip install -r tests/requirements.txt`.

mod common;

use serde_json::Value;
use std::ffi::OsString;
use std::path::Path;

const DATABASE: &str = "core_lake";

fn pack(dir: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("modelpack.json")).unwrap()).unwrap()
}

/// `train --source hive` on the Spark work directory's metastore, with the sample
/// bank's configuration files and `extra` flags.
fn train_hive(work: &Path, model_out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = common::train_args(
        Path::new("unused"),
        &common::repo().join("configs"),
        model_out,
    );
    let at = args.iter().position(|a| a == "--sample_dir").unwrap();
    args.drain(at..at + 2);
    args[2] = "hive".into();
    let metastore = format!(
        "spark.hadoop.javax.jdo.option.ConnectionURL=jdbc:derby:;databaseName={}/metastore_db",
        work.display()
    );
    let warehouse = format!("spark.sql.warehouse.dir={}/warehouse", work.display());
    for a in [
        "--hive_spark",
        "--hive_database",
        DATABASE,
        "--spark_master",
        "local[1]",
        "--spark_conf",
        "spark.ui.enabled=false",
        "--spark_conf",
        &metastore,
        "--spark_conf",
        &warehouse,
    ]
    .into_iter()
    .chain(extra.iter().copied())
    {
        args.push(OsString::from(a));
    }
    common::run_in(work, &args)
}

/// Each table of `a` equals `b`'s, compared column by column so a failure names one.
fn same_tables(a: &Value, b: &Value) {
    let (a, b) = (
        a["tables"].as_array().unwrap(),
        b["tables"].as_array().unwrap(),
    );
    let names = |t: &[Value]| t.iter().map(|t| t["name"].clone()).collect::<Vec<_>>();
    assert_eq!(names(a), names(b));
    for (x, y) in a.iter().zip(b) {
        let (cx, cy) = (
            x["columns"].as_array().unwrap(),
            y["columns"].as_array().unwrap(),
        );
        assert_eq!(names(cx), names(cy), "columns of {}", x["name"]);
        for (c, d) in cx.iter().zip(cy) {
            assert!(c == d, "{}.{}:\n{c}\n{d}", x["name"], c["name"]);
        }
        for (key, value) in x.as_object().unwrap() {
            assert!(
                *value == y[key],
                "{}.{key}:\n{value}\n{}",
                x["name"],
                y[key]
            );
        }
    }
}

#[test]
fn hive_tables_through_spark_train_the_pack_their_rows_train_as_csv() {
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().join("spark");
    std::fs::create_dir(&work).unwrap();
    // The Hive types `generate` gives the sample bank's columns (no privacy policy, so
    // every column is there, as in the bank's tables).
    let full = dir.path().join("full");
    common::train_every_column(&full);
    let plan = common::ok(&[
        "stream",
        "--plan",
        "--model",
        full.to_str().unwrap(),
        "--target_table",
        "CUSTOMERS",
        "--target_rows",
        "10",
        "--include_children",
    ]);
    let plan_file = dir.path().join("plan.json");
    std::fs::write(&plan_file, plan).unwrap();
    let created = common::spark_script(
        "hive_source.py",
        &[
            plan_file.as_os_str(),
            common::repo().join("samples").as_os_str(),
            work.as_os_str(),
            DATABASE.as_ref(),
        ],
    );
    assert!(
        created.contains("core_lake.transactions: 16304 rows, PARQUET, partitioned by channel"),
        "{created}"
    );
    // The job on its own: a restricted column is staged as NULL, and a parent outside
    // Hive (`--source both`) is followed by its sampled keys.
    let checked = common::spark_script(
        "hive_source.py",
        &[
            "--job".as_ref(),
            work.as_os_str(),
            DATABASE.as_ref(),
            common::repo().join("samples").as_os_str(),
        ],
    );
    for line in [
        "restricted columns staged as NULL: ",
        "outside parents: the ",
        "TRANSACTIONS rows of 100 ACCOUNTS keys, as in the sample",
    ] {
        assert!(checked.contains(line), "{checked}");
    }

    let hive = dir.path().join("hive_pack");
    let out = train_hive(&work, &hive, &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("BRANCHES.TAGS: Hive type array<string> is not modelled"),
        "{stderr}"
    );
    let reference = dir.path().join("csv_pack");
    common::ok(&common::train_args(
        &work.join("reference"),
        &common::repo().join("configs"),
        &reference,
    ));
    let (hive, reference) = (pack(&hive), pack(&reference));
    same_tables(&hive, &reference);
    assert_eq!(hive["relationships"], reference["relationships"]);
    assert_eq!(hive["provenance"]["source"], "hive");

    // percent:N samples the roots in Spark (by a hash of their key, the same rows
    // however Spark splits the table) and keeps whole families below them; rows:N takes
    // the first roots by key and whole families, cut to N rows here.
    for (strategy, name) in [("percent:40", "percent_pack"), ("rows:4000", "rows_pack")] {
        let sampled = dir.path().join(name);
        let out = train_hive(&work, &sampled, &["--sample_strategy", strategy]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{stderr}");
        let sampled = pack(&sampled);
        let rows = |p: &Value, t: &str| {
            p["tables"]
                .as_array()
                .unwrap()
                .iter()
                .find(|x| x["name"] == t)
                .unwrap()["sample_rows"]
                .as_u64()
                .unwrap()
        };
        for t in ["BRANCHES", "CUSTOMERS", "ACCOUNTS", "TRANSACTIONS"] {
            let (kept, all) = (rows(&sampled, t), rows(&hive, t));
            let expected = if strategy.starts_with("rows") {
                kept <= 4000 && (kept < all || all <= 4000)
            } else {
                kept < all
            };
            assert!(expected && kept > 0, "{strategy} {t}: {kept} of {all}");
        }
        // The links families follow have no orphans (those they do not follow may: a
        // table follows one parent, as with every source).
        let warnings = sampled["provenance"]["warnings"].to_string();
        for followed in [
            "fk_customers_home_branch",
            "fk_accounts_customer",
            "fk_transactions_account",
            "fk_cards_account",
            "fk_statements_account",
            "fk_statement_lines_statement",
        ] {
            assert!(!warnings.contains(followed), "{strategy}: {warnings}");
        }
    }
}

#[test]
fn without_spark_submit_it_says_what_to_install() {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_bank_synth"))
        .args([
            "train",
            "--source",
            "hive",
            "--hive_spark",
            "--schema",
            "CORE",
            "--model_out",
        ])
        .arg(dir.path().join("pack"))
        .env("SPARK_HOME", dir.path().join("no_spark"))
        .output()
        .unwrap();
    let stderr = common::fails(
        &out,
        1,
        &[
            "Hive database CORE",
            "spark-submit",
            "pip install pyspark",
            "--source samples",
        ],
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!dir.path().join("pack").exists());
}

#[test]
fn hive_without_hive_spark_says_what_is_needed() {
    let out = common::run(&[
        "train",
        "--source",
        "hive",
        "--schema",
        "CORE",
        "--model_out",
        "/tmp/never",
    ]);
    common::fails(&out, 2, &["add --hive_spark", "--source samples"]);
}
