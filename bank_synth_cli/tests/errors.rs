//! Bad input gets one clear paragraph naming the file, line, table or column and what
//! to do; a non-zero exit (2 for command-line mistakes); no panic; nothing half-written.

mod common;

use common::{Workspace, fails, run, run_in};
use std::path::Path;
use std::process::Output;

fn trains_nothing(ws: &Workspace, code: i32, needles: &[&str]) -> String {
    let msg = fails(&ws.train(), code, needles);
    assert!(
        !ws.path("pack").exists(),
        "a failed train writes no model pack"
    );
    msg
}

#[test]
fn malformed_yaml_names_file_and_line() {
    let ws = Workspace::new();
    ws.write(
        "configs/tables.yaml",
        "tables:\n  - CUSTOMERS\n  - [ACCOUNTS\n",
    );
    trains_nothing(&ws, 1, &["configs/tables.yaml:"]);
}

/// `validate` on the workspace's configs, with its samples or without.
fn validate(ws: &Workspace, with_samples: bool) -> Output {
    let mut args = vec![
        "validate",
        "--tables_file",
        "configs/tables.yaml",
        "--relationships",
        "configs/relationships.yaml",
        "--privacy_policy",
        "configs/privacy.yaml",
    ];
    if with_samples {
        args.extend(["--sample_dir", "samples"]);
    }
    run_in(&ws.path(""), &args)
}

#[test]
fn validate_checks_what_train_checks_and_writes_nothing() {
    let ws = Workspace::new();
    for with_samples in [false, true] {
        let out = validate(&ws, with_samples);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(stdout.starts_with("valid: configs/tables.yaml"), "{stdout}");
        assert_eq!(
            stdout.contains("checked with the samples"),
            with_samples,
            "{stdout}"
        );
    }
    // The same error as train, with or without samples: a malformed file.
    ws.write(
        "configs/tables.yaml",
        "tables:\n  - CUSTOMERS\n  - [ACCOUNTS\n",
    );
    let train = fails(&ws.train(), 1, &["configs/tables.yaml:"]);
    for with_samples in [false, true] {
        assert_eq!(fails(&validate(&ws, with_samples), 1, &[]), train);
    }
    // An error only the samples can show: a switched-off rule training would not learn.
    let ws = Workspace::new();
    ws.edit("configs/tables.yaml", |t| {
        t.replace(
            "  CUSTOMERS:\n",
            "  CUSTOMERS:\n    disabled_rules: [\"not_after:BIRTH_DATE:CREATED\"]\n",
        )
    });
    assert!(validate(&ws, false).status.success());
    let train = fails(&ws.train(), 1, &["not_after:BIRTH_DATE:CREATED"]);
    assert_eq!(fails(&validate(&ws, true), 1, &[]), train);
    assert!(!ws.path("pack").exists());
}

#[test]
fn unknown_table_in_tables_yaml_gets_a_did_you_mean() {
    let ws = Workspace::new();
    ws.edit("configs/tables.yaml", |t| {
        t.replacen("  - CARDS", "  - CRADS", 1)
    });
    trains_nothing(
        &ws,
        1,
        &["configs/tables.yaml:7", "CRADS", "did you mean `CARDS`"],
    );
}

#[test]
fn unknown_column_in_privacy_yaml_gets_a_did_you_mean() {
    let ws = Workspace::new();
    ws.edit("configs/privacy.yaml", |t| {
        t.replace("    ssn: {level: pii", "    sssn: {level: pii")
    });
    trains_nothing(
        &ws,
        1,
        &[
            "configs/privacy.yaml:12",
            "SSSN",
            "CUSTOMERS",
            "did you mean `SSN`",
        ],
    );
}

#[test]
fn unknown_key_and_unknown_level_are_errors_with_suggestions() {
    let ws = Workspace::new();
    ws.edit("configs/relationships.yaml", |t| {
        t.replacen(
            "    parent_table: BRANCHES",
            "    parent_tabel: BRANCHES",
            1,
        )
    });
    trains_nothing(
        &ws,
        1,
        &[
            "relationships.yaml:5",
            "unknown key `parent_tabel`",
            "did you mean `parent_table`",
        ],
    );

    let ws = Workspace::new();
    ws.edit("configs/privacy.yaml", |t| {
        t.replace("{level: sensitive}", "{level: sensitve}")
    });
    trains_nothing(
        &ws,
        1,
        &["privacy.yaml:", "sensitve", "did you mean `sensitive`"],
    );

    let ws = Workspace::new();
    ws.edit("configs/tables.yaml", |t| {
        t.replace("faker_provider: email", "faker_provider: emial")
    });
    trains_nothing(&ws, 1, &["tables.yaml:18", "emial", "did you mean `email`"]);
}

