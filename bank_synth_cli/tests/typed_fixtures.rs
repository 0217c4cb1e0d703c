//! Typed fixtures against the CLI: the consumer crate's committed model pack is what
//! `train` makes of the committed samples, and its typed rows are the rows of
//! `bank_synth generate`'s files for the same pack, plan and seed.

mod common;

use bank_synth_core::ModelPack;
use bank_synth_core::fixtures::{TableRow, Value};
use bank_synth_core::output::oracle::OracleCsvWriter;
use fixture_consumer::core_fixtures::{Dataset, Fixtures, Table};
use std::path::PathBuf;

fn consumer_pack() -> PathBuf {
    common::repo().join("tests/fixture_consumer/models/CORE_modelpack")
}

#[test]
fn the_consumer_pack_is_trained_from_the_committed_samples() {
    let committed = ModelPack::load(&consumer_pack()).unwrap();
    let fresh = ModelPack::load(common::model()).unwrap();
    assert!(
        committed == fresh,
        "tests/fixture_consumer/models/CORE_modelpack is stale; refresh it with \
         `cargo run -p bank_synth_cli -- train --source samples --schema CORE --sample_dir samples \
         --tables_file configs/tables.yaml --relationships configs/relationships.yaml \
         --privacy_policy configs/privacy.yaml --model_out tests/fixture_consumer/models/CORE_modelpack`"
    );
}

fn cells<T: TableRow>(rows: &[T]) -> Vec<Vec<Value>> {
    rows.iter().map(TableRow::to_cells).collect()
}

fn typed_tables(data: &Dataset) -> Vec<(&'static str, Vec<Vec<Value>>)> {
    vec![
        ("BRANCHES", cells(&data.branches)),
        ("CUSTOMERS", cells(&data.customers)),
        ("ACCOUNTS", cells(&data.accounts)),
        ("TRANSACTIONS", cells(&data.transactions)),
        ("CARDS", cells(&data.cards)),
        ("STATEMENTS", cells(&data.statements)),
        ("STATEMENT_LINES", cells(&data.statement_lines)),
    ]
}

#[test]
fn typed_rows_equal_the_rows_of_the_cli_files() {
    let out = tempfile::tempdir().unwrap();
    let pack_dir = consumer_pack();
    common::ok(&[
        "generate",
        "--model",
        pack_dir.to_str().unwrap(),
        "--target_table",
        "CUSTOMERS",
        "--target_rows",
        "60",
        "--include_children",
        "--table_rows",
        "BRANCHES:9",
        "--seed",
        "99",
        "--output_formats",
        "oracle",
        "--output_dir",
        out.path().to_str().unwrap(),
        "--run_id",
        "cli",
    ]);
    let data = Fixtures::seeded(99)
        .target(Table::Customers, 60)
        .include_children()
        .table_rows(Table::Branches, 9)
        .build();
    let pack = ModelPack::load(&pack_dir).unwrap();
    for (table, rows) in typed_tables(&data) {
        assert!(!rows.is_empty(), "{table} generated");
        // Write the typed rows with the CLI's own Oracle writer and compare the bytes.
        let typed = out.path().join(format!("typed_{table}.csv"));
        let mut writer = OracleCsvWriter::create(&typed, pack.table(table).unwrap()).unwrap();
        writer.write(&rows.iter().cloned().collect()).unwrap();
        writer.close().unwrap();
        let cli = out
            .path()
            .join("cli/oracle")
            .join(format!("{}.csv", table.to_lowercase()));
        let (typed, cli) = (
            std::fs::read_to_string(&typed).unwrap(),
            std::fs::read_to_string(&cli).unwrap(),
        );
        assert_eq!(typed.lines().count(), rows.len() + 1, "{table}");
        assert!(
            typed == cli,
            "{table}: typed rows differ from the CLI's file"
        );
    }
}

#[test]
fn the_codegen_command_writes_the_checked_in_module_file_and_the_pack_beside_it() {
    // tests/fixture_consumer declares this file with `mod checked_in_fixtures;` and CI
    // lints it with clippy -D warnings: what a user does with a checked-in file.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("src/checked_in_fixtures.rs");
    let said = common::ok(&[
        "codegen",
        "--model",
        consumer_pack().to_str().unwrap(),
        "--out",
        file.to_str().unwrap(),
    ]);
    assert!(
        said.contains("declare it with `mod checked_in_fixtures;`"),
        "{said}"
    );
    let code = std::fs::read_to_string(&file).unwrap();
    assert!(
        !code.contains("pub mod checked_in_fixtures"),
        "a module file holds the module's items, not a module of the same name"
    );
    let checked_in = common::repo().join("tests/fixture_consumer/src");
    for name in [
        "checked_in_fixtures.rs",
        "checked_in_fixtures.modelpack.json",
    ] {
        assert!(
            std::fs::read(dir.path().join("src").join(name)).unwrap()
                == std::fs::read(checked_in.join(name)).unwrap(),
            "tests/fixture_consumer/src/{name} is stale: rerun `bank_synth codegen --model \
             tests/fixture_consumer/models/CORE_modelpack --out \
             tests/fixture_consumer/src/checked_in_fixtures.rs`"
        );
    }
    let embedded = dir.path().join("src/checked_in_fixtures.modelpack.json");
    let pack = ModelPack::from_json(&std::fs::read_to_string(embedded).unwrap()).unwrap();
    assert_eq!(pack, ModelPack::load(&consumer_pack()).unwrap());
}
