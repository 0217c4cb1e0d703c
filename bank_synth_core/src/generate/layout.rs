//! How child rows attach to parent rows, computed once per run from the seed:
//! grouped children are laid out as contiguous runs under their parents (prefix sums
//! of per-parent fan-out draws, rescaled to the exact row count), and second parents
//! are picked in proportion to a per-parent popularity.

use super::strata::Strata;
use crate::keys::Permutation;
use crate::rng::Streams;
use crate::stats::Frequencies;
use rand::RngExt;

/// Non-decreasing prefix sums, one per parent: 4 bytes each while the total fits in 32
/// bits (a billion child rows included), else 8.
#[derive(Debug, Clone)]
enum Prefix {
    Narrow(Vec<u32>),
    Wide(Vec<u64>),
}

impl Prefix {
    /// Room for `len` sums of at most `max`.
    fn with_capacity(len: usize, max: u64) -> Self {
        if u32::try_from(max).is_ok() {
            Prefix::Narrow(Vec::with_capacity(len))
        } else {
            Prefix::Wide(Vec::with_capacity(len))
        }
    }

    /// Appends `sum` (at most the `max` given).
    fn push(&mut self, sum: u64) {
        match self {
            Prefix::Narrow(v) => v.push(u32::try_from(sum).expect("sums stay under their max")),
            Prefix::Wide(v) => v.push(sum),
        }
    }

    fn len(&self) -> usize {
        match self {
            Prefix::Narrow(v) => v.len(),
            Prefix::Wide(v) => v.len(),
        }
    }

    fn get(&self, i: usize) -> Option<u64> {
        match self {
            Prefix::Narrow(v) => v.get(i).map(|&x| u64::from(x)),
            Prefix::Wide(v) => v.get(i).copied(),
        }
    }

    fn last(&self) -> Option<u64> {
        self.len().checked_sub(1).and_then(|i| self.get(i))
    }

    /// The number of leading sums for which `before` holds.
    fn partition_point(&self, before: impl Fn(u64) -> bool) -> usize {
        match self {
            Prefix::Narrow(v) => v.partition_point(|&x| before(u64::from(x))),
            Prefix::Wide(v) => v.partition_point(|&x| before(x)),
        }
    }
}

/// Child rows `offsets[p]..offsets[p + 1]` belong to parent `p`.
#[derive(Debug, Clone)]
pub struct Groups {
    offsets: Prefix,
}

impl Groups {
    /// Draws a fan-out for each of `parents` rows (from `fanout(p)` for parent `p`) and rescales the runs so they cover
    /// exactly `children` rows. Parents that drew zero children keep none.
    ///
    /// With `rooms` (each parent's room for a date sequence), a parent gets no more
    /// children than its room holds: draws are cut to it, and the rows the cuts leave over go to the
    /// parents with room to spare ([`fill_rooms`]), then to parents that drew none
    /// ([`fill_empty_rooms`]), before any run is rescaled past its room.
    pub fn new<'f>(
        streams: &Streams,
        fanout: impl Fn(u64) -> &'f Frequencies<u32>,
        rooms: Option<&[u64]>,
        parents: u64,
        children: u64,
    ) -> Groups {
        let position = positions(streams, parents);
        let mut draws: Vec<u64> = (0..parents)
            .map(|p| u64::from(*fanout(p).sample(position(p))))
            .collect();
        if let Some(rooms) = rooms {
            for (d, room) in draws.iter_mut().zip(rooms) {
                *d = (*d).min(*room);
            }
            if draws.iter().sum::<u64>() < children {
                fill_rooms(&mut draws, rooms, children);
                let order = Permutation::new(parents, streams.subkey(1));
                fill_empty_rooms(&mut draws, rooms, children, &order);
            }
        }
        let total: u64 = draws.iter().sum();
        let mut offsets = Prefix::with_capacity(parents as usize + 1, children);
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
        let p = self.offsets.partition_point(|o| o <= i) - 1;
        (
            p as u64,
            i - self.offsets.get(p).expect("a parent at or before the row"),
        )
    }

    /// The child rows of parent `p` (empty for a parent past the laid-out ones).
    pub fn children(&self, p: u64) -> std::ops::Range<u64> {
        match (
            self.offsets.get(p as usize),
            self.offsets.get(p as usize + 1),
        ) {
            (Some(start), Some(end)) => start..end,
            _ => 0..0,
        }
    }

    /// The number of parents laid out.
    pub fn parents(&self) -> u64 {
        self.offsets.len() as u64 - 1
    }

    /// The number of children of parent `p`.
    pub fn children_of(&self, p: u64) -> u64 {
        self.children(p).end - self.children(p).start
    }
}

/// Grows `draws` to at least `children` rows in all, each parent's in proportion to its
/// draw and never past its capacity: the smallest common scale that reaches
/// `children`, then whole rows by cumulative rounding. Parents that drew none keep none;
/// when every room is full the draws stay short (and are rescaled past them).
fn fill_rooms(draws: &mut [u64], rooms: &[u64], children: u64) {
    if !draws.iter().zip(rooms).any(|(&d, &r)| d > 0 && d < r) {
        return; // no room to spare
    }
    let sized = |scale: f64, d: u64, room: u64| (d as f64 * scale).min(room as f64);
    let total = |scale: f64| -> f64 {
        draws
            .iter()
            .zip(rooms)
            .map(|(&d, &r)| sized(scale, d, r))
            .sum()
    };
    let target = children as f64;
    let (mut low, mut high) = (1.0, 2.0);
    while total(high) < target {
        if high > 1e12 {
            break; // every room is full
        }
        low = high;
        high *= 2.0;
    }
    for _ in 0..60 {
        let mid = (low + high) / 2.0;
        if total(mid) < target {
            low = mid;
        } else {
            high = mid;
        }
    }
    let mut cumulative = 0.0;
    let mut before = 0u64;
    for (d, room) in draws.iter_mut().zip(rooms) {
        cumulative += sized(high, *d, *room);
        // The tolerance keeps a full room full through the scale's rounding.
        let after = (cumulative + 1e-6).floor() as u64;
        *d = after - before;
        before = after;
    }
}

