//! Column privacy levels. Decided once, at training: what a level forbids never enters
//! the model pack, so nothing downstream can reveal it.

use serde::{Deserialize, Serialize};
use std::fmt;

/// How a column's sample values may be used.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PrivacyLevel {
    /// Learn the distribution freely.
    #[default]
    Public,
    /// Learn the distribution; mask the column's statistics in reports.
    Internal,
    /// Keep the format (character classes, check digits), never the values.
    Sensitive,
    /// Keep no values: generate with a faker provider.
    Pii,
    /// Drop the column: not in the model, the outputs, the DDL or generated code.
    Restricted,
}

impl PrivacyLevel {
    /// The level's name as written in privacy.yaml.
    pub fn as_str(self) -> &'static str {
        match self {
            PrivacyLevel::Public => "public",
            PrivacyLevel::Internal => "internal",
            PrivacyLevel::Sensitive => "sensitive",
            PrivacyLevel::Pii => "pii",
            PrivacyLevel::Restricted => "restricted",
        }
    }

    /// May the model keep actual sample values (categories, quantiles)?
    pub fn keeps_values(self) -> bool {
        matches!(self, PrivacyLevel::Public | PrivacyLevel::Internal)
    }

    /// Must reports hide this column's statistics?
    pub fn masked_in_reports(self) -> bool {
        self != PrivacyLevel::Public
    }
}

impl fmt::Display for PrivacyLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
