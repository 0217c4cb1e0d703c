//! The whole pipeline on the committed sample bank: train → generate → outputs, checked
//! from the files themselves (not from the tool's own report).

mod common;

use common::{TABLES, files, generate, read_csv, repo};
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// The key tuples of `columns` in a CSV (None where any part is empty = NULL).
fn keys(header: &[String], rows: &[Vec<String>], columns: &[&str]) -> Vec<Option<String>> {
    let idx: Vec<usize> = columns
        .iter()
        .map(|c| {
            header
                .iter()
                .position(|h| h == c)
                .unwrap_or_else(|| panic!("no column {c}"))
        })
        .collect();
    rows.iter()
        .map(|r| {
            let parts: Vec<&str> = idx.iter().map(|&i| r[i].as_str()).collect();
            (!parts.iter().any(|p| p.is_empty())).then(|| parts.join("|"))
        })
        .collect()
}

#[test]
fn every_table_is_generated_with_unique_keys_and_no_orphans() {
    let out = tempfile::tempdir().unwrap();
    let run = generate(
        out.path(),
        "all",
        &[
            "--target_table",
            "CUSTOMERS",
            "--target_rows",
            "400",
            "--include_children",
            "--seed",
            "11",
        ],
    );
    let csv: HashMap<&str, (Vec<String>, Vec<Vec<String>>)> = TABLES
        .iter()
        .map(|t| (*t, read_csv(&run.join("oracle").join(format!("{t}.csv")))))
        .collect();
    for t in TABLES {
        assert!(!csv[t].1.is_empty(), "{t} has rows");
    }
    assert_eq!(csv["customers"].1.len(), 400);

    let primary_keys: [(&str, &[&str]); 7] = [
        ("branches", &["BRANCH_ID"]),
        ("customers", &["CUSTOMER_ID"]),
        ("accounts", &["ACCOUNT_ID"]),
        ("transactions", &["TXN_ID"]),
        ("cards", &["CARD_NUMBER"]),
        ("statements", &["ACCOUNT_ID", "STATEMENT_MONTH"]),
        (
            "statement_lines",
            &["ACCOUNT_ID", "STATEMENT_MONTH", "LINE_NO"],
        ),
    ];
    let mut key_sets: HashMap<&str, HashSet<String>> = HashMap::new();
    for (t, pk) in primary_keys {
        let (h, rows) = &csv[t];
        let ks = keys(h, rows, pk);
        let set: HashSet<String> = ks
            .iter()
            .map(|k| k.clone().expect("primary keys are never NULL"))
            .collect();
        assert_eq!(set.len(), rows.len(), "{t}: primary key ({pk:?}) unique");
        key_sets.insert(t, set);
    }

    // (child, child columns, parent, nullable)
    let fks: [(&str, &[&str], &str, bool); 8] = [
        ("customers", &["HOME_BRANCH_ID"], "branches", false),
        ("customers", &["REFERRED_BY"], "customers", true),
        ("accounts", &["CUSTOMER_ID"], "customers", false),
        ("accounts", &["BRANCH_ID"], "branches", false),
        ("transactions", &["ACCOUNT_ID"], "accounts", false),
        ("cards", &["ACCOUNT_ID"], "accounts", false),
        ("statements", &["ACCOUNT_ID"], "accounts", false),
        (
            "statement_lines",
            &["ACCOUNT_ID", "STATEMENT_MONTH"],
            "statements",
            false,
        ),
    ];
    for (child, cols, parent, nullable) in fks {
        let (h, rows) = &csv[child];
        let refs = keys(h, rows, cols);
        let nulls = refs.iter().filter(|k| k.is_none()).count();
        assert!(nullable || nulls == 0, "{child}.{cols:?} has no NULLs");
        let orphans = refs
            .iter()
            .flatten()
            .filter(|k| !key_sets[parent].contains(*k))
            .count();
        assert_eq!(orphans, 0, "{child}.{cols:?} → {parent}: no orphans");
    }

    // The self-reference points at earlier customers only, and some are set.
    let (h, rows) = &csv["customers"];
    let id = h.iter().position(|c| c == "CUSTOMER_ID").unwrap();
    let referred = h.iter().position(|c| c == "REFERRED_BY").unwrap();
    let mut referrals = 0;
    for r in rows {
        if !r[referred].is_empty() {
            referrals += 1;
            assert!(r[referred].parse::<i64>().unwrap() < r[id].parse::<i64>().unwrap());
        }
    }
    assert!(
        referrals > 20,
        "the learned referral rate (~23%) shows: {referrals}"
    );

    // Both parents of ACCOUNTS are used: several branches hold accounts.
    let (h, rows) = &csv["accounts"];
    let branch = h.iter().position(|c| c == "BRANCH_ID").unwrap();
    let branches: HashSet<&String> = rows.iter().map(|r| &r[branch]).collect();
    assert!(branches.len() > 3);

    // Fan-out keeps its zeros: some accounts have no transactions.
    let (h, rows) = &csv["transactions"];
    let acc = h.iter().position(|c| c == "ACCOUNT_ID").unwrap();
    let with_txns: HashSet<&String> = rows.iter().map(|r| &r[acc]).collect();
    assert!(with_txns.len() < csv["accounts"].1.len());
}

