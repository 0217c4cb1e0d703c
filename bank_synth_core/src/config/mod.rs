//! The three configuration files users bring: `tables.yaml`, `relationships.yaml` and
//! `privacy.yaml`, in exactly the product's formats. Identifiers match case-insensitively
//! (they are stored upper-case). Unknown keys are errors with a did-you-mean, and every
//! error names the file, line and key.

mod locate;
mod privacy;
mod relationships;
mod tables;

pub use crate::model::{Cardinality, canonical};
pub use locate::line_of;
pub use privacy::{ColumnPolicy, PrivacyConfig};
pub use relationships::{RelationshipConfig, RelationshipsConfig};
pub use tables::{ColumnConfig, TableConfig, TablesConfig};

use crate::error::{Error, Message, Result, hint};
use serde::de::DeserializeOwned;
use std::path::{Path, PathBuf};

/// A parsed configuration file with the text it came from, for locating keys.
#[derive(Debug, Clone)]
pub struct Located<T> {
    /// The file.
    pub path: PathBuf,
    /// Its text.
    pub text: String,
    /// What it says.
    pub value: T,
}

impl<T> Located<T> {
    /// A configuration error at the line where `keys` (a path of keys) appear.
    pub fn error_at(&self, keys: &[&str], message: impl Into<Message>) -> Error {
        Error::Config {
            path: self.path.clone(),
            line: line_of(&self.text, keys),
            message: message.into(),
        }
    }
}

/// Reads and parses a YAML file into `T`, turning syntax errors and unknown keys into
/// located, actionable errors.
pub fn load<T: DeserializeOwned>(path: &Path) -> Result<Located<T>> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::Config {
        path: path.to_path_buf(),
        line: None,
        message: format!("cannot read the file ({e}); check the path").into(),
    })?;
    parse(path, text)
}

/// Parses YAML `text` that came from `path`.
pub fn parse<T: DeserializeOwned>(path: &Path, text: String) -> Result<Located<T>> {
    match yaml_serde::from_str::<T>(&text) {
        Ok(value) => Ok(Located {
            path: path.to_path_buf(),
            text,
            value,
        }),
        Err(e) => Err(Error::Config {
            path: path.to_path_buf(),
            line: e.location().map(|l| l.line()),
            message: explain_yaml_error(&e.to_string()).into(),
        }),
    }
}

/// Rewrites serde's "unknown field `x`, expected one of `a`, `b`" with a did-you-mean.
fn explain_yaml_error(raw: &str) -> String {
    let raw = raw.split(" at line ").next().unwrap_or(raw).trim();
    if let Some((at, rest)) = raw.split_once("unknown field `") {
        let (field, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let known: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        return format!(
            "{at}unknown key `{field}`{}; the keys allowed here are: {}",
            hint(field, known.iter().copied()),
            known.join(", ")
        );
    }
    if let Some((at, rest)) = raw.split_once("unknown variant `") {
        let (value, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let known: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        return format!(
            "{at}unknown value `{value}`{}; the values allowed here are: {}",
            hint(value, known.iter().copied()),
            known.join(", ")
        );
    }
    format!("{raw}; fix the YAML and run again")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_get_a_did_you_mean_and_a_line() {
        let text = "tables: [A]\ntable_config:\n  A:\n    primary_kye: [ID]\n".to_string();
        let err = parse::<TablesConfig>(Path::new("tables.yaml"), text).unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("tables.yaml:4:"), "{msg}");
        assert!(msg.contains("did you mean `primary_key`"), "{msg}");
    }

    #[test]
    fn malformed_yaml_names_the_line() {
        let text = "relationships:\n  - name: x\n   parent_table: [\n".to_string();
        let err = parse::<RelationshipsConfig>(Path::new("r.yaml"), text).unwrap_err();
        assert!(err.to_string().starts_with("r.yaml:"), "{err}");
    }
}
