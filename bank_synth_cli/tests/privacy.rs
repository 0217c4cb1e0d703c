//! Private stays private: canary values planted in the samples' pii and restricted
//! columns, and the sensitive sample values, must not reach the model pack or any output.

mod common;

use common::{files, read_csv, repo};
use std::path::Path;

/// Copies the committed samples into `dir`, replacing every value of the pii and
/// restricted columns of CUSTOMERS with a unique canary token.
fn plant_canaries(dir: &Path) {
    let samples = repo().join("samples");
    for e in std::fs::read_dir(&samples).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, dir.join(p.file_name().unwrap())).unwrap();
    }
    let (header, mut rows) = read_csv(&samples.join("customers.csv"));
    let private = ["FIRST_NAME", "LAST_NAME", "EMAIL", "SSN", "AML_RISK_RATING"];
    for (r, row) in rows.iter_mut().enumerate() {
        for col in private {
            let c = header.iter().position(|h| h == col).unwrap();
            let token = format!("CANARY{col}{r}X");
            row[c] = if col == "EMAIL" {
                format!("{}@canary.test", token.to_lowercase())
            } else {
                token.clone()
            };
        }
    }
    let mut w = csv::Writer::from_path(dir.join("customers.csv")).unwrap();
    w.write_record(&header).unwrap();
    for row in &rows {
        w.write_record(row).unwrap();
    }
    w.flush().unwrap();
}

fn all_text(dir: &Path) -> String {
    files(dir)
        .into_iter()
        .map(|f| String::from_utf8_lossy(&std::fs::read(dir.join(f)).unwrap()).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn no_private_sample_value_reaches_the_pack_or_the_outputs() {
    let work = tempfile::tempdir().unwrap();
    let samples = work.path().join("samples");
    std::fs::create_dir(&samples).unwrap();
    plant_canaries(&samples);
    let planted = std::fs::read_to_string(samples.join("customers.csv")).unwrap();
    assert!(planted.contains("CANARYSSN0X") && planted.contains("canaryemail0x@canary.test"));
    let pack = work.path().join("pack");
    common::train(&samples, &pack);
    let out = work.path().join("out");
    common::ok(&[
        "generate",
        "--model",
        pack.to_str().unwrap(),
        "--target_table",
        "CUSTOMERS",
        "--target_rows",
        "1500",
        "--include_children",
        "--output_dir",
        out.to_str().unwrap(),
        "--run_id",
        "private",
    ]);
    // Full width: a wrapped line could split a private value and hide it from the check.
    let info = common::ok(&["info", "--model", pack.to_str().unwrap(), "--wide"]);
    let code = work.path().join("code");
    common::ok(&[
        "codegen",
        "--model",
        pack.to_str().unwrap(),
        "--out",
        code.join("fixtures.rs").to_str().unwrap(),
    ]);
    let everything = format!(
        "{}\n{}\n{info}\n{}",
        all_text(&pack),
        all_text(&out),
        all_text(&code)
    )
    .to_uppercase();

    assert!(!everything.contains("CANARY"), "a canary leaked");
    assert!(
        !everything.contains("AML_RISK_RATING"),
        "the restricted column's name leaked"
    );
    for level in ["LOW", "MEDIUM", "HIGH"] {
        assert!(
            !all_text(&pack).contains(&format!("\"{level}\"")),
            "restricted values stay out of the pack"
        );
    }

    // Sensitive columns keep their format, never their values.
    let pack_text = all_text(&pack);
    let run = out.join("private");
    for (table, column) in [("accounts", "IBAN"), ("cards", "CARD_NUMBER")] {
        let (h, real) = read_csv(&samples.join(format!("{table}.csv")));
        let c = h.iter().position(|x| x == column).unwrap();
        let real: std::collections::HashSet<&String> = real.iter().map(|r| &r[c]).collect();
        let (h, generated) = read_csv(&run.join(format!("oracle/{table}.csv")));
        let g = h.iter().position(|x| x == column).unwrap();
        assert!(generated.len() > 100);
        for row in &generated {
            assert!(!real.contains(&row[g]), "a sample {column} was replayed");
            let valid = match column {
                "IBAN" => bank_synth_core::format::iban_valid(&row[g]),
                _ => bank_synth_core::format::luhn_valid(&row[g]) && row[g].len() == 16,
            };
            assert!(valid, "{column} {} keeps its check digits", row[g]);
        }
        assert!(
            real.iter().all(|v| !pack_text.contains(v.as_str())),
            "a sample {column} is in the pack"
        );
    }

    // pii columns are still filled, by faker providers.
    let (h, customers) = read_csv(&run.join("oracle/customers.csv"));
    let email = h.iter().position(|c| c == "EMAIL").unwrap();
    let ssn = h.iter().position(|c| c == "SSN").unwrap();
    assert!(
        customers
            .iter()
            .all(|r| r[email].contains('@') && r[ssn].len() == 11)
    );
}

#[test]
fn training_without_a_privacy_policy_names_the_columns_that_look_personal() {
    let dir = tempfile::tempdir().unwrap();
    // Rename the card column so only its values (Luhn-valid numbers) give it away.
    let samples = dir.path().join("samples");
    std::fs::create_dir(&samples).unwrap();
    for e in std::fs::read_dir(repo().join("samples")).unwrap() {
        let p = e.unwrap().path();
        let text = std::fs::read_to_string(&p).unwrap();
        std::fs::write(
            samples.join(p.file_name().unwrap()),
            text.replace("CARD_NUMBER", "PAN_X"),
        )
        .unwrap();
    }
    let out = common::run(&[
        "train",
        "--schema",
        "CORE",
        "--sample_dir",
        samples.to_str().unwrap(),
        "--model_out",
        dir.path().join("pack").to_str().unwrap(),
    ]);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let warning = stderr
        .lines()
        .find(|l| l.contains("no privacy policy"))
        .unwrap_or_else(|| panic!("a warning: {stderr}"));
    for named in [
        "CUSTOMERS.EMAIL (its name suggests email)",
        "CUSTOMERS.SSN",
        "CUSTOMERS.FIRST_NAME",
        "CARDS.PAN_X (its values look like payment card numbers)",
    ] {
        assert!(warning.contains(named), "{named} in: {warning}");
    }
    // A branch's city is no personal data; and no value is ever quoted.
    assert!(!warning.contains("BRANCHES.CITY"), "{warning}");
    let (header, rows) = read_csv(&repo().join("samples/customers.csv"));
    let email = header.iter().position(|h| h == "EMAIL").unwrap();
    assert!(!warning.contains(&rows[0][email]), "{warning}");

    // With a policy, only the lookalikes it does not name are reported: the sample
    // bank's policy leaves BIRTH_DATE public.
    let pack = dir.path().join("pack2");
    let out = common::run(&common::train_args(
        &repo().join("samples"),
        &repo().join("configs"),
        &pack,
    ));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let warning = stderr
        .lines()
        .find(|l| l.contains("look like personal data"))
        .unwrap_or_else(|| panic!("a warning: {stderr}"));
    assert!(
        warning.contains("privacy.yaml does not name them"),
        "{warning}"
    );
    assert!(warning.contains("CUSTOMERS.BIRTH_DATE"), "{warning}");
    assert!(!warning.contains("CUSTOMERS.EMAIL"), "{warning}");
}
