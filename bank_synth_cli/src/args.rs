//! The command line, exactly as the product documents it: underscore option names
//! (`--target_table`), with kebab-case spellings (`--target-table`) accepted too.

use crate::sample_bank::SampleFormat;
use bank_synth_core::error::Setting;
use bank_synth_core::generate::Shard;
use bank_synth_core::output::hive::ParquetCompression;
use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Synthetic, relationally consistent bank test data from a trained model pack.
///
/// Train in the governed environment (reads samples, writes a model pack holding no
/// rows), generate anywhere from the pack alone.
#[derive(Parser)]
#[command(name = "bank_synth", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Print errors and the report only: no progress, notes or warnings (warnings stay
    /// in the pack's provenance and the run's report).
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Also print details: the plan, counts and timings.
    #[arg(short, long, global = true)]
    pub verbose: bool,
}

#[derive(Subcommand)]
pub enum Command {
    /// Write the deterministic sample bank (7 tables) as CSV or Parquet files.
    Samples(SamplesArgs),
    /// Learn a model pack from sample rows.
    Train(TrainArgs),
    /// Generate a target table plus every parent it needs from a model pack.
    Generate(GenerateArgs),
    /// Show what a model pack holds.
    Info(InfoArgs),
    /// Check configuration files (and samples, when given) as train would, writing nothing.
    Validate(ValidateArgs),
    /// Compare a generated run with real rows (SDMetrics' quality report properties).
    Evaluate(EvaluateArgs),
    /// Write typed Rust fixture code (structs, key types, enums, generators) for a pack.
    Codegen(CodegenArgs),
    /// Stream a planned table (or a shard of it) to standard output as Arrow IPC, for
    /// Spark's mapInArrow (`spark/bank_synth_spark.py`); `--plan` prints the plan.
    Stream(StreamArgs),
    /// Print a shell completion script: `source <(bank_synth completions bash)`.
    Completions(CompletionsArgs),
}

#[derive(Args)]
pub struct SamplesArgs {
    /// Directory to write the sample files into.
    #[arg(long)]
    pub out: PathBuf,
    /// Seed of the sample bank.
    #[arg(long, default_value_t = 2024)]
    pub seed: u64,
    /// Size factor (1.0 ≈ 1,000 customers).
    #[arg(long, default_value_t = 1.0)]
    pub scale: f64,
    /// File format.
    #[arg(long, value_enum, default_value_t = SampleFormat::Csv)]
    pub format: SampleFormat,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Source {
    /// An Oracle schema: --oracle_conn user@host:1521/service --schema OWNER (needs
    /// Oracle Instant Client; password from BANK_SYNTH_ORACLE_PASSWORD or a prompt).
    Oracle,
    /// Hive tables, sampled by a Spark job: --hive_spark --hive_database DB (needs
    /// spark-submit, e.g. from `pip install pyspark`, and Java 17).
    Hive,
    /// A directory of <table>.csv / <table>.parquet files: --sample_dir DIR.
    Samples,
    /// Oracle and Hive tables in one pack: a table the Oracle schema has is read there,
    /// every other from the Hive database.
    Both,
}

impl From<Source> for bank_synth_core::train::SourceKind {
    fn from(s: Source) -> Self {
        match s {
            Source::Oracle => Self::Oracle,
            Source::Hive => Self::Hive,
            Source::Samples => Self::Samples,
            Source::Both => Self::Both,
        }
    }
}

/// What `train` reads, and `validate` checks: configuration files and samples.
#[derive(Args)]
pub struct InputArgs {
    /// YAML file with table configuration.
    #[arg(
        long = "tables_file",
        visible_alias = "tables-file",
        value_name = "PATH"
    )]
    pub tables_file: Option<PathBuf>,
    /// Comma-separated table names.
    #[arg(long, value_name = "TEXT")]
    pub tables: Option<String>,
    /// Directory with sample files (<table>.csv or <table>.parquet).
    #[arg(long = "sample_dir", visible_alias = "sample-dir", value_name = "PATH")]
    pub sample_dir: Option<PathBuf>,
    /// Sampling strategy (percent:N, rows:N), applied deterministically.
    #[arg(
        long = "sample_strategy",
        visible_alias = "sample-strategy",
        value_name = "TEXT"
    )]
    pub sample_strategy: Option<String>,
    /// YAML file with relationships.
    #[arg(long, value_name = "PATH")]
    pub relationships: Option<PathBuf>,
    /// YAML file with privacy policy.
    #[arg(
        long = "privacy_policy",
        visible_alias = "privacy-policy",
        value_name = "PATH"
    )]
    pub privacy_policy: Option<PathBuf>,
    /// Refuse sample values that do not parse as their column's type (by default the
    /// few that do not are read as NULL and reported).
    #[arg(long)]
    pub strict: bool,
}

