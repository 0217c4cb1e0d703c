//! Typed errors. Each one names the file, line, table or column it is about and says
//! what to do. The library never names a CLI flag: where a message points at an input
//! the caller chose, it holds a [`Setting`], which the library words as the field of its
//! request (`` `sample_dir` ``) and the CLI as its flag (`--sample_dir`), through
//! [`Error::render`].

use std::fmt;
use std::path::{Path, PathBuf};

/// Result alias used across the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// An input the caller chose: a field of a library request, a flag of the CLI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Setting {
    /// Where training reads its data from (`TrainInputs::source`).
    Source,
    /// The directory of sample files (`TrainInputs::sample_dir`).
    SampleDir,
    /// The tables to train (`TrainInputs::tables`).
    Tables,
    /// Which sample rows to train on (`TrainInputs::sample_strategy`).
    SampleStrategy,
    /// Whether unreadable sample values are errors (`TrainInputs::strict`).
    Strict,
    /// The directory holding runs (`RunOptions::output_dir`).
    OutputDir,
    /// A run's directory name (`RunOptions::run_id`).
    RunId,
    /// The outputs to write (`RunOptions::formats`).
    OutputFormats,
    /// The rows of the target table (`PlanRequest::target_rows`).
    TargetRows,
    /// Row counts of other tables (`PlanRequest::table_rows`).
    TableRows,
    /// The multiplier of parent tables' rows (`PlanRequest::parent_scale`).
    ParentScale,
    /// A second real sample scored in place of synthetic data (`evaluate`'s baseline).
    Baseline,
    /// Where a trained pack is saved (`ModelPack::save`).
    ModelOut,
    /// The run directory scored against the real rows (`evaluate`'s synthetic run).
    Synthetic,
    /// The Oracle user and connect string training reads from.
    OracleConn,
    /// The schema trained (`TrainInputs::schema`; the owner of an Oracle source).
    Schema,
}

impl Setting {
    /// The setting's name in the library: the field of its request (`sample_dir`), or
    /// the function that takes it (`ModelPack::save`).
    pub fn name(self) -> &'static str {
        match self {
            Setting::Source => "source",
            Setting::SampleDir => "sample_dir",
            Setting::Tables => "tables",
            Setting::SampleStrategy => "sample_strategy",
            Setting::Strict => "strict",
            Setting::OutputDir => "output_dir",
            Setting::RunId => "run_id",
            Setting::OutputFormats => "formats",
            Setting::TargetRows => "target_rows",
            Setting::TableRows => "table_rows",
            Setting::ParentScale => "parent_scale",
            Setting::Baseline => "baseline",
            Setting::ModelOut => "ModelPack::save",
            Setting::Synthetic => "synthetic",
            Setting::OracleConn => "oracle_conn",
            Setting::Schema => "schema",
        }
    }
}

/// One piece of a [`Message`].
#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    /// Words.
    Text(String),
    /// An input the caller chose, worded by whoever shows the message.
    Setting(Setting),
}

impl From<&str> for Part {
    fn from(text: &str) -> Part {
        Part::Text(text.to_string())
    }
}

impl From<String> for Part {
    fn from(text: String) -> Part {
        Part::Text(text)
    }
}

impl From<Setting> for Part {
    fn from(setting: Setting) -> Part {
        Part::Setting(setting)
    }
}

/// What is wrong and what to do, possibly naming [`Setting`]s.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Message(Vec<Part>);

/// A [`Message`] from pieces: `message!["pass ", Setting::SampleDir, " with the folder"]`.
#[macro_export]
macro_rules! message {
    ($($part:expr),* $(,)?) => {
        $crate::error::Message::from_parts(vec![$($crate::error::Part::from($part)),*])
    };
}

impl Message {
    /// A message of these pieces.
    pub fn from_parts(parts: Vec<Part>) -> Message {
        Message(parts)
    }

