//! Writing a run: `output/<run_id>/` with Hive Parquet + DDL, Oracle CSV + DDL +
//! control files, the quality report and a manifest. A run is written into a hidden
//! sibling directory and renamed into place at the end, so a failed run leaves nothing
//! that looks complete, and an existing run is never overwritten.

pub mod arrow;
pub mod hive;
pub mod manifest;
pub mod oracle;

use crate::error::{Error, Result};
use crate::generate::{Engine, Plan, Shard};
use crate::model::{ModelPack, TableModel};
use crate::quality::{QualityChecker, QualityReport};
use std::path::{Path, PathBuf};

/// Rows generated per chunk at most (one Parquet row group each).
pub const DEFAULT_CHUNK_ROWS: u64 = 131_072;

/// Values generated per chunk at most: a wide table's chunks hold fewer rows, so a
/// chunk in memory is about the same size whatever the table (half a million values:
/// 65,536 rows of an 8-column table). Each worker holds two chunk buffers: the one it
/// fills and the one the writer is writing, which comes back to it.
pub const CHUNK_VALUES: u64 = 1 << 19;

/// The rows per chunk of `model`: `most`, or fewer for a table too wide for
/// [`CHUNK_VALUES`].
pub fn chunk_rows(model: &TableModel, most: u64) -> u64 {
    let columns = model.columns.len().max(1) as u64;
    most.min(CHUNK_VALUES / columns).max(1)
}

/// Which files a run writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Formats {
    /// Hive Parquet + hive_load.sql.
    pub hive: bool,
    /// Oracle CSV + oracle_load.sql + control files.
    pub oracle: bool,
}

impl Formats {
    /// Parses `hive,oracle` (either or both).
    pub fn parse(s: &str) -> Result<Formats> {
        let mut f = Formats {
            hive: false,
            oracle: false,
        };
        for part in s
            .split(',')
            .map(|p| p.trim().to_ascii_lowercase())
            .filter(|p| !p.is_empty())
        {
            match part.as_str() {
                "hive" => f.hive = true,
                "oracle" => f.oracle = true,
                other => {
                    return Err(Error::Usage(crate::message![
                        crate::error::Setting::OutputFormats,
                        format!(" names `{other}`; the formats are hive and oracle (e.g. "),
                        crate::error::Setting::OutputFormats,
                        " hive,oracle)",
                    ]));
                }
            }
        }
        if !f.hive && !f.oracle {
            return Err(Error::Usage(crate::message![
                crate::error::Setting::OutputFormats,
                " names no format; use hive, oracle or hive,oracle",
            ]));
        }
        Ok(f)
    }

    /// The formats as written in the manifest.
    pub fn names(self) -> Vec<&'static str> {
        [(self.hive, "hive"), (self.oracle, "oracle")]
            .into_iter()
            .filter_map(|(on, n)| on.then_some(n))
            .collect()
    }
}

/// How to write a run.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// The directory holding runs.
    pub output_dir: PathBuf,
    /// The run's directory name.
    pub run_id: String,
    /// Which outputs to write.
    pub formats: Formats,
    /// LOCATION prefix in hive_load.sql (default: the run's absolute hive/ path).
    pub hive_location: Option<String>,
    /// Generator threads (output is identical for any value).
    pub threads: usize,
    /// Rows per chunk at most (wide tables take fewer: [`chunk_rows`]).
    pub chunk_rows: u64,
    /// The slice of every table to write ([`Shard::WHOLE`]: all of it).
    pub shard: Shard,
    /// Codec and part size of the Hive Parquet files.
    pub parquet: hive::ParquetOptions,
}

