//! Rows as Arrow record batches: the sample bank's Parquet files and `bank_synth
//! stream`'s Arrow IPC, which Spark's `mapInArrow` reads (`spark/bank_synth_spark.py`).
//!
//! Types follow the Hive DDL: BIGINT → Int64, DECIMAL(p,s) → Decimal128(p,s), DOUBLE →
//! Float64, BOOLEAN, DATE → Date32, TIMESTAMP → Timestamp(µs, no zone), STRING → Utf8.

use crate::error::{Error, Result};
use crate::generate::Chunk;
use crate::model::TableModel;
use crate::value::{LogicalType, Value};
use arrow_array::types::{
    ArrowPrimitiveType, Date32Type, Decimal128Type, Float64Type, Int64Type,
    TimestampMicrosecondType,
};
use arrow_array::{ArrayRef, BooleanArray, PrimitiveArray, RecordBatch, StringArray};
use arrow_schema::{ArrowError, DataType, Field, Schema, SchemaRef, TimeUnit};
use std::io::Write;
use std::sync::Arc;

/// The Arrow type of a logical type.
pub fn data_type(ty: LogicalType) -> DataType {
    match ty {
        LogicalType::Integer => DataType::Int64,
        LogicalType::Decimal { precision, scale } => DataType::Decimal128(precision, scale as i8),
        LogicalType::Float => DataType::Float64,
        LogicalType::Boolean => DataType::Boolean,
        LogicalType::Date => DataType::Date32,
        LogicalType::Timestamp => DataType::Timestamp(TimeUnit::Microsecond, None),
        LogicalType::Categorical | LogicalType::Text => DataType::Utf8,
    }
}

/// A schema of nullable columns with these names and types.
pub fn schema<'a>(columns: impl IntoIterator<Item = (&'a str, LogicalType)>) -> SchemaRef {
    let fields: Vec<Field> = columns
        .into_iter()
        .map(|(name, ty)| Field::new(name, data_type(ty), true))
        .collect();
    Arc::new(Schema::new(fields))
}

/// `rows` (one value per column of `schema`, of the logical types `types`) as a batch;
/// a value of another kind than its column's is NULL.
pub fn record_batch(
    schema: SchemaRef,
    types: &[LogicalType],
    rows: &Chunk,
) -> std::result::Result<RecordBatch, ArrowError> {
    let arrays = types
        .iter()
        .enumerate()
        .map(|(c, ty)| column(rows.column(c), *ty))
        .collect::<std::result::Result<Vec<_>, _>>()?;
    RecordBatch::try_new(schema, arrays)
}

/// One column as an Arrow array of its type.
fn column<'a>(
    values: impl Iterator<Item = &'a Value>,
    ty: LogicalType,
) -> std::result::Result<ArrayRef, ArrowError> {
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

/// Writes a table's rows as an Arrow IPC stream, a batch per chunk; columns are named
/// in lower case, as in the Hive DDL.
pub struct ArrowStreamWriter<'m, W: Write> {
    table: &'m TableModel,
    schema: SchemaRef,
    types: Vec<LogicalType>,
    writer: arrow_ipc::writer::StreamWriter<W>,
}

impl<'m, W: Write> ArrowStreamWriter<'m, W> {
    /// Starts the stream of `table` on `out`.
    pub fn new(out: W, table: &'m TableModel) -> Result<Self> {
        let names: Vec<String> = table
            .columns
            .iter()
            .map(|c| c.name.to_ascii_lowercase())
            .collect();
        let types: Vec<LogicalType> = table.columns.iter().map(|c| c.logical_type).collect();
        let schema = schema(names.iter().map(String::as_str).zip(types.iter().copied()));
        let writer = arrow_ipc::writer::StreamWriter::try_new(out, &schema)
            .map_err(|e| stream_error(table, e))?;
        Ok(Self {
            table,
            schema,
            types,
            writer,
        })
    }

    /// Writes `rows` as one batch.
    pub fn write(&mut self, rows: &Chunk) -> Result<()> {
        let batch = record_batch(self.schema.clone(), &self.types, rows)
            .map_err(|e| stream_error(self.table, e))?;
        self.writer
            .write(&batch)
            .map_err(|e| stream_error(self.table, e))
    }

    /// Ends the stream.
    pub fn finish(mut self) -> Result<()> {
        self.writer
            .finish()
            .map_err(|e| stream_error(self.table, e))
    }
}

fn stream_error(table: &TableModel, e: ArrowError) -> Error {
    Error::Output {
        path: std::path::PathBuf::from("<standard output>"),
        message: format!("cannot stream {} as Arrow IPC: {e}", table.name).into(),
    }
}
