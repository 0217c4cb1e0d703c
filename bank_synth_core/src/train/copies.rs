//! Values copied across a foreign key: a child column that repeats a column of one of
//! its parents (an invoice line's price is its track's price, an order ships to its
//! customer's country) on most sample rows is generated as that copy in the same
//! share of rows — whichever parent it is, grouping or not.

use super::catalog::Catalog;
use super::keys::row_keys;
use crate::model::{Dependency, Generator, Relationship, TableModel};
use std::collections::HashMap;

/// A copy needs this many sample rows with both values …
const MIN_COPY_ROWS: usize = 20;
/// … equal on at least this share of them …
const MIN_COPY_SHARE: f64 = 0.5;
/// … and agree beyond chance by at least this Cohen's κ (`(share − chance) / (1 −
/// chance)`, chance being two random values' agreement): a near-constant column agrees
/// with anything, and is a copy only when it agrees on (nearly) every row.
const MIN_COPY_KAPPA: f64 = 0.5;

/// Sets a [`Dependency::Copy`] on each column without a rule of its own whose values
/// best repeat a parent's column.
pub(crate) fn learn_copies(
    tables: &mut [TableModel],
    catalog: &Catalog,
    relationships: &[Relationship],
) {
    for i in 0..tables.len() {
        let name = tables[i].name.clone();
        let mut best: HashMap<String, (f64, Dependency)> = HashMap::new();
        for r in relationships
            .iter()
            .filter(|r| r.child_table == name && r.parent_table != name)
        {
            let Some(j) = tables.iter().position(|t| t.name == r.parent_table) else {
                continue;
            };
            let (child, parent) = (&catalog.tables[i], &catalog.tables[j]);
            let index: HashMap<String, usize> = row_keys(parent, &r.parent_columns)
                .into_iter()
                .enumerate()
                .filter_map(|(row, k)| Some((k?, row)))
                .collect();
            let parent_row: Vec<Option<usize>> = row_keys(child, &r.child_columns)
                .into_iter()
                .map(|k| index.get(k.as_ref()?).copied())
                .collect();
            for c in tables[i].columns.iter().filter(|c| copyable(c, &tables[i])) {
                let own = &child.sample.column(&c.name).expect("sampled").values;
                for pc in tables[j].columns.iter().filter(|p| {
                    p.logical_type == c.logical_type
                        && p.privacy.keeps_values()
                        && !matches!(
                            p.generator,
                            Generator::Faker { .. } | Generator::Format { .. }
                        )
                }) {
                    let theirs = &parent.sample.column(&pc.name).expect("sampled").values;
                    let pairs: Vec<_> = own
                        .iter()
                        .zip(&parent_row)
                        .filter_map(|(v, p)| Some((v, &theirs[(*p)?])))
                        .filter(|(v, w)| !v.is_null() && !w.is_null())
                        .collect();
                    if pairs.len() < MIN_COPY_ROWS {
                        continue;
                    }
                    let equal = pairs.iter().filter(|(v, w)| v == w).count();
                    let share = equal as f64 / pairs.len() as f64;
                    let mut counts: HashMap<String, usize> = HashMap::new();
                    for (v, _) in &pairs {
                        *counts.entry(v.render(c.logical_type)).or_default() += 1;
                    }
                    let n = pairs.len() as f64;
                    let chance: f64 = counts.values().map(|&k| (k as f64 / n).powi(2)).sum();
                    let kappa = if chance < 1.0 {
                        (share - chance) / (1.0 - chance)
                    } else {
                        0.0
                    };
                    if share >= MIN_COPY_SHARE
                        && kappa >= MIN_COPY_KAPPA
                        && best.get(&c.name).is_none_or(|(s, _)| share > *s)
                    {
                        best.insert(
                            c.name.clone(),
                            (
                                share,
                                Dependency::Copy {
                                    relationship: r.name.clone(),
                                    column: pc.name.clone(),
                                    share,
                                },
                            ),
                        );
                    }
                }
            }
        }
        let table = &mut tables[i];
        for column in &mut table.columns {
            if let Some((_, copy)) = best.remove(&column.name) {
                // A copied column leaves the joint: its value comes from the parent.
                if let Some(joint) = table.joint.take() {
                    table.joint = super::joint::without(joint, &column.name);
                }
                column.depends_on = Some(copy);
            }
        }
    }
}

/// A column whose values may be copied: learned from its values, and constrained by
/// no rule (a copy would not keep it).
fn copyable(c: &crate::model::ColumnModel, table: &TableModel) -> bool {
    c.is_learned() && !table.rules.iter().any(|r| r.column == c.name)
}
