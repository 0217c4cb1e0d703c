//! `manifest.json`: what a run is and what it wrote — run id, tool version, model pack
//! digest, seed, every effective parameter, generation order, rows per table, and the
//! size and SHA-256 of every file.

use super::RunOptions;
use super::hive::{DEFAULT_PART_BYTES, ParquetCompression};
use crate::digest::sha256_file;
use crate::error::{Error, Result};
use crate::generate::{Plan, Shard};
use crate::model::{ModelPack, pack_file};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// The file of a run that says what it is.
pub const MANIFEST_FILE: &str = "manifest.json";

/// A run's `manifest.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// The run's directory name.
    pub run_id: String,
    /// The bank_synth version that wrote the run.
    pub tool_version: String,
    /// The model pack generated from.
    pub model_pack: ModelRef,
    /// The seed of every random stream.
    pub seed: u64,
    /// The settings of the run.
    pub parameters: Parameters,
    /// Tables in the order they were generated, parents first.
    pub generation_order: Vec<String>,
    /// Rows written per table (a shard's slice of `parameters.table_rows`).
    pub rows: BTreeMap<String, u64>,
    /// Every file of the run but the manifest.
    pub files: Vec<FileEntry>,
}

/// The model pack a run was generated from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelRef {
    /// The pack's path as given to the run.
    pub path: String,
    /// The pack's schema.
    pub schema: String,
    /// SHA-256 of its `modelpack.json`.
    pub sha256: String,
}

/// The effective settings of a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Parameters {
    /// The target table.
    pub target_table: String,
    /// Its rows.
    pub target_rows: u64,
    /// Whether the target's descendants were generated.
    pub include_children: bool,
    /// The multiplier of parent tables' rows.
    pub parent_scale: f64,
    /// Rows of every planned table.
    pub table_rows: BTreeMap<String, u64>,
    /// `hive`, `oracle`.
    pub output_formats: Vec<String>,
    /// LOCATION prefix of hive_load.sql, when given.
    pub hive_location: Option<String>,
    /// Rows per generated chunk.
    pub chunk_rows: u64,
    /// The codec of the Hive Parquet files.
    #[serde(default)]
    pub parquet_compression: ParquetCompression,
    /// The size at which a table's Parquet file is cut into parts.
    #[serde(default = "default_part_bytes")]
    pub parquet_part_bytes: u64,
    /// The slice of every table this run holds, when it is one shard of several.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<Shard>,
}

fn default_part_bytes() -> u64 {
    DEFAULT_PART_BYTES
}

/// One file of a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileEntry {
    /// Its path inside the run directory.
    pub path: String,
    /// Its size.
    pub bytes: u64,
    /// SHA-256 of its bytes.
    pub sha256: String,
}

/// Reads the manifest of the run in `run_dir`.
pub fn read(run_dir: &Path) -> Result<Manifest> {
    let path = run_dir.join(MANIFEST_FILE);
    let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
    serde_json::from_str(&text).map_err(|e| Error::Output {
        path,
        message: format!("not a bank_synth run manifest ({e}); pass the directory of a run").into(),
    })
}

/// Writes `manifest.json` into `run_dir`, hashing every file already there.
pub fn write(
    run_dir: &Path,
    pack: &ModelPack,
    model_path: &Path,
    plan: &Plan,
    options: &RunOptions,
    tables: &[(String, u64)],
) -> Result<()> {
    let (_, pack_digest) = sha256_file(&pack_file(model_path))?;
    let mut paths = Vec::new();
    collect_files(run_dir, run_dir, &mut paths)?;
    paths.sort();
    let files = paths
        .into_iter()
        .map(|rel| {
            let (bytes, sha256) = sha256_file(&run_dir.join(&rel))?;
            Ok(FileEntry {
                path: rel,
                bytes,
                sha256,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let manifest = Manifest {
        run_id: options.run_id.clone(),
        tool_version: crate::TOOL_VERSION.to_string(),
        model_pack: ModelRef {
            path: model_path.to_string_lossy().into_owned(),
            schema: pack.schema.clone(),
            sha256: pack_digest,
        },
        seed: plan.seed,
        parameters: Parameters {
            target_table: plan.target.clone(),
            target_rows: plan.table(&plan.target).map_or(0, |t| t.rows),
            include_children: plan.include_children,
            parent_scale: plan.parent_scale,
            table_rows: plan
                .tables
                .iter()
                .map(|t| (t.name.clone(), t.rows))
                .collect(),
            output_formats: options
                .formats
                .names()
                .iter()
                .map(|f| f.to_string())
                .collect(),
            hive_location: options.hive_location.clone(),
            chunk_rows: options.chunk_rows,
            parquet_compression: options.parquet.compression,
            parquet_part_bytes: options.parquet.part_bytes,
            shard: (!options.shard.is_whole()).then_some(options.shard),
        },
        generation_order: plan.tables.iter().map(|t| t.name.clone()).collect(),
        rows: tables.iter().cloned().collect(),
        files,
    };
    let path = run_dir.join(MANIFEST_FILE);
    let json = serde_json::to_string_pretty(&manifest).expect("manifests serialize");
    std::fs::write(&path, json + "\n").map_err(|e| Error::io(&path, e))
}

fn collect_files(root: &Path, dir: &Path, out: &mut Vec<String>) -> Result<()> {
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let path = entry.map_err(|e| Error::io(dir, e))?.path();
        if path.is_dir() {
            collect_files(root, &path, out)?;
        } else {
            let rel = path.strip_prefix(root).expect("below root");
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
    Ok(())
}
