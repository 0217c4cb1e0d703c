//! How child rows attach to parent rows, computed once per run from the seed:
//! grouped children are laid out as contiguous runs under their parents (prefix sums
//! of per-parent fan-out draws, rescaled to the exact row count), and second parents
//! are picked in proportion to a per-parent popularity.

use super::fanouts::Fanouts;
use super::strata::Strata;
use super::sums::RunningSums;
use crate::keys::Permutation;
use crate::rng::Streams;
use crate::stats::Frequencies;
use rand::RngExt;

/// Child rows `offset(p)..offset(p + 1)` belong to parent `p`, where `offset(p)` is
/// the sum of the draws of the parents before `p`, rescaled to the exact child count.
#[derive(Debug)]
pub struct Groups<'m> {
    /// Each parent's draw: drawn again on demand when it is a pure function of the
    /// parent (many parents, no rooms), else kept.
    draws: RunningSums<'m>,
    children: u64,
}

impl<'m> Groups<'m> {
    /// Draws a fan-out for each of `parents` rows (parent `p` from `fanouts.of(p)`) and
    /// rescales the runs so they cover exactly `children` rows. Parents that drew zero
    /// children keep none.
    ///
    /// With `rooms` (each parent's room for a date sequence), a parent gets no more
    /// children than its room holds: draws are cut to it, and the rows the cuts leave over go to the
    /// parents with room to spare ([`fill_rooms`]), then to parents that drew none
    /// ([`fill_empty_rooms`]), before any run is rescaled past its room.
    pub(super) fn new(
        streams: &Streams,
        fanouts: Fanouts<'m>,
        rooms: Option<&[u64]>,
        parents: u64,
        children: u64,
    ) -> Groups<'m> {
        let strata = Strata::new(parents, 1, streams);
        let draws = if rooms.is_none() && strata.is_none() {
            // Unstratified draws are pure functions of the parent: drawn again on demand.
            let streams = streams.clone();
            RunningSums::drawn(parents as usize, move |p| {
                let p = p as u64;
                u64::from(*fanouts.of(p).sample(streams.at(p).random()))
            })
        } else {
            let position = positions(streams, strata);
            let draws = (0..parents).map(|p| u64::from(*fanouts.of(p).sample(position(p))));
            match rooms {
                None => draws.collect(),
                Some(rooms) => {
                    let mut draws: Vec<u64> = draws.collect();
                    for (d, room) in draws.iter_mut().zip(rooms) {
                        *d = (*d).min(*room);
                    }
                    if draws.iter().sum::<u64>() < children {
                        fill_rooms(&mut draws, rooms, children);
                        let order = Permutation::new(parents, streams.subkey(1));
                        fill_empty_rooms(&mut draws, rooms, children, &order);
                    }
                    draws.into_iter().collect()
                }
            }
        };
        // No parent drew any: the children spread evenly.
        Groups {
            draws: draws.or_ones(),
            children,
        }
    }

    /// The first child row of parent `p` (`p` up to the parent count).
    fn offset(&self, p: usize) -> u64 {
        let (before, total) = (self.draws.before(p), self.draws.total());
        if total == self.children || total == 0 {
            return before;
        }
        match before.checked_mul(self.children) {
            Some(product) => product / total,
            None => (u128::from(before) * u128::from(self.children) / u128::from(total)) as u64,
        }
    }

    /// The parent of child row `i` and the child's position within its parent's run.
    pub fn parent_of(&self, i: u64) -> (u64, u64) {
        let total = self.draws.total();
        if i >= self.children || total == 0 {
            let p = self.draws.len();
            return (p as u64, i - self.offset(p));
        }
        // offset(p) <= i  ⟺  before(p) · children < (i + 1) · total
        let limit = if total == self.children {
            i + 1
        } else {
            match (i + 1).checked_mul(total) {
                Some(product) => product.div_ceil(self.children),
                None => (u128::from(i + 1) * u128::from(total)).div_ceil(u128::from(self.children))
                    as u64,
            }
        };
        let p = self.draws.last_before(limit);
        (p as u64, i - self.offset(p))
    }

    /// The child rows of parent `p` (empty for a parent past the laid-out ones).
    pub fn children(&self, p: u64) -> std::ops::Range<u64> {
        match usize::try_from(p) {
            Ok(p) if p < self.draws.len() => self.offset(p)..self.offset(p + 1),
            _ => 0..0,
        }
    }

    /// The number of parents laid out.
    pub fn parents(&self) -> u64 {
        self.draws.len() as u64
    }

    /// The number of children of parent `p`.
    pub fn children_of(&self, p: u64) -> u64 {
        let run = self.children(p);
        run.end - run.start
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

/// Each parent's position in the fan-out distribution, stratified over the parents
/// (`strata`: [`Strata`] of one dimension) so that a few parents' fan-outs spread over
/// the distribution as many parents' would.
fn positions(streams: &Streams, strata: Option<Strata>) -> impl Fn(u64) -> f64 + '_ {
    move |p| {
        let jitter = streams.at(p).random();
        strata.as_ref().map_or(jitter, |s| s.position(0, p, jitter))
    }
}