#[test]
fn the_target_gets_exactly_its_rows_and_parents_follow_the_fan_out() {
    let out = tempfile::tempdir().unwrap();
    let run = generate(
        out.path(),
        "exact",
        &["--target_table", "TRANSACTIONS", "--target_rows", "3001"],
    );
    assert_eq!(read_csv(&run.join("oracle/transactions.csv")).1.len(), 3001);
    let accounts = read_csv(&run.join("oracle/accounts.csv")).1.len();
    // ~7.6 transactions per account were learned.
    assert!(
        (300..=500).contains(&accounts),
        "{accounts} accounts for 3001 transactions"
    );
    assert!(
        !run.join("oracle/cards.csv").exists(),
        "children are not generated unless asked"
    );

    let run = generate(
        out.path(),
        "overrides",
        &[
            "--target_table",
            "TRANSACTIONS",
            "--target_rows",
            "500",
            "--table_rows",
            "accounts:50,customers:20",
            "--parent_scale",
            "2",
        ],
    );
    assert_eq!(read_csv(&run.join("oracle/accounts.csv")).1.len(), 50);
    assert_eq!(read_csv(&run.join("oracle/customers.csv")).1.len(), 20);
    assert_eq!(read_csv(&run.join("oracle/transactions.csv")).1.len(), 500);
}

#[test]
fn the_output_tree_is_exactly_the_documented_one() {
    let out = tempfile::tempdir().unwrap();
    let run = generate(
        out.path(),
        "tree",
        &["--target_table", "ACCOUNTS", "--target_rows", "50"],
    );
    let mut expected = vec![
        "ddl/hive_load.sql".to_string(),
        "ddl/oracle_load.sql".to_string(),
        "manifest.json".to_string(),
        "report/quality.json".to_string(),
        "report/quality.md".to_string(),
    ];
    for t in ["branches", "customers", "accounts"] {
        expected.push(format!("hive/{t}/{t}.parquet"));
        expected.push(format!("oracle/{t}.csv"));
        expected.push(format!("oracle/{t}.ctl"));
    }
    expected.sort();
    assert_eq!(files(&run), expected);
    let leftovers: Vec<_> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        leftovers,
        vec!["tree"],
        "no staging directory is left behind"
    );

    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(run.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["seed"], 42, "the default seed is recorded");
    assert_eq!(
        manifest["generation_order"],
        serde_json::json!(["BRANCHES", "CUSTOMERS", "ACCOUNTS"])
    );
    let listed: Vec<&str> = manifest["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        listed.len(),
        expected.len() - 1,
        "every file but the manifest itself is listed"
    );
    for f in manifest["files"].as_array().unwrap() {
        let bytes = std::fs::metadata(run.join(f["path"].as_str().unwrap()))
            .unwrap()
            .len();
        assert_eq!(f["bytes"].as_u64().unwrap(), bytes);
        assert_eq!(f["sha256"].as_str().unwrap().len(), 64);
    }
}