/// `validate`: the checks of `train`, writing nothing.
#[derive(Args)]
pub struct ValidateArgs {
    /// Schema/database name (as train would record it).
    #[arg(long, value_name = "TEXT", default_value = "CHECK")]
    pub schema: String,
    /// The files and samples to check.
    #[command(flatten)]
    pub inputs: InputArgs,
}

#[derive(Args)]
#[command(after_help = "Examples:
  # sample files (CSV or Parquet, one per table)
  bank_synth train --source samples --schema CORE --sample_dir samples \\
    --tables_file configs/tables.yaml --relationships configs/relationships.yaml \\
    --privacy_policy configs/privacy.yaml --model_out models/CORE_modelpack
  # an Oracle schema, sampled in the database (password: BANK_SYNTH_ORACLE_PASSWORD or prompt)
  bank_synth train --source oracle --oracle_conn \"user@host:1521/service\" --schema CORE \\
    --tables CUSTOMERS,ACCOUNTS,TRANSACTIONS --sample_strategy percent:1 \\
    --privacy_policy configs/privacy.yaml --model_out models/CORE_modelpack
  # Hive tables, sampled by a Spark job (spark-submit from SPARK_HOME or PATH)
  bank_synth train --source hive --hive_spark --schema CORE --hive_database core_lake \\
    --spark_conf spark.hadoop.hive.metastore.uris=thrift://metastore:9083 \\
    --relationships configs/relationships.yaml --sample_strategy percent:1 \\
    --privacy_policy configs/privacy.yaml --model_out models/CORE_modelpack
  # Oracle tables and Hive tables in one pack (CUSTOMERS, ACCOUNTS in Oracle; TRANSACTIONS in Hive)
  bank_synth train --source both --oracle_conn \"user@host:1521/service\" --schema CORE \\
    --hive_spark --hive_database core_lake --tables CUSTOMERS,ACCOUNTS,TRANSACTIONS \\
    --relationships configs/relationships.yaml --sample_strategy percent:1 \\
    --privacy_policy configs/privacy.yaml --model_out models/CORE_modelpack")]
pub struct TrainArgs {
    /// Data source for training.
    #[arg(long, value_enum, default_value_t = Source::Samples)]
    pub source: Source,
    /// Oracle connection: user@host:1521/service, user@TNS_ALIAS (user/pwd@… works, with
    /// a warning: prefer BANK_SYNTH_ORACLE_PASSWORD or the prompt).
    #[arg(
        long = "oracle_conn",
        visible_alias = "oracle-conn",
        value_name = "TEXT"
    )]
    pub oracle_conn: Option<String>,
    /// Use Spark for Hive access: sample the Hive tables with a pyspark job run by
    /// spark-submit ($SPARK_HOME/bin, else PATH; the usual SPARK_* / HADOOP_CONF_DIR
    /// settings apply).
    #[arg(long = "hive_spark", visible_alias = "hive-spark")]
    pub hive_spark: bool,
    /// The Hive database to read (default: --schema).
    #[arg(
        long = "hive_database",
        visible_alias = "hive-database",
        value_name = "TEXT"
    )]
    pub hive_database: Option<String>,
    /// Spark master for the sampling job (default: spark-defaults.conf, else local[*]).
    #[arg(
        long = "spark_master",
        visible_alias = "spark-master",
        value_name = "URL"
    )]
    pub spark_master: Option<String>,
    /// Spark setting for the sampling job, KEY=VALUE (repeatable), e.g.
    /// spark.hadoop.hive.metastore.uris=thrift://metastore:9083 or
    /// spark.sql.warehouse.dir=hdfs:///warehouse.
    #[arg(
        long = "spark_conf",
        visible_alias = "spark-conf",
        value_name = "KEY=VALUE"
    )]
    pub spark_conf: Vec<String>,
    /// Schema/database name.
    #[arg(long, value_name = "TEXT")]
    pub schema: String,
    /// What training reads.
    #[command(flatten)]
    pub inputs: InputArgs,
    /// Output path for model pack.
    #[arg(long = "model_out", visible_alias = "model-out", value_name = "PATH")]
    pub model_out: PathBuf,
}

