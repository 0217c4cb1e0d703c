//! Running sums of many small counts (children per parent, popularity weights) in
//! little memory: the sum before every [`BLOCK`]-th count is kept, and the counts
//! inside a block are added up on demand. [`RunningSums::kept`] keeps the counts too,
//! as narrowly as the largest allows (about a byte each: twelve million parents take
//! 12 MB instead of the 48 MB of 32-bit prefix sums); [`RunningSums::drawn`] keeps
//! none and draws a block's counts again when a lookup needs them (an eighth of a byte
//! per count), for counts that are pure functions of their index.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Counts between two kept sums: a lookup adds at most this many.
const BLOCK: usize = 64;

/// Counts in the narrowest width that holds every count pushed so far; a count too
/// wide for it widens all of them (once per width).
#[derive(Debug, Clone)]
enum Counts {
    U8(Vec<u8>),
    U16(Vec<u16>),
    U32(Vec<u32>),
    U64(Vec<u64>),
}

impl Counts {
    fn len(&self) -> usize {
        match self {
            Counts::U8(v) => v.len(),
            Counts::U16(v) => v.len(),
            Counts::U32(v) => v.len(),
            Counts::U64(v) => v.len(),
        }
    }

    /// The sum of the counts in `range`.
    fn sum(&self, range: std::ops::Range<usize>) -> u64 {
        match self {
            Counts::U8(v) => total(&v[range]),
            Counts::U16(v) => total(&v[range]),
            Counts::U32(v) => total(&v[range]),
            Counts::U64(v) => total(&v[range]),
        }
    }

    /// How many of the counts from `start` on can be added to `sum` with it staying
    /// under `limit`.
    fn taken_under(&self, start: usize, sum: u64, limit: u64) -> usize {
        match self {
            Counts::U8(v) => taken(&v[start..], sum, limit),
            Counts::U16(v) => taken(&v[start..], sum, limit),
            Counts::U32(v) => taken(&v[start..], sum, limit),
            Counts::U64(v) => taken(&v[start..], sum, limit),
        }
    }

    fn push(&mut self, count: u64) {
        let fits = match self {
            Counts::U8(v) => u8::try_from(count).map(|c| v.push(c)).is_ok(),
            Counts::U16(v) => u16::try_from(count).map(|c| v.push(c)).is_ok(),
            Counts::U32(v) => u32::try_from(count).map(|c| v.push(c)).is_ok(),
            Counts::U64(v) => {
                v.push(count);
                true
            }
        };
        if !fits {
            self.widen();
            self.push(count);
        }
    }

    /// The next wider storage, holding the same counts (converted width to width, so
    /// at most the old and the new storage are held at once).
    fn widen(&mut self) {
        fn wider<T: Copy + Into<U>, U>(counts: &[T]) -> Vec<U> {
            counts.iter().map(|&c| c.into()).collect()
        }
        *self = match self {
            Counts::U8(v) => Counts::U16(wider(v)),
            Counts::U16(v) => Counts::U32(wider(v)),
            Counts::U32(v) => Counts::U64(wider(v)),
            Counts::U64(_) => return,
        };
    }

    /// Empty storage wide enough for counts up to `max`.
    fn for_max(max: u64) -> Counts {
        if u8::try_from(max).is_ok() {
            Counts::U8(Vec::new())
        } else if u16::try_from(max).is_ok() {
            Counts::U16(Vec::new())
        } else if u32::try_from(max).is_ok() {
            Counts::U32(Vec::new())
        } else {
            Counts::U64(Vec::new())
        }
    }
}

/// The sum of `counts`.
fn total<T: Copy + Into<u64>>(counts: &[T]) -> u64 {
    counts.iter().map(|&c| c.into()).sum()
}

/// How many of `counts` can be added to `sum` with it staying under `limit`.
fn taken<T: Copy + Into<u64>>(counts: &[T], mut sum: u64, limit: u64) -> usize {
    counts
        .iter()
        .take_while(|&&c| {
            sum += c.into();
            sum < limit
        })
        .count()
}

/// Non-negative counts and their running sums.
#[derive(Debug, Clone)]
pub(super) struct RunningSums<'a> {
    storage: Storage<'a>,
    /// The sum of the counts before count `b · BLOCK`, for every block `b`.
    blocks: Vec<u64>,
    len: usize,
    total: u64,
}

/// Where a block's counts come from.
#[derive(Clone)]
enum Storage<'a> {
    /// Kept, as narrowly as they fit.
    Kept(Counts),
    /// Drawn again by `count(i)`; `id` tells these sums apart in the blocks each
    /// thread keeps.
    Drawn {
        count: Arc<dyn Fn(usize) -> u64 + Send + Sync + 'a>,
        id: u64,
    },
}

