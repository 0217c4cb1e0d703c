//! `--sample_strategy`, applied so that foreign keys and fan-out survive it: the
//! strategy picks rows of the tables that have no parent among the trained tables;
//! a child table keeps the rows whose parent was kept (through its first declared NOT
//! NULL foreign key) — all of them under `percent:N`, as many whole families as fit
//! under `rows:N` — so fan-out is learned from complete families only.

use super::catalog::CatalogTable;
use super::keys::row_keys;
use crate::config::{RelationshipConfig, canonical};
use crate::error::{Error, Result};
use crate::rng::hash64;
use crate::source::SampleStrategy;
use std::collections::{BTreeMap, HashSet};

/// Parent keys whose families were dropped by `rows:N`, by (child table, child
/// columns): fan-out must not count those parents as childless.
pub(crate) type Truncated = BTreeMap<(String, Vec<String>), HashSet<String>>;

/// A foreign key a table's sample follows: (parent index, parent columns, child columns).
type Follow = (usize, Vec<String>, Vec<String>);

pub(crate) fn apply(
    tables: &mut [CatalogTable],
    strategy: SampleStrategy,
    declared: &[RelationshipConfig],
) -> Result<Truncated> {
    let mut truncated = Truncated::new();
    let names: Vec<String> = tables.iter().map(|t| t.sample.name.clone()).collect();
    // For each table, the foreign key it follows.
    let follows: Vec<Option<Follow>> = tables
        .iter()
        .map(|t| {
            declared.iter().find_map(|r| {
                let (parent, child) = (canonical(&r.parent_table), canonical(&r.child_table));
                let p = names.iter().position(|n| *n == parent)?;
                let child_cols: Vec<String> =
                    r.child_columns.iter().map(|c| canonical(c)).collect();
                let parent_cols: Vec<String> =
                    r.parent_columns.iter().map(|c| canonical(c)).collect();
                let usable = child == t.sample.name
                    && parent != child
                    && child_cols.len() == parent_cols.len()
                    && child_cols.iter().all(|c| {
                        t.sample
                            .column(c)
                            .is_some_and(|col| col.values.iter().all(|v| !v.is_null()))
                    })
                    && parent_cols
                        .iter()
                        .all(|c| tables[p].sample.column(c).is_some());
                usable.then_some((p, parent_cols, child_cols))
            })
        })
        .collect();
    let mut done = vec![false; tables.len()];
    while let Some(i) = (0..tables.len()).find(|&i| !done[i]) {
        // Prefer a table whose parent is done; if none is ready (a cycle), sample directly.
        let ready = (0..tables.len())
            .find(|&j| !done[j] && follows[j].as_ref().is_none_or(|(p, _, _)| done[*p]))
            .unwrap_or(i);
        let keep: Vec<usize> = match &follows[ready] {
            Some((p, parent_cols, child_cols)) if done[*p] => {
                let kept: HashSet<String> = row_keys(&tables[*p], parent_cols)
                    .into_iter()
                    .flatten()
                    .collect();
                // Every kept parent is a family, the childless ones too.
                let mut families: BTreeMap<String, Vec<usize>> =
                    kept.iter().map(|k| (k.clone(), Vec::new())).collect();
                for (r, k) in row_keys(&tables[ready], child_cols).into_iter().enumerate() {
                    if let Some(k) = k.filter(|k| kept.contains(k)) {
                        families.entry(k).or_default().push(r);
                    }
                }
                let (keep, dropped) = whole_families(families, strategy, &names[ready]);
                if !dropped.is_empty() {
                    truncated.insert((names[ready].clone(), child_cols.clone()), dropped);
                }
                keep
            }
            _ => strategy.select(&names[ready], tables[ready].sample.rows()),
        };
        tables[ready].sample.retain_rows(&keep);
        if tables[ready].sample.rows() == 0 {
            return Err(Error::Usage(crate::message![
                crate::error::Setting::SampleStrategy,
                format!(
                    " keeps no rows of table {}; use a larger percentage or a row count",
                    names[ready]
                ),
            ]));
        }
        done[ready] = true;
    }
    Ok(truncated)
}

/// The rows of the kept parents' children; under `rows:N`, whole families (all
/// children of one parent, none for a childless one) in a fixed hash order until the
/// next does not fit in N rows; and the parent keys whose families were dropped.
fn whole_families(
    families: BTreeMap<String, Vec<usize>>,
    strategy: SampleStrategy,
    table: &str,
) -> (Vec<usize>, HashSet<String>) {
    let mut dropped = HashSet::new();
    let mut keep: Vec<usize> = match strategy {
        SampleStrategy::Rows(n) if families.values().map(Vec::len).sum::<usize>() as u64 > n => {
            let mut ranked: Vec<(u64, String, Vec<usize>)> = families
                .into_iter()
                .map(|(k, rows)| (hash64(0x5A3D, &[table, &k]), k, rows))
                .collect();
            ranked.sort();
            // Stop at the first family that does not fit, so that whether a family is
            // kept does not depend on its size (skipping would favour small ones).
            let mut keep = Vec::new();
            let mut full = false;
            for (_, key, rows) in ranked {
                full |= !keep.is_empty() && (keep.len() + rows.len()) as u64 > n;
                if full {
                    dropped.insert(key);
                } else {
                    keep.extend(rows);
                }
            }
            keep
        }
        _ => families.into_values().flatten().collect(),
    };
    keep.sort_unstable();
    (keep, dropped)
}
