//! The joint of a table's learned discrete columns ([`Joint`]): one categorical over
//! the combinations of their values that the samples show.
//!
//! Column-by-column models keep a link between two categoricals only when the samples
//! prove it (a significance test), so on a small table every link is lost: nine
//! employees cannot prove that a courtesy title follows the job title or that a region
//! lies in its country, and generated employees mix them freely. Drawing the discrete
//! columns together from their observed combinations keeps every such link, of any
//! order, exactly; a combination may be kept as its values may (public and internal
//! columns only).
//!
//! A column joins when the pack may keep its values, it is categorical or boolean, and
//! nothing outside the joint decides it (a column copied from, or conditioned on, a
//! parent's column keeps its own model, as does one conditioned on a numeric column).
//! When the combinations outnumber [`MAX_COMBINATIONS`], the column with the most
//! values leaves until they do not.

use crate::model::{ColumnModel, Dependency, Joint, TableModel};
use crate::source::SampleTable;
use crate::stats::Frequencies;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The most combinations a joint keeps.
pub(crate) const MAX_COMBINATIONS: usize = 10_000;

/// The joint of `model`'s public discrete columns over `sample`, or `None` when fewer
/// than two columns qualify.
pub(crate) fn learn_joint(model: &TableModel, sample: &SampleTable) -> Option<Joint> {
    let mut members: BTreeSet<&str> = model
        .columns
        .iter()
        .filter(|c| c.is_category())
        .map(|c| c.name.as_str())
        .collect();
    loop {
        close_over_dependencies(model, &mut members);
        if members.len() < 2 {
            return None;
        }
        let columns: Vec<&ColumnModel> = model
            .columns
            .iter()
            .filter(|c| members.contains(c.name.as_str()))
            .collect();
        let values: Vec<_> = columns
            .iter()
            .map(|c| Some(&sample.column(&c.name)?.values))
            .collect::<Option<_>>()?;
        let mut counts: HashMap<Vec<Option<String>>, u64> = HashMap::new();
        for r in 0..sample.rows() {
            let combination = columns
                .iter()
                .zip(&values)
                .map(|(c, v)| (!v[r].is_null()).then(|| v[r].render(c.logical_type)))
                .collect();
            *counts.entry(combination).or_default() += 1;
        }
        if counts.len() <= MAX_COMBINATIONS {
            return Some(Joint {
                columns: columns.iter().map(|c| c.name.clone()).collect(),
                combinations: Frequencies::from_counts(counts)?,
            });
        }
        let distinct = |k: usize| counts.keys().map(|c| &c[k]).collect::<BTreeSet<_>>().len();
        let widest = (0..columns.len()).max_by_key(|&k| distinct(k))?;
        let widest = columns[widest].name.as_str();
        members.remove(widest);
    }
}

/// `joint` without column `name` (and its combinations merged accordingly), or `None`
/// when fewer than two columns remain.
pub(crate) fn without(joint: Joint, name: &str) -> Option<Joint> {
    let Some(k) = joint.columns.iter().position(|c| c == name) else {
        return Some(joint);
    };
    if joint.columns.len() <= 2 {
        return None;
    }
    let mut columns = joint.columns;
    columns.remove(k);
    let mut shares: BTreeMap<Vec<Option<String>>, f64> = BTreeMap::new();
    for (mut combination, share) in joint.combinations.items {
        combination.remove(k);
        *shares.entry(combination).or_default() += share;
    }
    let mut items: Vec<(Vec<Option<String>>, f64)> = shares.into_iter().collect();
    items.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Some(Joint {
        columns,
        combinations: Frequencies { items },
    })
}

/// Removes the members decided by something outside the members, until none is.
fn close_over_dependencies(model: &TableModel, members: &mut BTreeSet<&str>) {
    loop {
        let outside: Vec<&str> = members
            .iter()
            .copied()
            .filter(|name| {
                model
                    .column(name)
                    .and_then(|c| c.depends_on.as_ref())
                    .is_some_and(|d| {
                        !matches!(d, Dependency::Given { .. })
                            || d.reads()
                                .any(|r| r.parent || !members.contains(r.column.as_str()))
                    })
            })
            .collect();
        if outside.is_empty() {
            return;
        }
        for name in outside {
            members.remove(name);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_column_leaving_the_joint_merges_its_combinations() {
        let text = |s: &str| Some(s.to_string());
        let joint = Joint {
            columns: vec!["A".into(), "B".into(), "C".into()],
            combinations: Frequencies::from_counts([
                (vec![text("x"), text("1"), text("p")], 3u64),
                (vec![text("x"), text("2"), text("p")], 1),
                (vec![text("y"), text("1"), None], 4),
            ])
            .unwrap(),
        };
        let two = without(joint.clone(), "B").unwrap();
        assert_eq!(two.columns, ["A", "C"]);
        assert_eq!(
            two.combinations.items,
            [
                (vec![text("x"), text("p")], 0.5),
                (vec![text("y"), None], 0.5)
            ]
        );
        assert_eq!(without(joint.clone(), "Z"), Some(joint));
        assert_eq!(without(two, "A"), None, "one column is no joint");
    }
}
