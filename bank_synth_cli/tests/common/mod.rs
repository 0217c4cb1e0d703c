//! Helpers shared by the CLI's integration tests: run the real `bank_synth` binary on
//! the committed sample bank.
#![allow(dead_code)]

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// The sample bank's tables, in generation order, as the run's files name them.
pub const TABLES: [&str; 7] = [
    "branches",
    "customers",
    "accounts",
    "transactions",
    "cards",
    "statements",
    "statement_lines",
];

/// The repository root.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// Runs `bank_synth` with `args` in `cwd`.
pub fn run_in<S: AsRef<OsStr>>(cwd: &Path, args: &[S]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bank_synth"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("bank_synth runs")
}

/// Runs `bank_synth` with `args` in the repository root.
pub fn run<S: AsRef<OsStr>>(args: &[S]) -> Output {
    run_in(&repo(), args)
}

/// Trains the committed samples with tables.yaml and relationships.yaml but no privacy
/// policy, so every column is in the pack (as in the bank's own tables), into `model_out`.
pub fn train_every_column(model_out: &Path) {
    let mut args = train_args(&repo().join("samples"), &repo().join("configs"), model_out);
    let at = args.iter().position(|a| a == "--privacy_policy").unwrap();
    args.drain(at..at + 2);
    ok(&args);
}

/// Runs and asserts success, returning stdout.
pub fn ok<S: AsRef<OsStr>>(args: &[S]) -> String {
    let out = run(args);
    let shown: Vec<_> = args.iter().map(|a| a.as_ref().to_string_lossy()).collect();
    assert!(
        out.status.success(),
        "bank_synth {shown:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The arguments of `train` on `samples_dir` with the three configuration files in
/// `configs_dir`, into `model_out` (relative paths resolve against the working directory).
pub fn train_args(samples_dir: &Path, configs_dir: &Path, model_out: &Path) -> Vec<OsString> {
    let mut args: Vec<OsString> = ["train", "--source", "samples", "--schema", "CORE"]
        .map(OsString::from)
        .into();
    for (flag, path) in [
        ("--sample_dir", samples_dir.to_path_buf()),
        ("--tables_file", configs_dir.join("tables.yaml")),
        ("--relationships", configs_dir.join("relationships.yaml")),
        ("--privacy_policy", configs_dir.join("privacy.yaml")),
        ("--model_out", model_out.to_path_buf()),
    ] {
        args.extend([flag.into(), path.into()]);
    }
    args
}

/// Trains `samples_dir` with the committed configs into `model_out`.
pub fn train(samples_dir: &Path, model_out: &Path) {
    ok(&train_args(samples_dir, &repo().join("configs"), model_out));
}

/// A model pack trained once per test binary from the committed samples.
pub fn model() -> &'static Path {
    static MODEL: OnceLock<PathBuf> = OnceLock::new();
    MODEL.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap().keep();
        let pack = dir.join("CORE_modelpack");
        train(&repo().join("samples"), &pack);
        pack
    })
}

/// Generates into `output_dir/run_id` with extra `args`; returns the run directory.
pub fn generate(output_dir: &Path, run_id: &str, args: &[&str]) -> PathBuf {
    let mut all = vec![
        "generate",
        "--model",
        model().to_str().unwrap(),
        "--output_dir",
        output_dir.to_str().unwrap(),
        "--run_id",
        run_id,
    ];
    all.extend_from_slice(args);
    ok(&all);
    output_dir.join(run_id)
}

/// A CSV file's header and records.
pub fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader =
        csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let header = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

/// Every file below `dir`, as sorted paths relative to it.
pub fn files(dir: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                out.push(p.strip_prefix(root).unwrap().to_string_lossy().into_owned());
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// A scratch copy of the samples and configs that a test may damage.
pub struct Workspace {
    dir: tempfile::TempDir,
}

impl Workspace {
    /// A fresh copy.
    pub fn new() -> Workspace {
        let dir = tempfile::tempdir().unwrap();
        for sub in ["samples", "configs"] {
            std::fs::create_dir(dir.path().join(sub)).unwrap();
            for e in std::fs::read_dir(repo().join(sub)).unwrap() {
                let p = e.unwrap().path();
                std::fs::copy(&p, dir.path().join(sub).join(p.file_name().unwrap())).unwrap();
            }
        }
        Workspace { dir }
    }

    /// A path inside the copy.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Replaces a file of the copy.
    pub fn write(&self, rel: &str, text: &str) {
        std::fs::write(self.path(rel), text).unwrap();
    }

    /// Edits a file of the copy.
    pub fn edit(&self, rel: &str, f: impl FnOnce(String) -> String) {
        let text = std::fs::read_to_string(self.path(rel)).unwrap();
        self.write(rel, &f(text));
    }

    /// Trains the copy into `pack/`.
    pub fn train(&self) -> Output {
        run_in(
            self.dir.path(),
            &train_args(
                Path::new("samples"),
                Path::new("configs"),
                Path::new("pack"),
            ),
        )
    }
}

/// Asserts a clean failure with `code` whose message contains every one of `needles`,
/// and returns the message.
pub fn fails(out: &Output, code: i32, needles: &[&str]) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(
        out.status.code(),
        Some(code),
        "exit code; stderr:\n{stderr}"
    );
    assert!(
        stderr.starts_with("error: "),
        "one error paragraph:\n{stderr}"
    );
    assert!(
        !stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"),
        "{stderr}"
    );
    for n in needles {
        assert!(stderr.contains(n), "expected `{n}` in:\n{stderr}");
    }
    stderr
}

/// The codec of every column chunk of a Parquet file: SNAPPY, GZIP, ZSTD, UNCOMPRESSED.
pub fn parquet_codecs(path: &Path) -> Vec<String> {
    use parquet::file::reader::{FileReader, SerializedFileReader};
    let reader = SerializedFileReader::new(std::fs::File::open(path).unwrap()).unwrap();
    reader
        .metadata()
        .row_groups()
        .iter()
        .flat_map(|g| g.columns().iter().map(|c| c.compression().to_string()))
        .map(|codec| codec.split('(').next().unwrap_or_default().to_string())
        .collect()
}

/// Runs the Python script `tests/spark/<script>` with `args` and returns its stdout,
/// failing the test (with both outputs) unless it succeeds.
pub fn spark_script<S: AsRef<OsStr>>(script: &str, args: &[S]) -> String {
    let out = Command::new("python3")
        .arg(repo().join("tests/spark").join(script))
        .args(args)
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("No module named"),
        "a Python module is missing: run `python3 -m pip install -r tests/requirements.txt`\n{stderr}"
    );
    assert!(out.status.success(), "{script} failed:\n{stdout}\n{stderr}");
    stdout
}
