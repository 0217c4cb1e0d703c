//! The evidence behind a learned rule: how likely chance alone would make the sample
//! rows follow it.
//!
//! Rows of one grouping parent share every column of that parent, so under a condition
//! on a parent's column they are one piece of evidence, not many: a customer with 13
//! orders shipped to Essex is one customer shipping to Essex. [`Units`] counts them so.

/// A rule is learned only when a column independent of its condition would follow it
/// on every sample row with at most this probability (`ln` of it): a value that is
/// "determined" by categories of one row each is no rule.
pub(super) const MAX_RULE_CHANCE_LN: f64 = -13.8; // ≈ ln 1e-6

/// A group's yes/no outcomes (set or NULL, non-negative or negative).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Tally {
    /// Rows saying yes.
    pub yes: usize,
    /// Rows with an outcome.
    pub rows: usize,
    /// How many independent pieces of evidence those rows are (see [`Units`]).
    pub units: usize,
}

/// Which sample rows are independent evidence of a rule.
pub(super) struct Units<'a> {
    /// Per sample row, the grouping parent's row it references (none for a root).
    parent_of: Option<&'a [Option<usize>]>,
}

impl<'a> Units<'a> {
    pub(super) fn new(parent_of: Option<&'a [Option<usize>]>) -> Self {
        Units { parent_of }
    }

    /// How many pieces of evidence `rows` are: one per distinct parent when the rule is
    /// `clustered` (a condition is a parent's column), else one per row. Rows without a
    /// parent count one each.
    pub(super) fn count(&self, clustered: bool, rows: impl IntoIterator<Item = usize>) -> usize {
        let Some(parent_of) = self.parent_of.filter(|_| clustered) else {
            return rows.into_iter().count();
        };
        let mut orphans = 0;
        let mut parents: Vec<usize> = rows
            .into_iter()
            .filter_map(|r| {
                let p = parent_of[r];
                orphans += usize::from(p.is_none());
                p
            })
            .collect();
        parents.sort_unstable();
        parents.dedup();
        parents.len() + orphans
    }

    /// The tally of `outcome` over `rows` (`None`: the row has no outcome).
    pub(super) fn tally(
        &self,
        clustered: bool,
        rows: &[usize],
        outcome: impl Fn(usize) -> Option<bool>,
    ) -> Tally {
        let counted: Vec<(usize, bool)> = rows
            .iter()
            .filter_map(|&r| Some((r, outcome(r)?)))
            .collect();
        Tally {
            yes: counted.iter().filter(|(_, yes)| *yes).count(),
            rows: counted.len(),
            units: self.count(clustered, counted.iter().map(|(r, _)| *r)),
        }
    }
}

/// The share of rows in pure groups (see [`binary_rule`]).
pub(super) fn pure_share(groups: &[Tally]) -> f64 {
    let rows: usize = groups.iter().map(|g| g.rows).sum();
    let pure: usize = groups
        .iter()
        .filter(|g| g.yes == 0 || g.yes == g.rows)
        .map(|g| g.rows)
        .sum();
    pure as f64 / rows.max(1) as f64
}

/// A presence or sign rule over groups of yes/no outcomes: some groups are all "yes" or
/// all "no" — an iff when every group is, a one-way implication when others are mixed
/// (an overdraft limit only on checking accounts, not on all of them) — the outcomes are
/// not all alike, and outcomes independent of the groups would make those groups pure
/// with at most the rule threshold of chance.
pub(super) fn binary_rule(groups: &[Tally]) -> bool {
    rule_chance_ln(groups).is_some()
}

/// `ln` of the chance of the pure groups of a [`binary_rule`] under independence, when
/// they make one.
pub(super) fn rule_chance_ln(groups: &[Tally]) -> Option<f64> {
    let yes: usize = groups.iter().map(|g| g.yes).sum();
    let rows: usize = groups.iter().map(|g| g.rows).sum();
    if yes == 0 || yes == rows {
        return None;
    }
    let chance_ln = pure_chance_ln(groups, yes as f64 / rows as f64);
    (chance_ln <= MAX_RULE_CHANCE_LN).then_some(chance_ln)
}

/// `ln` of the chance that outcomes independent of the groups, "yes" at `share`, make
/// the pure ones of `groups` pure: each independent unit of a pure group follows it.
pub(super) fn pure_chance_ln(groups: &[Tally], share: f64) -> f64 {
    groups
        .iter()
        .filter(|g| g.rows > 0 && (g.yes == 0 || g.yes == g.rows))
        .map(|g| {
            let m = g.units as f64;
            (share.powf(m) + (1.0 - share).powf(m))
                .max(f64::MIN_POSITIVE)
                .ln()
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tally(yes: usize, rows: usize) -> Tally {
        Tally {
            yes,
            rows,
            units: rows,
        }
    }

    #[test]
    fn a_parent_counts_once_under_a_parent_condition() {
        // Rows 0–3 belong to parent 7, row 4 to parent 8, row 5 has none.
        let parent_of = [Some(7), Some(7), Some(7), Some(7), Some(8), None];
        let units = Units::new(Some(&parent_of));
        assert_eq!(units.count(true, 0..6), 3);
        assert_eq!(units.count(false, 0..6), 6);
        assert_eq!(Units::new(None).count(true, 0..6), 6);
        let t = units.tally(true, &[0, 1, 2, 3, 4, 5], |r| (r != 5).then_some(r < 4));
        assert_eq!(
            t,
            Tally {
                yes: 4,
                rows: 5,
                units: 2
            }
        );
    }

    #[test]
    fn pure_groups_of_many_units_are_no_chance_but_of_one_unit_are() {
        // Half the rows say yes; two pure groups of 20 rows each.
        let groups = [tally(20, 20), tally(0, 20), tally(10, 20)];
        let chance = rule_chance_ln(&groups).expect("a rule");
        assert!((chance - 2.0 * (2.0 * 0.5f64.powi(20)).ln()).abs() < 1e-9);
        // The same rows from one parent per pure group: two coin tosses, no rule.
        let clustered = [
            Tally {
                units: 1,
                ..groups[0]
            },
            Tally {
                units: 1,
                ..groups[1]
            },
            groups[2],
        ];
        assert_eq!(rule_chance_ln(&clustered), None);
        assert!((pure_share(&groups) - 2.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn outcomes_all_alike_make_no_rule() {
        assert!(!binary_rule(&[tally(30, 30), tally(40, 40)]));
        assert!(!binary_rule(&[tally(0, 30), tally(0, 40)]));
    }
}