#[test]
fn relationship_to_a_missing_table_names_the_relationship() {
    let ws = Workspace::new();
    ws.edit("configs/relationships.yaml", |t| {
        t.replacen("parent_table: BRANCHES", "parent_table: BRANCH", 1)
    });
    trains_nothing(
        &ws,
        1,
        &[
            "relationships.yaml:5",
            "fk_customers_home_branch",
            "BRANCH",
            "did you mean `BRANCHES`",
        ],
    );
}

#[test]
fn foreign_keys_must_match_their_parent_key_in_type_and_arity() {
    let ws = Workspace::new();
    ws.edit("configs/relationships.yaml", |t| {
        t.replace(
            "    child_table: CARDS\n    child_columns: [ACCOUNT_ID]",
            "    child_table: CARDS\n    child_columns: [CARD_TYPE]",
        )
    });
    trains_nothing(
        &ws,
        1,
        &[
            "fk_cards_account",
            "CARDS.CARD_TYPE",
            "text",
            "ACCOUNTS.ACCOUNT_ID",
            "integer",
        ],
    );

    let ws = Workspace::new();
    ws.edit("configs/relationships.yaml", |t| {
        t.replace(
            "child_columns: [ACCOUNT_ID, STATEMENT_MONTH]",
            "child_columns: [ACCOUNT_ID]",
        )
    });
    trains_nothing(
        &ws,
        1,
        &[
            "fk_statement_lines_statement",
            "2 parent column(s) but 1 child column(s)",
        ],
    );
}

#[test]
fn missing_or_empty_sample_files_are_named() {
    let ws = Workspace::new();
    std::fs::remove_file(ws.path("samples/cards.csv")).unwrap();
    trains_nothing(&ws, 1, &["tables.yaml:7", "CARDS", "cards.csv"]);

    let ws = Workspace::new();
    ws.write("samples/cards.csv", "");
    trains_nothing(&ws, 1, &["cards.csv", "empty"]);
}

/// A sample file with a header and no rows is a table without rows (a real database
/// has them): kept with its columns and DDL, generated with no rows, and refused as a
/// table to generate rows of.
#[test]
fn a_table_without_sample_rows_is_kept_empty() {
    let ws = Workspace::new();
    ws.write(
        "samples/cards.csv",
        "CARD_NUMBER,ACCOUNT_ID,CARD_TYPE,EXPIRY_DATE,DAILY_LIMIT\n",
    );
    let out = ws.train();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("table CARDS has no sample rows") && stderr.contains("cards.csv"),
        "{stderr}"
    );
    let pack = ws.path("pack");
    let runs = ws.path("runs");
    let generate = |target: &str, rows: &str| {
        run(&[
            "generate",
            "--model",
            pack.to_str().unwrap(),
            "--target_table",
            target,
            "--target_rows",
            rows,
            "--include_children",
            "--output_dir",
            runs.to_str().unwrap(),
            "--run_id",
            target,
        ])
    };
    let out = generate("ACCOUNTS", "50");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let cards = std::fs::read_to_string(runs.join("ACCOUNTS/oracle/cards.csv")).unwrap();
    assert_eq!(cards.lines().count(), 1, "only the header: {cards}");
    assert!(runs.join("ACCOUNTS/ddl/oracle_load.sql").exists());
    fails(
        &generate("CARDS", "10"),
        2,
        &["CARDS", "no sample rows", "retrain"],
    );
}

#[test]
fn ragged_rows_and_unparsable_values_name_the_line_and_column() {
    let ws = Workspace::new();
    ws.edit("samples/branches.csv", |t| {
        let mut lines: Vec<String> = t.lines().map(String::from).collect();
        lines[4] = "105,Somewhere Main,Boston".into();
        lines.join("\n") + "\n"
    });
    trains_nothing(&ws, 1, &["branches.csv:5", "3 fields", "5"]);

    let ws = Workspace::new();
    ws.edit("samples/accounts.csv", |t| {
        let mut lines: Vec<String> = t.lines().map(String::from).collect();
        let mut fields: Vec<String> = lines[9].split(',').map(String::from).collect();
        fields[7] = "12,5".replace(',', ";");
        lines[9] = fields.join(",");
        lines.join("\n") + "\n"
    });
    trains_nothing(&ws, 1, &["accounts.csv:10", "BALANCE", "decimal(18,2)"]);
}

