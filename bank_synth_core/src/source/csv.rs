//! CSV sample files: a header row, then one record per line (RFC 4180). Empty fields
//! are NULL. Types are declared in tables.yaml or inferred from the values.

use super::infer::parse_column;
use super::{SampleColumn, SampleTable};
use crate::error::{Error, Result};
use crate::model::canonical;
use crate::value::LogicalType;
use std::collections::BTreeMap;
use std::path::Path;

/// Reads `path` as the sample of `table`.
pub fn read(
    table: &str,
    path: &Path,
    declared: &BTreeMap<String, LogicalType>,
) -> Result<SampleTable> {
    let err = |line: Option<u64>, message: String| Error::Sample {
        path: path.to_path_buf(),
        line,
        message: message.into(),
    };
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_path(path)
        .map_err(|e| err(None, format!("cannot open the sample file ({e})")))?;
    let headers = reader
        .headers()
        .map_err(|e| err(Some(1), format!("cannot read the header row ({e})")))?
        .clone();
    if headers.is_empty() || (headers.len() == 1 && headers[0].trim().is_empty()) {
        return Err(err(
            None,
            format!(
                "the sample file of table {table} is empty; it needs a header row and at least one data row"
            ),
        ));
    }
    let names: Vec<String> = headers.iter().map(canonical).collect();
    for (i, name) in names.iter().enumerate() {
        if name.is_empty() {
            return Err(err(
                Some(1),
                format!(
                    "column {} of the header has no name; name every column",
                    i + 1
                ),
            ));
        }
        if names[..i].contains(name) {
            return Err(err(
                Some(1),
                format!("column {name} appears twice in the header; column names must be unique"),
            ));
        }
    }
    let mut raw: Vec<Vec<Option<String>>> = vec![Vec::new(); names.len()];
    let mut lines = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| match e.kind() {
            ::csv::ErrorKind::UnequalLengths { pos, expected_len, len } => err(
                pos.as_ref().map(|p| p.line()),
                format!(
                    "this row has {len} fields but the header has {expected_len}; every row of table {table} needs exactly {expected_len} fields (quote values that contain commas)"
                ),
            ),
            _ => err(
                e.position().map(|p| p.line()),
                format!("malformed CSV ({e}); the file must be UTF-8 CSV with a header row"),
            ),
        })?;
        lines.push(record.position().map_or(0, |p| p.line()));
        for (col, field) in raw.iter_mut().zip(record.iter()) {
            col.push((!field.is_empty()).then(|| field.to_string()));
        }
    }
    let columns = names
        .into_iter()
        .zip(raw)
        .map(|(name, values)| {
            let declared = declared.get(&name).copied();
            parse_column(path, table, &name, values, &lines, declared)
        })
        .collect::<Result<Vec<SampleColumn>>>()?;
    Ok(SampleTable {
        name: table.to_string(),
        path: path.to_path_buf(),
        columns,
        lines,
    })
}
