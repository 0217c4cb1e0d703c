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
    let referencing = catalog.table(&r.child_table)?;
    let referenced = catalog.table(&r.parent_table)?;
    let named = row_keys(referencing, &r.child_columns);
    let own_keys = row_keys(referencing, &g.parent_columns);
    let referenced_keys = row_keys(referenced, &r.parent_columns);
    let grouped_under = row_keys(referenced, &g.child_columns);
    let owner = key_map(&referenced_keys, &grouped_under);
    let mut children: HashMap<&str, usize> = HashMap::new();
    for p in owner.values() {
        *children.entry(p).or_default() += 1;
    }
    let total = owner.len() as f64;
    let (mut both, mut agree, mut log_chance) = (0usize, 0usize, 0.0);
    for (n, own) in named.iter().zip(&own_keys) {
        let (Some(n), Some(own)) = (n, own) else {
            continue;
        };
        let Some(p) = owner.get(n.as_str()) else {
            continue;
        };
        both += 1;
        if *p == own.as_str() {
            agree += 1;
            // A row picking any referenced row would pick one of its own this often.
            log_chance += (children[own.as_str()] as f64 / total).ln();
        }
    }
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
    let child = catalog.table(&r.child_table)?;
    let middle = catalog.table(&via.parent_table)?;
    let direct = row_keys(child, &r.child_columns);
    let to_middle = row_keys(child, &via.child_columns);
    let middle_keys = row_keys(middle, &via.parent_columns);
    let middle_parent = row_keys(middle, &then.child_columns);
    let reached = key_map(&middle_keys, &middle_parent);
    let (mut both, mut agree) = (0usize, 0usize);
    for (d, m) in direct.iter().zip(&to_middle) {
        let (Some(d), Some(m)) = (d, m) else { continue };
        let Some(p) = reached.get(m.as_str()) else {
            continue;
        };
        both += 1;
        agree += usize::from(*p == d.as_str());
    }
    (both >= MIN_PATH_ROWS).then(|| agree as f64 / both as f64)
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
