//! Keyed bijections for unique values that look random: a balanced Feistel network over
//! the smallest even power of two covering the domain, with cycle walking to stay in it.

/// A keyed permutation of `0..n`.
#[derive(Debug, Clone)]
pub struct Permutation {
    n: u64,
    half_bits: u32,
    keys: [u64; 4],
}

impl Permutation {
    /// A permutation of `0..n` (n ≥ 1) determined by `key`.
    pub fn new(n: u64, key: u64) -> Self {
        let n = n.max(1);
        let bits = 64 - (n - 1).leading_zeros();
        let half_bits = bits.div_ceil(2).max(1);
        let mut state = key;
        let keys = std::array::from_fn(|_| crate::rng::splitmix64(&mut state));
        Permutation { n, half_bits, keys }
    }

    /// The size of the permuted domain, `n`.
    pub fn domain(&self) -> u64 {
        self.n
    }

    /// The image of `i` (which must be `< n`).
    pub fn apply(&self, i: u64) -> u64 {
        debug_assert!(i < self.n);
        let mut x = i;
        loop {
            x = self.round_trip(x);
            if x < self.n {
                return x;
            }
        }
    }

    fn round_trip(&self, x: u64) -> u64 {
        let mask = (1u64 << self.half_bits) - 1;
        let (mut left, mut right) = (x >> self.half_bits, x & mask);
        for k in self.keys {
            let mut s = right ^ k;
            let f = crate::rng::splitmix64(&mut s) & mask;
            (left, right) = (right, left ^ f);
        }
        (left << self.half_bits) | right
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn is_a_bijection_on_awkward_sizes() {
        for n in [1u64, 2, 3, 10, 1000, 1023, 1025] {
            let p = Permutation::new(n, 99);
            let image: HashSet<u64> = (0..n).map(|i| p.apply(i)).collect();
            assert_eq!(image.len() as u64, n);
            assert!(image.iter().all(|&v| v < n));
        }
    }

    #[test]
    fn different_keys_give_different_orders() {
        let a: Vec<u64> = (0..100)
            .map(|i| Permutation::new(100, 1).apply(i))
            .collect();
        let b: Vec<u64> = (0..100)
            .map(|i| Permutation::new(100, 2).apply(i))
            .collect();
        assert_ne!(a, b);
    }
}