impl std::fmt::Debug for Storage<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Storage::Kept(counts) => f.debug_tuple("Kept").field(counts).finish(),
            Storage::Drawn { id, .. } => f.debug_struct("Drawn").field("id", id).finish(),
        }
    }
}

impl FromIterator<u64> for RunningSums<'_> {
    fn from_iter<I: IntoIterator<Item = u64>>(counts: I) -> Self {
        RunningSums::kept(0, counts)
    }
}

impl<'a> RunningSums<'a> {
    /// Keeps `counts`, stored wide enough for counts up to `max` from the start (a
    /// wider count still widens them).
    pub(super) fn kept(max: u64, counts: impl IntoIterator<Item = u64>) -> Self {
        let mut stored = Counts::for_max(max);
        let (mut blocks, mut total) = (Vec::new(), 0);
        for count in counts {
            if stored.len().is_multiple_of(BLOCK) {
                blocks.push(total);
            }
            stored.push(count);
            total += count;
        }
        RunningSums {
            len: stored.len(),
            storage: Storage::Kept(stored),
            blocks,
            total,
        }
    }

    /// The sums of `count(0)`, …, `count(len - 1)`, counts that are pure functions of
    /// their index: drawn once here to sum the blocks, and again, a block at a time,
    /// when a lookup needs them (each thread keeps the [`KEPT_BLOCKS`] it drew last).
    pub(super) fn drawn(len: usize, count: impl Fn(usize) -> u64 + Send + Sync + 'a) -> Self {
        let mut blocks = Vec::with_capacity(len.div_ceil(BLOCK));
        let mut total = 0;
        for i in 0..len {
            if i.is_multiple_of(BLOCK) {
                blocks.push(total);
            }
            total += count(i);
        }
        RunningSums {
            storage: Storage::Drawn {
                count: Arc::new(count),
                id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            },
            blocks,
            len,
            total,
        }
    }

    /// These sums, or as many ones when every count is 0.
    pub(super) fn or_ones(self) -> Self {
        match self.total {
            0 => RunningSums::kept(1, (0..self.len).map(|_| 1)),
            _ => self,
        }
    }

    /// Whether the counts are drawn again rather than kept.
    #[cfg(test)]
    pub(super) fn is_drawn(&self) -> bool {
        matches!(self.storage, Storage::Drawn { .. })
    }

    /// The number of counts.
    pub(super) fn len(&self) -> usize {
        self.len
    }

    /// The sum of all counts.
    pub(super) fn total(&self) -> u64 {
        self.total
    }

    /// The sum of the counts before count `i` (`i` up to [`RunningSums::len`]).
    pub(super) fn before(&self, i: usize) -> u64 {
        if i >= self.len {
            return self.total;
        }
        let (block, start) = (i / BLOCK, i - i % BLOCK);
        let inside = match &self.storage {
            Storage::Kept(counts) => counts.sum(start..i),
            Storage::Drawn { .. } => total(&self.drawn_block(block)[..i - start]),
        };
        self.blocks[block] + inside
    }

    /// The last index `i` whose preceding sum is under `limit`: with `limit` at least 1,
    /// the count whose run (of the concatenated runs of every count) holds position
    /// `limit - 1`, skipping empty runs before it.
    pub(super) fn last_before(&self, limit: u64) -> usize {
        let block = self
            .blocks
            .partition_point(|&s| s < limit)
            .saturating_sub(1);
        let (start, sum) = (block * BLOCK, self.blocks.get(block).copied().unwrap_or(0));
        if start >= self.len {
            return start;
        }
        // The counts after the block's start whose sums stay under the limit: at most
        // the block's, as the next block's sum is not under it.
        let taken = match &self.storage {
            Storage::Kept(counts) => counts.taken_under(start, sum, limit),
            Storage::Drawn { .. } => taken(&self.drawn_block(block), sum, limit),
        };
        (start + taken).min(self.len - 1)
    }

    /// The counts of block `b` of drawn sums: this thread's copy, or drawn again.
    fn drawn_block(&self, b: usize) -> Rc<[u64]> {
        let Storage::Drawn { count, id } = &self.storage else {
            unreachable!("kept counts are read where they are");
        };
        let kept = DRAWN.with_borrow(|kept| {
            kept.iter()
                .rev()
                .find(|d| d.id == *id && d.block == b)
                .map(|d| Rc::clone(&d.counts))
        });
        if let Some(counts) = kept {
            return counts;
        }
        let start = b * BLOCK;
        let counts: Rc<[u64]> = (start..(start + BLOCK).min(self.len))
            .map(&**count)
            .collect();
        DRAWN.with_borrow_mut(|kept| {
            if kept.len() == KEPT_BLOCKS {
                kept.remove(0);
            }
            kept.push(Drawn {
                id: *id,
                block: b,
                counts: Rc::clone(&counts),
            });
        });
        counts
    }
}

