//! `bank_synth`: train model packs from governed samples, generate FK-consistent test
//! data from them anywhere. Argument parsing, progress, terminal tables and the sample
//! bank of `bank_synth samples` — training and generation are done by `bank_synth_core`.

mod allocator;
mod args;
mod estimate;
mod hive;
mod info;
mod interrupt;
mod oracle;
mod progress;
mod sample_bank;
mod say;
mod stream;

use args::{
    Cli, CodegenArgs, Command, EvaluateArgs, GenerateArgs, InputArgs, PlanArgs, SamplesArgs,
    TrainArgs, ValidateArgs,
};
use bank_synth_core::generate::{Plan, PlanRequest, Shard};
use bank_synth_core::output::hive::ParquetOptions;
use bank_synth_core::output::{self, Formats, RunOptions};
use bank_synth_core::source::SampleStrategy;
use bank_synth_core::source::oracle::ConnectString;
use bank_synth_core::train::{self, TrainInputs};
use bank_synth_core::{Error, ModelPack};
use clap::{CommandFactory, Parser};
use indicatif::HumanCount;
use std::fmt::Write as _;
use std::io::Write as _;
use std::process::ExitCode;

fn main() -> ExitCode {
    allocator::keep_freed_memory();
    let cli = Cli::parse();
    say::set(match (cli.quiet, cli.verbose) {
        (true, _) => say::Level::Quiet,
        (_, true) => say::Level::Verbose,
        _ => say::Level::Normal,
    });
    let flags = args::flag_names(&cli.command);
    let result = match cli.command {
        Command::Samples(a) => samples(a),
        Command::Train(a) => train_cmd(a),
        Command::Generate(a) => generate(a),
        Command::Info(a) => info::show(&a.model, info::Layout::of(&a)),
        Command::Validate(a) => validate(a),
        Command::Evaluate(a) => evaluate(a),
        Command::Codegen(a) => codegen(a),
        Command::Stream(a) => stream::run(a),
        Command::Completions(a) => Ok(completions(a.shell)),
    };
    match result {
        Ok(text) => write_stdout(&text),
        Err(e) => {
            eprintln!("error: {}", e.render(&flags));
            ExitCode::from(match e {
                Error::Interrupted => interrupt::exit_code(),
                _ if e.is_usage() => 2,
                _ => 1,
            })
        }
    }
}

/// Prints a command's report. A closed pipe (`bank_synth info … | head`) is not an
/// error: the reader has what it wanted.
fn write_stdout(text: &str) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: cannot write to standard output: {e}");
            ExitCode::FAILURE
        }
    }
}

fn samples(a: SamplesArgs) -> Result<String, Error> {
    let mut out = String::new();
    if !(a.scale.is_finite() && a.scale > 0.0) {
        return Err(Error::Usage(
            format!("--scale {} must be a positive number", a.scale).into(),
        ));
    }
    let bank = sample_bank::generate(a.seed, a.scale);
    sample_bank::write(&bank, &a.out, a.format)?;
    for t in &bank {
        let _ = writeln!(out, "{:<16} {:>8} rows", t.name, t.rows.len());
    }
    let _ = writeln!(out, "sample bank written to {}", a.out.display());
    Ok(out)
}

/// What training is given, from the command line.
fn train_inputs(
    source: train::SourceKind,
    schema: String,
    a: InputArgs,
) -> Result<TrainInputs, Error> {
    Ok(TrainInputs {
        source,
        schema,
        sample_dir: a.sample_dir,
        tables: a
            .tables
            .map(|t| t.split(',').map(|s| s.trim().to_string()).collect()),
        tables_file: a.tables_file,
        relationships_file: a.relationships,
        privacy_file: a.privacy_policy,
        sample_strategy: a
            .sample_strategy
            .as_deref()
            .map(SampleStrategy::parse)
            .transpose()?,
        strict: a.strict,
    })
}

/// `validate`: train's checks, no pack written.
fn validate(a: ValidateArgs) -> Result<String, Error> {
    let with_samples = a.inputs.sample_dir.clone();
    let files: Vec<String> = [
        &a.inputs.tables_file,
        &a.inputs.relationships,
        &a.inputs.privacy_policy,
    ]
    .into_iter()
    .flatten()
    .map(|p| p.display().to_string())
    .collect();
    let inputs = train_inputs(train::SourceKind::Samples, a.schema, a.inputs)?;
    let warnings = train::check(&inputs)?;
    // The warnings are what `validate` reports, so even -q shows them.
    for w in &warnings {
        eprintln!("warning: {w}");
    }
    let checked = if files.is_empty() {
        "no configuration files".to_string()
    } else {
        files.join(", ")
    };
    Ok(match with_samples {
        Some(dir) => format!(
            "valid: {checked}, checked with the samples in {} as train would ({} warning{}); nothing was written\n",
            dir.display(),
            warnings.len(),
            if warnings.len() == 1 { "" } else { "s" }
        ),
        None => {
            format!("valid: {checked}; pass --sample_dir to check them against the samples too\n")
        }
    })
}

