//! Hive output: one Parquet file per table that Hive's own reader (ParquetHiveSerDe,
//! Hive 2.3) can read, and `hive_load.sql` with an external table per file.
//!
//! Written with parquet's column writers rather than arrow's, because Hive needs what
//! arrow-rs does not produce by default: decimals as FIXED_LEN_BYTE_ARRAY, timestamps as
//! INT96, dates as INT32 DATE, v1 data pages, no unsigned types; SNAPPY unless asked
//! otherwise ([`ParquetCompression`]).
//!
//! A table past [`ParquetOptions::part_bytes`] is written as several part files in its
//! directory (`<table>-00000.parquet`, …), which its external table reads as one; a
//! smaller one stays a single `<table>.parquet`.

use crate::error::{Error, Result};
use crate::generate::Chunk;
use crate::model::{ColumnModel, ModelPack, TableModel};
use crate::value::{LogicalType, Value};
use bytes::Bytes;
use parquet::basic::{
    Compression, ConvertedType, DecimalType, LogicalType as PqLogical, Repetition, Type as Physical,
};
use parquet::column::writer::ColumnWriter;
use parquet::data_type::{ByteArray, FixedLenByteArray, Int96};
use parquet::file::properties::{WriterProperties, WriterVersion};
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::{ColumnPath, Type};
use serde::{Deserialize, Serialize};
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Julian day number of 1970-01-01.
const JULIAN_EPOCH: i64 = 2_440_588;

/// The Parquet codec of a run's Hive files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ParquetCompression {
    /// SNAPPY, which every Hive reads.
    #[default]
    Snappy,
    /// GZIP, which every Hive reads: smaller files, slower to write.
    Gzip,
    /// ZSTD: smaller and fast, but Hive reads it only from 3.1 (with a recent Parquet);
    /// Hive 2.3, as bundled in Spark 3.5, does not.
    Zstd,
    /// No compression.
    None,
}

impl ParquetCompression {
    /// The names `--compression` takes.
    pub const NAMES: [&'static str; 4] = ["snappy", "gzip", "zstd", "none"];

    /// The codec named `name` (one of [`Self::NAMES`]).
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "snappy" => Self::Snappy,
            "gzip" => Self::Gzip,
            "zstd" => Self::Zstd,
            "none" => Self::None,
            _ => return None,
        })
    }

    fn codec(self) -> Compression {
        match self {
            Self::Snappy => Compression::SNAPPY,
            Self::Gzip => Compression::GZIP(Default::default()),
            Self::Zstd => Compression::ZSTD(Default::default()),
            Self::None => Compression::UNCOMPRESSED,
        }
    }
}

/// How a table's Parquet files are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParquetOptions {
    /// The codec.
    pub compression: ParquetCompression,
    /// A part file is closed, and the next one started, once it holds this many bytes.
    pub part_bytes: u64,
}

impl Default for ParquetOptions {
    fn default() -> Self {
        Self {
            compression: ParquetCompression::Snappy,
            part_bytes: DEFAULT_PART_BYTES,
        }
    }
}

/// Part files are cut at about 1 GiB.
pub const DEFAULT_PART_BYTES: u64 = 1 << 30;

/// Writes one table's rows into Hive-readable Parquet files in its directory, a row
/// group per chunk.
pub struct HiveParquetWriter {
    dir: PathBuf,
    /// The table's name in lower case: its files' stem.
    stem: String,
    schema: Arc<Type>,
    properties: Arc<WriterProperties>,
    part_bytes: u64,
    /// The part being written, with its path.
    writer: Option<(PathBuf, SerializedFileWriter<BufWriter<File>>)>,
    /// Parts written so far, the current one included.
    parts: u32,
    buffers: Vec<ColumnBuffer>,
}

/// One column of a chunk as Parquet takes it: definition levels, and the non-NULL
/// values in the column's physical type. The buffers are reused from chunk to chunk.
struct ColumnBuffer {
    defs: Vec<i16>,
    values: Values,
}

