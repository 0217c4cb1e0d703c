//! The bank on disk: one CSV or Parquet file per table, named after it in lower case.

use super::{BankTable, SampleFormat};
use bank_synth_core::output::arrow;
use bank_synth_core::value::LogicalType;
use bank_synth_core::{Error, Result};
use std::path::Path;

/// Writes the bank into `dir` (created if needed), one file per table.
pub fn write(tables: &[BankTable], dir: &Path, format: SampleFormat) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| Error::Output {
        path: dir.to_path_buf(),
        message: format!("cannot create the sample directory ({e})").into(),
    })?;
    for t in tables {
        let lower = t.name.to_ascii_lowercase();
        match format {
            SampleFormat::Csv => write_csv(t, &dir.join(format!("{lower}.csv")))?,
            SampleFormat::Parquet => write_parquet(t, &dir.join(format!("{lower}.parquet")))?,
        }
    }
    Ok(())
}

fn write_csv(t: &BankTable, path: &Path) -> Result<()> {
    let err = |e: csv::Error| Error::Output {
        path: path.to_path_buf(),
        message: format!("cannot write CSV: {e}").into(),
    };
    let mut w = csv::Writer::from_path(path).map_err(err)?;
    w.write_record(t.columns.iter().map(|c| c.0)).map_err(err)?;
    for row in &t.rows {
        w.write_record(row.iter().zip(&t.columns).map(|(v, c)| v.render(c.1)))
            .map_err(err)?;
    }
    w.flush().map_err(|e| Error::io(path, e))
}

fn write_parquet(t: &BankTable, path: &Path) -> Result<()> {
    let err = |message: String| Error::Output {
        path: path.to_path_buf(),
        message: message.into(),
    };
    let types: Vec<LogicalType> = t.columns.iter().map(|c| c.1).collect();
    let schema = arrow::schema(t.columns.iter().copied());
    let rows: bank_synth_core::generate::Chunk = t.rows.iter().cloned().collect();
    let batch = arrow::record_batch(schema, &types, &rows).map_err(|e| err(e.to_string()))?;
    let file = std::fs::File::create(path).map_err(|e| Error::io(path, e))?;
    let mut writer = parquet::arrow::ArrowWriter::try_new(file, batch.schema(), None)
        .map_err(|e| err(e.to_string()))?;
    writer.write(&batch).map_err(|e| err(e.to_string()))?;
    writer.close().map_err(|e| err(e.to_string()))?;
    Ok(())
}
