//! Key checks in fixed memory: uniqueness of primary keys, orphans of foreign keys and
//! parent values for cross-table rules, all on the same slice of each table's key space.
//!
//! Keys are unique and references resolve by construction — a key is a bijection of its
//! row index and a foreign key the key of a parent index below the parent's row count —
//! so the run report confirms this on a bounded sample rather than holding every key.
//! The sample is a slice of the key space, not of the rows: a table keeps the keys whose
//! fingerprint is at most a threshold set from its planned row count, so it holds at most
//! about [`SAMPLED_KEYS`] keys whatever the run's size. Because a child reference is
//! checked exactly when its fingerprint falls in the parent's slice, every checked
//! reference is checked exactly: it names a key the parent produced or it is an orphan.
//! A duplicated key falls in the slice with both its rows or with neither. Tables of up
//! to [`SAMPLED_KEYS`] rows are checked in full.

use crate::value::{Value, tuple_key};

/// The most keys a table's checks hold (8 bytes each, plus the set's slack).
pub const SAMPLED_KEYS: u64 = 1 << 16;

/// A 64-bit fingerprint of a key tuple, or `None` when one of its parts is NULL. A single
/// integer key is mixed by a bijection, so distinct integer keys never share one; a text
/// or composite key is hashed (two of 2¹⁶ keys share a fingerprint with odds of about
/// one in 8 billion). The fingerprint is fixed by its definition here, whatever the
/// platform or crate versions, because the slice it picks reaches the report.
pub fn fingerprint<'a>(values: impl IntoIterator<Item = &'a Value> + Clone) -> Option<u64> {
    let mut parts = values.clone().into_iter();
    match (parts.next(), parts.next()) {
        (Some(Value::Int(v)), None) => Some(mix(*v as u64)),
        (Some(_), _) => Some(mix(fnv1a(tuple_key(values)?.as_bytes()))),
        (None, _) => None,
    }
}

/// FNV-1a, 64 bits.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// The splitmix64 finaliser: a bijection of `u64` that spreads neighbouring keys over
/// the whole range.
fn mix(mut x: u64) -> u64 {
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// The slice of a table's key space its checks look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeySlice {
    /// Keys with a fingerprint up to this are in the slice.
    threshold: u64,
}

impl KeySlice {
    /// The slice for a table of `rows` rows: all of it up to [`SAMPLED_KEYS`] rows, else
    /// the share that holds about [`SAMPLED_KEYS`] of them.
    pub fn for_rows(rows: u64) -> Self {
        let threshold = if rows <= SAMPLED_KEYS {
            u64::MAX
        } else {
            ((u128::from(SAMPLED_KEYS) << 64) / u128::from(rows)) as u64
        };
        Self { threshold }
    }

    /// Whether the key with this fingerprint is in the slice.
    pub fn holds(self, fingerprint: u64) -> bool {
        fingerprint <= self.threshold
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashSet;

    #[test]
    fn small_tables_are_checked_whole_and_large_ones_hold_a_bounded_slice() {
        let whole = KeySlice::for_rows(SAMPLED_KEYS);
        assert!(whole.holds(u64::MAX) && whole.holds(0));
        for rows in [SAMPLED_KEYS + 1, 1_000_000, 10_000_000] {
            let slice = KeySlice::for_rows(rows);
            assert!(!slice.holds(u64::MAX));
            let held = (0..rows as i64)
                .filter(|k| slice.holds(fingerprint([&Value::Int(*k)]).unwrap()))
                .count() as f64;
            let expected = SAMPLED_KEYS as f64;
            assert!(
                (held - expected).abs() < 0.02 * expected,
                "{rows} rows: {held} keys held, about {expected} expected"
            );
        }
    }

    proptest! {
        #[test]
        fn distinct_integer_keys_have_distinct_fingerprints(keys in proptest::collection::hash_set(any::<i64>(), 1..500)) {
            let prints: HashSet<u64> = keys.iter().map(|k| fingerprint([&Value::Int(*k)]).unwrap()).collect();
            prop_assert_eq!(prints.len(), keys.len());
        }
    }

    #[test]
    fn a_key_with_a_null_part_has_no_fingerprint_and_composites_differ_by_order() {
        let (a, b) = (Value::Int(1), Value::Str("x".into()));
        assert_eq!(fingerprint([&a, &Value::Null]), None);
        assert_eq!(fingerprint([&Value::Null]), None);
        assert_ne!(fingerprint([&a, &b]), fingerprint([&b, &a]));
        assert_eq!(fingerprint([&a, &b]), fingerprint([&a, &b]));
        // Fixed by definition: the same on every platform and release.
        assert_eq!(fingerprint([&Value::Int(1)]), Some(0x5692_161d_100b_05e5));
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
