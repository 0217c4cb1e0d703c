//! `bank_synth evaluate`: SDMetrics' quality properties computed in Rust, checked
//! against SDMetrics 0.32 itself on the same files (`tests/sdmetrics/compare.py`).

mod common;

use common::{generate, model, repo};
use std::process::Command;

#[test]
fn evaluation_agrees_with_sdmetrics_and_reports_the_synthetic_checks() {
    let dir = tempfile::tempdir().unwrap();
    // Real rows: the sample bank under another seed than the one the pack learned from.
    let real = dir.path().join("real");
    common::ok(&[
        "samples",
        "--out",
        real.to_str().unwrap(),
        "--seed",
        "7",
        "--scale",
        "0.5",
    ]);
    let run = generate(
        dir.path(),
        "eval",
        &[
            "--target_table",
            "CUSTOMERS",
            "--target_rows",
            "500",
            "--include_children",
            "--seed",
            "5",
        ],
    );
    let json = dir.path().join("evaluation.json");
    let md = common::ok(&[
        "evaluate",
        "--real",
        real.to_str().unwrap(),
        "--synthetic",
        run.to_str().unwrap(),
        "--json",
        json.to_str().unwrap(),
    ]);
    for property in [
        "Column Shapes",
        "Column Pair Trends",
        "Cardinality",
        "Intertable Trends",
        "**overall**",
    ] {
        assert!(
            md.contains(&format!("| {property} |")),
            "{property} in:\n{md}"
        );
    }
    let rules: usize = bank_synth_core::ModelPack::load(common::model())
        .unwrap()
        .tables
        .iter()
        .map(|t| t.rules.len())
        .sum();
    assert!(rules >= 10, "the sample bank's rules are learned");
    assert!(
        md.contains(&format!("{rules} learned rules with 0 violations")),
        "{md}"
    );
    assert!(
        md.contains("masked (not public)"),
        "internal columns are masked:\n{md}"
    );
    assert!(
        !md.contains("ANNUAL_INCOME"),
        "internal columns are masked:\n{md}"
    );

    let evaluation: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    for p in evaluation["properties"].as_array().unwrap() {
        let score = p["score"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&score), "{p}");
    }

    let out = Command::new("python3")
        .arg(repo().join("tests/sdmetrics/compare.py"))
        .args([real.as_path(), run.as_path(), model(), json.as_path()])
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("No module named 'sdmetrics'"),
        "sdmetrics is missing: run `python3 -m pip install -r tests/requirements.txt`"
    );
    assert!(
        out.status.success(),
        "bank_synth and SDMetrics disagree by more than 0.02:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains("Column Pair Trends"), "{stdout}");

    // A baseline: the real sample scored against another real sample, beside the
    // synthetic scores. Against itself every property is perfect.
    let against = |baseline: &std::path::Path| {
        common::ok(&[
            "evaluate",
            "--real",
            real.to_str().unwrap(),
            "--synthetic",
            run.to_str().unwrap(),
            "--baseline",
            baseline.to_str().unwrap(),
        ])
    };
    let itself = against(&real);
    assert!(
        itself.contains("| property | score | real vs real |"),
        "{itself}"
    );
    for property in [
        "Column Shapes",
        "Column Pair Trends",
        "Cardinality",
        "Intertable Trends",
    ] {
        let line = itself
            .lines()
            .find(|l| l.starts_with(&format!("| {property} |")))
            .unwrap();
        assert!(line.ends_with("| 1.000 |"), "{line}");
    }
    let other = dir.path().join("other");
    common::ok(&[
        "samples",
        "--out",
        other.to_str().unwrap(),
        "--seed",
        "8",
        "--scale",
        "0.5",
    ]);
    let floor = against(&other);
    let line = floor
        .lines()
        .find(|l| l.starts_with("| **overall** |"))
        .unwrap();
    assert!(
        !line.ends_with("| **1.000** |"),
        "two samples differ: {line}"
    );
}