fn run_bytes(run: &Path) -> Vec<(String, Vec<u8>)> {
    files(run)
        .into_iter()
        .map(|f| {
            let bytes = std::fs::read(run.join(&f)).unwrap();
            (f, bytes)
        })
        .collect()
}

#[test]
fn same_seed_gives_byte_identical_runs_whatever_the_thread_count() {
    let a = tempfile::tempdir().unwrap();
    let args = |threads: &'static str, seed: &'static str| {
        vec![
            "--target_table",
            "CUSTOMERS",
            "--target_rows",
            "700",
            "--include_children",
            "--seed",
            seed,
            "--hive_location",
            "hdfs:///data/core",
            "--threads",
            threads,
        ]
    };
    let one = generate(a.path(), "det", &args("1", "5"));
    let x = run_bytes(&one);
    for threads in ["2", "3"] {
        let other = tempfile::tempdir().unwrap();
        let run = generate(other.path(), "det", &args(threads, "5"));
        let y = run_bytes(&run);
        assert_eq!(x.len(), y.len());
        for ((fx, bx), (fy, by)) in x.iter().zip(&y) {
            assert_eq!(fx, fy);
            assert!(bx == by, "{fx} differs between 1 and {threads} threads");
        }
    }

    let other = generate(a.path(), "other-seed", &args("2", "6"));
    for f in [
        "oracle/transactions.csv",
        "hive/customers/customers.parquet",
    ] {
        assert_ne!(
            std::fs::read(one.join(f)).unwrap(),
            std::fs::read(other.join(f)).unwrap(),
            "{f}"
        );
    }
}

#[test]
fn oracle_ddl_columns_match_the_csv_headers() {
    let out = tempfile::tempdir().unwrap();
    let run = generate(
        out.path(),
        "ddl",
        &[
            "--target_table",
            "CUSTOMERS",
            "--target_rows",
            "30",
            "--include_children",
        ],
    );
    let ddl = std::fs::read_to_string(run.join("ddl/oracle_load.sql")).unwrap();
    for t in TABLES {
        let start = ddl
            .find(&format!("CREATE TABLE \"{}\" (", t.to_uppercase()))
            .unwrap_or_else(|| panic!("{t} is created"));
        let body = &ddl[start..start + ddl[start..].find("\n);").unwrap()];
        let columns: Vec<String> = body
            .lines()
            .skip(1)
            .filter(|l| !l.trim_start().starts_with("CONSTRAINT"))
            .map(|l| l.trim().split('"').nth(1).unwrap().to_string())
            .collect();
        let (header, _) = read_csv(&run.join(format!("oracle/{t}.csv")));
        assert_eq!(columns, header, "{t}");
        assert!(body.contains("PRIMARY KEY"), "{t} has its primary key");
    }
    // Parents are created before children; foreign keys come after all tables.
    let pos = |s: &str| ddl.find(s).unwrap();
    assert!(pos("CREATE TABLE \"STATEMENTS\"") < pos("CREATE TABLE \"STATEMENT_LINES\""));
    assert!(pos("CREATE TABLE \"STATEMENT_LINES\"") < pos("ALTER TABLE"));
    assert!(ddl.contains(
        "FOREIGN KEY (\"ACCOUNT_ID\", \"STATEMENT_MONTH\") REFERENCES \"STATEMENTS\" (\"ACCOUNT_ID\", \"STATEMENT_MONTH\")"
    ));
    // The restricted column is nowhere.
    assert!(!ddl.contains("AML_RISK_RATING"));
}

/// The README's command blocks that start with `prefix`, line continuations joined.
fn readme_commands(readme: &str, prefix: &str) -> Vec<String> {
    readme
        .split("```")
        .skip(1)
        .step_by(2)
        .map(|b| b.trim_start_matches("bash").replace("\\\n", " "))
        .map(|b| b.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|b| b.starts_with(prefix))
        .collect()
}

