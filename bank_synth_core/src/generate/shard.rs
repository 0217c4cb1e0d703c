//! Shards: the `index`-th of `count` disjoint slices of every planned table, so that
//! machines (or Spark executors) can each generate one and the union of all the shards
//! is exactly the single run's rows. A row is a pure function of `(seed, table, row
//! index)`, so a shard needs nothing from the others: its foreign keys name parents by
//! index, wherever those parents are generated.

use serde::{Deserialize, Serialize};
use std::ops::Range;

/// One of `count` slices of a run; `index` counts from 1. Built only through
/// [`Shard::new`] (a manifest's shard too), so `1 <= index <= count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Fields")]
pub struct Shard {
    index: u32,
    count: u32,
}

/// A shard as written, before it is checked.
#[derive(Deserialize)]
struct Fields {
    index: u32,
    count: u32,
}

impl TryFrom<Fields> for Shard {
    type Error = String;

    fn try_from(f: Fields) -> Result<Self, String> {
        Shard::new(f.index, f.count).ok_or_else(|| {
            format!(
                "shard {}/{} is not one: its index runs from 1 to its count",
                f.index, f.count
            )
        })
    }
}

impl Shard {
    /// The whole run as one shard.
    pub const WHOLE: Shard = Shard { index: 1, count: 1 };

    /// Shard `index` of `count`, or `None` unless `1 <= index <= count`.
    pub fn new(index: u32, count: u32) -> Option<Shard> {
        (1..=count)
            .contains(&index)
            .then_some(Shard { index, count })
    }

    /// This shard's rows of a table of `rows` rows: a contiguous range, the ranges of
    /// the `count` shards following one another and covering `0..rows`.
    pub fn rows(self, rows: u64) -> Range<u64> {
        let bound = |k: u32| (u128::from(rows) * u128::from(k) / u128::from(self.count)) as u64;
        bound(self.index - 1)..bound(self.index)
    }

    /// Which slice, from 1 to [`Shard::count`].
    pub fn index(self) -> u32 {
        self.index
    }

    /// How many slices the run is cut into.
    pub fn count(self) -> u32 {
        self.count
    }

    /// Whether this is the whole run.
    pub fn is_whole(self) -> bool {
        self.count == 1
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn the_shards_of_a_table_follow_one_another_and_cover_it(rows in 0u64..1_000_000_000_000, count in 1u32..64) {
            let mut next = 0;
            for index in 1..=count {
                let range = Shard::new(index, count).unwrap().rows(rows);
                prop_assert_eq!(range.start, next);
                prop_assert!(range.end - range.start <= rows / u64::from(count) + 1);
                next = range.end;
            }
            prop_assert_eq!(next, rows);
        }
    }

    #[test]
    fn a_shard_counts_from_one_up_to_its_count() {
        assert_eq!(Shard::new(0, 4), None);
        assert_eq!(Shard::new(5, 4), None);
        assert_eq!(Shard::new(1, 0), None);
        assert_eq!(Shard::new(4, 4).unwrap().to_string(), "4/4");
        assert!(Shard::WHOLE.is_whole());
        assert_eq!(Shard::WHOLE.rows(17), 0..17);
        let read = |json: &str| serde_json::from_str::<Shard>(json);
        assert_eq!(
            read(r#"{"index": 2, "count": 3}"#).unwrap(),
            Shard::new(2, 3).unwrap()
        );
        for bad in [r#"{"index": 0, "count": 3}"#, r#"{"index": 1, "count": 0}"#] {
            assert!(
                read(bad).unwrap_err().to_string().contains("is not one"),
                "{bad}"
            );
        }
    }
}