    /// The message with setting `from` named `to` instead (a directory read as a
    /// sample directory is, to its caller, the baseline).
    pub fn naming(mut self, from: Setting, to: Setting) -> Message {
        for part in &mut self.0 {
            if *part == Part::Setting(from) {
                *part = Part::Setting(to);
            }
        }
        self
    }

    /// The message after `text`.
    pub fn prepend(mut self, text: impl Into<String>) -> Message {
        self.0.insert(0, Part::Text(text.into()));
        self
    }

    /// The settings the message names, in order.
    pub fn settings(&self) -> impl Iterator<Item = Setting> + '_ {
        self.0.iter().filter_map(|p| match p {
            Part::Setting(s) => Some(*s),
            Part::Text(_) => None,
        })
    }

    /// The message with each setting worded by `name`.
    pub fn render(&self, name: &dyn Fn(Setting) -> String) -> String {
        self.0
            .iter()
            .map(|p| match p {
                Part::Text(t) => t.clone(),
                Part::Setting(s) => name(*s),
            })
            .collect()
    }
}

impl From<String> for Message {
    fn from(text: String) -> Message {
        Message(vec![Part::Text(text)])
    }
}

impl From<&str> for Message {
    fn from(text: &str) -> Message {
        Message::from(text.to_string())
    }
}

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(&library_name))
    }
}

/// How the library words a setting: its request field, `` `sample_dir` ``.
fn library_name(setting: Setting) -> String {
    format!("`{}`", setting.name())
}

/// Everything that can go wrong, as values with context.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// A configuration file (tables.yaml, relationships.yaml, privacy.yaml) is wrong.
    Config {
        /// The file.
        path: PathBuf,
        /// 1-based line, when known.
        line: Option<usize>,
        /// What is wrong and what to do.
        message: Message,
    },
    /// A sample file is missing, malformed or inconsistent.
    Sample {
        /// The sample file (or directory).
        path: PathBuf,
        /// 1-based line (CSV) or row, when known.
        line: Option<u64>,
        /// What is wrong and what to do.
        message: Message,
    },
    /// The schema as a whole cannot be used (relationships, keys, cycles).
    Schema(Message),
    /// A model pack cannot be read or does not hold what was asked.
    Model {
        /// The model pack directory or file.
        path: PathBuf,
        /// What is wrong and what to do.
        message: Message,
    },
    /// A setting's value is malformed or cannot be met (exit code 2 in the CLI).
    Usage(Message),
    /// A database training reads from refused or failed (Oracle: connection, catalog,
    /// sample queries).
    Database {
        /// Which database, as `Oracle scott@db:1521/ORCL` (never a password).
        database: String,
        /// What went wrong and what to do.
        message: Message,
    },
    /// Writing output failed or would overwrite something.
    Output {
        /// The file or directory.
        path: PathBuf,
        /// What is wrong and what to do.
        message: Message,
    },
    /// A generated value does not fit the Rust type a typed fixture asks for.
    Fixture {
        /// The table.
        table: String,
        /// The column.
        column: String,
        /// What does not fit and what to do.
        message: String,
    },
    /// Generating code from a model pack failed.
    Codegen(String),
    /// The user stopped the run (Ctrl-C, SIGTERM); its partial output is removed.
    Interrupted,
    /// An operating-system I/O error on a named path.
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
}

