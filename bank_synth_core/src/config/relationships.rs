//! `relationships.yaml`: primary-key / foreign-key relationships between tables.

use crate::model::Cardinality;
use serde::Deserialize;

/// The whole file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RelationshipsConfig {
    /// The relationships, in the user's order.
    #[serde(default)]
    pub relationships: Vec<RelationshipConfig>,
}

/// One relationship: `child_columns` of `child_table` reference `parent_columns` of
/// `parent_table`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RelationshipConfig {
    /// A name for messages and DDL constraints (generated when absent).
    pub name: Option<String>,
    /// The referenced table.
    pub parent_table: String,
    /// The referenced key columns.
    pub parent_columns: Vec<String>,
    /// The referencing table.
    pub child_table: String,
    /// The referencing columns, in the order of `parent_columns`.
    pub child_columns: Vec<String>,
    /// `"1:N"` (default) or `"1:1"`.
    #[serde(default)]
    pub cardinality: Cardinality,
}
