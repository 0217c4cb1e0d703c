//! Throughput of each generation stage on the committed sample bank, one generating
//! thread: the engine alone (it draws chunks on one worker thread while the calling
//! thread receives them, as `generate --threads 1` does), then each writer and the
//! quality checker on the same rows, each on the calling thread.
//! Run: `cargo bench -p bank_synth_core --features io --bench stages [-- ROWS]`.

mod common;

use common::report;

use bank_synth_core::generate::{Engine, Plan, PlanRequest, Shard};
use bank_synth_core::output::hive::HiveParquetWriter;
use bank_synth_core::output::oracle::OracleCsvWriter;
use bank_synth_core::quality::QualityChecker;
use bank_synth_core::train::{TrainInputs, train};
use std::path::Path;
use std::time::Instant;

fn main() {
    let rows: u64 = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let started = Instant::now();
    let pack = train(&TrainInputs {
        tables_file: Some(root.join("configs/tables.yaml")),
        relationships_file: Some(root.join("configs/relationships.yaml")),
        privacy_file: Some(root.join("configs/privacy.yaml")),
        ..TrainInputs::samples("CORE", root.join("samples"))
    })
    .expect("train");
    println!("train: {:.2}s", started.elapsed().as_secs_f64());

    let plan = Plan::new(
        &pack,
        &PlanRequest {
            target_table: "TRANSACTIONS".into(),
            target_rows: rows,
            include_children: false,
            table_rows: Default::default(),
            parent_scale: 1.0,
            seed: 42,
        },
    )
    .expect("plan");
    let engine = Engine::new(&pack, &plan).expect("engine");
    let t = plan
        .tables
        .iter()
        .position(|p| p.name == "TRANSACTIONS")
        .unwrap();
    let model = engine.table_model(t);
    let chunk = 131_072;
    let dir = tempfile::tempdir().unwrap();

    // The engine alone: each chunk's buffer goes back to the engine, as in generate.
    let mut generated = 0;
    let started = Instant::now();
    engine
        .for_each_chunk(t, 0..engine.rows(t), chunk, 1, |_, c| {
            generated += c.len();
            Ok(())
        })
        .unwrap();
    report("engine", rows, started);
    assert_eq!(generated as u64, engine.rows(t));

    // The same rows kept, for the writers (not timed).
    let mut chunks = Vec::new();
    engine
        .for_each_chunk(t, 0..engine.rows(t), chunk, 1, |_, c| {
            chunks.push(c.clone());
            Ok(())
        })
        .unwrap();

    let started = Instant::now();
    let mut hive = HiveParquetWriter::create(dir.path(), "t", model, Default::default()).unwrap();
    chunks.iter().for_each(|c| hive.write(c).unwrap());
    hive.close().unwrap();
    report("hive parquet writer", rows, started);

    let started = Instant::now();
    let mut csv = OracleCsvWriter::create(&dir.path().join("t.csv"), model).unwrap();
    chunks.iter().for_each(|c| csv.write(c).unwrap());
    csv.close().unwrap();
    report("oracle csv writer", rows, started);

    let started = Instant::now();
    let mut checker = QualityChecker::new(&pack, &plan, Shard::WHOLE);
    chunks.iter().for_each(|c| checker.observe(t, c));
    report("quality checker", rows, started);
}
