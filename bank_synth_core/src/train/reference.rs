//! Reference (lookup) tables: small tables that others point at and that hold only
//! public data — branches, currencies, product codes, regions — are kept verbatim in
//! the pack, because users keep such tables as they are and re-synthesised ones no
//! longer agree with themselves (a city in the wrong region).
//!
//! A table is one when every column is public (none restricted, none faked), it has at
//! most [`MAX_REFERENCE_ROWS`] sample rows and another table references it. Its foreign
//! keys to other reference tables are replayed as they are; those to modelled parents (a
//! catalogue whose suppliers hold contact names) are pointed at generated parent rows at
//! generation, one per distinct sample parent, so none dangles.
//!
//! `reference: true | false` in tables.yaml forces the decision. A table forced to be
//! one may also hold columns that generation makes up from nothing of the sample — a
//! pii column's faker, a sensitive column's format or coarse range (a branch's manager,
//! a supplier's phone): its public columns are kept, the others are stored as nothing and made up
//! afresh on every row, so a roster's titles and hire dates stay as they are under
//! made-up names. Forcing a table with a column that cannot be made up (an internal
//! one, a key) is an error, never a leak. Restricted columns
//! are dropped, as everywhere.

use super::Configs;
use super::catalog::Catalog;
use crate::error::Result;
use crate::model::{ColumnModel, Generator, Relationship, TableModel};
use crate::privacy::PrivacyLevel;
use std::collections::BTreeSet;

/// Tables with more sample rows than this are modelled unless tables.yaml says
/// `reference: true`.
pub(crate) const MAX_REFERENCE_ROWS: u64 = 10_000;

/// Decides which tables are reference tables and stores their rows in their models.
pub(crate) fn keep_reference_tables(
    tables: &mut [TableModel],
    catalog: &Catalog,
    relationships: &[Relationship],
    configs: &Configs,
) -> Result<()> {
    let forced = |name: &str| {
        configs
            .tables
            .as_ref()
            .and_then(|c| c.value.table(name).map(|(key, t)| (c, key, t.reference)))
            .and_then(|(c, key, r)| Some((c, key.to_string(), r?)))
    };
    let mut chosen: BTreeSet<String> = BTreeSet::new();
    for t in tables.iter() {
        match forced(&t.name) {
            Some((c, key, true)) => {
                if let Some(why) = not_made_up(t, relationships) {
                    return Err(c.error_at(
                        &[&key, "reference"],
                        format!(
                            "table {} is marked `reference: true`, but {why}; a reference table keeps its public columns in the model pack and makes up only pii and sensitive columns that need nothing of the sample, so this column would have to be kept (remove `reference: true`, or make the column public)",
                            t.name
                        ),
                    ));
                }
                chosen.insert(t.name.clone());
            }
            Some((_, _, false)) => {}
            None => {
                let referenced = relationships
                    .iter()
                    .any(|r| r.parent_table == t.name && r.child_table != t.name);
                let public =
                    t.restricted_columns.is_empty() && t.columns.iter().all(ColumnModel::is_kept);
                if public && referenced && t.sample_rows <= MAX_REFERENCE_ROWS {
                    chosen.insert(t.name.clone());
                }
            }
        }
    }
    for (model, catalog_table) in tables.iter_mut().zip(&catalog.tables) {
        if !chosen.contains(&model.name) {
            continue;
        }
        // Rules on a modelled grouping parent's columns cannot hold once the rows point
        // at generated parents; the replayed rows need no rule of their own.
        let grouping_replayed = relationships
            .iter()
            .find(|r| r.child_table == model.name && r.role == crate::model::Role::Grouping)
            .is_none_or(|g| chosen.contains(&g.parent_table));
        model
            .rules
            .retain(|r| grouping_replayed || !(r.on.parent || r.also.iter().any(|a| a.parent)));
        let sample = &catalog_table.sample;
        let columns: Vec<_> = model
            .columns
            .iter()
            .map(|c| {
                sample
                    .column(&c.name)
                    .expect("models come from sample columns")
            })
            .collect();
        // Only public columns are stored; the others are made up in generation.
        let kept: Vec<bool> = model.columns.iter().map(ColumnModel::is_kept).collect();
        model.reference_rows = Some(
            (0..sample.rows())
                .map(|r| {
                    columns
                        .iter()
                        .zip(&kept)
                        .map(|(c, kept)| {
                            (*kept && !c.values[r].is_null())
                                .then(|| c.values[r].render(c.logical_type))
                        })
                        .collect()
                })
                .collect(),
        );
    }
    Ok(())
}

/// Why `table` cannot be a reference table, if it cannot: a column that is neither
/// kept (public) nor made up from nothing of the sample.
fn not_made_up(table: &TableModel, relationships: &[Relationship]) -> Option<String> {
    // Keys must be kept: other tables' rows name them.
    let keys: BTreeSet<&str> = table
        .primary_key
        .iter()
        .chain(
            relationships
                .iter()
                .filter(|r| r.parent_table == table.name)
                .flat_map(|r| &r.parent_columns),
        )
        .map(String::as_str)
        .collect();
    table.columns.iter().find_map(|c| {
        if c.is_kept() {
            return None;
        }
        let made_up = match &c.generator {
            // A faker needs nothing of the sample, whatever the column's level.
            Generator::Faker { .. } => true,
            // Its leading characters may follow a kept category, its tail a kept key.
            Generator::Format { .. } | Generator::UniqueFormat { .. } => {
                c.privacy == PrivacyLevel::Sensitive
            }
            // A sensitive number or date keeps only a coarse range of its own.
            Generator::Numeric { .. } => {
                c.privacy == PrivacyLevel::Sensitive && c.depends_on.is_none()
            }
            _ => false,
        };
        if keys.contains(c.name.as_str()) {
            Some(format!("key column {} is {}", c.name, c.privacy))
        } else if made_up {
            None
        } else {
            Some(format!("column {} is {}", c.name, c.privacy))
        }
    })
}