/// On the public databases nobody here wrote (`../shared/datasets`, with the configs
/// in `tests/datasets/`), `bank_synth evaluate` agrees with SDMetrics 0.32 too.
#[test]
fn evaluation_agrees_with_sdmetrics_on_the_public_databases() {
    let datasets = repo().join("../shared/datasets");
    for (name, root) in [("chinook", "Customer"), ("northwind", "Customers")] {
        let dir = tempfile::tempdir().unwrap();
        let data = datasets.join(name);
        assert!(
            data.is_dir(),
            "{} is missing (shared/datasets sits beside the repository)",
            data.display()
        );
        let pack = dir.path().join("pack");
        common::ok(&common::train_args(
            &data,
            &repo().join("tests/datasets").join(name),
            &pack,
        ));
        let out = dir.path().join("out");
        common::ok(&[
            "generate",
            "--model",
            pack.to_str().unwrap(),
            "--target_table",
            root,
            "--target_rows",
            "60",
            "--include_children",
            "--output_dir",
            out.to_str().unwrap(),
            "--run_id",
            "r",
        ]);
        let run = out.join("r");
        let json = dir.path().join("evaluation.json");
        common::ok(&[
            "evaluate",
            "--model",
            pack.to_str().unwrap(),
            "--real",
            data.to_str().unwrap(),
            "--synthetic",
            run.to_str().unwrap(),
            "--json",
            json.to_str().unwrap(),
        ]);
        let compare = Command::new("python3")
            .arg(repo().join("tests/sdmetrics/compare.py"))
            .args([
                data.as_path(),
                run.as_path(),
                pack.as_path(),
                json.as_path(),
            ])
            .output()
            .expect("python3 runs");
        assert!(
            compare.status.success(),
            "{name}: bank_synth and SDMetrics disagree by more than 0.02:\n{}\n{}",
            String::from_utf8_lossy(&compare.stdout),
            String::from_utf8_lossy(&compare.stderr)
        );
    }
}

/// Column kinds come from the real rows, not from the model: a number column the model
/// was told is text (and so generates in a digit format) is scored as the number it is
/// and counts against it; an SDV metadata file decides the kinds when given.
#[test]
fn a_column_the_model_got_wrong_counts_against_it() {
    let ws = common::Workspace::new();
    ws.edit("configs/tables.yaml", |t| {
        t.replace(
            "      status:\n        allowed_values: [\"ACTIVE\", \"INACTIVE\", \"CLOSED\"]\n",
            "      status:\n        allowed_values: [\"ACTIVE\", \"INACTIVE\", \"CLOSED\"]\n      credit_score:\n        type: text\n",
        )
    });
    assert!(ws.train().status.success());
    let run = common::run_in(
        &ws.path(""),
        &[
            "generate",
            "--model",
            "pack",
            "--target_table",
            "CUSTOMERS",
            "--target_rows",
            "300",
            "--output_dir",
            "out",
            "--run_id",
            "r",
        ],
    );
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let shapes = |extra: &[&str]| -> Vec<serde_json::Value> {
        let mut args = vec![
            "evaluate",
            "--model",
            "pack",
            "--real",
            "samples",
            "--synthetic",
            "out/r",
            "--json",
            "e.json",
        ];
        args.extend_from_slice(extra);
        let out = common::run_in(&ws.path(""), &args);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let e: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(ws.path("e.json")).unwrap()).unwrap();
        e["properties"][0]["details"].as_array().unwrap().clone()
    };
    let credit = |details: &[serde_json::Value]| {
        details
            .iter()
            .find(|d| d["table"] == "CUSTOMERS" && d["subject"] == "CREDIT_SCORE")
            .cloned()
    };
    let scored = credit(&shapes(&[])).expect("BIRTH_DATE is scored as the date it is");
    assert_eq!(scored["metric"], "KSComplement");
    assert!(
        scored["score"].as_f64().unwrap() < 0.5,
        "letter soup is no date: {scored}"
    );

    ws.write(
        "metadata.json",
        r#"{"tables": {"customers": {"columns": {"credit_score": {"sdtype": "id"}, "SEGMENT": {"sdtype": "categorical"}}}}}"#,
    );
    let with_metadata = shapes(&["--metadata", "metadata.json"]);
    assert!(
        credit(&with_metadata).is_none(),
        "the metadata leaves BIRTH_DATE out"
    );
    assert!(with_metadata.iter().any(|d| d["subject"] == "SEGMENT"));
    assert!(
        !with_metadata
            .iter()
            .any(|d| d["subject"] == "ANNUAL_INCOME"),
        "columns the metadata does not name are not scored"
    );
}