/// Picks parents in proportion to a popularity drawn per parent from the fan-out.
#[derive(Debug, Clone)]
pub struct Popularity {
    weights: RunningSums<'static>,
}

impl Popularity {
    /// Popularity weights for `parents` rows (all equal when every parent drew none).
    pub fn new(streams: &Streams, fanout: &Frequencies<u32>, parents: u64) -> Popularity {
        let position = positions(streams, Strata::new(parents, 1, streams));
        let heaviest = fanout.items.iter().map(|(v, _)| u64::from(*v)).max();
        let weights = (0..parents).map(|p| u64::from(*fanout.sample(position(p))));
        Popularity {
            weights: RunningSums::kept(heaviest.unwrap_or(1), weights).or_ones(),
        }
    }

    /// A parent index drawn with `rng`.
    pub fn pick<R: RngExt>(&self, rng: &mut R) -> u64 {
        let r = rng.random_range(0..self.weights.total());
        self.weights.last_before(r + 1) as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_cover_exactly_the_children() {
        let fanout = Frequencies::from_counts([(0u32, 3), (1, 3), (5, 1)]).unwrap();
        let streams = Streams::new(1, "fanout", "T");
        let g = Groups::new(&streams, Fanouts::overall(&fanout), None, 1000, 1234);
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
    fn many_parents_draws_drawn_again_lay_out_the_same_runs() {
        // Past the stratified sizes, the draws are not kept but drawn again per block.
        let parents = super::super::strata::MAX_ROWS + 3_000;
        let fanout = Frequencies::from_counts([(0u32, 2), (1, 3), (4, 1), (9, 1)]).unwrap();
        let streams = Streams::new(5, "fanout", "T");
        let g = Groups::new(&streams, Fanouts::overall(&fanout), None, parents, 150_001);
        assert!(g.draws.is_drawn());
        // The runs are the draws rescaled, as a plain prefix array gives them.
        let draws: Vec<u64> = (0..parents)
            .map(|p| u64::from(*fanout.sample(streams.at(p).random())))
            .collect();
        let total: u64 = draws.iter().sum();
        let mut before = 0u64;
        let mut seen = 0u64;
        for (p, d) in draws.iter().enumerate() {
            let start = (u128::from(before) * 150_001 / u128::from(total)) as u64;
            before += d;
            let end = (u128::from(before) * 150_001 / u128::from(total)) as u64;
            assert_eq!(g.children(p as u64), start..end, "parent {p}");
            for k in 0..end - start {
                assert_eq!(g.parent_of(seen), (p as u64, k));
                seen += 1;
            }
        }
        assert_eq!(seen, 150_001);
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
            Fanouts::overall(&none_or_three),
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
            Fanouts::overall(&none_or_six),
            Some(&[6; 4]),
            4,
            18,
        );
        let mut sizes: Vec<u64> = (0..4).map(|p| g.children_of(p)).collect();
        sizes.sort_unstable();
        assert_eq!(sizes, [0, 6, 6, 6]);
        let room = Some(rooms.as_slice());
        // Room for exactly as many rows as asked for: every room is filled.
        let g = Groups::new(
            &Streams::new(1, "f", "T"),
            Fanouts::overall(&fanout),
            room,
            5,
            19,
        );
        assert_eq!((0..5).map(|p| g.children_of(p)).collect::<Vec<_>>(), rooms);
        for rows in [0, 4, 11, 18] {
            let g = Groups::new(
                &Streams::new(1, "f", "T"),
                Fanouts::overall(&fanout),
                room,
                5,
                rows,
            );
            let sizes: Vec<u64> = (0..5).map(|p| g.children_of(p)).collect();
            assert_eq!(sizes.iter().sum::<u64>(), rows);
            assert!(sizes.iter().zip(rooms).all(|(s, r)| *s <= r), "{sizes:?}");
        }
    }

    #[test]
    fn all_zero_fanout_spreads_children_evenly() {
        let fanout = Frequencies::from_counts([(0u32, 1)]).unwrap();
        let g = Groups::new(
            &Streams::new(1, "f", "T"),
            Fanouts::overall(&fanout),
            None,
            4,
            8,
        );
        assert!((0..4).all(|p| g.children_of(p) == 2));
    }

    #[test]
    fn popularity_picks_only_popular_parents() {
        let fanout = Frequencies::from_counts([(0u32, 1), (10, 1)]).unwrap();
        let streams = Streams::new(2, "pop", "T");
        let pop = Popularity::new(&streams, &fanout, 100);
        let weight = |p: usize| pop.weights.before(p + 1) - pop.weights.before(p);
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
            let g = Groups::new(
                &Streams::new(seed, "f", "T"),
                Fanouts::overall(&fanout),
                None,
                4,
                10,
            );
            let mut sizes: Vec<u64> = (0..4).map(|p| g.children_of(p)).collect();
            sizes.sort_unstable();
            assert_eq!(sizes, [1, 2, 3, 4], "seed {seed}");
        }
    }
}
