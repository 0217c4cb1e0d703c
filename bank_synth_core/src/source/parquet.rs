//! Parquet sample files, read through arrow. Column types come from the file unless
//! tables.yaml declares them; row numbers (from 1) stand in for lines in messages.

use super::{SampleColumn, SampleTable};
use crate::error::{Error, Result};
use crate::model::canonical;
use crate::value::{LogicalType, Value};
use arrow_array::cast::AsArray;
use arrow_array::types as dt;
use arrow_array::{Array, RecordBatchReader};
use arrow_schema::{DataType, TimeUnit};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use std::path::Path;

/// Reads `path` as the sample of `table`.
pub fn read(table: &str, path: &Path) -> Result<SampleTable> {
    let err = |message: String| Error::Sample {
        path: path.to_path_buf(),
        line: None,
        message: message.into(),
    };
    let file =
        std::fs::File::open(path).map_err(|e| err(format!("cannot open the sample file ({e})")))?;
    let reader = ParquetRecordBatchReaderBuilder::try_new(file)
        .and_then(|b| b.build())
        .map_err(|e| err(format!("not a readable Parquet file ({e})")))?;
    let schema = reader.schema();
    let mut columns: Vec<SampleColumn> = schema
        .fields()
        .iter()
        .map(|f| {
            Ok(SampleColumn {
                name: canonical(f.name()),
                logical_type: logical_type(f.data_type()).ok_or_else(|| {
                    err(format!(
                        "column {} of table {table} has Parquet/Arrow type {} which bank_synth cannot model; cast it to an integer, decimal, float, boolean, date, timestamp or string column",
                        canonical(f.name()),
                        f.data_type()
                    ))
                })?,
                values: Vec::new(),
                outliers: None,
            })
        })
        .collect::<Result<_>>()?;
    for batch in reader {
        let batch = batch.map_err(|e| err(format!("cannot decode the Parquet data ({e})")))?;
        for (col, array) in columns.iter_mut().zip(batch.columns()) {
            append(&mut col.values, array.as_ref());
        }
    }
    let rows = columns.first().map_or(0, |c| c.values.len());
    Ok(SampleTable {
        name: table.to_string(),
        path: path.to_path_buf(),
        columns,
        lines: (1..=rows as u64).collect(),
    })
}

fn logical_type(t: &DataType) -> Option<LogicalType> {
    Some(match t {
        DataType::Int8 | DataType::Int16 | DataType::Int32 | DataType::Int64 => {
            LogicalType::Integer
        }
        DataType::UInt8 | DataType::UInt16 | DataType::UInt32 => LogicalType::Integer,
        DataType::Decimal128(p, s) if *s >= 0 => LogicalType::Decimal {
            precision: *p,
            scale: *s as u8,
        },
        DataType::Float32 | DataType::Float64 => LogicalType::Float,
        DataType::Boolean => LogicalType::Boolean,
        DataType::Date32 => LogicalType::Date,
        DataType::Timestamp(_, _) => LogicalType::Timestamp,
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => LogicalType::Text,
        _ => return None,
    })
}

/// Text as Oracle sees it: the empty string is NULL (so a NOT NULL column can never
/// be generated with one).
fn text(v: &str) -> Value {
    if v.is_empty() {
        Value::Null
    } else {
        Value::Str(v.into())
    }
}

fn append(out: &mut Vec<Value>, a: &dyn Array) {
    macro_rules! each {
        ($arr:expr, $f:expr) => {{
            let arr = $arr;
            out.extend((0..arr.len()).map(|i| {
                if arr.is_null(i) {
                    Value::Null
                } else {
                    $f(arr.value(i))
                }
            }));
        }};
    }
    match a.data_type() {
        DataType::Int8 => each!(a.as_primitive::<dt::Int8Type>(), |v| Value::Int(i64::from(
            v
        ))),
        DataType::Int16 => each!(a.as_primitive::<dt::Int16Type>(), |v| Value::Int(
            i64::from(v)
        )),
        DataType::Int32 => each!(a.as_primitive::<dt::Int32Type>(), |v| Value::Int(
            i64::from(v)
        )),
        DataType::Int64 => each!(a.as_primitive::<dt::Int64Type>(), Value::Int),
        DataType::UInt8 => each!(a.as_primitive::<dt::UInt8Type>(), |v| Value::Int(
            i64::from(v)
        )),
        DataType::UInt16 => each!(a.as_primitive::<dt::UInt16Type>(), |v| Value::Int(
            i64::from(v)
        )),
        DataType::UInt32 => each!(a.as_primitive::<dt::UInt32Type>(), |v| Value::Int(
            i64::from(v)
        )),
        DataType::Decimal128(_, _) => each!(a.as_primitive::<dt::Decimal128Type>(), Value::Decimal),
        DataType::Float32 => each!(a.as_primitive::<dt::Float32Type>(), |v| Value::Float(
            f64::from(v)
        )),
        DataType::Float64 => each!(a.as_primitive::<dt::Float64Type>(), Value::Float),
        DataType::Boolean => each!(a.as_boolean(), Value::Bool),
        DataType::Date32 => each!(a.as_primitive::<dt::Date32Type>(), Value::Date),
        DataType::Timestamp(unit, _) => match unit {
            TimeUnit::Second => each!(a.as_primitive::<dt::TimestampSecondType>(), |v: i64| {
                Value::Timestamp(v * 1_000_000)
            }),
            TimeUnit::Millisecond => each!(
                a.as_primitive::<dt::TimestampMillisecondType>(),
                |v: i64| Value::Timestamp(v * 1000)
            ),
            TimeUnit::Microsecond => each!(
                a.as_primitive::<dt::TimestampMicrosecondType>(),
                Value::Timestamp
            ),
            TimeUnit::Nanosecond => {
                each!(a.as_primitive::<dt::TimestampNanosecondType>(), |v: i64| {
                    Value::Timestamp(v.div_euclid(1000))
                })
            }
        },
        DataType::Utf8 => each!(a.as_string::<i32>(), text),
        DataType::LargeUtf8 => each!(a.as_string::<i64>(), text),
        DataType::Utf8View => each!(a.as_string_view(), text),
        other => unreachable!("type {other} was rejected when the schema was read"),
    }
}
