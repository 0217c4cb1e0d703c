//! Reference (lookup) tables: small tables that others point at and that hold only
//! public data — branches, currencies, product codes, regions — are kept verbatim in
//! the pack, because users keep such tables as they are and re-synthesised ones no
//! longer agree with themselves (a city in the wrong region).
//!
//! A table is one when every column is public (none restricted, none faked), it has at
//! most [`MAX_REFERENCE_ROWS`] sample rows, another table references it, and each of
//! its own parents is a reference table too (so its foreign keys stay valid when it is
//! replayed). `reference: true | false` in tables.yaml forces the decision; forcing a
//! table with a non-public column is an error, never a leak.

use super::Configs;
use super::catalog::Catalog;
use crate::error::Result;
use crate::model::{Generator, Relationship, TableModel};
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
    let parents_of = |name: &str| -> BTreeSet<&str> {
        relationships
            .iter()
            .filter(|r| r.child_table == name && r.parent_table != name)
            .map(|r| r.parent_table.as_str())
            .collect()
    };
    let mut chosen: BTreeSet<String> = BTreeSet::new();
    for t in tables.iter() {
        let non_public = non_public_column(t);
        match forced(&t.name) {
            Some((c, key, true)) => {
                if let Some(why) = non_public {
                    return Err(c.error_at(
                        &[&key, "reference"],
                        format!(
                            "table {} is marked `reference: true`, but {why}; a reference table is kept verbatim in the model pack, so every column must be public (remove `reference: true`, or make the column public)",
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
                if non_public.is_none() && referenced && t.sample_rows <= MAX_REFERENCE_ROWS {
                    chosen.insert(t.name.clone());
                }
            }
        }
    }
    // A reference table's parents must be replayed too, else its keys would dangle.
    loop {
        let dangling: Vec<(String, String)> = chosen
            .iter()
            .filter_map(|t| {
                let missing = parents_of(t).into_iter().find(|p| !chosen.contains(*p))?;
                Some((t.clone(), missing.to_string()))
            })
            .collect();
        if dangling.is_empty() {
            break;
        }
        for (table, parent) in dangling {
            if let Some((c, key, true)) = forced(&table) {
                return Err(c.error_at(
                    &[&key, "reference"],
                    format!(
                        "table {table} is marked `reference: true`, but its parent {parent} is not a reference table, so its foreign keys would point at rows that are not generated; mark {parent} `reference: true` too, or remove `reference: true` from {table}"
                    ),
                ));
            }
            chosen.remove(&table);
        }
    }
    for (model, catalog_table) in tables.iter_mut().zip(&catalog.tables) {
        if !chosen.contains(&model.name) {
            continue;
        }
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
        model.reference_rows = Some(
            (0..sample.rows())
                .map(|r| {
                    columns
                        .iter()
                        .map(|c| {
                            (!c.values[r].is_null()).then(|| c.values[r].render(c.logical_type))
                        })
                        .collect()
                })
                .collect(),
        );
    }
    Ok(())
}

/// Why `table` cannot be kept verbatim, if it cannot.
fn non_public_column(table: &TableModel) -> Option<String> {
    if !table.restricted_columns.is_empty() {
        return Some("it has a restricted column".into());
    }
    table.columns.iter().find_map(|c| {
        if c.privacy != PrivacyLevel::Public {
            Some(format!("column {} is {}", c.name, c.privacy))
        } else if matches!(c.generator, Generator::Faker { .. }) {
            Some(format!(
                "column {} is generated by a faker provider",
                c.name
            ))
        } else {
            None
        }
    })
}