/// The dependencies section finds the links of the real rows and scores how another
/// side keeps them: all kept against the real rows themselves, a broken one named.
#[test]
fn dependencies_are_found_in_the_real_rows_and_scored() {
    let dir = tempfile::tempdir().unwrap();
    let real = common::repo().join("samples");
    // The real rows as a "run", and a copy whose ACCOUNTS lost their link to the
    // customer's home branch (BRANCH_ID shifted to the next branch) and whose CARDS
    // lost theirs to the account's type (CARD_TYPE swapped); and one whose customers'
    // emails no longer hold their names (a link with pii columns, scored apart).
    let run = dir.path().join("run");
    let broken = dir.path().join("broken");
    let nameless = dir.path().join("nameless");
    for d in [&run, &broken, &nameless] {
        std::fs::create_dir_all(d.join("oracle")).unwrap();
        for e in std::fs::read_dir(&real).unwrap() {
            let p = e.unwrap().path();
            std::fs::copy(&p, d.join("oracle").join(p.file_name().unwrap())).unwrap();
        }
    }
    // Rewrites one column of one table of a copy.
    let rewrite_in =
        |copy: &std::path::Path, file: &str, column: &str, f: &dyn Fn(&str) -> String| {
            let (header, rows) = common::read_csv(&real.join(file));
            let c = header.iter().position(|h| h == column).unwrap();
            let mut w = csv::Writer::from_path(copy.join("oracle").join(file)).unwrap();
            w.write_record(&header).unwrap();
            for mut r in rows {
                r[c] = f(&r[c]);
                w.write_record(&r).unwrap();
            }
            w.flush().unwrap();
        };
    let rewrite =
        |file: &str, column: &str, f: &dyn Fn(&str) -> String| rewrite_in(&broken, file, column, f);
    rewrite_in(&nameless, "customers.csv", "EMAIL", &|_| {
        "someone@example.com".to_string()
    });
    rewrite("accounts.csv", "BRANCH_ID", &|id| {
        (101 + (id.parse::<u32>().unwrap() - 100) % 30).to_string()
    });
    rewrite("cards.csv", "CARD_TYPE", &|t| {
        if t == "DEBIT" { "CREDIT" } else { "DEBIT" }.to_string()
    });
    let evaluate = |real: &std::path::Path, synthetic: &std::path::Path| -> serde_json::Value {
        let json = dir.path().join("e.json");
        common::ok(&[
            "evaluate",
            "--model",
            common::model().to_str().unwrap(),
            "--real",
            real.to_str().unwrap(),
            "--synthetic",
            synthetic.to_str().unwrap(),
            "--json",
            json.to_str().unwrap(),
        ]);
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap()
    };
    let itself = evaluate(&real, &run);
    // A run's own layout is accepted as the real side too.
    let run_as_real = evaluate(&run, &run);
    assert_eq!(run_as_real["overall"], itself["overall"]);
    let links = itself["dependencies"].as_array().unwrap();
    let subjects: Vec<&str> = links
        .iter()
        .map(|l| l["subject"].as_str().unwrap())
        .collect();
    for expected in [
        "CITY → REGION",
        "BRANCH_NAME holds CITY",
        "BRANCH_ID = CUSTOMERS.HOME_BRANCH_ID (fk_accounts_customer)",
        "OPEN_DATE ≥ parent.CREATED_AT + min gap",
        "parent.ACCOUNT_TYPE → CARD_TYPE (fk_cards_account)",
    ] {
        assert!(subjects.contains(&expected), "{expected} in {subjects:?}");
    }
    assert!(
        links.iter().all(|l| l["score"].as_f64() == Some(1.0)),
        "{links:?}"
    );

    let damaged = evaluate(&real, &broken);
    let link = |found: &dyn Fn(&serde_json::Value) -> bool| {
        let links = damaged["dependencies"].as_array().unwrap();
        links.iter().find(|l| found(l)).unwrap().clone()
    };
    let home = link(&|l| l["kind"] == "same ancestor");
    assert!(home["score"].as_f64().unwrap() < 0.5, "{home}");
    let card_type = link(&|l| l["subject"] == "parent.ACCOUNT_TYPE → CARD_TYPE (fk_cards_account)");
    assert!(card_type["score"].as_f64().unwrap() < 0.5, "{card_type}");
    assert!(damaged["dependencies_score"].as_f64() < itself["dependencies_score"].as_f64());

    // Links with a pii column are listed masked and scored apart from the others.
    let nameless = evaluate(&real, &nameless);
    let email = nameless["dependencies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| {
            l["kind"] == "contains" && l["private"] == true && l["score"].as_f64() < Some(0.5)
        })
        .unwrap_or_else(|| panic!("a broken masked link: {}", nameless["dependencies"]));
    assert!(
        email["subject"]
            .as_str()
            .unwrap()
            .starts_with("EMAIL holds "),
        "{email}"
    );
    assert_eq!(itself["private_dependencies_score"].as_f64(), Some(1.0));
    assert!(
        nameless["private_dependencies_score"].as_f64() < Some(0.9),
        "{nameless}"
    );
    assert_eq!(nameless["dependencies_score"], itself["dependencies_score"]);
}

#[test]
fn evaluate_without_a_run_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = common::run(&[
        "evaluate",
        "--real",
        "samples",
        "--synthetic",
        dir.path().to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("manifest.json") && stderr.contains("--model"),
        "{stderr}"
    );
}
