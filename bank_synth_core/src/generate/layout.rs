//! How child rows attach to parent rows, computed once per run from the seed:
//! grouped children are laid out as contiguous runs under their parents (prefix sums
//! of per-parent fan-out draws, rescaled to the exact row count), and second parents
//! are picked in proportion to a per-parent popularity.

use super::strata::Strata;
use crate::rng::Streams;
use crate::stats::Frequencies;
use rand::RngExt;

/// Child rows `offsets[p]..offsets[p + 1]` belong to parent `p`.
#[derive(Debug, Clone)]
pub struct Groups {
    offsets: Vec<u64>,
}

impl Groups {
    /// Draws a fan-out for each of `parents` rows (from `fanout(p)` for parent `p`) and rescales the runs so they cover
    /// exactly `children` rows. Parents that drew zero children keep none.
    pub fn new<'f>(
        streams: &Streams,
        fanout: impl Fn(u64) -> &'f Frequencies<u32>,
        parents: u64,
        children: u64,
    ) -> Groups {
        let position = positions(streams, parents);
        let draws: Vec<u64> = (0..parents)
            .map(|p| u64::from(*fanout(p).sample(position(p))))
            .collect();
        let total: u64 = draws.iter().sum();
        let mut offsets = Vec::with_capacity(parents as usize + 1);
        offsets.push(0);
        let mut cumulative: u128 = 0;
        for d in &draws {
            cumulative += u128::from(if total == 0 { 1 } else { *d });
            let denominator = if total == 0 {
                u128::from(parents)
            } else {
                u128::from(total)
            };
            offsets.push((cumulative * u128::from(children) / denominator) as u64);
        }
        Groups { offsets }
    }

    /// The parent of child row `i` and the child's position within its parent's run.
    pub fn parent_of(&self, i: u64) -> (u64, u64) {
        let p = self.offsets.partition_point(|&o| o <= i) - 1;
        (p as u64, i - self.offsets[p])
    }

    /// The child rows of parent `p` (empty for a parent past the laid-out ones).
    pub fn children(&self, p: u64) -> std::ops::Range<u64> {
        match (
            self.offsets.get(p as usize),
            self.offsets.get(p as usize + 1),
        ) {
            (Some(&start), Some(&end)) => start..end,
            _ => 0..0,
        }
    }

    /// The number of children of parent `p`.
    #[cfg(test)]
    pub fn children_of(&self, p: u64) -> u64 {
        self.children(p).end - self.children(p).start
    }
}

/// Each parent's position in the fan-out distribution, stratified over the `parents`
/// ([`Strata`]) so that a few parents' fan-outs spread over the distribution as many
/// parents' would.
fn positions(streams: &Streams, parents: u64) -> impl Fn(u64) -> f64 + '_ {
    let strata = Strata::new(parents, 1, streams);
    move |p| {
        let jitter = streams.at(p).random();
        strata.as_ref().map_or(jitter, |s| s.position(0, p, jitter))
    }
}

/// Picks parents in proportion to a popularity drawn per parent from the fan-out.
#[derive(Debug, Clone)]
pub struct Popularity {
    cumulative: Vec<u64>,
}

impl Popularity {
    /// Popularity weights for `parents` rows.
    pub fn new(streams: &Streams, fanout: &Frequencies<u32>, parents: u64) -> Popularity {
        let mut total = 0u64;
        let position = positions(streams, parents);
        let mut cumulative: Vec<u64> = (0..parents)
            .map(|p| {
                total += u64::from(*fanout.sample(position(p)));
                total
            })
            .collect();
        if total == 0 {
            cumulative = (1..=parents).collect();
        }
        Popularity { cumulative }
    }

    /// A parent index drawn with `rng`.
    pub fn pick<R: RngExt>(&self, rng: &mut R) -> u64 {
        let total = *self.cumulative.last().expect("at least one parent");
        let r = rng.random_range(0..total);
        self.cumulative.partition_point(|&c| c <= r) as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_cover_exactly_the_children() {
        let fanout = Frequencies::from_counts([(0u32, 3), (1, 3), (5, 1)]).unwrap();
        let streams = Streams::new(1, "fanout", "T");
        let g = Groups::new(&streams, |_| &fanout, 1000, 1234);
        assert_eq!((0..1000).map(|p| g.children_of(p)).sum::<u64>(), 1234);
        assert!(
            (0..1000).any(|p| g.children_of(p) == 0),
            "zero fan-out survives"
        );
        let mut seen = 0;
        for p in 0..1000 {
            for k in 0..g.children_of(p) {
                assert_eq!(g.parent_of(seen), (p, k));
                seen += 1;
            }
        }
    }

    #[test]
    fn all_zero_fanout_spreads_children_evenly() {
        let fanout = Frequencies::from_counts([(0u32, 1)]).unwrap();
        let g = Groups::new(&Streams::new(1, "f", "T"), |_| &fanout, 4, 8);
        assert!((0..4).all(|p| g.children_of(p) == 2));
    }

    #[test]
    fn popularity_picks_only_popular_parents() {
        let fanout = Frequencies::from_counts([(0u32, 1), (10, 1)]).unwrap();
        let streams = Streams::new(2, "pop", "T");
        let pop = Popularity::new(&streams, &fanout, 100);
        let weight = |p: usize| pop.cumulative[p] - if p == 0 { 0 } else { pop.cumulative[p - 1] };
        // Stratified: the fan-outs split exactly as the distribution does.
        assert_eq!((0..100).filter(|&p| weight(p) == 10).count(), 50);
        assert_eq!((0..100).filter(|&p| weight(p) == 0).count(), 50);
        let mut rng = Streams::new(3, "row", "T").at(0);
        for _ in 0..500 {
            let p = pop.pick(&mut rng);
            assert!(p < 100);
            assert_eq!(weight(p as usize), 10);
        }
    }

    #[test]
    fn few_parents_spread_over_the_fanout_distribution() {
        // Four parents over fan-outs 1..=4 equally likely: each fan-out exactly once.
        let fanout = Frequencies::from_counts([(1u32, 1), (2, 1), (3, 1), (4, 1)]).unwrap();
        for seed in 0..20 {
            let g = Groups::new(&Streams::new(seed, "f", "T"), |_| &fanout, 4, 10);
            let mut sizes: Vec<u64> = (0..4).map(|p| g.children_of(p)).collect();
            sizes.sort_unstable();
            assert_eq!(sizes, [1, 2, 3, 4], "seed {seed}");
        }
    }
}