enum Values {
    I64(Vec<i64>),
    I32(Vec<i32>),
    F64(Vec<f64>),
    Bool(Vec<bool>),
    Int96(Vec<Int96>),
    /// Decimals, big-endian in `len` bytes. One allocation per value: decimal
    /// statistics are kept as they are until the file closes, and slices of a shared
    /// buffer would keep every row group's buffer alive with them.
    Fixed {
        len: usize,
        values: Vec<FixedLenByteArray>,
    },
    /// Text: the values' bytes one after the other, and where each ends; written as
    /// slices of one buffer, `written`. The column writer holds slices of it (page and
    /// chunk statistics, dictionary) until it closes, when it copies the statistics
    /// out, so the buffer comes back once its column chunk is written.
    Text {
        ty: LogicalType,
        bytes: Vec<u8>,
        ends: Vec<usize>,
        values: Vec<ByteArray>,
        written: Option<Bytes>,
    },
}

impl ColumnBuffer {
    fn new(column: &ColumnModel) -> Self {
        let values = match column.logical_type {
            LogicalType::Integer => Values::I64(Vec::new()),
            LogicalType::Decimal { precision, .. } => Values::Fixed {
                len: decimal_length(precision),
                values: Vec::new(),
            },
            LogicalType::Float => Values::F64(Vec::new()),
            LogicalType::Boolean => Values::Bool(Vec::new()),
            LogicalType::Date => Values::I32(Vec::new()),
            LogicalType::Timestamp => Values::Int96(Vec::new()),
            ty @ (LogicalType::Categorical | LogicalType::Text) => Values::Text {
                ty,
                bytes: Vec::new(),
                ends: Vec::new(),
                values: Vec::new(),
                written: None,
            },
        };
        ColumnBuffer {
            defs: Vec::new(),
            values,
        }
    }

    fn clear(&mut self) {
        self.defs.clear();
        match &mut self.values {
            Values::I64(v) => v.clear(),
            Values::I32(v) => v.clear(),
            Values::F64(v) => v.clear(),
            Values::Bool(v) => v.clear(),
            Values::Int96(v) => v.clear(),
            Values::Fixed { values, .. } => values.clear(),
            Values::Text {
                bytes,
                ends,
                written,
                ..
            } => {
                // The last chunk's buffer back, unless a slice of it is still held.
                if let Some(Ok(buffer)) = written.take().map(Bytes::try_into_mut) {
                    *bytes = buffer.into();
                }
                bytes.clear();
                ends.clear();
            }
        }
    }

    /// Adds a value (a value of another type than the column's is written as its
    /// type's zero; generation never makes one).
    fn push(&mut self, value: &Value) {
        self.defs.push(i16::from(!value.is_null()));
        if value.is_null() {
            return;
        }
        match (&mut self.values, value) {
            (Values::I64(v), value) => v.push(match value {
                Value::Int(x) => *x,
                _ => 0,
            }),
            (Values::I32(v), value) => v.push(match value {
                Value::Date(d) => *d,
                _ => 0,
            }),
            (Values::F64(v), value) => v.push(match value {
                Value::Float(x) => *x,
                _ => 0.0,
            }),
            (Values::Bool(v), value) => v.push(matches!(value, Value::Bool(true))),
            (Values::Int96(v), value) => v.push(match value {
                Value::Timestamp(us) => int96(*us),
                _ => int96(0),
            }),
            (Values::Fixed { len, values }, value) => {
                let x = if let Value::Decimal(x) = value { *x } else { 0 };
                values.push(FixedLenByteArray::from(
                    x.to_be_bytes()[16 - *len..].to_vec(),
                ));
            }
            (
                Values::Text {
                    ty, bytes, ends, ..
                },
                value,
            ) => {
                match value {
                    Value::Str(s) => bytes.extend_from_slice(s.as_bytes()),
                    other => bytes.extend_from_slice(other.render(*ty).as_bytes()),
                }
                ends.push(bytes.len());
            }
        }
    }

    /// Writes the column into `writer`, telling how many values it wrote.
    fn write(&mut self, writer: &mut ColumnWriter) -> parquet::errors::Result<usize> {
        let defs = Some(self.defs.as_slice());
        match (&mut self.values, writer) {
            (Values::I64(v), ColumnWriter::Int64ColumnWriter(w)) => w.write_batch(v, defs, None),
            (Values::I32(v), ColumnWriter::Int32ColumnWriter(w)) => w.write_batch(v, defs, None),
            (Values::F64(v), ColumnWriter::DoubleColumnWriter(w)) => w.write_batch(v, defs, None),
            (Values::Bool(v), ColumnWriter::BoolColumnWriter(w)) => w.write_batch(v, defs, None),
            (Values::Int96(v), ColumnWriter::Int96ColumnWriter(w)) => w.write_batch(v, defs, None),
            (Values::Fixed { values, .. }, ColumnWriter::FixedLenByteArrayColumnWriter(w)) => {
                w.write_batch(values, defs, None)
            }
            (
                Values::Text {
                    bytes,
                    ends,
                    values,
                    written,
                    ..
                },
                ColumnWriter::ByteArrayColumnWriter(w),
            ) => {
                let shared = Bytes::from(std::mem::take(bytes));
                let starts = std::iter::once(0).chain(ends.iter().copied());
                values.clear();
                values.extend(
                    starts
                        .zip(ends.iter())
                        .map(|(a, &b)| ByteArray::from(shared.slice(a..b))),
                );
                let count = w.write_batch(values, defs, None);
                values.clear();
                *written = Some(shared);
                count
            }
            _ => unreachable!("each column's buffer is made for its Parquet type"),
        }
    }
}