#[test]
fn duplicate_primary_keys_name_both_lines() {
    let ws = Workspace::new();
    ws.edit("samples/customers.csv", |t| {
        let lines: Vec<&str> = t.lines().collect();
        let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        let dup = format!("100002{}", &lines[1][6..]);
        out.insert(4, dup);
        out.join("\n") + "\n"
    });
    trains_nothing(
        &ws,
        1,
        &[
            "customers.csv:5",
            "duplicate primary key",
            "CUSTOMER_ID",
            "line 3",
        ],
    );
}

#[test]
fn orphan_foreign_keys_in_samples_warn_with_counts_and_still_train() {
    let ws = Workspace::new();
    ws.edit("samples/accounts.csv", |t| {
        t.lines()
            .enumerate()
            .map(|(i, l)| {
                if (1..=3).contains(&i) {
                    let mut f: Vec<&str> = l.split(',').collect();
                    f[1] = "999999";
                    f.join(",")
                } else {
                    l.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
            + "\n"
    });
    let accounts = std::fs::read_to_string(ws.path("samples/accounts.csv"))
        .unwrap()
        .lines()
        .count()
        - 1;
    let out = ws.train();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let warning = format!(
        "fk_accounts_customer: 3 of {accounts} ACCOUNTS rows reference a CUSTOMERS row that is not in the sample"
    );
    assert!(stderr.contains(&format!("warning: {warning}")), "{stderr}");
    let pack = std::fs::read_to_string(ws.path("pack/modelpack.json")).unwrap();
    assert!(pack.contains(&warning));
}

fn generate_with(args: &[&str]) -> Output {
    let out = tempfile::tempdir().unwrap();
    let mut all = vec![
        "generate",
        "--model",
        common::model().to_str().unwrap(),
        "--output_dir",
        out.path().to_str().unwrap(),
    ];
    all.extend_from_slice(args);
    let result = run(&all);
    let left: Vec<_> = std::fs::read_dir(out.path()).unwrap().collect();
    assert!(
        left.is_empty() || result.status.success(),
        "a failed run leaves nothing behind"
    );
    result
}

#[test]
fn bad_generate_arguments_are_usage_errors() {
    fails(
        &generate_with(&["--target_table", "TRANSACTONS", "--target_rows", "5"]),
        2,
        &["TRANSACTONS", "did you mean `TRANSACTIONS`"],
    );
    fails(
        &generate_with(&[
            "--target_table",
            "TRANSACTIONS",
            "--target_rows",
            "5",
            "--table_rows",
            "ACCOUNTS=5",
        ]),
        2,
        &["--table_rows", "ACCOUNTS=5", "TABLE:N"],
    );
    fails(
        &generate_with(&[
            "--target_table",
            "TRANSACTIONS",
            "--target_rows",
            "5",
            "--table_rows",
            "CARDS:5",
        ]),
        2,
        &["CARDS", "does not generate"],
    );
    fails(
        &generate_with(&[
            "--target_table",
            "TRANSACTIONS",
            "--target_rows",
            "5",
            "--output_formats",
            "hive,csv",
        ]),
        2,
        &["csv"],
    );
    let ws = Workspace::new();
    let out = run_in(
        &ws.path(""),
        &[
            "train",
            "--schema",
            "CORE",
            "--sample_dir",
            "samples",
            "--sample_strategy",
            "percent:200",
            "--model_out",
            "pack",
        ],
    );
    fails(&out, 2, &["--sample_strategy", "percent:200", "rows:N"]);
    assert!(!ws.path("pack").exists());
    fails(
        &run(&[
            "generate",
            "--model",
            "/nonexistent/pack",
            "--target_table",
            "A",
            "--target_rows",
            "1",
        ]),
        1,
        &["/nonexistent/pack", "bank_synth train"],
    );
}

#[test]
fn row_counts_that_cannot_be_done_are_refused_before_anything_starts() {
    let rows = |n: &str| generate_with(&["--target_table", "TRANSACTIONS", "--target_rows", n]);
    fails(&rows("-5"), 2, &["--target_rows", "`-5`", "at least 1"]);
    fails(&rows("0"), 2, &["--target_rows", "`0`", "at least 1"]);
    fails(
        &rows("18446744073709551615"),
        2,
        &["more than the 1,000,000,000,000"],
    );
    fails(&rows("1.5"), 2, &["not a whole number of rows"]);
    // Within the limit but beyond this machine's memory (read on Linux): refused with
    // the numbers, before a single row is generated.
    #[cfg(target_os = "linux")]
    {
        let huge = fails(
            &rows("1e12"),
            2,
            &["this run plans", "of memory", "this machine has"],
        );
        assert!(
            huge.contains("plans 1,") && huge.matches(",").count() >= 4,
            "rows with thousands separators: {huge}"
        );
    }
    // Counts read with separators or in scientific notation.
    let out = generate_with(&["--target_table", "BRANCHES", "--target_rows", "1e1"]);
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("BRANCHES                    10 rows"),
        "{stdout}"
    );
}

#[test]
fn runs_started_together_get_their_own_default_ids() {
    let out = tempfile::tempdir().unwrap();
    let args = [
        "generate",
        "--model",
        common::model().to_str().unwrap(),
        "--output_dir",
        out.path().to_str().unwrap(),
        "--target_table",
        "BRANCHES",
        "--target_rows",
        "2",
    ];
    let spawn = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_bank_synth"))
            .args(args)
            .output()
            .unwrap()
    };
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(spawn);
        let b = s.spawn(spawn);
        (a.join().unwrap(), b.join().unwrap())
    });
    assert!(a.status.success() && b.status.success(), "{a:?} {b:?}");
    let runs = std::fs::read_dir(out.path()).unwrap().count();
    assert_eq!(runs, 2);
}

