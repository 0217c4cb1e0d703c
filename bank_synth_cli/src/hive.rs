//! `train --source hive --hive_spark`: the Spark job that samples Hive tables. The job
//! (`spark/bank_synth_hive_sample.py`, carried in the binary) is written with its
//! request to a private staging directory and run with spark-submit; its samples are
//! read from there and the directory is removed when training ends.

use crate::say;
use bank_synth_core::Error;
use bank_synth_core::source::hive::{HiveRequest, HiveSampler, label};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The job, as shipped in the repository.
const JOB: &str = include_str!("../../spark/bank_synth_hive_sample.py");

/// How to reach Spark.
pub struct SparkSettings {
    /// `--master`, when not Spark's default (spark-defaults.conf, else local[*]).
    pub master: Option<String>,
    /// `--conf KEY=VALUE`, after ours so they win.
    pub conf: Vec<String>,
}

/// Runs the sampling job with spark-submit.
pub struct SparkJob {
    settings: SparkSettings,
    staging: tempfile::TempDir,
}

impl SparkJob {
    /// A job with a fresh staging directory.
    pub fn new(settings: SparkSettings) -> Result<SparkJob, Error> {
        for c in &settings.conf {
            if !c.contains('=') {
                return Err(Error::Usage(
                    format!("--spark_conf {c} is not KEY=VALUE (e.g. spark.hadoop.hive.metastore.uris=thrift://metastore:9083)").into(),
                ));
            }
        }
        let staging = tempfile::Builder::new()
            .prefix("bank_synth_hive_")
            .tempdir()
            .map_err(|e| Error::io(std::env::temp_dir(), e))?;
        Ok(SparkJob { settings, staging })
    }
}

/// `$SPARK_HOME/bin/spark-submit`, else `spark-submit` from PATH.
fn spark_submit() -> PathBuf {
    match std::env::var_os("SPARK_HOME").filter(|h| !h.is_empty()) {
        Some(home) => Path::new(&home).join("bin").join("spark-submit"),
        None => PathBuf::from("spark-submit"),
    }
}

impl HiveSampler for SparkJob {
    fn sample(&mut self, request: &HiveRequest) -> Result<PathBuf, Error> {
        let dir = self.staging.path();
        let database = label(&request.database);
        let fail = |message: String| Error::Database {
            database: database.clone(),
            message: message.into(),
        };
        let job = dir.join("bank_synth_hive_sample.py");
        let request_file = dir.join("request.json");
        let samples = dir.join("samples");
        std::fs::write(&job, JOB).map_err(|e| Error::io(&job, e))?;
        let text = serde_json::to_string_pretty(request).expect("a request serialises");
        std::fs::write(&request_file, text).map_err(|e| Error::io(&request_file, e))?;
        let log_path = dir.join("spark.log");
        let log = std::fs::File::create(&log_path).map_err(|e| Error::io(&log_path, e))?;
        let submit = spark_submit();
        let mut command = Command::new(&submit);
        if let Some(master) = &self.settings.master {
            command.args(["--master", master]);
        }
        // The staging directory is on this machine: the driver must run here.
        command.args([
            "--deploy-mode",
            "client",
            "--conf",
            "spark.driver.extraJavaOptions=-Duser.timezone=UTC",
            "--conf",
            "spark.executor.extraJavaOptions=-Duser.timezone=UTC",
        ]);
        for c in &self.settings.conf {
            command.args(["--conf", c]);
        }
        command
            .arg(&job)
            .arg("--database")
            .arg(&request.database)
            .arg("--request")
            .arg(&request_file)
            .arg("--staging")
            .arg(&samples)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log);
        let mut child = command.spawn().map_err(|e| {
            fail(if e.kind() == std::io::ErrorKind::NotFound {
                format!(
                    "--hive_spark runs a pyspark job with spark-submit, and there is none at {} ({e}). Install Spark 3.5 (or `python3 -m pip install pyspark==3.5.*`, which puts spark-submit on PATH) and set SPARK_HOME or PATH, with Java 17; or export the tables as Parquet or CSV files and train with --source samples --sample_dir DIR",
                    submit.display()
                )
            } else {
                format!("cannot run {} ({e})", submit.display())
            })
        })?;
        say::note(&format!(
            "sampling {database} with Spark ({})",
            submit.display()
        ));
        stop_on_interrupt(child.id());
        let stdout = child.stdout.take().expect("stdout is piped");
        for line in BufReader::new(stdout).split(b'\n') {
            let Ok(line) = line else { break };
            let line = String::from_utf8_lossy(&line);
            if let Some(progress) = line.strip_prefix("bank_synth_hive: ") {
                say::detail(&format!("  {}", progress.trim_end()));
            }
        }
        let status = child
            .wait()
            .map_err(|e| fail(format!("spark-submit did not finish ({e})")))?;
        if crate::interrupt::requested() {
            return Err(Error::Interrupted);
        }
        if !status.success() {
            return Err(fail(format!(
                "the Spark sampling job failed ({status}); nothing was written. Its last lines:\n{}\nCheck the metastore settings (--spark_conf spark.hadoop.hive.metastore.uris=…, or hive-site.xml in HADOOP_CONF_DIR/SPARK_CONF_DIR), the database name (--hive_database) and that this user may read its tables",
                tail(&log_path)
            )));
        }
        Ok(samples)
    }
}

/// From now on Ctrl-C or SIGTERM stops the job (spark-submit `pid`), and training
/// returns [`Error::Interrupted`], removing the staging directory, writing nothing.
fn stop_on_interrupt(pid: u32) {
    crate::interrupt::catch();
    std::thread::spawn(move || {
        while !crate::interrupt::requested() {
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        #[cfg(unix)]
        // SAFETY: kill(2) with a pid we spawned; at worst the process has ended.
        unsafe {
            libc::kill(pid as libc::pid_t, libc::SIGTERM);
        }
        #[cfg(not(unix))]
        let _ = pid;
    });
}

/// The job's own error lines, else the last lines of its log (Spark's noise left out).
fn tail(log: &Path) -> String {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let own: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| l.starts_with("bank_synth_hive: "))
        .collect();
    let shown = if own.is_empty() {
        &lines[lines.len().saturating_sub(12)..]
    } else {
        &own[..]
    };
    shown
        .iter()
        .map(|l| format!("  {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}