impl Error {
    /// Wraps an I/O error with the path it happened on.
    pub fn io(path: impl AsRef<Path>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.as_ref().to_path_buf(),
            source,
        }
    }

    /// The error with setting `from` named `to` instead ([`Message::naming`]).
    pub fn naming(mut self, from: Setting, to: Setting) -> Error {
        if let Some(message) = self.message_mut() {
            *message = std::mem::take(message).naming(from, to);
        }
        self
    }

    /// The message of the variants that carry one.
    fn message_mut(&mut self) -> Option<&mut Message> {
        match self {
            Error::Config { message, .. }
            | Error::Sample { message, .. }
            | Error::Model { message, .. }
            | Error::Output { message, .. }
            | Error::Schema(message)
            | Error::Database { message, .. }
            | Error::Usage(message) => Some(message),
            Error::Fixture { .. } | Error::Codegen(_) | Error::Interrupted | Error::Io { .. } => {
                None
            }
        }
    }

    /// True for errors in a setting's value.
    pub fn is_usage(&self) -> bool {
        matches!(self, Error::Usage(_))
    }

    /// The error as one paragraph, each [`Setting`] worded by `name` (the CLI names its
    /// flags); `Display` words them as the library's request fields.
    pub fn render(&self, name: &dyn Fn(Setting) -> String) -> String {
        let at = |path: &Path, line: Option<u64>| match line {
            Some(l) => format!("{}:{l}", path.display()),
            None => path.display().to_string(),
        };
        match self {
            Error::Config {
                path,
                line,
                message,
            } => format!(
                "{}: {}",
                at(path, line.map(|l| l as u64)),
                message.render(name)
            ),
            Error::Sample {
                path,
                line,
                message,
            } => format!("{}: {}", at(path, *line), message.render(name)),
            Error::Model { path, message } | Error::Output { path, message } => {
                format!("{}: {}", path.display(), message.render(name))
            }
            Error::Usage(message) => message.render(name),
            Error::Schema(message) => message.render(name),
            Error::Database { database, message } => {
                format!("{database}: {}", message.render(name))
            }
            Error::Fixture {
                table,
                column,
                message,
            } => format!("{table}.{column}: {message}"),
            Error::Codegen(text) => format!("code generation: {text}"),
            Error::Interrupted => {
                "interrupted: the run was stopped and its partial output removed; nothing was written"
                    .into()
            }
            Error::Io { path, source } => format!("{}: {source}", path.display()),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(&library_name))
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// Suggests the closest of `known` to `unknown` (edit distance), for "did you mean" hints.
pub fn did_you_mean<'a>(
    unknown: &str,
    known: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let unknown = unknown.to_ascii_lowercase();
    known
        .into_iter()
        .map(|k| (strsim::levenshtein(&unknown, &k.to_ascii_lowercase()), k))
        .filter(|(d, k)| *d <= (k.len().max(unknown.len()) / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// Formats a " (did you mean `x`?)" suffix, or nothing.
pub fn hint<'a>(unknown: &str, known: impl IntoIterator<Item = &'a str>) -> String {
    did_you_mean(unknown, known)
        .map(|k| format!(" (did you mean `{k}`?)"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_are_worded_by_whoever_shows_the_error() {
        let e = Error::Usage(crate::message![
            Setting::TableRows,
            " names X; set the target's rows with ",
            Setting::TargetRows,
        ]);
        assert_eq!(
            e.to_string(),
            "`table_rows` names X; set the target's rows with `target_rows`"
        );
        let flags = |s: Setting| format!("<{}>", s.name().to_uppercase());
        assert_eq!(
            e.render(&flags),
            "<TABLE_ROWS> names X; set the target's rows with <TARGET_ROWS>"
        );
        let sample = Error::Sample {
            path: "s/a.csv".into(),
            line: Some(3),
            message: crate::message!["bad; see ", Setting::Strict].prepend("A.X: "),
        };
        assert_eq!(sample.render(&flags), "s/a.csv:3: A.X: bad; see <STRICT>");
        let Error::Sample { message, .. } = &sample else {
            unreachable!()
        };
        assert_eq!(message.settings().collect::<Vec<_>>(), [Setting::Strict]);
    }

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(
            did_you_mean("CUSTOMRS", ["CUSTOMERS", "ACCOUNTS"]),
            Some("CUSTOMERS")
        );
        assert_eq!(did_you_mean("zzz", ["CUSTOMERS", "ACCOUNTS"]), None);
        assert_eq!(
            did_you_mean("primary_kye", ["primary_key", "columns"]),
            Some("primary_key")
        );
    }
}
