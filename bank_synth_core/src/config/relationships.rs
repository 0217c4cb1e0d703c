//! `relationships.yaml`: primary-key / foreign-key relationships between tables.

use serde::{Deserialize, Serialize};

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

/// How many children a parent may have.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Cardinality {
    /// Any number of children per parent.
    #[default]
    #[serde(rename = "1:N")]
    OneToMany,
    /// At most one child per parent.
    #[serde(rename = "1:1")]
    OneToOne,
}
