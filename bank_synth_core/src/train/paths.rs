//! Diamonds: a child that reaches the same ancestor along two paths (a payment's
//! customer and its rental's customer; an account's branch and its customer's home
//! branch). When the paths agree on most sample rows, the direct foreign key is
//! generated through the other path in the same share of rows, so the diamond stays
//! closed (on every row when every sample row agrees).
//!
//! Loops: a row whose second parent is one of its own children (a store's manager is
//! one of the staff grouped under that store). When the samples show it beyond chance,
//! generation picks the referenced row among the row's children in the same share.

use super::catalog::Catalog;
use super::keys::row_keys;
use crate::model::{AmongChildren, Relationship, Role, Through};
use std::collections::HashMap;

/// The paths need this many sample rows with every key set to be compared.
const MIN_PATH_ROWS: usize = 20;
/// Paths that agree on fewer rows than this share are left to the learned popularity.
const MIN_PATH_SHARE: f64 = 0.5;

/// Finds, for each second-parent relationship, the best agreeing path through another
/// of its table's parents.
pub(crate) fn learn_paths(relationships: &mut [Relationship], catalog: &Catalog) {
    for i in 0..relationships.len() {
        let r = &relationships[i];
        if r.role != Role::Reference {
            continue;
        }
        let mut best: Option<Through> = None;
        for via in relationships.iter().filter(|v| {
            v.child_table == r.child_table
                && v.name != r.name
                && v.role != Role::SelfReference
                && v.through.is_none()
                && v.parent_table != r.parent_table
        }) {
            for then in relationships.iter().filter(|w| {
                w.child_table == via.parent_table
                    && w.parent_table == r.parent_table
                    && w.role != Role::SelfReference
            }) {
                if let Some(share) = agreement(r, via, then, catalog)
                    && share >= MIN_PATH_SHARE
                    && best.as_ref().is_none_or(|b| share > b.share)
                {
                    best = Some(Through {
                        via: via.name.clone(),
                        then: then.name.clone(),
                        share,
                    });
                }
            }
        }
        relationships[i].through = best;
    }
}

/// A loop is learned only when rows referencing one of their own children this often
/// would happen by chance with a probability below e^-13.8 (10⁻⁶), as for rules.
const MAX_LOOP_LOG_CHANCE: f64 = -13.8;

/// Finds, for each second-parent relationship whose parent table is grouped under its
/// child table, whether the referenced rows are the referencing rows' own children.
pub(crate) fn learn_loops(relationships: &mut [Relationship], catalog: &Catalog) {
    for i in 0..relationships.len() {
        let r = &relationships[i];
        if r.role != Role::Reference {
            continue;
        }
        let found = relationships
            .iter()
            .filter(|g| {
                g.role == Role::Grouping
                    && g.child_table == r.parent_table
                    && g.parent_table == r.child_table
            })
            .filter_map(|g| Some((g, loop_agreement(r, g, catalog)?)))
            .filter(|(_, share)| *share >= MIN_PATH_SHARE)
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(g, share)| AmongChildren {
                grouping: g.name.clone(),
                share,
            });
        relationships[i].among_children = found;
    }
}

/// The share of `r`'s rows (a store naming its manager) that name a row grouped under
/// themselves by `g` (a staff member of that store), over the rows with both keys set;
/// `None` when chance would explain the agreement as well.
fn loop_agreement(r: &Relationship, g: &Relationship, catalog: &Catalog) -> Option<f64> {
    let (mut both, mut agree) = (0usize, 0usize);
    let mut owners: Vec<String> = Vec::new();
    let children = follow(
        catalog,
        (&r.child_table, &r.child_columns, &g.parent_columns),
        (&r.parent_table, &r.parent_columns, &g.child_columns),
        |owner, own| {
            both += 1;
            if owner == own {
                agree += 1;
                owners.push(own.to_string());
            }
        },
    )?;
    let total: usize = children.values().sum();
    // A row picking any referenced row would pick one of its own this often.
    let log_chance: f64 = owners
        .iter()
        .map(|own| (children[own.as_str()] as f64 / total as f64).ln())
        .sum();
    (both > 0 && log_chance <= MAX_LOOP_LOG_CHANCE).then(|| agree as f64 / both as f64)
}

/// The share of `r`'s child rows whose parent key equals the one reached through
/// `via` and then `then`, over the rows where both are known.
fn agreement(
    r: &Relationship,
    via: &Relationship,
    then: &Relationship,
    catalog: &Catalog,
) -> Option<f64> {
    let (mut both, mut agree) = (0usize, 0usize);
    follow(
        catalog,
        (&r.child_table, &via.child_columns, &r.child_columns),
        (&via.parent_table, &via.parent_columns, &then.child_columns),
        |reached, direct| {
            both += 1;
            agree += usize::from(reached == direct);
        },
    )?;
    (both >= MIN_PATH_ROWS).then(|| agree as f64 / both as f64)
}

/// Two hops over the samples: each row of table `from` names, by its `follow` key, a
/// row of table `to` (by that table's `key`), whose `value` key is `visit`ed with the
/// first row's own `expect` key — for the rows where all four are set. Returns how
/// many rows of `to` have each `value` (both keys set); `None` for a missing table.
fn follow(
    catalog: &Catalog,
    (from, follow, expect): (&str, &[String], &[String]),
    (to, key, value): (&str, &[String], &[String]),
    mut visit: impl FnMut(&str, &str),
) -> Option<HashMap<String, usize>> {
    let (from, to) = (catalog.table(from)?, catalog.table(to)?);
    let (followed, expected) = (row_keys(from, follow), row_keys(from, expect));
    let (keys, values) = (row_keys(to, key), row_keys(to, value));
    let reached = key_map(&keys, &values);
    for (f, e) in followed.iter().zip(&expected) {
        if let (Some(f), Some(e)) = (f, e)
            && let Some(r) = reached.get(f.as_str())
        {
            visit(r, e);
        }
    }
    let mut counts: HashMap<String, usize> = HashMap::new();
    for v in reached.values() {
        *counts.entry(v.to_string()).or_default() += 1;
    }
    Some(counts)
}

/// Each row's key mapped to its value of another key (rows with either NULL left out).
fn key_map<'a>(
    keys: &'a [Option<String>],
    values: &'a [Option<String>],
) -> HashMap<&'a str, &'a str> {
    keys.iter()
        .zip(values)
        .filter_map(|(k, v)| Some((k.as_deref()?, v.as_deref()?)))
        .collect()
}