impl HiveParquetWriter {
    /// Starts the files of `table` in `dir`, named `<stem>.parquet` or, in parts,
    /// `<stem>-00000.parquet`, ….
    pub fn create(
        dir: &Path,
        stem: &str,
        table: &TableModel,
        options: ParquetOptions,
    ) -> Result<Self> {
        let stem = stem.to_string();
        let first = dir.join(part_name(&stem, 0));
        let path = first.as_path();
        let fields = table
            .columns
            .iter()
            .map(|c| parquet_field(c).map(Arc::new))
            .collect::<parquet::errors::Result<Vec<_>>>()
            .map_err(|e| pq_error(path, e))?;
        let schema = Type::group_type_builder(&table.name.to_ascii_lowercase())
            .with_fields(fields)
            .build()
            .map_err(|e| pq_error(path, e))?;
        let mut props = WriterProperties::builder()
            .set_writer_version(WriterVersion::PARQUET_1_0)
            .set_compression(options.compression.codec())
            .set_created_by(format!("bank_synth {}", crate::TOOL_VERSION))
            .set_dictionary_enabled(false);
        // Dictionaries pay off only where values repeat: categories and flags.
        for c in &table.columns {
            if matches!(
                c.logical_type,
                LogicalType::Categorical | LogicalType::Boolean
            ) {
                props = props.set_column_dictionary_enabled(
                    ColumnPath::from(c.name.to_ascii_lowercase()),
                    true,
                );
            }
        }
        let mut writer = HiveParquetWriter {
            dir: dir.to_path_buf(),
            stem,
            schema: Arc::new(schema),
            properties: Arc::new(props.build()),
            part_bytes: options.part_bytes.max(1),
            writer: None,
            parts: 0,
            buffers: table.columns.iter().map(ColumnBuffer::new).collect(),
        };
        writer.next_part()?;
        Ok(writer)
    }

    /// Starts the next part file.
    fn next_part(&mut self) -> Result<()> {
        let path = self.dir.join(part_name(&self.stem, self.parts));
        let file = File::create(&path).map_err(|e| Error::io(&path, e))?;
        let writer = SerializedFileWriter::new(
            BufWriter::new(file),
            self.schema.clone(),
            self.properties.clone(),
        )
        .map_err(|e| pq_error(&path, e))?;
        self.writer = Some((path, writer));
        self.parts += 1;
        Ok(())
    }

    /// Writes `rows` as one row group.
    pub fn write(&mut self, rows: &Chunk) -> Result<()> {
        if rows.is_empty() {
            return Ok(());
        }
        if self.writer.is_none() {
            self.next_part()?;
        }
        let (path, writer) = self.writer.as_mut().expect("a part is open");
        let path = path.clone();
        let mut group = writer.next_row_group().map_err(|e| pq_error(&path, e))?;
        // One pass over the rows, which lie row after row, into the column buffers.
        assert_eq!(
            rows.width(),
            self.buffers.len(),
            "a chunk of the table's columns"
        );
        self.buffers.iter_mut().for_each(ColumnBuffer::clear);
        for row in rows.iter() {
            for (buffer, value) in self.buffers.iter_mut().zip(row) {
                buffer.push(value);
            }
        }
        for buffer in &mut self.buffers {
            let mut col = group
                .next_column()
                .map_err(|e| pq_error(&path, e))?
                .expect("one parquet column per model column");
            buffer
                .write(col.untyped())
                .map_err(|e| pq_error(&path, e))?;
            col.close().map_err(|e| pq_error(&path, e))?;
        }
        group.close().map_err(|e| pq_error(&path, e))?;
        if writer.bytes_written() as u64 >= self.part_bytes {
            self.close_part()?;
        }
        Ok(())
    }