/// What a run plans: the pack, the target and its rows, and the seed.
#[derive(Args)]
pub struct PlanArgs {
    /// Path to trained model pack.
    #[arg(long, value_name = "PATH")]
    pub model: PathBuf,
    /// Target table to generate.
    #[arg(
        long = "target_table",
        visible_alias = "target-table",
        value_name = "TEXT"
    )]
    pub target_table: String,
    /// Number of rows for target table (1 to 10^12; `1_000_000` and `1e6` read too).
    #[arg(
        long = "target_rows",
        visible_alias = "target-rows",
        value_name = "INTEGER",
        allow_negative_numbers = true,
        value_parser = row_count
    )]
    pub target_rows: u64,
    /// Include child tables in generation.
    #[arg(long = "include_children", visible_alias = "include-children")]
    pub include_children: bool,
    /// Random seed for reproducibility.
    #[arg(long, value_name = "INTEGER", default_value_t = 42)]
    pub seed: u64,
    /// Override row counts (TABLE:N,TABLE:N).
    #[arg(long = "table_rows", visible_alias = "table-rows", value_name = "TEXT")]
    pub table_rows: Option<String>,
    /// Scale factor for parent tables.
    #[arg(
        long = "parent_scale",
        visible_alias = "parent-scale",
        value_name = "FLOAT",
        default_value_t = 1.0
    )]
    pub parent_scale: f64,
}

#[derive(Args)]
pub struct GenerateArgs {
    #[command(flatten)]
    pub plan: PlanArgs,
    /// Comma-separated formats (hive,oracle).
    #[arg(
        long = "output_formats",
        visible_alias = "output-formats",
        value_name = "TEXT",
        default_value = "hive,oracle"
    )]
    pub output_formats: String,
    /// Output directory.
    #[arg(
        long = "output_dir",
        visible_alias = "output-dir",
        value_name = "PATH",
        default_value = "output"
    )]
    pub output_dir: PathBuf,
    /// Custom run identifier (default: run_<UTC time to the millisecond>_<process id>).
    #[arg(long = "run_id", visible_alias = "run-id", value_name = "TEXT")]
    pub run_id: Option<String>,
    /// LOCATION prefix for hive_load.sql, e.g. hdfs:///data/core (default: the run's hive/ directory).
    #[arg(
        long = "hive_location",
        visible_alias = "hive-location",
        value_name = "URI"
    )]
    pub hive_location: Option<String>,
    /// Generator threads (output is byte-identical for any value; default: cores - 1).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Codec of the Hive Parquet files: snappy and gzip are read by every Hive (2.3, as
    /// in Spark 3.5, included); zstd only from Hive 3.1.
    #[arg(long, value_name = "CODEC", default_value = "snappy",
          value_parser = PossibleValuesParser::new(ParquetCompression::NAMES)
              .map(|name| ParquetCompression::from_name(&name).expect("a listed codec")))]
    pub compression: ParquetCompression,
    /// Cut a table's Parquet file into parts once it holds this much (`1GiB`, `512MiB`,
    /// `64KiB` or bytes): `<table>/<table>-00000.parquet`, …; a smaller table stays one
    /// `<table>.parquet`.
    #[arg(long = "part_size", visible_alias = "part-size", value_name = "SIZE",
          default_value = "1GiB", value_parser = byte_size)]
    pub part_size: u64,
    /// Rows per generated chunk at most, and so per Parquet row group; a chunk also
    /// holds at most 2^19 values (2^19 / columns rows).
    #[arg(long = "chunk_rows", visible_alias = "chunk-rows", value_name = "N",
          default_value_t = bank_synth_core::output::DEFAULT_CHUNK_ROWS,
          value_parser = clap::value_parser!(u64).range(1..=1 << 24))]
    pub chunk_rows: u64,
    /// Write only the I-th of N disjoint slices of every table (I from 1 to N): the
    /// union of the N shards is exactly the whole run's rows, for machines or Spark
    /// executors to generate side by side.
    #[arg(long, value_name = "I/N", value_parser = shard)]
    pub shard: Option<Shard>,
}