#[test]
fn the_quick_start_works_verbatim() {
    let dir = tempfile::tempdir().unwrap();
    let root = repo();
    for d in ["samples", "configs"] {
        std::os::unix::fs::symlink(root.join(d), dir.path().join(d)).unwrap();
    }
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    for prefix in [
        "bank_synth train --source samples",
        "bank_synth generate",
        "bank_synth info",
    ] {
        let commands = readme_commands(&readme, prefix);
        assert!(!commands.is_empty(), "README shows `{prefix}`");
        let args: Vec<&str> = commands[0].split_whitespace().skip(1).collect();
        let out = common::run_in(dir.path(), &args);
        assert!(
            out.status.success(),
            "{}\n{}",
            commands[0],
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert!(
        dir.path()
            .join("models/CORE_modelpack/modelpack.json")
            .exists()
    );
    assert_eq!(
        std::fs::read_dir(dir.path().join("output"))
            .unwrap()
            .count(),
        1
    );
}

#[test]
fn parquet_samples_train_the_same_model_as_csv_samples() {
    let dir = tempfile::tempdir().unwrap();
    let parquet = dir.path().join("parquet");
    common::ok(&[
        "samples",
        "--out",
        parquet.to_str().unwrap(),
        "--format",
        "parquet",
    ]);
    assert!(parquet.join("customers.parquet").exists());
    let csv = dir.path().join("csv");
    common::ok(&["samples", "--out", csv.to_str().unwrap()]);
    for (a, b) in [("parquet", &parquet), ("csv", &csv)] {
        common::train(b, &dir.path().join(format!("pack_{a}")));
    }
    let load = |name: &str| -> serde_json::Value {
        let text = std::fs::read_to_string(dir.path().join(name).join("modelpack.json")).unwrap();
        let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
        v["tables"].take()
    };
    assert_eq!(load("pack_parquet"), load("pack_csv"));
    // The committed samples are the default `bank_synth samples` output.
    for t in TABLES {
        let committed = std::fs::read(repo().join("samples").join(format!("{t}.csv"))).unwrap();
        assert!(
            committed == std::fs::read(csv.join(format!("{t}.csv"))).unwrap(),
            "samples/{t}.csv is stale"
        );
    }
}

#[test]
fn a_subset_of_tables_trains_and_skips_relationships_to_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let pack = dir.path().join("pack");
    let out = common::run(&[
        "train",
        "--schema",
        "CORE",
        "--sample_dir",
        "samples",
        "--tables",
        "customers,ACCOUNTS,Transactions",
        "--relationships",
        "configs/relationships.yaml",
        "--privacy_policy",
        "configs/privacy.yaml",
        "--sample_strategy",
        "percent:50",
        "--model_out",
        pack.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains(
            "relationship fk_accounts_branch skipped: table BRANCHES is not being trained"
        ),
        "{stderr}"
    );
    let text = std::fs::read_to_string(pack.join("modelpack.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let tables: Vec<&str> = v["tables"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(tables, ["CUSTOMERS", "ACCOUNTS", "TRANSACTIONS"]);
    assert_eq!(v["provenance"]["sample_strategy"], "percent:50");
    let rows = v["tables"][0]["sample_rows"].as_u64().unwrap();
    assert!(
        (400..600).contains(&rows),
        "about half of 1000 customers: {rows}"
    );
}

fn fanout_mean(pack: &Path, relationship: &str) -> f64 {
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(pack.join("modelpack.json")).unwrap())
            .unwrap();
    let r = v["relationships"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == relationship)
        .unwrap();
    r["fanout"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i[0].as_f64().unwrap() * i[1].as_f64().unwrap())
        .sum()
}

#[test]
fn sampling_keeps_whole_families_so_keys_and_fan_out_survive() {
    let dir = tempfile::tempdir().unwrap();
    let sampled = dir.path().join("sampled");
    let mut args = common::train_args(Path::new("samples"), Path::new("configs"), &sampled);
    args.extend(["--sample_strategy".into(), "rows:2000".into()]);
    let out = common::run(&args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    for fk in [
        "fk_accounts_customer",
        "fk_transactions_account",
        "fk_statement_lines_statement",
    ] {
        assert!(
            !stderr.contains(&format!("warning: {fk}:")),
            "no orphans through {fk}: {stderr}"
        );
    }
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(sampled.join("modelpack.json")).unwrap())
            .unwrap();
    assert!(
        v["tables"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["sample_rows"].as_u64().unwrap() <= 2000)
    );
    for fk in [
        "fk_accounts_customer",
        "fk_transactions_account",
        "fk_statements_account",
    ] {
        let (full, part) = (fanout_mean(common::model(), fk), fanout_mean(&sampled, fk));
        assert!(
            (part - full).abs() / full < 0.15,
            "{fk}: fan-out {part:.2} from the sample vs {full:.2} from all rows"
        );
    }
}

#[test]
fn learned_business_rules_hold_on_every_generated_row() {
    let out = tempfile::tempdir().unwrap();
    let run = generate(
        out.path(),
        "rules",
        &[
            "--target_table",
            "CUSTOMERS",
            "--target_rows",
            "600",
            "--include_children",
            "--seed",
            "21",
        ],
    );
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(run.join("report/quality.json")).unwrap())
            .unwrap();
    let rules = report["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["rule"].as_str().unwrap()).collect();
    for expected in [
        "determined:REGION:CITY",
        "sign:AMOUNT:TXN_TYPE",
        "presence:MCC:CHANNEL",
        "presence:OVERDRAFT_LIMIT:ACCOUNT_TYPE",
        "not_before:OPEN_DATE:parent.CREATED_AT",
        "not_before:TXN_TS:parent.OPEN_DATE",
    ] {
        assert!(ids.contains(&expected), "{expected} was learned: {ids:?}");
    }
    for r in rules {
        assert!(r["checked"].as_u64().unwrap() > 0, "{r}");
        assert_eq!(r["violations"], 0, "{r}");
    }

    // The same rules, checked from the files.
    let col = |h: &[String], name: &str| h.iter().position(|c| c == name).unwrap();
    let (h, txns) = read_csv(&run.join("oracle/transactions.csv"));
    let (amount, kind, channel, mcc) = (
        col(&h, "AMOUNT"),
        col(&h, "TXN_TYPE"),
        col(&h, "CHANNEL"),
        col(&h, "MCC"),
    );
    for t in &txns {
        assert_eq!(t[amount].starts_with('-'), t[kind] == "DEBIT", "{t:?}");
        assert_eq!(!t[mcc].is_empty(), t[channel] == "CARD", "{t:?}");
    }
    let (h, customers) = read_csv(&run.join("oracle/customers.csv"));
    let created: HashMap<&String, &String> = customers
        .iter()
        .map(|r| (&r[col(&h, "CUSTOMER_ID")], &r[col(&h, "CREATED_AT")]))
        .collect();
    let (h, accounts) = read_csv(&run.join("oracle/accounts.csv"));
    for a in &accounts {
        let customer_day = &created[&a[col(&h, "CUSTOMER_ID")]][..10];
        assert!(a[col(&h, "OPEN_DATE")].as_str() >= customer_day, "{a:?}");
    }
    // Fan-out follows the parent's category: PRIVATE customers have more accounts.
    let (hc, _) = read_csv(&run.join("oracle/customers.csv"));
    let segment: HashMap<&String, &String> = customers
        .iter()
        .map(|r| (&r[col(&hc, "CUSTOMER_ID")], &r[col(&hc, "SEGMENT")]))
        .collect();
    let mut per_segment: HashMap<&str, (usize, usize)> = HashMap::new();
    for c in &customers {
        per_segment
            .entry(c[col(&hc, "SEGMENT")].as_str())
            .or_default()
            .0 += 1;
    }
    for a in &accounts {
        per_segment
            .get_mut(segment[&a[col(&h, "CUSTOMER_ID")]].as_str())
            .unwrap()
            .1 += 1;
    }
    let mean = |s: &str| per_segment[s].1 as f64 / per_segment[s].0 as f64;
    assert!(mean("PRIVATE") > 1.8 * mean("RETAIL"), "{per_segment:?}");
}

#[test]
fn a_rule_can_be_switched_off_in_tables_yaml() {
    let dir = tempfile::tempdir().unwrap();
    let tables = std::fs::read_to_string(repo().join("configs/tables.yaml"))
        .unwrap()
        .replace("  TRANSACTIONS:\n    primary_key: [TXN_ID]\n", "  TRANSACTIONS:\n    primary_key: [TXN_ID]\n    disabled_rules: [\"sign:AMOUNT:TXN_TYPE\"]\n");
    assert!(tables.contains("disabled_rules"));
    std::fs::write(dir.path().join("tables.yaml"), tables).unwrap();
    let pack = dir.path().join("pack");
    common::ok(&[
        "train",
        "--schema",
        "CORE",
        "--sample_dir",
        "samples",
        "--tables_file",
        dir.path().join("tables.yaml").to_str().unwrap(),
        "--relationships",
        "configs/relationships.yaml",
        "--privacy_policy",
        "configs/privacy.yaml",
        "--model_out",
        pack.to_str().unwrap(),
    ]);
    // Rule ids as `info` lists them: kind, column, condition(s).
    let rules = |pack: &Path| -> Vec<String> {
        let pack = bank_synth_core::ModelPack::load(pack).unwrap();
        pack.tables
            .iter()
            .flat_map(|t| t.rules.iter().map(|r| format!("{}:{}", t.name, r.id())))
            .collect()
    };
    let (off, on) = (rules(&pack), rules(common::model()));
    let switched_off = "TRANSACTIONS:sign:AMOUNT:TXN_TYPE".to_string();
    assert!(on.contains(&switched_off), "{on:?}");
    assert!(!off.contains(&switched_off), "the rule is off: {off:?}");
    assert!(
        off.contains(&"TRANSACTIONS:presence:MCC:CHANNEL".to_string()),
        "other rules stay: {off:?}"
    );
    assert!(
        off.contains(&"STATEMENT_LINES:sign:AMOUNT:LINE_TYPE".to_string()),
        "the same id in another table stays: {off:?}"
    );
}

#[test]
fn an_unknown_rule_id_in_disabled_rules_is_an_error_with_a_did_you_mean() {
    let ws = common::Workspace::new();
    ws.edit("configs/tables.yaml", |t| {
        t.replace(
            "  TRANSACTIONS:\n    primary_key: [TXN_ID]\n",
            "  TRANSACTIONS:\n    primary_key: [TXN_ID]\n    disabled_rules: [\"sign:AMOUNT:TXN_TYP\"]\n",
        )
    });
    common::fails(
        &ws.train(),
        1,
        &[
            "tables.yaml",
            "TRANSACTIONS",
            "sign:AMOUNT:TXN_TYP",
            "did you mean `sign:AMOUNT:TXN_TYPE`",
        ],
    );
    assert!(!ws.path("pack").exists());
    // Ids match case-insensitively, like every other name in the configs.
    ws.edit("configs/tables.yaml", |t| {
        t.replace("sign:AMOUNT:TXN_TYP\"", "SIGN:amount:txn_type\"")
    });
    let out = ws.train();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pack = bank_synth_core::ModelPack::load(&ws.path("pack")).unwrap();
    let ids: Vec<String> = pack
        .table("TRANSACTIONS")
        .unwrap()
        .rules
        .iter()
        .map(|r| r.id())
        .collect();
    assert!(
        !ids.contains(&"sign:AMOUNT:TXN_TYPE".to_string()),
        "{ids:?}"
    );
}