    fn close_part(&mut self) -> Result<()> {
        if let Some((path, writer)) = self.writer.take() {
            writer.close().map_err(|e| pq_error(&path, e))?;
        }
        Ok(())
    }

    /// Finishes the files: a table written as one part is renamed `<table>.parquet`.
    pub fn close(mut self) -> Result<()> {
        self.close_part()?;
        if self.parts == 1 {
            let part = self.dir.join(part_name(&self.stem, 0));
            let single = self.dir.join(format!("{}.parquet", self.stem));
            std::fs::rename(&part, &single).map_err(|e| Error::io(&single, e))?;
        }
        Ok(())
    }
}

/// The file of part `n` of a table.
fn part_name(stem: &str, n: u32) -> String {
    format!("{stem}-{n:05}.parquet")
}

fn pq_error(path: &Path, e: parquet::errors::ParquetError) -> Error {
    Error::Output {
        path: path.to_path_buf(),
        message: format!("cannot write Parquet: {e}").into(),
    }
}

/// Bytes of a FIXED_LEN_BYTE_ARRAY holding any decimal of `precision` digits.
fn decimal_length(precision: u8) -> usize {
    (1..=16)
        .find(|&n| 2f64.powi(8 * n as i32 - 1) > 10f64.powi(i32::from(precision)))
        .unwrap_or(16)
}

/// Hive's INT96 timestamp: nanoseconds of the day (little-endian u64), Julian day.
fn int96(micros: i64) -> Int96 {
    let days = micros.div_euclid(86_400_000_000);
    let nanos = micros.rem_euclid(86_400_000_000) as u64 * 1000;
    let mut v = Int96::new();
    v.set_data(
        nanos as u32,
        (nanos >> 32) as u32,
        (days + JULIAN_EPOCH) as u32,
    );
    v
}

fn parquet_field(c: &ColumnModel) -> parquet::errors::Result<Type> {
    let name = c.name.to_ascii_lowercase();
    let b = |physical| {
        Type::primitive_type_builder(&name, physical).with_repetition(Repetition::OPTIONAL)
    };
    match c.logical_type {
        LogicalType::Integer => b(Physical::INT64).build(),
        LogicalType::Decimal { precision, scale } => b(Physical::FIXED_LEN_BYTE_ARRAY)
            .with_length(decimal_length(precision) as i32)
            .with_logical_type(Some(PqLogical::Decimal(DecimalType {
                scale: i32::from(scale),
                precision: i32::from(precision),
            })))
            .with_converted_type(ConvertedType::DECIMAL)
            .with_precision(i32::from(precision))
            .with_scale(i32::from(scale))
            .build(),
        LogicalType::Float => b(Physical::DOUBLE).build(),
        LogicalType::Boolean => b(Physical::BOOLEAN).build(),
        LogicalType::Date => b(Physical::INT32)
            .with_logical_type(Some(PqLogical::Date))
            .with_converted_type(ConvertedType::DATE)
            .build(),
        LogicalType::Timestamp => b(Physical::INT96).build(),
        LogicalType::Categorical | LogicalType::Text => b(Physical::BYTE_ARRAY)
            .with_logical_type(Some(PqLogical::String))
            .with_converted_type(ConvertedType::UTF8)
            .build(),
    }
}

/// The Hive type of a column.
pub fn hive_type(t: LogicalType) -> String {
    match t {
        LogicalType::Integer => "BIGINT".into(),
        LogicalType::Decimal { precision, scale } => format!("DECIMAL({precision},{scale})"),
        LogicalType::Float => "DOUBLE".into(),
        LogicalType::Boolean => "BOOLEAN".into(),
        LogicalType::Date => "DATE".into(),
        LogicalType::Timestamp => "TIMESTAMP".into(),
        LogicalType::Categorical | LogicalType::Text => "STRING".into(),
    }
}