/// When the parents with children are full and rows are still left over, fills the
/// rooms of parents that drew none, whole and in `order`: a few more parents with
/// children, rather than sequences past their room.
fn fill_empty_rooms(draws: &mut [u64], rooms: &[u64], children: u64, order: &Permutation) {
    let mut total: u64 = draws.iter().sum();
    for i in 0..draws.len() as u64 {
        if total >= children {
            break;
        }
        let p = order.apply(i) as usize;
        if draws[p] == 0 {
            draws[p] = rooms[p].min(children - total);
            total += draws[p];
        }
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
    cumulative: Prefix,
}

impl Popularity {
    /// Popularity weights for `parents` rows.
    pub fn new(streams: &Streams, fanout: &Frequencies<u32>, parents: u64) -> Popularity {
        let heaviest = fanout.items.iter().map(|(v, _)| u64::from(*v)).max();
        let max = parents.saturating_mul(heaviest.unwrap_or(1).max(1));
        let mut cumulative = Prefix::with_capacity(parents as usize, max);
        let position = positions(streams, parents);
        let mut total = 0u64;
        for p in 0..parents {
            total += u64::from(*fanout.sample(position(p)));
            cumulative.push(total);
        }
        if total == 0 {
            cumulative = Prefix::with_capacity(parents as usize, parents);
            (1..=parents).for_each(|w| cumulative.push(w));
        }
        Popularity { cumulative }
    }

    /// A parent index drawn with `rng`.
    pub fn pick<R: RngExt>(&self, rng: &mut R) -> u64 {
        let total = self.cumulative.last().expect("at least one parent");
        let r = rng.random_range(0..total);
        self.cumulative.partition_point(|c| c <= r) as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_cover_exactly_the_children() {
        let fanout = Frequencies::from_counts([(0u32, 3), (1, 3), (5, 1)]).unwrap();
        let streams = Streams::new(1, "fanout", "T");
        let g = Groups::new(&streams, |_| &fanout, None, 1000, 1234);
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
    fn parents_get_no_more_children_than_their_room_holds() {
        let fanout = Frequencies::from_counts([(3u32, 1), (6, 1)]).unwrap();
        let rooms = [6, 2, 0, 6, 5];
        // Rows the draws leave over go to parents with room to spare, and never to a
        // parent that drew none.
        let none_or_three = Frequencies::from_counts([(0u32, 1), (3, 1)]).unwrap();
        let g = Groups::new(
            &Streams::new(1, "f", "T"),
            |_| &none_or_three,
            Some(&[6; 4]),
            4,
            10,
        );
        let mut sizes: Vec<u64> = (0..4).map(|p| g.children_of(p)).collect();
        sizes.sort_unstable();
        assert_eq!(sizes, [0, 0, 5, 5]);
        let none_or_six = Frequencies::from_counts([(0u32, 1), (6, 1)]).unwrap();
        // More rows than the parents with children hold: a parent that drew none gets
        // a full room, rather than any room running over.
        let g = Groups::new(
            &Streams::new(1, "f", "T"),
            |_| &none_or_six,
            Some(&[6; 4]),
            4,
            18,
        );
        let mut sizes: Vec<u64> = (0..4).map(|p| g.children_of(p)).collect();
        sizes.sort_unstable();
        assert_eq!(sizes, [0, 6, 6, 6]);
        let room = Some(rooms.as_slice());
        // Room for exactly as many rows as asked for: every room is filled.
        let g = Groups::new(&Streams::new(1, "f", "T"), |_| &fanout, room, 5, 19);
        assert_eq!((0..5).map(|p| g.children_of(p)).collect::<Vec<_>>(), rooms);
        for rows in [0, 4, 11, 18] {
            let g = Groups::new(&Streams::new(1, "f", "T"), |_| &fanout, room, 5, rows);
            let sizes: Vec<u64> = (0..5).map(|p| g.children_of(p)).collect();
            assert_eq!(sizes.iter().sum::<u64>(), rows);
            assert!(sizes.iter().zip(rooms).all(|(s, r)| *s <= r), "{sizes:?}");
        }
    }

    #[test]
    fn all_zero_fanout_spreads_children_evenly() {
        let fanout = Frequencies::from_counts([(0u32, 1)]).unwrap();
        let g = Groups::new(&Streams::new(1, "f", "T"), |_| &fanout, None, 4, 8);
        assert!((0..4).all(|p| g.children_of(p) == 2));
    }

    #[test]
    fn popularity_picks_only_popular_parents() {
        let fanout = Frequencies::from_counts([(0u32, 1), (10, 1)]).unwrap();
        let streams = Streams::new(2, "pop", "T");
        let pop = Popularity::new(&streams, &fanout, 100);
        let sum = |p: usize| pop.cumulative.get(p).unwrap();
        let weight = |p: usize| sum(p) - if p == 0 { 0 } else { sum(p - 1) };
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
            let g = Groups::new(&Streams::new(seed, "f", "T"), |_| &fanout, None, 4, 10);
            let mut sizes: Vec<u64> = (0..4).map(|p| g.children_of(p)).collect();
            sizes.sort_unstable();
            assert_eq!(sizes, [1, 2, 3, 4], "seed {seed}");
        }
    }
}