fn train_cmd(a: TrainArgs) -> Result<String, Error> {
    let mut out = String::new();
    if a.oracle_conn.is_some() && a.source != args::Source::Oracle && a.source != args::Source::Both
    {
        return Err(Error::Usage(
            "--oracle_conn is only used with --source oracle or both".into(),
        ));
    }
    let hive = matches!(a.source, args::Source::Hive | args::Source::Both);
    if !hive
        && (a.hive_spark
            || a.hive_database.is_some()
            || a.spark_master.is_some()
            || !a.spark_conf.is_empty())
    {
        return Err(Error::Usage(
            "--hive_spark, --hive_database, --spark_master and --spark_conf are only used with --source hive or both".into(),
        ));
    }
    if hive && !a.hive_spark {
        return Err(Error::Usage(
            format!("--source {} reads the metastore through Spark: add --hive_spark (spark-submit from SPARK_HOME or PATH runs the sampling job; the metastore from hive-site.xml or --spark_conf spark.hadoop.hive.metastore.uris=thrift://…), or copy the tables' files out as Parquet or CSV and train with --source samples --sample_dir DIR", if a.source == args::Source::Both { "both" } else { "hive" }).into(),
        ));
    }
    let oracle_conn = if matches!(a.source, args::Source::Oracle | args::Source::Both) {
        let text = a.oracle_conn.as_deref().ok_or_else(|| {
            Error::Usage(
                format!(
                    "--source {} needs --oracle_conn user@host:1521/service (the password from BANK_SYNTH_ORACLE_PASSWORD or a prompt)",
                    if hive { "both" } else { "oracle" }
                )
                .into(),
            )
        })?;
        Some(ConnectString::parse(text)?)
    } else {
        None
    };
    let hive_database = a.hive_database.clone().unwrap_or_else(|| a.schema.clone());
    let inputs = train_inputs(a.source.into(), a.schema, a.inputs)?;
    let started = std::time::Instant::now();
    let mut job = if hive {
        Some(hive::SparkJob::new(hive::SparkSettings {
            master: a.spark_master,
            conf: a.spark_conf,
        })?)
    } else {
        None
    };
    let mut session = oracle_conn
        .as_ref()
        .map(oracle::Session::open)
        .transpose()?;
    let mut oracle_source =
        session
            .as_mut()
            .zip(oracle_conn.as_ref())
            .map(|(s, conn)| train::OracleSource {
                session: s,
                database: oracle::database(conn),
            });
    let mut hive_source = job.as_mut().map(|j| train::HiveSource {
        sampler: j,
        database: hive_database,
    });
    let pack = match (oracle_source.as_mut(), hive_source.as_mut()) {
        (Some(o), Some(h)) => train::train_from_both(&inputs, o, h)?,
        (Some(o), None) => train::train_from_oracle(&inputs, o)?,
        (None, Some(h)) => train::train_from_hive(&inputs, h)?,
        (None, None) => train::train(&inputs)?,
    };
    if interrupt::requested() {
        return Err(Error::Interrupted);
    }
    pack.save(&a.model_out)?;
    for t in &pack.tables {
        say::detail(&format!(
            "{}: {} sample rows, {} columns kept, {} restricted columns dropped",
            t.name,
            HumanCount(t.sample_rows),
            t.columns.len(),
            t.restricted_columns.len()
        ));
    }
    for w in &pack.provenance.warnings {
        say::warning(w);
    }
    let _ = writeln!(
        out,
        "trained {} tables and {} relationships in {:.1}s → {}",
        pack.tables.len(),
        pack.relationships.len(),
        started.elapsed().as_secs_f64(),
        a.model_out.display()
    );
    for t in &pack.tables {
        let _ = writeln!(
            out,
            "  {:<16} {:>8} sample rows  {:>3} columns",
            t.name,
            t.sample_rows,
            t.columns.len()
        );
    }
    let _ = writeln!(
        out,
        "inspect it with: bank_synth info --model {}",
        a.model_out.display()
    );
    Ok(out)
}

/// The completion script of `bank_synth` for `shell`, from clap's command tree.
fn completions(shell: clap_complete::Shell) -> String {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "bank_synth", &mut out);
    String::from_utf8(out).expect("completion scripts are UTF-8")
}

/// The pack and the plan that `a` asks for.
fn planned(a: &PlanArgs) -> Result<(ModelPack, Plan), Error> {
    let pack = ModelPack::load(&a.model)?;
    let request = PlanRequest {
        target_table: a.target_table.clone(),
        target_rows: a.target_rows,
        include_children: a.include_children,
        table_rows: a
            .table_rows
            .as_deref()
            .map(args::table_rows)
            .transpose()
            .map_err(|e| Error::Usage(e.into()))?
            .unwrap_or_default(),
        parent_scale: a.parent_scale,
        seed: a.seed,
    };
    let plan = Plan::new(&pack, &request)?;
    Ok((pack, plan))
}