/// `bank_synth stream`: a table's rows as Arrow IPC on standard output.
#[derive(Args)]
pub struct StreamArgs {
    #[command(flatten)]
    pub plan: PlanArgs,
    /// Print the plan as JSON instead: every table with its rows, Hive column types and
    /// foreign keys.
    #[arg(long = "plan", conflicts_with_all = ["table", "shard"])]
    pub print_plan: bool,
    /// The planned table to stream.
    #[arg(long, value_name = "TEXT", required_unless_present = "print_plan")]
    pub table: Option<String>,
    /// Stream only the I-th of N slices of the table (as `generate --shard`).
    #[arg(long, value_name = "I/N", value_parser = shard)]
    pub shard: Option<Shard>,
}

#[derive(Args)]
pub struct InfoArgs {
    /// Path to trained model pack.
    #[arg(long, value_name = "PATH")]
    pub model: PathBuf,
    /// Tables at full width (by default they fit the terminal, or 120 columns when
    /// the output is not a terminal).
    #[arg(long)]
    pub wide: bool,
    /// The pack's summary as JSON, for scripts.
    #[arg(long, conflicts_with = "wide")]
    pub json: bool,
}

#[derive(Args)]
pub struct EvaluateArgs {
    /// Directory with the real tables (<table>.csv or <table>.parquet).
    #[arg(long, value_name = "DIR")]
    pub real: PathBuf,
    /// The generated run's directory (output/<run_id>).
    #[arg(long, value_name = "RUN_DIR")]
    pub synthetic: PathBuf,
    /// The model pack (default: the one recorded in the run's manifest).
    #[arg(long, value_name = "PATH")]
    pub model: Option<PathBuf>,
    /// Also write the full evaluation (every detail) as JSON to this file.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// A second real sample (same layout as --real) to score against the first: the
    /// noise floor of the metrics, shown beside the synthetic scores.
    #[arg(long, value_name = "DIR")]
    pub baseline: Option<PathBuf>,
    /// SDV metadata (the JSON SDMetrics takes) giving each column's sdtype; by default
    /// the kinds are read from the real rows.
    #[arg(long, value_name = "FILE")]
    pub metadata: Option<PathBuf>,
}

#[derive(Args)]
pub struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Args)]
pub struct CodegenArgs {
    /// Path to trained model pack.
    #[arg(long, value_name = "PATH")]
    pub model: PathBuf,
    /// The Rust file to write; the pack it embeds is written beside it
    /// (`<module>.modelpack.json`).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// The generated module's name (default: the file's stem).
    #[arg(long, value_name = "NAME")]
    pub module: Option<String>,
}

/// The most rows one table of a run can ask for: far beyond one machine, within what
/// the key spaces and counts address exactly.
pub const MAX_ROWS: u64 = 1_000_000_000_000;

