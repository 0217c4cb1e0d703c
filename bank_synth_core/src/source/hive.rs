//! Hive tables, sampled by a Spark job. Training cannot read a metastore itself: a
//! [`HiveSampler`] (the CLI's runs `spark/bank_synth_hive_sample.py` with spark-submit)
//! is given a [`HiveRequest`] — which tables, the strategy, the foreign keys families
//! follow, the columns never to read — and leaves a staging directory of
//! `<table>.parquet` files and a `schema.json` describing every table of the database,
//! which training then reads like sample files.

use super::{SampleStrategy, SampleTable};
use crate::config::RelationshipConfig;
use crate::error::{Error, Result};
use crate::model::canonical;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// What the Spark job is asked to sample.
#[derive(Debug, Clone, Default, Serialize)]
pub struct HiveRequest {
    /// The Hive database.
    pub database: String,
    /// The tables to sample; `None` samples every table not in `exclude`.
    pub tables: Option<Vec<String>>,
    /// Tables never sampled (those another source holds, with `--source both`).
    pub exclude: Vec<String>,
    /// The row selection of tables sampled on their own; `None` reads every row.
    pub strategy: Option<RequestStrategy>,
    /// The foreign keys a child may follow, in order of preference.
    pub relationships: Vec<RequestLink>,
    /// Primary keys by table, from tables.yaml (the order of `rows:N`).
    pub primary_keys: BTreeMap<String, Vec<String>>,
    /// Columns never read, by table: the job stages NULLs in their place.
    pub restricted: BTreeMap<String, Vec<String>>,
    /// Parents that are not Hive tables (Oracle's, with `--source both`): the key
    /// columns of their sampled rows, so the Hive children of those rows are kept.
    pub outside_parents: Vec<OutsideKeys>,
}

/// A row selection, as the job reads it: `{"kind": "percent", "value": 1.0}`.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct RequestStrategy {
    /// `percent` or `rows`.
    pub kind: &'static str,
    /// N.
    pub value: f64,
}

impl From<SampleStrategy> for RequestStrategy {
    fn from(s: SampleStrategy) -> Self {
        match s {
            SampleStrategy::Percent(p) => RequestStrategy {
                kind: "percent",
                value: p,
            },
            SampleStrategy::Rows(n) => RequestStrategy {
                kind: "rows",
                value: n as f64,
            },
        }
    }
}

/// A foreign key the job may follow.
#[derive(Debug, Clone, Serialize)]
pub struct RequestLink {
    /// The child table.
    pub child: String,
    /// Its key columns.
    pub child_columns: Vec<String>,
    /// The parent table.
    pub parent: String,
    /// The parent's key columns, parallel to `child_columns`.
    pub parent_columns: Vec<String>,
}

impl From<&RelationshipConfig> for RequestLink {
    fn from(r: &RelationshipConfig) -> Self {
        let all = |c: &[String]| c.iter().map(|c| canonical(c)).collect();
        RequestLink {
            child: canonical(&r.child_table),
            child_columns: all(&r.child_columns),
            parent: canonical(&r.parent_table),
            parent_columns: all(&r.parent_columns),
        }
    }
}

/// The sampled keys of a parent outside Hive.
#[derive(Debug, Clone, Serialize)]
pub struct OutsideKeys {
    /// The parent table.
    pub parent: String,
    /// The key columns (a foreign key's parent columns).
    pub columns: Vec<String>,
    /// One text tuple per sampled row (rows with a NULL key left out).
    pub rows: Vec<Vec<String>>,
}

impl OutsideKeys {
    /// The distinct values of `columns` in `sample`, the parent's.
    pub fn of(sample: &SampleTable, columns: &[String]) -> OutsideKeys {
        let cols: Vec<_> = columns
            .iter()
            .filter_map(|c| sample.column(&canonical(c)))
            .collect();
        let mut rows = BTreeSet::new();
        if cols.len() == columns.len() {
            for r in 0..sample.rows() {
                if cols.iter().all(|c| !c.values[r].is_null()) {
                    rows.insert(
                        cols.iter()
                            .map(|c| c.values[r].render(c.logical_type))
                            .collect::<Vec<_>>(),
                    );
                }
            }
        }
        OutsideKeys {
            parent: sample.name.clone(),
            columns: columns.iter().map(|c| canonical(c)).collect(),
            rows: rows.into_iter().collect(),
        }
    }
}

/// Runs the sampling job.
pub trait HiveSampler {
    /// Samples what `request` asks and returns the staging directory holding
    /// `schema.json` and one `<table>.parquet` per sampled table.
    fn sample(&mut self, request: &HiveRequest) -> Result<PathBuf>;
}

/// `schema.json`: what the job found in the metastore.
#[derive(Debug, Clone, Deserialize)]
pub struct Staged {
    /// The database read.
    pub database: String,
    /// Every table of the database, sampled or not.
    pub tables: Vec<StagedTable>,
}

/// One Hive table.
#[derive(Debug, Clone, Deserialize)]
pub struct StagedTable {
    /// The name as the metastore spells it.
    pub name: String,
    /// Its storage (parquet, orc, avro, text, …); read for sampled tables only.
    #[serde(default)]
    pub format: Option<String>,
    /// The table comment.
    #[serde(default)]
    pub comment: Option<String>,
    /// Partition columns, outermost first.
    #[serde(default)]
    pub partition_columns: Vec<String>,
    /// Every column, partition columns included.
    pub columns: Vec<StagedColumn>,
    /// Rows staged; absent for tables not sampled.
    #[serde(default)]
    pub sampled_rows: Option<u64>,
}

/// One Hive column.
#[derive(Debug, Clone, Deserialize)]
pub struct StagedColumn {
    /// The name.
    pub name: String,
    /// The Hive type, as `decimal(18,2)`.
    #[serde(rename = "type")]
    pub data_type: String,
    /// False for types bank_synth does not model (binary, arrays, maps, structs): the
    /// job left them out.
    pub modelled: bool,
}

impl Staged {
    /// Reads `dir/schema.json`.
    pub fn read(dir: &Path, database: &str) -> Result<Staged> {
        let path = dir.join("schema.json");
        let text = std::fs::read_to_string(&path).map_err(|e| Error::Database {
            database: database.to_string(),
            message: format!(
                "the Spark sampling job left no readable {} ({e}); run it again, and see its log above",
                path.display()
            )
            .into(),
        })?;
        serde_json::from_str(&text).map_err(|e| Error::Database {
            database: database.to_string(),
            message: format!(
                "{} is not what the Spark sampling job writes ({e}); the job and this bank_synth must come from the same release",
                path.display()
            )
            .into(),
        })
    }

    /// The tables, by canonical name.
    pub fn names(&self) -> Vec<String> {
        self.tables.iter().map(|t| canonical(&t.name)).collect()
    }

    /// Warnings for the columns of `tables` the job left out (types not modelled).
    pub fn skipped(&self, tables: &[String]) -> Vec<String> {
        self.tables
            .iter()
            .filter(|t| tables.contains(&canonical(&t.name)))
            .flat_map(|t| {
                t.columns.iter().filter(|c| !c.modelled).map(move |c| {
                    format!(
                        "{}.{}: Hive type {} is not modelled; the column is left out of the pack (cast it in a view to train it)",
                        canonical(&t.name),
                        canonical(&c.name),
                        c.data_type
                    )
                })
            })
            .collect()
    }
}

/// The database as messages name it.
pub fn label(database: &str) -> String {
    format!("Hive database {database}")
}