/// Progress callbacks for long runs.
pub trait Progress: Sync {
    /// The run's layouts are being prepared, before any table starts: `done` of the
    /// `of` parent rows they generate are done.
    fn laid_out(&self, _done: u64, _of: u64) {}
    /// A table starts.
    fn table_started(&self, _table: &str, _rows: u64) {}
    /// `rows` more rows of the current table are written.
    fn rows_written(&self, _rows: u64) {}
    /// The current table is done.
    fn table_finished(&self) {}
    /// Something the user should know that does not stop the run.
    fn notice(&self, _message: &str) {}
    /// Has the user asked the run to stop (Ctrl-C)? Checked between chunks: the run
    /// then ends with [`Error::Interrupted`] and leaves nothing behind.
    fn cancelled(&self) -> bool {
        false
    }
}

/// Progress that reports nothing.
pub struct Silent;
impl Progress for Silent {}

/// What a finished run wrote.
#[derive(Debug, Clone)]
pub struct RunSummary {
    /// The run's directory.
    pub run_dir: PathBuf,
    /// Rows written per table (this shard's), in generation order.
    pub tables: Vec<(String, u64)>,
    /// The quality report.
    pub quality: QualityReport,
}

/// Generates `plan` from `pack` (read from `model_path`) and writes the run.
pub fn write_run(
    pack: &ModelPack,
    model_path: &Path,
    plan: &Plan,
    options: &RunOptions,
    progress: &dyn Progress,
) -> Result<RunSummary> {
    validate_run_id(&options.run_id)?;
    std::fs::create_dir_all(&options.output_dir).map_err(|e| Error::Output {
        path: options.output_dir.clone(),
        message: crate::message![
            format!("cannot create the output directory ({e}); choose a writable "),
            crate::error::Setting::OutputDir,
        ],
    })?;
    let output_dir = options
        .output_dir
        .canonicalize()
        .map_err(|e| Error::io(&options.output_dir, e))?;
    let final_dir = output_dir.join(&options.run_id);
    if final_dir.exists() {
        return Err(Error::Output {
            path: final_dir,
            message: crate::message![
                "this run already exists and runs are never overwritten; choose another ",
                crate::error::Setting::RunId,
                " or remove the directory",
            ],
        });
    }
    let staging = staging_dir(&output_dir, &options.run_id);
    if staging.exists() {
        progress.notice(&format!(
            "{} is left from a run that was killed; it is removed and the run starts afresh",
            staging.display()
        ));
        std::fs::remove_dir_all(&staging).map_err(|e| Error::io(&staging, e))?;
    }
    let result = write_into(
        pack, model_path, plan, options, progress, &staging, &final_dir,
    );
    match result {
        Ok(summary) => {
            std::fs::rename(&staging, &final_dir).map_err(|e| {
                let _ = std::fs::remove_dir_all(&staging);
                Error::io(&final_dir, e)
            })?;
            Ok(summary)
        }
        Err(e) => {
            let _ = std::fs::remove_dir_all(&staging);
            Err(e)
        }
    }
}

/// The hidden directory a run is written into before it is renamed to
/// `output_dir/run_id`.
pub fn staging_dir(output_dir: &Path, run_id: &str) -> PathBuf {
    output_dir.join(format!(".{run_id}.partial"))
}

fn validate_run_id(id: &str) -> Result<()> {
    let ok = !id.is_empty()
        && !id.starts_with('.')
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(())
    } else {
        Err(Error::Usage(crate::message![
            crate::error::Setting::RunId,
            format!(
                " `{id}` must be a plain directory name: letters, digits, '-', '_' and '.', not starting with '.'"
            ),
        ]))
    }
}

fn mkdir(path: &Path) -> Result<()> {
    std::fs::create_dir_all(path).map_err(|e| Error::Output {
        path: path.to_path_buf(),
        message: crate::message![
            format!("cannot create directory ({e}); choose a writable "),
            crate::error::Setting::OutputDir,
        ],
    })
}

fn write_file(path: &Path, text: &str) -> Result<()> {
    std::fs::write(path, text).map_err(|e| Error::io(path, e))
}

