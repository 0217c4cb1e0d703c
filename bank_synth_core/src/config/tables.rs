//! `tables.yaml`: which tables to train and per-column settings.

use super::canonical;
use serde::Deserialize;
use std::collections::BTreeMap;

/// The whole file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TablesConfig {
    /// Tables to train, in the user's order.
    #[serde(default)]
    pub tables: Vec<String>,
    /// Per-table settings, keyed by table name.
    #[serde(default)]
    pub table_config: BTreeMap<String, TableConfig>,
}

/// Settings of one table.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableConfig {
    /// The primary key columns (overrides detection).
    #[serde(default)]
    pub primary_key: Vec<String>,
    /// Per-column settings, keyed by column name.
    #[serde(default)]
    pub columns: BTreeMap<String, ColumnConfig>,
    /// Learned rules not to enforce, by id as `bank_synth info` lists them
    /// (e.g. `sign:AMOUNT:TXN_TYPE`).
    #[serde(default)]
    pub disabled_rules: Vec<String>,
    /// Keep the table verbatim as a reference (lookup) table (`true`), or always model
    /// it (`false`); detected when absent.
    pub reference: Option<bool>,
}

/// Settings of one column.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnConfig {
    /// Generate with this Faker provider instead of learning values.
    pub faker_provider: Option<String>,
    /// The closed set of values the column may take.
    pub allowed_values: Option<Vec<String>>,
    /// Declared logical type, e.g. `decimal(18,2)`, overriding inference.
    #[serde(rename = "type")]
    pub logical_type: Option<String>,
}

impl TablesConfig {
    /// The settings of `table` (case-insensitive), with the key as written.
    pub fn table(&self, table: &str) -> Option<(&str, &TableConfig)> {
        self.table_config
            .iter()
            .find(|(k, _)| canonical(k) == canonical(table))
            .map(|(k, v)| (k.as_str(), v))
    }
}

impl TableConfig {
    /// The settings of `column` (case-insensitive), with the key as written.
    pub fn column(&self, column: &str) -> Option<(&str, &ColumnConfig)> {
        self.columns
            .iter()
            .find(|(k, _)| canonical(k) == canonical(column))
            .map(|(k, v)| (k.as_str(), v))
    }
}