/// A row count: a whole number from 1 to [`MAX_ROWS`], digits with optional `_` or `,`
/// separators, or a whole number in scientific notation (`1e6`).
pub fn row_count(text: &str) -> Result<u64, String> {
    let digits: String = text.chars().filter(|c| !matches!(c, '_' | ',')).collect();
    let value = match digits.parse::<i128>() {
        Ok(n) => Some(n as f64),
        Err(_) => digits
            .parse::<f64>()
            .ok()
            .filter(|x| x.fract() == 0.0 && digits.contains(['e', 'E'])),
    };
    match value {
        Some(n) if n >= 1.0 && n <= MAX_ROWS as f64 => Ok(n as u64),
        Some(n) if n < 1.0 => Err(format!(
            "`{text}` is no number of rows to generate; ask for at least 1"
        )),
        Some(_) => Err(format!(
            "`{text}` is more than the 1,000,000,000,000 (10^12) rows a table can be asked for"
        )),
        None => Err(format!(
            "`{text}` is not a whole number of rows (write e.g. 1000000, 1_000_000 or 1e6)"
        )),
    }
}

/// `--table_rows TABLE:N,TABLE:N`: row counts of tables other than the target.
pub fn table_rows(text: &str) -> Result<BTreeMap<String, u64>, String> {
    let mut out = BTreeMap::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let not_an_entry = || {
            format!(
                "--table_rows entry `{part}` is not TABLE:N with N a whole number; write e.g. --table_rows CUSTOMERS:100,ACCOUNTS:250"
            )
        };
        let (table, n) = part
            .split_once(':')
            .map(|(t, n)| (bank_synth_core::model::canonical(t), n.trim()))
            .filter(|(t, n)| !t.is_empty() && !n.is_empty())
            .ok_or_else(not_an_entry)?;
        let n = match n.parse::<u64>() {
            Ok(n) if n <= MAX_ROWS => n,
            Ok(_) => {
                return Err(format!(
                    "--table_rows entry `{part}`: {}",
                    row_count(n).unwrap_err()
                ));
            }
            Err(_) if n.contains(['e', 'E', '_', ',']) => {
                row_count(n).map_err(|why| format!("--table_rows entry `{part}`: {why}"))?
            }
            Err(_) => return Err(not_an_entry()),
        };
        if out.insert(table.clone(), n).is_some() {
            return Err(format!(
                "--table_rows names {table} twice; name each table once"
            ));
        }
    }
    Ok(out)
}

/// How errors of `command` word the library's settings: as its flags (a sample
/// directory is `--real` to `evaluate`, `--sample_dir` elsewhere).
pub fn flag_names(command: &Command) -> impl Fn(Setting) -> String + use<> {
    let evaluate = matches!(command, Command::Evaluate(_));
    move |setting| {
        let flag = match setting {
            Setting::SampleDir if evaluate => "--real",
            Setting::SampleDir => "--sample_dir",
            Setting::Source => "--source",
            Setting::Tables => "--tables",
            Setting::SampleStrategy => "--sample_strategy",
            Setting::Strict => "--strict",
            Setting::OutputDir => "--output_dir",
            Setting::RunId => "--run_id",
            Setting::OutputFormats => "--output_formats",
            Setting::TargetRows => "--target_rows",
            Setting::TableRows => "--table_rows",
            Setting::ParentScale => "--parent_scale",
            Setting::Baseline => "--baseline",
            Setting::ModelOut => "`bank_synth train --model_out`",
            Setting::Synthetic => "--synthetic",
            Setting::OracleConn => "--oracle_conn",
            Setting::Schema => "--schema",
            other => return format!("`{}`", other.name()),
        };
        flag.to_string()
    }
}