/// Blocks of drawn sums each thread keeps, most recent last: enough for the grouped
/// tables one row reads (a row, its parent, the parent's parent) to be read in order
/// without drawing a block twice.
const KEPT_BLOCKS: usize = 16;

/// A block of counts a thread drew.
struct Drawn {
    /// The sums it belongs to.
    id: u64,
    block: usize,
    counts: Rc<[u64]>,
}

thread_local! {
    /// The blocks this thread drew last.
    static DRAWN: RefCell<Vec<Drawn>> = const { RefCell::new(Vec::new()) };
}

/// Tells drawn sums apart in the per-thread blocks.
static NEXT_ID: AtomicU64 = AtomicU64::new(0);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn sums_and_lookups_match_a_plain_prefix_array(
            counts in prop::collection::vec(
                prop_oneof![Just(0u64), 0..4u64, 0..300u64, 0..70_000u64, Just(u64::from(u32::MAX) + 9)],
                1..400,
            ),
        ) {
            let kept: RunningSums = counts.iter().copied().collect();
            let drawn = RunningSums::drawn(counts.len(), |i| counts[i]);
            prop_assert_eq!(drawn.len(), counts.len());
            prop_assert_eq!(drawn.total(), kept.total());
            // Every lookup, last first.
            for i in (0..=counts.len()).rev() {
                prop_assert_eq!(drawn.before(i), kept.before(i));
            }
            let limits = 1..=kept.total().min(3_000) + 1;
            for limit in limits.rev() {
                prop_assert_eq!(drawn.last_before(limit), kept.last_before(limit));
            }
            let sums = kept;
            let prefix: Vec<u64> = std::iter::once(0)
                .chain(counts.iter().scan(0, |s, c| { *s += c; Some(*s) }))
                .collect();
            prop_assert_eq!(sums.len(), counts.len());
            prop_assert_eq!(sums.total(), *prefix.last().unwrap());
            for (i, &sum) in prefix.iter().enumerate() {
                prop_assert_eq!(sums.before(i), sum);
            }
            let total = sums.total();
            let edges = prefix.iter().flat_map(|&s| [s, s + 1]).filter(|&l| l > 0);
            for limit in (1..=total.min(2_000)).chain(edges) {
                let expected = prefix[..counts.len()].iter().rposition(|&s| s < limit).unwrap();
                prop_assert_eq!(sums.last_before(limit), expected, "limit {}", limit);
            }
        }
    }

    #[test]
    fn counts_take_the_narrowest_width_that_holds_them() {
        let small: RunningSums = [1, 200, 3].into_iter().collect();
        assert!(matches!(small.storage, Storage::Kept(Counts::U8(_))));
        let wide: RunningSums = [1, 200, 70_000, 2].into_iter().collect();
        assert!(matches!(wide.storage, Storage::Kept(Counts::U32(_))));
        assert_eq!(wide.before(4), 70_203);
        let widest: RunningSums = [300, u64::MAX / 2].into_iter().collect();
        assert!(matches!(widest.storage, Storage::Kept(Counts::U64(_))));
        assert_eq!(widest.before(1), 300);
        let sized = RunningSums::kept(256, [1]);
        assert!(matches!(sized.storage, Storage::Kept(Counts::U16(_))));
    }

    #[test]
    fn two_drawn_sums_read_in_any_order_on_one_thread_keep_their_own_blocks() {
        // 5,000 counts each: 79 blocks, far more than a thread keeps.
        let a = RunningSums::drawn(5_000, |i| (i as u64 * 7919) % 13);
        let b = RunningSums::drawn(5_000, |i| (i as u64 * 104_729) % 5);
        let kept_a: RunningSums = (0..5_000).map(|i| (i as u64 * 7919) % 13).collect();
        let kept_b: RunningSums = (0..5_000).map(|i| (i as u64 * 104_729) % 5).collect();
        let mut state = 1u64;
        for _ in 0..3_000 {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            let i = (state >> 33) as usize % 5_001;
            assert_eq!(a.before(i), kept_a.before(i), "a, {i}");
            assert_eq!(b.before(i), kept_b.before(i), "b, {i}");
            let limit = (state >> 20) % kept_b.total() + 1;
            assert_eq!(
                b.last_before(limit),
                kept_b.last_before(limit),
                "b, limit {limit}"
            );
        }
    }
}