#[test]
fn an_existing_run_is_never_overwritten_and_unwritable_outputs_fail_cleanly() {
    let out = tempfile::tempdir().unwrap();
    let run_dir = common::generate(
        out.path(),
        "r1",
        &["--target_table", "BRANCHES", "--target_rows", "3"],
    );
    let before = std::fs::read(run_dir.join("manifest.json")).unwrap();
    let args = |dir: &Path| {
        vec![
            "generate".to_string(),
            "--model".into(),
            common::model().to_string_lossy().into_owned(),
            "--output_dir".into(),
            dir.to_string_lossy().into_owned(),
            "--run_id".into(),
            "r1".into(),
            "--target_table".into(),
            "BRANCHES".into(),
            "--target_rows".into(),
            "9".into(),
        ]
    };
    let a = args(out.path());
    fails(
        &run(&a.iter().map(String::as_str).collect::<Vec<_>>()),
        1,
        &["r1", "already exists", "--run_id"],
    );
    assert_eq!(
        std::fs::read(run_dir.join("manifest.json")).unwrap(),
        before
    );

    let file = out.path().join("not_a_dir");
    std::fs::write(&file, "x").unwrap();
    let a = args(&file.join("sub"));
    fails(
        &run(&a.iter().map(String::as_str).collect::<Vec<_>>()),
        1,
        &["not_a_dir", "--output_dir"],
    );
}

