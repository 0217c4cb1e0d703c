//! `bank_synth stream`: what `spark/bank_synth_spark.py` runs on Spark's executors. With
//! `--plan`, the plan as JSON (tables, rows, Hive column types, keys and foreign keys),
//! which the driver reads to declare each table's schema; with `--table T --shard I/N`,
//! that slice of table T as an Arrow IPC stream on standard output, which a
//! `mapInArrow` task reads batch by batch.

use crate::args::StreamArgs;
use bank_synth_core::generate::{Engine, Shard};
use bank_synth_core::output::arrow::ArrowStreamWriter;
use bank_synth_core::output::hive::hive_type;
use bank_synth_core::{Error, ModelPack};
use serde_json::json;
use std::io::Write as _;

/// Rows per Arrow batch.
const BATCH_ROWS: u64 = 65_536;

/// Runs `stream`: returns the plan's JSON, or streams the table and returns nothing.
pub fn run(a: StreamArgs) -> Result<String, Error> {
    let (pack, plan) = crate::planned(&a.plan)?;
    if a.print_plan {
        return Ok(plan_json(&pack, &plan));
    }
    let table = a.table.as_deref().unwrap_or_default();
    let t = plan
        .tables
        .iter()
        .position(|p| p.name.eq_ignore_ascii_case(table))
        .ok_or_else(|| {
            let planned: Vec<&str> = plan.tables.iter().map(|p| p.name.as_str()).collect();
            Error::Usage(
                format!(
                    "--table {table} is not planned by this run; the run plans {}",
                    planned.join(", ")
                )
                .into(),
            )
        })?;
    let engine = Engine::new(&pack, &plan)?;
    let rows = a.shard.unwrap_or(Shard::WHOLE).rows(engine.rows(t));
    let stdout = std::io::stdout().lock();
    let mut out = std::io::BufWriter::with_capacity(1 << 20, stdout);
    let mut writer = ArrowStreamWriter::new(&mut out, engine.table_model(t))?;
    // One thread: Spark runs a task per core.
    engine.for_each_chunk(t, rows, BATCH_ROWS, 1, |_, chunk| writer.write(chunk))?;
    writer.finish()?;
    out.flush()
        .map_err(|e| Error::io(std::path::Path::new("<standard output>"), e))?;
    Ok(String::new())
}

/// The plan as the Spark driver reads it.
fn plan_json(pack: &ModelPack, plan: &bank_synth_core::generate::Plan) -> String {
    let lower = |names: &[String]| -> Vec<String> {
        names.iter().map(|n| n.to_ascii_lowercase()).collect()
    };
    let tables: Vec<_> = plan
        .tables
        .iter()
        .filter_map(|planned| {
            let model = pack.table(&planned.name).ok()?;
            Some(json!({
                "name": model.name.to_ascii_lowercase(),
                "rows": planned.rows,
                "columns": model.columns.iter().map(|c| json!({
                    "name": c.name.to_ascii_lowercase(),
                    "type": hive_type(c.logical_type),
                })).collect::<Vec<_>>(),
                "primary_key": lower(&model.primary_key),
            }))
        })
        .collect();
    let planned = |name: &str| plan.table(name).is_some();
    let foreign_keys: Vec<_> = pack
        .relationships
        .iter()
        .filter(|r| planned(&r.child_table) && planned(&r.parent_table))
        .map(|r| {
            json!({
                "name": r.name,
                "child_table": r.child_table.to_ascii_lowercase(),
                "child_columns": lower(&r.child_columns),
                "parent_table": r.parent_table.to_ascii_lowercase(),
                "parent_columns": lower(&r.parent_columns),
            })
        })
        .collect();
    let plan = json!({
        "schema": pack.schema,
        "seed": plan.seed,
        "tables": tables,
        "foreign_keys": foreign_keys,
    });
    serde_json::to_string_pretty(&plan).expect("plans serialize") + "\n"
}