fn generate(a: GenerateArgs) -> Result<String, Error> {
    let mut out = String::new();
    let (pack, plan) = planned(&a.plan)?;
    let formats = Formats::parse(&a.output_formats)?;
    let shard = a.shard.unwrap_or(Shard::WHOLE);
    let total: u64 = plan
        .tables
        .iter()
        .map(|t| {
            let rows = shard.rows(t.rows);
            rows.end - rows.start
        })
        .sum();
    let estimate = estimate::Estimate::new(total, &formats);
    if let Some(why) = estimate.refusal() {
        return Err(Error::Usage(why.into()));
    }
    if let Some(line) = estimate.announcement() {
        say::note(&line);
    }
    let options = RunOptions {
        output_dir: a.output_dir,
        run_id: a.run_id.unwrap_or_else(default_run_id),
        formats,
        hive_location: a.hive_location,
        threads: a.threads.unwrap_or_else(default_threads),
        chunk_rows: a.chunk_rows,
        shard,
        parquet: ParquetOptions {
            compression: a.compression,
            part_bytes: a.part_size,
        },
    };
    say::detail(&format!(
        "plan (seed {}): {}",
        plan.seed,
        plan.tables
            .iter()
            .map(|t| format!("{} {}", t.name, HumanCount(t.rows)))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    say::detail(&format!(
        "{} threads, chunks of at most {} rows, formats {}",
        options.threads,
        HumanCount(options.chunk_rows),
        options.formats.names().join(",")
    ));
    let started = std::time::Instant::now();
    let bar = progress::Bar::new(total);
    interrupt::catch();
    interrupt::watch(
        output::staging_dir(&options.output_dir, &options.run_id),
        options.output_dir.join(&options.run_id),
    );
    let summary = output::write_run(&pack, &a.plan.model, &plan, &options, &bar)?;
    bar.finish();
    let secs = started.elapsed().as_secs_f64();
    let _ = writeln!(
        out,
        "generated {} rows in {secs:.1}s (seed {}{}) → {}",
        HumanCount(total),
        plan.seed,
        if shard.is_whole() {
            String::new()
        } else {
            format!(", shard {shard}")
        },
        summary.run_dir.display()
    );
    for (table, rows) in &summary.tables {
        let _ = writeln!(
            out,
            "  {table:<16} {:>13} rows",
            HumanCount(*rows).to_string()
        );
    }
    let _ = writeln!(
        out,
        "keys: {}; rules: {}; quality report: {}",
        summary.quality.keys_summary(),
        if summary.quality.rules_hold() {
            format!("all {} learned rules hold", summary.quality.rules.len())
        } else {
            "SOME BROKEN (see the report)".to_string()
        },
        summary.run_dir.join("report").join("quality.md").display()
    );
    Ok(out)
}

fn evaluate(a: EvaluateArgs) -> Result<String, Error> {
    let model = match a.model {
        Some(m) => m,
        None => recorded_model(&a.synthetic)?,
    };
    let pack = ModelPack::load(&model)?;
    let evaluation = bank_synth_core::evaluate::evaluate(
        &pack,
        &a.real,
        &a.synthetic,
        a.baseline.as_deref(),
        a.metadata.as_deref(),
    )?;
    if let Some(path) = &a.json {
        let json = serde_json::to_string_pretty(&evaluation).expect("evaluations serialize");
        std::fs::write(path, json + "\n").map_err(|e| Error::io(path, e))?;
    }
    Ok(evaluation.to_markdown())
}

fn codegen(a: CodegenArgs) -> Result<String, Error> {
    let stem = a.out.file_stem().and_then(|s| s.to_str());
    let module = match (a.module, stem) {
        (Some(m), _) => m,
        (None, Some(stem)) => stem.to_string(),
        (None, None) => {
            return Err(Error::Usage(
                format!(
                    "--out {} names no file; pass e.g. --out src/core_fixtures.rs",
                    a.out.display()
                )
                .into(),
            ));
        }
    };
    let builder = bank_synth_core::codegen::Builder::new(&a.model)
        .module_name(&module)
        .module_file();
    let file = builder.write_to(&a.out)?;
    Ok(format!(
        "wrote module `{module}` to {} (declare it with `mod {module};` beside it)\n",
        file.display(),
    ))
}

/// The model pack path a run's manifest records.
fn recorded_model(run: &std::path::Path) -> Result<std::path::PathBuf, Error> {
    let manifest = output::manifest::read(run).map_err(|e| match e {
        Error::Io { path, source } => Error::Usage(
            format!(
                "cannot read {} ({source}); pass the run directory as --synthetic, or the pack as --model",
                path.display()
            )
            .into(),
        ),
        other => other,
    })?;
    Ok(std::path::PathBuf::from(manifest.model_pack.path))
}

/// Generator threads by default: one core is kept for the writers (the Parquet encoder
/// runs beside the CSV writer), the others generate ahead.
fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().saturating_sub(1).max(1))
}

/// The current UTC time as `YYYYMMDDTHHMMSSZ` (only used to name runs).
/// `run_<UTC time to the millisecond>_<process id>`: two runs started on one machine
/// in the same millisecond are different processes, so they get different ids.
fn default_run_id() -> String {
    format!(
        "run_{}_{}",
        chrono::Utc::now().format("%Y%m%dT%H%M%S%.3fZ"),
        std::process::id()
    )
}