/// Parses a size: bytes, or a number with KiB, MiB or GiB.
fn byte_size(s: &str) -> Result<u64, String> {
    let bad = || {
        format!("`{s}` is not a size: write bytes or a number with KiB, MiB or GiB (e.g. 512MiB)")
    };
    let text = s.trim();
    let split = text
        .find(|c: char| c.is_ascii_alphabetic())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let scale: u64 = match unit.to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "kib" | "k" => 1 << 10,
        "mib" | "m" => 1 << 20,
        "gib" | "g" => 1 << 30,
        _ => return Err(bad()),
    };
    let n: u64 = number.trim().parse().map_err(|_| bad())?;
    n.checked_mul(scale).filter(|&b| b > 0).ok_or_else(bad)
}

/// Parses `--shard I/N`.
fn shard(s: &str) -> Result<Shard, String> {
    let bad = || {
        format!(
            "`{s}` is not a shard: write I/N, the I-th of N slices, with 1 <= I <= N (e.g. 2/8)"
        )
    };
    let (i, n) = s.split_once('/').ok_or_else(bad)?;
    let (i, n) = (
        i.trim().parse().map_err(|_| bad())?,
        n.trim().parse().map_err(|_| bad())?,
    );
    Shard::new(i, n).ok_or_else(bad)
}

#[cfg(test)]
mod tests {
    use super::{byte_size, row_count, shard, table_rows};

    #[test]
    fn sizes_parse_and_reject() {
        assert_eq!(byte_size("1GiB"), Ok(1 << 30));
        assert_eq!(byte_size("512MiB"), Ok(512 << 20));
        assert_eq!(byte_size("64k"), Ok(64 << 10));
        assert_eq!(byte_size("1000"), Ok(1000));
        for bad in ["0", "1TiB", "x", "-5MiB", "99999999999999GiB", ""] {
            assert!(
                byte_size(bad).unwrap_err().contains("is not a size"),
                "{bad}"
            );
        }
    }

    #[test]
    fn shards_parse_and_reject() {
        assert_eq!(shard("2/8").unwrap().to_string(), "2/8");
        assert_eq!(shard(" 1 / 1 ").unwrap().to_string(), "1/1");
        for bad in ["0/4", "5/4", "1/0", "2", "a/b", "-1/4", "1/4/2"] {
            let e = shard(bad).unwrap_err();
            assert!(
                e.contains(&format!("`{bad}`")) && e.contains("1 <= I <= N"),
                "{e}"
            );
        }
    }

    #[test]
    fn table_rows_parse_and_reject() {
        let m = table_rows("customers:10, ACCOUNTS:20,B:1e3").unwrap();
        assert_eq!((m["CUSTOMERS"], m["ACCOUNTS"], m["B"]), (10, 20, 1000));
        for bad in [
            "CUSTOMERS",
            "CUSTOMERS:x",
            ":5",
            "A:1,A:2",
            "A:-3",
            "A:1e13",
        ] {
            assert!(table_rows(bad).is_err(), "{bad}");
        }
        assert!(table_rows("A:1,A:2").unwrap_err().contains("names A twice"));
        assert!(
            table_rows("A:1e13").unwrap_err().contains("more than"),
            "the reason kept"
        );
        assert_eq!(
            table_rows("A:0").unwrap()["A"],
            0,
            "a table may be asked for no rows"
        );
    }

    #[test]
    fn row_counts_are_whole_positive_numbers_within_reach() {
        assert_eq!(row_count("1000000"), Ok(1_000_000));
        assert_eq!(row_count("1_000_000"), Ok(1_000_000));
        assert_eq!(row_count("2,500"), Ok(2_500));
        assert_eq!(row_count("1e6"), Ok(1_000_000));
        assert_eq!(row_count("1000000000000"), Ok(1_000_000_000_000));
        for bad in [
            "0",
            "-5",
            "1.5",
            "2.5e0",
            "ten",
            "",
            "1e13",
            "18446744073709551615",
        ] {
            assert!(row_count(bad).is_err(), "{bad}");
        }
        assert!(row_count("-5").unwrap_err().contains("at least 1"));
        assert!(row_count("0").unwrap_err().contains("at least 1"));
        assert!(row_count("1e13").unwrap_err().contains("more than"));
    }
}
