//! `manifest.json`: what a run is and what it wrote — run id, tool version, model pack
//! digest, seed, every effective parameter, generation order, rows per table, and the
//! size and SHA-256 of every file.

use super::RunOptions;
use crate::error::{Error, Result};
use crate::generate::Plan;
use crate::model::{ModelPack, pack_file};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

#[derive(Serialize)]
struct Manifest<'a> {
    run_id: &'a str,
    tool_version: &'a str,
    model_pack: ModelRef,
    seed: u64,
    parameters: Parameters<'a>,
    generation_order: Vec<&'a str>,
    rows: BTreeMap<&'a str, u64>,
    files: Vec<FileEntry>,
}

#[derive(Serialize)]
struct ModelRef {
    path: String,
    schema: String,
    sha256: String,
}

#[derive(Serialize)]
struct Parameters<'a> {
    target_table: &'a str,
    target_rows: u64,
    include_children: bool,
    parent_scale: f64,
    table_rows: BTreeMap<&'a str, u64>,
    output_formats: Vec<&'static str>,
    hive_location: Option<&'a str>,
    chunk_rows: u64,
}

#[derive(Serialize)]
struct FileEntry {
    path: String,
    bytes: u64,
    sha256: String,
}

/// SHA-256 of a file, in hex.
pub fn sha256_file(path: &Path) -> Result<(u64, String)> {
    let mut file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut total = 0u64;
    loop {
        let n = file.read(&mut buf).map_err(|e| Error::io(path, e))?;
        if n == 0 {
            break;
        }
        total += n as u64;
        hasher.update(&buf[..n]);
    }
    Ok((total, hex(&hasher.finalize())))
}

/// SHA-256 of `bytes`, in hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
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
        run_id: &options.run_id,
        tool_version: crate::TOOL_VERSION,
        model_pack: ModelRef {
            path: model_path.to_string_lossy().into_owned(),
            schema: pack.schema.clone(),
            sha256: pack_digest,
        },
        seed: plan.seed,
        parameters: Parameters {
            target_table: &plan.target,
            target_rows: plan.table(&plan.target).map_or(0, |t| t.rows),
            include_children: plan.include_children,
            parent_scale: plan.parent_scale,
            table_rows: tables.iter().map(|(t, n)| (t.as_str(), *n)).collect(),
            output_formats: options.formats.names(),
            hive_location: options.hive_location.as_deref(),
            chunk_rows: options.chunk_rows,
        },
        generation_order: plan.tables.iter().map(|t| t.name.as_str()).collect(),
        rows: tables.iter().map(|(t, n)| (t.as_str(), *n)).collect(),
        files,
    };
    let path = run_dir.join("manifest.json");
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
