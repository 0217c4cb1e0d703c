//! Diamonds: a child that reaches the same ancestor along two paths (a payment's
//! customer and its rental's customer; an account's branch and its customer's home
//! branch). When the paths agree on most sample rows, the direct foreign key is
//! generated through the other path in the same share of rows, so the diamond stays
//! closed (on every row when every sample row agrees).

use super::catalog::Catalog;
use super::keys::row_keys;
use crate::model::{Relationship, Role, Through};
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
    let reached: HashMap<&str, &str> = middle_keys
        .iter()
        .zip(&middle_parent)
        .filter_map(|(k, p)| Some((k.as_deref()?, p.as_deref()?)))
        .collect();
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
