//! What makes a test environment look real, through the real binary: reference tables
//! replayed as they are, public text keeping its values while private text keeps none,
//! one made-up person per row, diamonds closed, and types that a few bad values do not
//! derail (with a warning that names no value).

mod common;

use common::{Workspace, fails, read_csv, run_in};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;

/// The records of `table` in a run's Oracle CSV, by column name.
fn table(run: &Path, table: &str) -> Vec<HashMap<String, String>> {
    let (header, rows) = read_csv(&run.join("oracle").join(format!("{table}.csv")));
    rows.into_iter()
        .map(|r| header.iter().cloned().zip(r).collect())
        .collect()
}

fn generate_in(ws: &Workspace, args: &[&str]) -> std::process::Output {
    let mut all = vec![
        "generate",
        "--model",
        "pack",
        "--output_dir",
        "out",
        "--run_id",
        "r",
    ];
    all.extend_from_slice(args);
    run_in(ws.path("").as_path(), &all)
}

#[test]
fn reference_tables_are_replayed_as_they_are() {
    let ws = Workspace::new();
    assert!(ws.train().status.success());
    let info = run_in(&ws.path(""), &["info", "--model", "pack", "--wide"]);
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(
        info.contains("reference table: its 30 rows replayed"),
        "info lists BRANCHES as a reference table:\n{info}"
    );
    let out = generate_in(
        &ws,
        &["--target_table", "CUSTOMERS", "--target_rows", "300"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (_, sample) = read_csv(&ws.path("samples/branches.csv"));
    let generated = table(&ws.path("out/r"), "branches");
    let as_rows: BTreeSet<Vec<String>> = generated
        .iter()
        .map(|r| {
            ["BRANCH_ID", "BRANCH_NAME", "CITY", "REGION", "OPENED_DATE"]
                .iter()
                .map(|c| r[*c].clone())
                .collect()
        })
        .collect();
    assert_eq!(
        as_rows,
        sample.into_iter().collect(),
        "every branch as it is in the sample"
    );

    // More rows than it holds: a clear error naming the table and its size.
    std::fs::remove_dir_all(ws.path("out")).unwrap();
    let too_many = generate_in(
        &ws,
        &[
            "--target_table",
            "CUSTOMERS",
            "--target_rows",
            "10",
            "--table_rows",
            "BRANCHES:31",
        ],
    );
    fails(
        &too_many,
        2,
        &["BRANCHES", "reference table", "30 rows", "reference: false"],
    );
    // Fewer: whole rows of the sample.
    let five = generate_in(&ws, &["--target_table", "BRANCHES", "--target_rows", "5"]);
    assert!(
        five.status.success(),
        "{}",
        String::from_utf8_lossy(&five.stderr)
    );
    let ids: HashSet<String> = table(&ws.path("out/r"), "branches")
        .into_iter()
        .map(|r| r["BRANCH_ID"].clone())
        .collect();
    assert_eq!(ids.len(), 5);
    assert!(
        generated
            .iter()
            .filter(|r| ids.contains(&r["BRANCH_ID"]))
            .count()
            == 5
    );
}

#[test]
fn a_table_with_a_column_that_cannot_be_made_up_is_never_kept() {
    let ws = Workspace::new();
    ws.edit("configs/tables.yaml", |t| {
        t.replace(
            "  CUSTOMERS:\n    primary_key: [CUSTOMER_ID]\n",
            "  CUSTOMERS:\n    primary_key: [CUSTOMER_ID]\n    reference: true\n",
        )
    });
    fails(
        &ws.train(),
        1,
        &["CUSTOMERS", "reference: true", "is internal"],
    );
    assert!(!ws.path("pack").exists());

    // And `reference: false` models a table that would be one.
    let ws = Workspace::new();
    ws.edit("configs/tables.yaml", |t| {
        t.replace(
            "  BRANCHES:\n    primary_key: [BRANCH_ID]\n",
            "  BRANCHES:\n    primary_key: [BRANCH_ID]\n    reference: false\n",
        )
    });
    assert!(ws.train().status.success());
    let pack = bank_synth_core::ModelPack::load(&ws.path("pack")).unwrap();
    assert!(pack.table("BRANCHES").unwrap().reference_rows.is_none());
}

#[test]
fn public_text_keeps_its_values_and_private_text_keeps_none() {
    let ws = Workspace::new();
    // Three text columns: a public one of 2,500 names (kept as seen), the public free
    // text DESCRIPTION (over 10,000 values: its leading phrases are kept, the tails
    // generated), and a sensitive one whose values must never show.
    let (header, rows) = read_csv(&ws.path("samples/transactions.csv"));
    let d = header.iter().position(|h| h == "DESCRIPTION").unwrap();
    let mut w = csv::Writer::from_path(ws.path("samples/transactions.csv")).unwrap();
    let mut header = header.clone();
    header.extend(["PAYEE".into(), "REFERENCE".into()]);
    w.write_record(&header).unwrap();
    for (i, mut r) in rows.into_iter().enumerate() {
        r.push(format!("Payee {} Ltd", i % 2500));
        r.push(secret(i));
        w.write_record(&r).unwrap();
    }
    w.flush().unwrap();
    ws.edit("configs/privacy.yaml", |p| {
        format!("{p}  TRANSACTIONS:\n    reference: {{level: sensitive}}\n")
    });
    let trained = ws.train();
    assert!(
        trained.status.success(),
        "{}",
        String::from_utf8_lossy(&trained.stderr)
    );
    let out = generate_in(
        &ws,
        &["--target_table", "TRANSACTIONS", "--target_rows", "2000"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (_, sample) = read_csv(&ws.path("samples/transactions.csv"));
    let payees: HashSet<&String> = sample.iter().map(|r| &r[r.len() - 2]).collect();
    let phrase = |s: &str| {
        bank_synth_core::model::template_parts(s, false)
            .0
            .to_string()
    };
    let phrases: HashSet<String> = sample.iter().map(|r| phrase(&r[d])).collect();
    let generated = table(&ws.path("out/r"), "transactions");
    assert!(
        generated.iter().all(|r| payees.contains(&r["PAYEE"])),
        "public names come from the values seen"
    );
    assert!(
        generated
            .iter()
            .all(|r| phrases.contains(&phrase(&r["DESCRIPTION"]))),
        "free text keeps its leading phrases"
    );
    // A format keeps character classes (and constant parts), never a value.
    let pack = std::fs::read_to_string(ws.path("pack/modelpack.json")).unwrap();
    let secrets: HashSet<String> = (0..sample.len()).map(secret).collect();
    assert!(
        secrets.iter().all(|s| !pack.contains(s.as_str())),
        "no sensitive value in the pack"
    );
    assert!(generated.iter().all(|r| !secrets.contains(&r["REFERENCE"])));
}

/// A sensitive reference that shares no characters by position with the others.
fn secret(i: usize) -> String {
    let mut x = (i as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    x ^= x >> 29;
    format!("{x:016X}")
}

#[test]
fn each_row_is_one_made_up_person_with_unique_identifiers() {
    let ws = Workspace::new();
    assert!(ws.train().status.success());
    let out = generate_in(
        &ws,
        &["--target_table", "CUSTOMERS", "--target_rows", "3000"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let customers = table(&ws.path("out/r"), "customers");
    let ascii = |s: &str| -> String {
        s.chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase()
    };
    for c in &customers {
        let local = c["EMAIL"].split('@').next().unwrap();
        let expected = format!("{}.{}", ascii(&c["FIRST_NAME"]), ascii(&c["LAST_NAME"]));
        assert!(
            local.starts_with(&expected),
            "{local} is made from {expected}"
        );
    }
    for unique in ["EMAIL", "SSN"] {
        let distinct: HashSet<&String> = customers.iter().map(|c| &c[unique]).collect();
        assert_eq!(distinct.len(), customers.len(), "{unique} repeats");
    }
}

#[test]
fn an_account_sits_at_its_customers_home_branch_as_often_as_in_the_sample() {
    let ws = Workspace::new();
    assert!(ws.train().status.success());
    let share = |customers: &[HashMap<String, String>], accounts: &[HashMap<String, String>]| {
        let home: HashMap<&String, &String> = customers
            .iter()
            .map(|c| (&c["CUSTOMER_ID"], &c["HOME_BRANCH_ID"]))
            .collect();
        let same = accounts
            .iter()
            .filter(|a| home[&a["CUSTOMER_ID"]] == &a["BRANCH_ID"])
            .count();
        same as f64 / accounts.len() as f64
    };
    let csv_rows = |file: &str| -> Vec<HashMap<String, String>> {
        let (header, rows) = read_csv(&ws.path(file));
        rows.into_iter()
            .map(|r| header.iter().cloned().zip(r).collect())
            .collect()
    };
    let real = share(
        &csv_rows("samples/customers.csv"),
        &csv_rows("samples/accounts.csv"),
    );
    let out = generate_in(
        &ws,
        &["--target_table", "ACCOUNTS", "--target_rows", "5000"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let run = ws.path("out/r");
    let synthetic = share(&table(&run, "customers"), &table(&run, "accounts"));
    assert!(
        real > 0.7,
        "the sample bank's accounts mostly sit at the home branch: {real}"
    );
    assert!(
        (synthetic - real).abs() < 0.03,
        "synthetic share {synthetic:.3}, sample {real:.3}"
    );
}

#[test]
fn a_few_bad_values_do_not_change_a_type_and_are_reported_without_their_value() {
    let ws = Workspace::new();
    ws.edit("samples/customers.csv", |t| {
        let mut lines: Vec<String> = t.lines().map(String::from).collect();
        // BIRTH_DATE of the 10th customer (line 11) in another format.
        let mut fields: Vec<String> = lines[10].split(',').map(String::from).collect();
        fields[5] = "03/15/1970".into();
        lines[10] = fields.join(",");
        lines.join("\n") + "\n"
    });
    let out = ws.train();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{stderr}");
    for needle in [
        "BIRTH_DATE",
        "CUSTOMERS",
        "1 of 1000",
        "customers.csv:11",
        "strict reading, the `strict` setting, makes this an error",
    ] {
        assert!(
            stderr.contains(needle),
            "`{needle}` in the warning:\n{stderr}"
        );
    }
    let pack = std::fs::read_to_string(ws.path("pack/modelpack.json")).unwrap();
    assert!(!stderr.contains("03/15/1970") && !pack.contains("03/15/1970"));
    let model = bank_synth_core::ModelPack::load(&ws.path("pack")).unwrap();
    let birth = model
        .table("CUSTOMERS")
        .unwrap()
        .column("BIRTH_DATE")
        .unwrap();
    assert_eq!(birth.logical_type, bank_synth_core::LogicalType::Date);

    std::fs::remove_dir_all(ws.path("pack")).unwrap();
    let strict = run_in(
        &ws.path(""),
        &[
            common::train_args(
                Path::new("samples"),
                Path::new("configs"),
                Path::new("pack"),
            ),
            vec!["--strict".into()],
        ]
        .concat(),
    );
    let msg = fails(&strict, 1, &["customers.csv", "11", "BIRTH_DATE", "date"]);
    assert!(!msg.contains("03/15/1970"));
    assert!(!ws.path("pack").exists(), "a refused train writes no pack");
}
