//! Helpers shared by the core's integration tests.
#![allow(dead_code)]

use bank_synth_core::generate::{Engine, Plan, PlanRequest};
use bank_synth_core::train::{TrainInputs, train};
use bank_synth_core::{ModelPack, Value};
use std::collections::BTreeMap;
use std::path::Path;

/// Writes `files` (name, text) into `dir` and trains schema `schema` from it, with
/// whichever of tables.yaml, relationships.yaml and privacy.yaml `files` holds.
pub fn train_files(dir: &Path, schema: &str, files: &[(&str, &str)]) -> ModelPack {
    for (name, text) in files {
        std::fs::write(dir.join(name), text).unwrap();
    }
    let config = |name: &str| {
        files
            .iter()
            .any(|(n, _)| *n == name)
            .then(|| dir.join(name))
    };
    train(&TrainInputs {
        tables_file: config("tables.yaml"),
        relationships_file: config("relationships.yaml"),
        privacy_file: config("privacy.yaml"),
        ..TrainInputs::samples(schema, dir)
    })
    .unwrap()
}

/// Every planned table's rows, by name, for `rows` rows of `target` (and its
/// descendants with `include_children`).
pub fn generate(
    pack: &ModelPack,
    target: &str,
    rows: u64,
    include_children: bool,
    seed: u64,
) -> BTreeMap<String, Vec<Vec<Value>>> {
    let request = PlanRequest {
        target_table: target.into(),
        target_rows: rows,
        include_children,
        table_rows: Default::default(),
        parent_scale: 1.0,
        seed,
    };
    let plan = Plan::new(pack, &request).unwrap();
    let engine = Engine::new(pack, &plan).unwrap();
    (0..engine.table_count())
        .map(|t| {
            let name = engine.table_model(t).name.clone();
            (name, engine.rows_range(t, 0, engine.rows(t)))
        })
        .collect()
}

/// Every value alone ([`Engine::value`], which computes only what the column reads) is
/// the one its whole row holds, for a spread of rows of every table planned for `rows`
/// rows of `target`.
pub fn assert_values_alone_are_the_rows(pack: &ModelPack, target: &str, rows: u64, seed: u64) {
    let request = PlanRequest {
        target_table: target.into(),
        target_rows: rows,
        include_children: true,
        table_rows: Default::default(),
        parent_scale: 1.0,
        seed,
    };
    let plan = Plan::new(pack, &request).unwrap();
    let engine = Engine::new(pack, &plan).unwrap();
    for t in 0..engine.table_count() {
        let step = (engine.rows(t) / 50).max(1) as usize;
        for i in (0..engine.rows(t)).step_by(step) {
            for (c, value) in engine.row(t, i).iter().enumerate() {
                let name = &engine.table_model(t).name;
                assert_eq!(&engine.value(t, i, c), value, "{name} row {i} column {c}");
            }
        }
    }
}
