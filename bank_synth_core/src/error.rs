//! Typed errors. Each one names the file, line, table or column it is about and says
//! what to do; the CLI prints its `Display` as one paragraph.

use std::path::{Path, PathBuf};

/// Result alias used across the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong, as values with context.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A configuration file (tables.yaml, relationships.yaml, privacy.yaml) is wrong.
    #[error("{}{}: {message}", path.display(), line.map(|l| format!(":{l}")).unwrap_or_default())]
    Config {
        /// The file.
        path: PathBuf,
        /// 1-based line, when known.
        line: Option<usize>,
        /// What is wrong and what to do.
        message: String,
    },
    /// A sample file is missing, malformed or inconsistent.
    #[error("{}{}: {message}", path.display(), line.map(|l| format!(":{l}")).unwrap_or_default())]
    Sample {
        /// The sample file (or directory).
        path: PathBuf,
        /// 1-based line (CSV) or row, when known.
        line: Option<u64>,
        /// What is wrong and what to do.
        message: String,
    },
    /// The schema as a whole cannot be used (relationships, keys, cycles).
    #[error("{0}")]
    Schema(String),
    /// A model pack cannot be read or does not hold what was asked.
    #[error("{}: {message}", path.display())]
    Model {
        /// The model pack directory or file.
        path: PathBuf,
        /// What is wrong and what to do.
        message: String,
    },
    /// A command-line value is malformed (exit code 2 in the CLI).
    #[error("{0}")]
    Usage(String),
    /// Writing output failed or would overwrite something.
    #[error("{}: {message}", path.display())]
    Output {
        /// The file or directory.
        path: PathBuf,
        /// What is wrong and what to do.
        message: String,
    },
    /// A generated value does not fit the Rust type a typed fixture asks for.
    #[error("{table}.{column}: {message}")]
    Fixture {
        /// The table.
        table: String,
        /// The column.
        column: String,
        /// What does not fit and what to do.
        message: String,
    },
    /// Generating code from a model pack failed.
    #[error("code generation: {0}")]
    Codegen(String),
    /// The user stopped the run (Ctrl-C, SIGTERM); its partial output is removed.
    #[error("interrupted: the run was stopped and its partial output removed; nothing was written")]
    Interrupted,
    /// An operating-system I/O error on a named path.
    #[error("{}: {source}", path.display())]
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

    /// True for errors in what the user typed on the command line.
    pub fn is_usage(&self) -> bool {
        matches!(self, Error::Usage(_))
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
