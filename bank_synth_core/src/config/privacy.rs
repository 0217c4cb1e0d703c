//! `privacy.yaml`: the privacy level of each column.

use super::canonical;
use crate::privacy::PrivacyLevel;
use serde::Deserialize;
use std::collections::BTreeMap;

/// The whole file: table → column → policy.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrivacyConfig {
    /// Policies by table, then by column.
    #[serde(default)]
    pub tables: BTreeMap<String, BTreeMap<String, ColumnPolicy>>,
}

/// The policy of one column.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnPolicy {
    /// public, internal, sensitive, pii or restricted.
    pub level: PrivacyLevel,
    /// The Faker provider generating a `pii` column.
    pub faker_provider: Option<String>,
}

impl PrivacyConfig {
    /// The policy of `table.column` (case-insensitive), if any.
    pub fn policy(&self, table: &str, column: &str) -> Option<&ColumnPolicy> {
        self.tables
            .iter()
            .find(|(t, _)| canonical(t) == canonical(table))
            .and_then(|(_, cols)| {
                cols.iter()
                    .find(|(c, _)| canonical(c) == canonical(column))
                    .map(|(_, p)| p)
            })
    }
}