/// `generate` of TRANSACTIONS into `out` as run `id`, as a child process.
fn spawn_generate(out: &Path, id: &str, rows: &str) -> std::process::Child {
    std::process::Command::new(env!("CARGO_BIN_EXE_bank_synth"))
        .args(["generate", "--model"])
        .arg(common::model())
        .args([
            "--target_table",
            "TRANSACTIONS",
            "--target_rows",
            rows,
            "--run_id",
            id,
        ])
        .arg("--output_dir")
        .arg(out)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

#[cfg(unix)]
#[test]
fn an_interrupted_run_leaves_nothing_behind() {
    let out = tempfile::tempdir().unwrap();
    let child = spawn_generate(out.path(), "big", "50000000");
    // Wait until the run is writing (its staging directory exists), then stop it.
    let staging = out.path().join(".big.partial");
    let started = std::time::Instant::now();
    while !staging.exists() {
        assert!(started.elapsed().as_secs() < 120, "the run never started");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    std::thread::sleep(std::time::Duration::from_millis(300));
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let output = child.wait_with_output().unwrap();
    // 128 + SIGTERM; a note on the run's size may come before the error.
    assert_eq!(output.status.code(), Some(143));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let last = stderr.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("error: interrupted") && last.contains("partial output removed"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(
        common::files(out.path()),
        Vec::<String>::new(),
        "nothing is left"
    );
}

#[test]
fn a_staging_directory_left_by_a_killed_run_is_reported_and_replaced() {
    let out = tempfile::tempdir().unwrap();
    let staging = out.path().join(".again.partial");
    std::fs::create_dir_all(staging.join("hive")).unwrap();
    std::fs::write(staging.join("hive").join("stale.parquet"), "half a file").unwrap();
    let output = spawn_generate(out.path(), "again", "20")
        .wait_with_output()
        .unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(".again.partial is left from a run that was killed"),
        "{stderr}"
    );
    assert!(!staging.exists());
    let run = common::files(&out.path().join("again"));
    assert!(run.iter().all(|f| !f.contains("stale")), "{run:?}");
    assert!(
        run.iter().any(|f| f.ends_with("transactions.parquet")),
        "{run:?}"
    );
}

#[test]
fn a_damaged_model_pack_is_one_error_naming_the_place() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(common::model().join("modelpack.json")).unwrap();
    let mut pack: serde_json::Value = serde_json::from_str(&text).unwrap();
    pack["relationships"][0]["child_columns"][0] = serde_json::Value::from("NOPE");
    std::fs::write(
        dir.path().join("modelpack.json"),
        serde_json::to_string_pretty(&pack).unwrap(),
    )
    .unwrap();
    let (pack, out) = (dir.path().to_str().unwrap(), dir.path().join("runs"));
    let info = ["info", "--model", pack];
    let generate = [
        "generate",
        "--model",
        pack,
        "--output_dir",
        out.to_str().unwrap(),
        "--target_table",
        "CARDS",
        "--target_rows",
        "5",
    ];
    for args in [&info[..], &generate[..]] {
        fails(
            &run(args),
            1,
            &[
                "modelpack.json",
                "damaged model pack",
                "relationships[0]",
                "no column NOPE",
            ],
        );
    }
    assert!(!out.exists(), "nothing written");
}

#[test]
fn a_closed_stdout_is_not_a_crash() {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_bank_synth"))
        .args(["info", "--model", common::model().to_str().unwrap()])
        .stdout(writer)
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn codegen_errors_name_the_pack_or_the_module_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("fixtures.rs");
    let msg = fails(
        &run(&[
            "codegen",
            "--model",
            "no/such/pack",
            "--out",
            out.to_str().unwrap(),
        ]),
        1,
        &["no/such/pack", "bank_synth train"],
    );
    assert_eq!(msg.lines().count(), 1, "{msg}");
    fails(
        &run(&[
            "codegen",
            "--model",
            common::model().to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--module",
            "core-fixtures",
        ]),
        2,
        &["`core-fixtures` is not a Rust module name"],
    );
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "nothing written"
    );
}

#[test]
fn hints_name_the_flags_of_the_command_at_hand() {
    // The library says "the sample directory"; each command words it as its own flag.
    let dir = tempfile::tempdir().unwrap();
    let run = common::generate(
        dir.path(),
        "r",
        &["--target_table", "CUSTOMERS", "--target_rows", "3"],
    );
    let missing = dir.path().join("nope");
    let out = common::run(&[
        "evaluate".as_ref(),
        "--model".as_ref(),
        common::model().as_os_str(),
        "--real".as_ref(),
        missing.as_os_str(),
        "--synthetic".as_ref(),
        run.as_os_str(),
    ]);
    let said = common::fails(
        &out,
        1,
        &["cannot read the sample directory", "pass --real "],
    );
    assert!(!said.contains("--sample_dir"), "{said}");
    let out = common::run(&[
        "evaluate".as_ref(),
        "--model".as_ref(),
        common::model().as_os_str(),
        "--real".as_ref(),
        common::repo().join("samples").as_os_str(),
        "--synthetic".as_ref(),
        run.as_os_str(),
        "--baseline".as_ref(),
        missing.as_os_str(),
    ]);
    let said = common::fails(
        &out,
        1,
        &["cannot read the sample directory", "pass --baseline "],
    );
    assert!(!said.contains("--real"), "{said}");
    let out = common::run(&[
        "train".as_ref(),
        "--schema".as_ref(),
        "CORE".as_ref(),
        "--source".as_ref(),
        "samples".as_ref(),
        "--sample_dir".as_ref(),
        missing.as_os_str(),
        "--model_out".as_ref(),
        dir.path().join("pack").as_os_str(),
    ]);
    common::fails(
        &out,
        1,
        &["cannot read the sample directory", "pass --sample_dir "],
    );
}
