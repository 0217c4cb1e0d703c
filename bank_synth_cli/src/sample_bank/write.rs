//! The bank on disk: one CSV or Parquet file per table, named after it in lower case.

use super::{BankTable, SampleFormat};
use arrow_array::types::{
    ArrowPrimitiveType, Date32Type, Decimal128Type, Float64Type, Int64Type,
    TimestampMicrosecondType,
};
use arrow_array::{ArrayRef, BooleanArray, PrimitiveArray, RecordBatch, StringArray};
use arrow_schema::{Field, Schema};
use bank_synth_core::value::{LogicalType, Value};
use bank_synth_core::{Error, Result};
use std::path::Path;
use std::sync::Arc;

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
    let mut fields = Vec::new();
    let mut arrays = Vec::new();
    for (c, (name, ty)) in t.columns.iter().enumerate() {
        let array = column(t.rows.iter().map(|r| &r[c]), *ty).map_err(|e| err(e.to_string()))?;
        fields.push(Field::new(*name, array.data_type().clone(), true));
        arrays.push(array);
    }
    let batch = RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays)
        .map_err(|e| err(e.to_string()))?;
    let file = std::fs::File::create(path).map_err(|e| Error::io(path, e))?;
    let mut writer = parquet::arrow::ArrowWriter::try_new(file, batch.schema(), None)
        .map_err(|e| err(e.to_string()))?;
    writer.write(&batch).map_err(|e| err(e.to_string()))?;
    writer.close().map_err(|e| err(e.to_string()))?;
    Ok(())
}

/// One column as an Arrow array of its type; a value of another kind is NULL.
fn column<'a>(
    values: impl Iterator<Item = &'a Value>,
    ty: LogicalType,
) -> std::result::Result<ArrayRef, arrow_schema::ArrowError> {
    Ok(match ty {
        LogicalType::Integer => primitive::<Int64Type>(values, |v| match v {
            Value::Int(x) => Some(*x),
            _ => None,
        }),
        LogicalType::Decimal { precision, scale } => Arc::new(
            values
                .map(|v| match v {
                    Value::Decimal(x) => Some(*x),
                    _ => None,
                })
                .collect::<PrimitiveArray<Decimal128Type>>()
                .with_precision_and_scale(precision, scale as i8)?,
        ),
        LogicalType::Float => primitive::<Float64Type>(values, |v| match v {
            Value::Float(x) => Some(*x),
            _ => None,
        }),
        LogicalType::Boolean => Arc::new(
            values
                .map(|v| match v {
                    Value::Bool(x) => Some(*x),
                    _ => None,
                })
                .collect::<BooleanArray>(),
        ),
        LogicalType::Date => primitive::<Date32Type>(values, |v| match v {
            Value::Date(x) => Some(*x),
            _ => None,
        }),
        LogicalType::Timestamp => primitive::<TimestampMicrosecondType>(values, |v| match v {
            Value::Timestamp(x) => Some(*x),
            _ => None,
        }),
        LogicalType::Categorical | LogicalType::Text => Arc::new(
            values
                .map(|v| match v {
                    Value::Str(x) => Some(x.as_str()),
                    _ => None,
                })
                .collect::<StringArray>(),
        ),
    })
}

/// A primitive column from the values `native` reads.
fn primitive<'a, T: ArrowPrimitiveType>(
    values: impl Iterator<Item = &'a Value>,
    native: impl Fn(&Value) -> Option<T::Native>,
) -> ArrayRef {
    Arc::new(values.map(native).collect::<PrimitiveArray<T>>())
}
