//! What the CLI prints around its reports: `-q` silences progress, notes and warnings,
//! `-v` adds details, and `info` fits its tables to the terminal (120 columns when
//! piped), draws them at full width with `--wide`, and gives scripts `--json`.

mod common;

use std::process::Output;

fn stderr(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn quiet_keeps_the_report_and_drops_the_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let train = |quiet: bool| {
        let pack = dir.path().join(format!("pack_{quiet}"));
        let mut args = vec!["train", "--schema", "CORE", "--source", "samples"];
        args.extend([
            "--sample_dir",
            "samples",
            "--model_out",
            pack.to_str().unwrap(),
        ]);
        if quiet {
            args.push("-q");
        }
        common::run(&args)
    };
    // No privacy policy: training warns about the columns that look personal.
    let loud = train(false);
    assert!(stderr(&loud).contains("warning: "), "{}", stderr(&loud));
    let quiet = train(true);
    assert_eq!(stderr(&quiet), "", "-q prints no warnings");
    assert!(String::from_utf8_lossy(&quiet.stdout).starts_with("trained 7 tables"));
}

#[test]
fn verbose_shows_the_plan_before_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let generate = |level: &str| {
        common::run(&[
            level,
            "generate",
            "--model",
            common::model().to_str().unwrap(),
            "--target_table",
            "ACCOUNTS",
            "--target_rows",
            "7",
            "--output_dir",
            dir.path().to_str().unwrap(),
        ])
    };
    let said = stderr(&generate("-v"));
    assert!(said.contains("detail: plan (seed 42): "), "{said}");
    assert!(said.contains("ACCOUNTS 7"), "{said}");
    assert_eq!(stderr(&generate("--quiet")), "");
    let both = common::run(&["-q", "-v", "info", "--model", "x"]);
    assert_eq!(both.status.code(), Some(2), "-q and -v conflict");
}

fn widest_line(text: &str) -> usize {
    text.lines().map(|l| l.chars().count()).max().unwrap_or(0)
}

#[test]
fn info_fits_a_pipe_and_goes_wide_or_json_on_request() {
    let model = common::model().to_str().unwrap();
    let narrow = common::ok(&["info", "--model", model]);
    assert!(widest_line(&narrow) <= 120, "{}", widest_line(&narrow));
    assert!(narrow.contains("CUSTOMERS columns"));
    let wide = common::ok(&["info", "--model", model, "--wide"]);
    assert!(widest_line(&wide) > 120, "--wide does not wrap");
    let json: serde_json::Value =
        serde_json::from_str(&common::ok(&["info", "--model", model, "--json"])).unwrap();
    let tables = json["tables"].as_array().unwrap();
    assert_eq!(tables.len(), 7);
    let customers = tables.iter().find(|t| t["name"] == "CUSTOMERS").unwrap();
    assert_eq!(customers["primary_key"], serde_json::json!(["CUSTOMER_ID"]));
    let email = customers["columns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "EMAIL")
        .unwrap();
    assert_eq!(email["privacy"], "pii");
    assert_eq!(json["format_version"], 2);
    let relationships = json["relationships"].as_array().unwrap();
    assert!(
        relationships
            .iter()
            .any(|r| r["name"] == "fk_transactions_account" && r["parent_table"] == "ACCOUNTS"),
        "{relationships:?}"
    );
}
