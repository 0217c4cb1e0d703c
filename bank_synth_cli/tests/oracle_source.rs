//! `train --source oracle` with the real `oracle` crate and no Oracle Instant Client
//! on the machine (as here and in CI): the quick start's command is accepted as
//! written and fails only for want of the client, with the way out; the password is
//! never shown and nothing is written. (The catalog and sampling are tested against a
//! recorded database in `bank_synth_core/tests/oracle_source.rs`.)

mod common;

use common::run;

const SECRET: &str = "s3cr3t-Pw";

#[test]
fn the_quick_start_command_fails_only_for_want_of_the_client() {
    let out_dir = tempfile::tempdir().unwrap();
    let model = out_dir.path().join("CORE_modelpack");
    let conn = format!("user/{SECRET}@host:1521/service");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_bank_synth"))
        .current_dir(common::repo())
        .env_remove("BANK_SYNTH_ORACLE_PASSWORD")
        .args([
            "train",
            "--source",
            "oracle",
            "--oracle_conn",
            &conn,
            "--schema",
            "CORE",
        ])
        .args([
            "--tables",
            "CUSTOMERS,ACCOUNTS,TRANSACTIONS",
            "--sample_strategy",
            "percent:1",
        ])
        .args([
            "--relationships",
            "configs/relationships.yaml",
            "--model_out",
        ])
        .arg(&model)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("error: Oracle user@host:1521/service: connecting failed (DPI-1047"),
        "{stderr}"
    );
    assert!(
        stderr.contains("Install Oracle Instant Client") && stderr.contains("--source samples"),
        "{stderr}"
    );
    assert!(
        stderr.contains("warning: the Oracle password is on the command line"),
        "{stderr}"
    );
    assert!(!stderr.contains(SECRET) && !String::from_utf8_lossy(&out.stdout).contains(SECRET));
    assert!(
        !stderr.contains("panicked") && !stderr.contains("backtrace"),
        "{stderr}"
    );
    assert!(!model.exists(), "nothing is written");
}

#[test]
fn the_password_from_the_environment_is_not_warned_about() {
    let out_dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_bank_synth"))
        .env("BANK_SYNTH_ORACLE_PASSWORD", SECRET)
        .args([
            "train",
            "--source",
            "oracle",
            "--oracle_conn",
            "scott@db:1521/ORCL",
            "--schema",
            "CORE",
            "--model_out",
        ])
        .arg(out_dir.path().join("pack"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("DPI-1047") && !stderr.contains("warning"),
        "{stderr}"
    );
    assert!(!stderr.contains(SECRET));
}

#[test]
fn a_malformed_or_missing_connection_is_a_usage_error() {
    for (args, expected) in [
        (
            vec!["--oracle_conn", "scott"],
            "--oracle_conn names no database",
        ),
        (
            vec!["--oracle_conn", "@db:1521/ORCL"],
            "--oracle_conn names no user",
        ),
        (vec![], "--source oracle needs --oracle_conn"),
    ] {
        let mut all = vec![
            "train",
            "--source",
            "oracle",
            "--schema",
            "CORE",
            "--model_out",
            "/nonexistent/pack",
        ];
        all.extend(args);
        let out = run(&all);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{all:?}: {stderr}");
        assert!(stderr.contains(expected), "{all:?}: {stderr}");
    }
}

#[test]
fn without_a_password_or_a_terminal_it_says_where_the_password_goes() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_bank_synth"))
        .env_remove("BANK_SYNTH_ORACLE_PASSWORD")
        .stdin(std::process::Stdio::null())
        .args([
            "train",
            "--source",
            "oracle",
            "--oracle_conn",
            "scott@db:1521/ORCL",
            "--schema",
            "CORE",
            "--model_out",
            "/nonexistent/pack",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("no Oracle password: set BANK_SYNTH_ORACLE_PASSWORD"),
        "{stderr}"
    );
}

/// The recorded catalog is that of the sample bank's own `oracle_load.sql`: the DDL
/// generated today from the sample bank trained without a privacy policy (every
/// column, as the bank's real tables have them) is the committed one, and sqlglot's
/// reading of it gives the committed dictionary rows.
#[test]
fn the_recorded_catalog_is_the_sample_banks_own_ddl() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("pack");
    common::train_every_column(&model);
    common::ok(&[
        "generate",
        "--model",
        model.to_str().unwrap(),
        "--target_table",
        "CUSTOMERS",
        "--target_rows",
        "5",
        "--include_children",
        "--output_formats",
        "oracle",
        "--output_dir",
        dir.path().to_str().unwrap(),
        "--run_id",
        "ddl",
    ]);
    let ddl = dir.path().join("ddl/ddl/oracle_load.sql");
    let committed = common::repo().join("tests/oracle/core_oracle_load.sql");
    assert_eq!(
        std::fs::read_to_string(&ddl).unwrap(),
        std::fs::read_to_string(&committed).unwrap(),
        "the sample bank's Oracle DDL changed: copy it to tests/oracle/core_oracle_load.sql and run \
         `python3 tests/oracle/oracle_sql.py record tests/oracle/core_oracle_load.sql > tests/oracle/core_catalog.json`"
    );
    let out = std::process::Command::new("python3")
        .arg(common::repo().join("tests/oracle/oracle_sql.py"))
        .arg("record")
        .arg(&committed)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let recorded =
        std::fs::read_to_string(common::repo().join("tests/oracle/core_catalog.json")).unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), recorded);
}

/// `--source both` opens the Oracle session before any Spark job starts: without the
/// client it fails the same way, and writes nothing.
#[test]
fn both_sources_need_the_oracle_client_and_hive_spark() {
    let out_dir = tempfile::tempdir().unwrap();
    let model = out_dir.path().join("CORE_modelpack");
    let both = |extra: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_bank_synth"))
            .current_dir(common::repo())
            .env("BANK_SYNTH_ORACLE_PASSWORD", SECRET)
            .args(["train", "--source", "both", "--oracle_conn"])
            .args(["user@host:1521/service", "--schema", "CORE"])
            .args(extra)
            .arg("--model_out")
            .arg(&model)
            .output()
            .unwrap()
    };
    let out = both(&["--hive_spark", "--hive_database", "core_lake"]);
    let stderr = common::fails(&out, 1, &["DPI-1047", "Install Oracle Instant Client"]);
    assert!(!stderr.contains("Spark"), "{stderr}");
    assert!(!model.exists());
    common::fails(&both(&[]), 2, &["add --hive_spark"]);
}
