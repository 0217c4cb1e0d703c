//! Sample sources: read a table's sample rows into typed columns, from a directory of
//! sample files (`<table>.csv` or `<table>.parquet`, names matched case-insensitively)
//! or from an Oracle schema ([`oracle`]).

mod csv;
pub mod hive;
mod infer;
pub mod oracle;
mod parquet;
mod strategy;

pub use strategy::SampleStrategy;

use crate::error::{Error, Result, hint};
use crate::model::canonical;
use crate::value::{LogicalType, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One column of sample values.
#[derive(Debug, Clone)]
pub struct SampleColumn {
    /// Upper-case column name.
    pub name: String,
    /// The type the values were read as.
    pub logical_type: LogicalType,
    /// One value per sample row.
    pub values: Vec<Value>,
    /// Values that did not parse as the inferred type and were read as NULL.
    pub outliers: Option<Outliers>,
}

impl SampleColumn {
    /// The column's text values (NULLs and non-text values left out).
    pub fn strings(&self) -> impl Iterator<Item = &str> {
        self.values.iter().filter_map(|v| match v {
            Value::Str(s) => Some(s.as_str()),
            _ => None,
        })
    }
}

/// Sample values that did not parse as their column's inferred type (counted, never
/// kept: the values themselves may be private).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outliers {
    /// How many.
    pub count: usize,
    /// The line (or Parquet row) of the first one.
    pub first_line: u64,
}

/// One table's sample rows, column by column.
#[derive(Debug, Clone)]
pub struct SampleTable {
    /// Upper-case table name.
    pub name: String,
    /// The file it came from.
    pub path: PathBuf,
    /// Columns in file order.
    pub columns: Vec<SampleColumn>,
    /// For each kept row, its line in a CSV file (1-based, header is line 1) or its
    /// row number in a Parquet file — for error messages.
    pub lines: Vec<u64>,
}

impl SampleTable {
    /// Number of sample rows.
    pub fn rows(&self) -> usize {
        self.lines.len()
    }

    /// The column called `name` (canonical).
    pub fn column(&self, name: &str) -> Option<&SampleColumn> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// Keeps only the rows whose positions are in `keep` (ascending).
    pub fn retain_rows(&mut self, keep: &[usize]) {
        for col in &mut self.columns {
            col.values = keep.iter().map(|&i| col.values[i].clone()).collect();
        }
        self.lines = keep.iter().map(|&i| self.lines[i]).collect();
    }
}

/// The sample files in `dir`, by upper-case table name.
pub fn sample_files(dir: &Path) -> Result<BTreeMap<String, PathBuf>> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::Sample {
        path: dir.to_path_buf(),
        line: None,
        message: crate::message![
            format!("cannot read the sample directory ({e}); pass "),
            crate::error::Setting::SampleDir,
            " with the folder holding <table>.csv or <table>.parquet files",
        ],
    })?;
    let mut files = BTreeMap::new();
    for entry in entries {
        let path = entry.map_err(|e| Error::io(dir, e))?.path();
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        if matches!(ext.as_deref(), Some("csv" | "parquet"))
            && let Some(stem) = path.file_stem().and_then(|s| s.to_str()).map(canonical)
            && let Some(previous) = files.insert(stem.clone(), path.clone())
        {
            return Err(Error::Sample {
                path,
                line: None,
                message: format!(
                    "table {stem} has two sample files (the other is {}); keep one",
                    previous.display()
                )
                .into(),
            });
        }
    }
    Ok(files)
}

/// Reads the sample file of `table` from `files`, with declared types by column.
pub fn read_table(
    table: &str,
    files: &BTreeMap<String, PathBuf>,
    dir: &Path,
    declared: &BTreeMap<String, LogicalType>,
) -> Result<SampleTable> {
    let path = files.get(table).ok_or_else(|| Error::Sample {
        path: dir.to_path_buf(),
        line: None,
        message: format!(
            "no sample file for table {table}{}; add {}.csv or {}.parquet to the sample directory or remove the table from the configuration",
            hint(table, files.keys().map(String::as_str)),
            table.to_ascii_lowercase(),
            table.to_ascii_lowercase()
        ).into(),
    })?;
    let is_parquet = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("parquet"));
    let sample = if is_parquet {
        let mut sample = parquet::read(table, path)?;
        // Declared types win over the file's: re-read those columns from their text.
        for col in &mut sample.columns {
            if let Some(&ty) = declared
                .get(&col.name)
                .filter(|&&ty| ty != col.logical_type)
            {
                let text = col
                    .values
                    .iter()
                    .map(|v| (!v.is_null()).then(|| v.render(col.logical_type)))
                    .collect();
                *col = infer::parse_column(path, table, &col.name, text, &sample.lines, Some(ty))?;
            }
        }
        sample
    } else {
        csv::read(table, path, declared)?
    };
    Ok(sample)
}