fn write_into(
    pack: &ModelPack,
    model_path: &Path,
    plan: &Plan,
    options: &RunOptions,
    progress: &dyn Progress,
    staging: &Path,
    final_dir: &Path,
) -> Result<RunSummary> {
    mkdir(staging)?;
    for dir in ["ddl", "report"] {
        mkdir(&staging.join(dir))?;
    }
    let engine = Engine::with_progress(pack, plan, &|done, of| progress.laid_out(done, of))?;
    let mut checker = QualityChecker::new(pack, plan, options.shard);
    let mut models: Vec<&TableModel> = Vec::new();
    let mut tables: Vec<(String, u64)> = Vec::new();
    for t in 0..engine.table_count() {
        let model = engine.table_model(t);
        models.push(model);
        let lower = model.name.to_ascii_lowercase();
        let slice = options.shard.rows(engine.rows(t));
        tables.push((model.name.clone(), slice.end - slice.start));
        progress.table_started(&model.name, slice.end - slice.start);
        let mut hive = if options.formats.hive {
            let dir = staging.join("hive").join(&lower);
            mkdir(&dir)?;
            // A shard's files carry its number, so shards copied into one table
            // location do not overwrite each other.
            let stem = if options.shard.is_whole() {
                lower.clone()
            } else {
                format!(
                    "{lower}-shard{:05}of{:05}",
                    options.shard.index(),
                    options.shard.count()
                )
            };
            Some(hive::HiveParquetWriter::create(
                &dir,
                &stem,
                model,
                options.parquet,
            )?)
        } else {
            None
        };
        let mut oracle = if options.formats.oracle {
            let dir = staging.join("oracle");
            mkdir(&dir)?;
            write_file(
                &dir.join(format!("{lower}.ctl")),
                &oracle::control_file(model),
            )?;
            Some(oracle::OracleCsvWriter::create(
                &dir.join(format!("{lower}.csv")),
                model,
            )?)
        } else {
            None
        };
        let chunk = chunk_rows(model, options.chunk_rows);
        engine.for_each_chunk(t, slice, chunk, options.threads, |_, rows| {
            if progress.cancelled() {
                return Err(Error::Interrupted);
            }
            // The Parquet encoder runs beside the CSV writer and the checks, on the
            // threads of a pool: a thread started per chunk would take its allocator
            // heap's pages afresh from the system every time.
            let (parquet, rest) = rayon::join(
                || hive.as_mut().map_or(Ok(()), |w| w.write(rows)),
                || {
                    if let Some(w) = oracle.as_mut() {
                        w.write(rows)?;
                    }
                    checker.observe(t, rows);
                    Ok::<(), Error>(())
                },
            );
            parquet?;
            rest?;
            progress.rows_written(rows.len() as u64);
            Ok(())
        })?;
        if let Some(w) = hive {
            w.close()?;
        }
        if let Some(w) = oracle {
            w.close()?;
        }
        checker.finish_table(t);
        progress.table_finished();
    }
    if options.formats.hive {
        let location = options
            .hive_location
            .clone()
            .unwrap_or_else(|| final_dir.join("hive").to_string_lossy().into_owned());
        write_file(
            &staging.join("ddl").join("hive_load.sql"),
            &hive::ddl(pack, &models, &location),
        )?;
    }
    if options.formats.oracle {
        write_file(
            &staging.join("ddl").join("oracle_load.sql"),
            &oracle::ddl(pack, &models),
        )?;
    }
    let quality = checker.report();
    let json = serde_json::to_string_pretty(&quality).expect("reports serialize");
    write_file(&staging.join("report").join("quality.json"), &(json + "\n"))?;
    write_file(
        &staging.join("report").join("quality.md"),
        &quality.to_markdown(&options.run_id),
    )?;
    manifest::write(staging, pack, model_path, plan, options, &tables)?;
    Ok(RunSummary {
        run_dir: final_dir.to_path_buf(),
        tables,
        quality,
    })
}
