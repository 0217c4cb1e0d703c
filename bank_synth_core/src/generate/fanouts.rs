//! Each parent row's fan-out distribution, in a few bits per parent: one distribution
//! for every parent, or one per case of a parent column with each parent's case
//! packed in as few bits as the cases need (four account types: three bits an
//! account, the distribution of parents of no case included).

use crate::stats::Frequencies;

/// The fan-out distribution of each parent of a grouping relationship.
#[derive(Debug)]
pub(super) struct Fanouts<'m> {
    /// Parents of no case (and every parent, without cases) draw from this.
    overall: &'m Frequencies<u32>,
    cases: Vec<&'m Frequencies<u32>>,
    /// Each parent's case, `cases.len()` for none.
    of_parent: Packed,
}

impl<'m> Fanouts<'m> {
    /// The same distribution for every parent.
    pub(super) fn overall(overall: &'m Frequencies<u32>) -> Self {
        Fanouts {
            overall,
            cases: Vec::new(),
            of_parent: Packed::new(0),
        }
    }

    /// A distribution per case, `case_of` giving each parent's, in parent order (`None`:
    /// the overall one).
    pub(super) fn by_case(
        overall: &'m Frequencies<u32>,
        cases: Vec<&'m Frequencies<u32>>,
        case_of: impl Iterator<Item = Option<usize>>,
    ) -> Self {
        if cases.is_empty() {
            return Fanouts::overall(overall);
        }
        let none = cases.len() as u64;
        let mut of_parent = Packed::new(none);
        for case in case_of {
            of_parent.push(case.map_or(none, |k| k as u64));
        }
        Fanouts {
            overall,
            cases,
            of_parent,
        }
    }

    /// The distribution of parent `p`.
    pub(super) fn of(&self, p: u64) -> &'m Frequencies<u32> {
        match self.of_parent.get(p as usize) {
            Some(case) => self
                .cases
                .get(case as usize)
                .copied()
                .unwrap_or(self.overall),
            None => self.overall,
        }
    }
}

/// Small integers packed into 64-bit words, each in as many bits as the largest needs.
#[derive(Debug)]
struct Packed {
    bits: u32,
    words: Vec<u64>,
    len: usize,
}

impl Packed {
    /// Room for values up to `max`.
    fn new(max: u64) -> Self {
        Packed {
            bits: (u64::BITS - max.leading_zeros()).max(1),
            words: Vec::new(),
            len: 0,
        }
    }

    fn push(&mut self, value: u64) {
        let (word, shift) = self.place(self.len);
        if word == self.words.len() {
            self.words.push(0);
        }
        self.words[word] |= value << shift;
        self.len += 1;
    }

    /// Value `i` (none past the end).
    fn get(&self, i: usize) -> Option<u64> {
        if i >= self.len {
            return None;
        }
        let (word, shift) = self.place(i);
        Some((self.words[word] >> shift) & ((1 << self.bits) - 1))
    }

    /// The word and bit where value `i` starts; values never straddle words.
    fn place(&self, i: usize) -> (usize, u32) {
        let per_word = (u64::BITS / self.bits) as usize;
        (i / per_word, (i % per_word) as u32 * self.bits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn packed_values_read_back(max in 0u64..70_000, seeds in prop::collection::vec(any::<u64>(), 0..300)) {
            let values: Vec<u64> = seeds.iter().map(|s| s % (max + 1)).collect();
            let mut packed = Packed::new(max);
            values.iter().for_each(|&v| packed.push(v));
            for (i, &v) in values.iter().enumerate() {
                prop_assert_eq!(packed.get(i), Some(v));
            }
            prop_assert_eq!(packed.get(values.len()), None);
        }
    }

    #[test]
    fn each_parent_draws_from_its_cases_distribution() {
        let [overall, a, b] = [1u32, 2, 3].map(|v| Frequencies::from_counts([(v, 1)]).unwrap());
        let fanouts = Fanouts::by_case(
            &overall,
            vec![&a, &b],
            [Some(1), None, Some(0), Some(1)].into_iter(),
        );
        let drawn: Vec<u32> = (0..4).map(|p| fanouts.of(p).items[0].0).collect();
        assert_eq!(drawn, [3, 1, 2, 3]);
        assert_eq!(Packed::new(2).bits, 2, "two cases and none fit two bits");
        assert_eq!(Fanouts::overall(&a).of(7).items[0].0, 2);
    }
}