/// `hive_load.sql`: the database and one external Parquet table per generated table,
/// each located at `<location_prefix>/<table>`. Every identifier is quoted.
pub fn ddl(pack: &ModelPack, tables: &[&TableModel], location_prefix: &str) -> String {
    let db = pack.schema.to_ascii_lowercase();
    let mut sql = format!(
        "-- Hive DDL generated by bank_synth {} (@generated). Run with: beeline -f hive_load.sql\n\nCREATE DATABASE IF NOT EXISTS `{db}`;\n",
        crate::TOOL_VERSION
    );
    let prefix = location_prefix.trim_end_matches('/');
    for t in tables {
        let name = t.name.to_ascii_lowercase();
        let columns: Vec<String> = t
            .columns
            .iter()
            .map(|c| {
                format!(
                    "  `{}` {}",
                    c.name.to_ascii_lowercase(),
                    hive_type(c.logical_type)
                )
            })
            .collect();
        sql.push_str(&format!(
            "\nCREATE EXTERNAL TABLE `{db}`.`{name}` (\n{}\n)\nSTORED AS PARQUET\nLOCATION '{prefix}/{name}';\n",
            columns.join(",\n")
        ));
    }
    sql
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_lengths_fit_their_precision() {
        assert_eq!(decimal_length(9), 4);
        assert_eq!(decimal_length(18), 8);
        assert_eq!(decimal_length(38), 16);
    }

    /// A table of a date, a text and a decimal column, named with reserved words.
    fn order_table() -> TableModel {
        use crate::model::Generator;
        let column = |name: &str, logical_type| ColumnModel {
            name: name.into(),
            logical_type,
            nullable: false,
            null_rate: 0.0,
            privacy: crate::privacy::PrivacyLevel::Public,
            max_length: None,
            generator: Generator::Boolean { p_true: 0.5 },
            depends_on: None,
            day_of_month: None,
            monotone: false,
            embeds: None,
            prefix_by: None,
        };
        TableModel {
            name: "ORDER".into(),
            primary_key: vec![],
            sample_rows: 1,
            columns: vec![
                column("DATE", LogicalType::Date),
                column("USER", LogicalType::Text),
                column(
                    "AMOUNT",
                    LogicalType::Decimal {
                        precision: 18,
                        scale: 2,
                    },
                ),
            ],
            privacy_decisions: vec![],
            restricted_columns: vec![],
            rules: vec![],
            copula: None,
            reference_rows: None,
            joint: None,
        }
    }

    #[test]
    fn ddl_quotes_reserved_words_and_points_at_the_prefix() {
        use crate::model::Provenance;
        let table = order_table();
        let pack = ModelPack {
            format_version: 1,
            schema: "CORE".into(),
            provenance: Provenance {
                tool_version: "test".into(),
                source: "samples".into(),
                sample_strategy: None,
                config_digests: Default::default(),
                warnings: vec![],
            },
            tables: vec![table.clone()],
            relationships: vec![],
        };
        let sql = ddl(&pack, &[&table], "hdfs:///data/core/");
        assert!(
            sql.contains("CREATE EXTERNAL TABLE `core`.`order` ("),
            "{sql}"
        );
        assert!(
            sql.contains("  `date` DATE,\n  `user` STRING,\n  `amount` DECIMAL(18,2)\n"),
            "{sql}"
        );
        assert!(sql.contains("LOCATION 'hdfs:///data/core/order';"), "{sql}");
    }

    /// Text goes out as slices of one buffer per column, which comes back once its
    /// column chunk is written, and the file holds every row.
    #[test]
    fn a_text_columns_buffer_comes_back_after_its_row_group() {
        let dir = tempfile::tempdir().unwrap();
        let table = order_table();
        let mut writer =
            HiveParquetWriter::create(dir.path(), "order", &table, ParquetOptions::default())
                .unwrap();
        let rows: Chunk = (0..1000)
            .map(|i| {
                vec![
                    Value::Date(i),
                    Value::Str(format!("user number {i}").into()),
                    Value::Decimal(i128::from(i) * 100),
                ]
            })
            .collect();
        writer.write(&rows).unwrap();
        writer.write(&rows).unwrap();
        let text = &mut writer.buffers[1];
        text.clear();
        let Values::Text { bytes, .. } = &text.values else {
            panic!("USER is text")
        };
        assert!(bytes.capacity() >= 14 * 1000, "{}", bytes.capacity());
        writer.close().unwrap();
        let file = File::open(dir.path().join("order.parquet")).unwrap();
        let reader = parquet::file::reader::SerializedFileReader::new(file).unwrap();
        use parquet::file::reader::FileReader;
        assert_eq!(reader.metadata().file_metadata().num_rows(), 2000);
    }

    #[test]
    fn int96_round_trips_through_parquets_reader() {
        let us = 1_700_000_000_123_456i64;
        assert_eq!(int96(us).to_micros(), us);
        assert_eq!(int96(-86_400_000_000).to_micros(), -86_400_000_000);
    }
}
