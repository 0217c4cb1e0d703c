//! Learned univariate distributions: empirical quantile functions for numbers and time,
//! frequency tables for categories and fan-out counts.

use crate::fit::Family;
use serde::{Deserialize, Serialize};

/// How many quantile intervals a numeric model keeps (at most; fewer for small samples).
pub const QUANTILE_INTERVALS: usize = 100;

/// An empirical quantile function: `points[k]` is the `k / (len - 1)` quantile.
/// Sampling interpolates linearly between neighbouring points.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quantiles {
    /// Quantiles at evenly spaced probabilities from 0 to 1 (min to max), non-decreasing.
    pub points: Vec<f64>,
}

impl Quantiles {
    /// The quantile function of `family` truncated to [lo, hi], tabulated at
    /// `intervals + 1` evenly spaced probabilities: sampling then interpolates instead of
    /// inverting the CDF (iterative for gamma and beta) on every draw.
    pub fn of_family(family: &Family, lo: f64, hi: f64, intervals: usize) -> Quantiles {
        let intervals = intervals.max(1);
        Quantiles {
            points: (0..=intervals)
                .map(|k| family.quantile(k as f64 / intervals as f64, lo, hi))
                .collect(),
        }
    }

    /// Fits the quantile function of `values` (NaNs ignored). `None` when there are none.
    pub fn fit(values: &[f64]) -> Option<Quantiles> {
        let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
        if sorted.is_empty() {
            return None;
        }
        sorted.sort_by(f64::total_cmp);
        let intervals = (sorted.len() - 1).clamp(1, QUANTILE_INTERVALS);
        let points = (0..=intervals)
            .map(|k| {
                let pos = k as f64 * (sorted.len() - 1) as f64 / intervals as f64;
                let (lo, frac) = (pos.floor() as usize, pos.fract());
                let hi = (lo + 1).min(sorted.len() - 1);
                sorted[lo] + (sorted[hi] - sorted[lo]) * frac
            })
            .collect();
        Some(Quantiles { points })
    }

    /// The value at probability `u` in [0, 1).
    pub fn sample(&self, u: f64) -> f64 {
        let n = self.points.len();
        if n == 1 {
            return self.points[0];
        }
        let pos = u.clamp(0.0, 1.0) * (n - 1) as f64;
        let lo = (pos.floor() as usize).min(n - 2);
        let frac = pos - lo as f64;
        self.points[lo] + (self.points[lo + 1] - self.points[lo]) * frac
    }

    /// The model's cumulative distribution at `x` (inverse of [`Quantiles::sample`]).
    pub fn cdf(&self, x: f64) -> f64 {
        let n = self.points.len();
        if x < self.points[0] {
            return 0.0;
        }
        if x >= self.points[n - 1] || n == 1 {
            return 1.0;
        }
        let hi = self.points.partition_point(|p| *p <= x);
        let lo = hi - 1;
        let span = self.points[hi] - self.points[lo];
        let frac = if span > 0.0 {
            (x - self.points[lo]) / span
        } else {
            1.0
        };
        (lo as f64 + frac) / (n - 1) as f64
    }

    /// Smallest value.
    pub fn min(&self) -> f64 {
        self.points[0]
    }

    /// Largest value.
    pub fn max(&self) -> f64 {
        self.points[self.points.len() - 1]
    }

    /// The median.
    pub fn median(&self) -> f64 {
        self.sample(0.5)
    }
}

/// A value is a point mass when at least this share of the values equal it …
const MIN_MASS_SHARE: f64 = 0.02;
/// … and at least this many do.
const MIN_MASS_COUNT: usize = 10;

/// Fits a numeric distribution with point masses: values that recur often (a zero
/// balance, a default limit, a round amount) keep their exact value and share; the
/// rest is an empirical quantile function and, when one fits, a parametric family
/// ([`crate::fit::best_family`]). Returns `(rest, masses, family)`; when the masses
/// cover every value, `rest` is the quantile function of all of them.
#[allow(clippy::type_complexity)]
pub fn fit_with_masses(values: &[f64]) -> Option<(Quantiles, Vec<(f64, f64)>, Option<Family>)> {
    let n = values.len();
    let mut counts: Vec<(f64, usize)> = Vec::new();
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    sorted.sort_by(f64::total_cmp);
    for v in &sorted {
        match counts.last_mut() {
            Some((x, c)) if x == v => *c += 1,
            _ => counts.push((*v, 1)),
        }
    }
    let masses: Vec<(f64, f64)> = counts
        .iter()
        .filter(|(_, c)| *c >= MIN_MASS_COUNT && *c as f64 / n as f64 >= MIN_MASS_SHARE)
        .map(|(v, c)| (*v, *c as f64 / n as f64))
        .collect();
    let rest: Vec<f64> = sorted
        .iter()
        .copied()
        .filter(|v| !masses.iter().any(|(m, _)| m == v))
        .collect();
    let quantiles = Quantiles::fit(if rest.is_empty() { &sorted } else { &rest })?;
    let family = if rest.is_empty() {
        None
    } else {
        crate::fit::best_family(&rest)
    };
    Some((quantiles, masses, family))
}

/// The continuous part of a numeric distribution: a fitted family truncated to the
/// quantile function's range when there is one, else the quantile function.
#[derive(Debug, Clone, Copy)]
pub struct Remainder<'a> {
    /// The empirical quantile function (and the learned range).
    pub quantiles: &'a Quantiles,
    /// The fitted family, if any.
    pub family: Option<&'a Family>,
}

impl Remainder<'_> {
    /// The value at probability `u`.
    pub fn sample(&self, u: f64) -> f64 {
        match self.family {
            Some(f) => f.quantile(u, self.quantiles.min(), self.quantiles.max()),
            None => self.quantiles.sample(u),
        }
    }

    /// The cumulative probability at `x`.
    pub fn cdf(&self, x: f64) -> f64 {
        match self.family {
            Some(f) => f.cdf(x, self.quantiles.min(), self.quantiles.max()),
            None => self.quantiles.cdf(x),
        }
    }
}

/// Draws from a distribution fitted by [`fit_with_masses`] with two uniforms.
pub fn sample_with_masses(rest: Remainder, masses: &[(f64, f64)], u: f64, v: f64) -> f64 {
    let mut acc = 0.0;
    for (value, p) in masses {
        acc += p;
        if u < acc {
            return *value;
        }
    }
    rest.sample(v)
}

/// The inverse of [`cdf_with_masses`]: the value at cumulative probability `u`, so a
/// correlated uniform (from the copula) keeps its rank. `masses` are sorted by value,
/// as [`fit_with_masses`] returns them.
pub fn quantile_with_masses(remainder: Remainder, masses: &[(f64, f64)], u: f64) -> f64 {
    if masses.is_empty() {
        return remainder.sample(u);
    }
    let rest = 1.0 - masses.iter().map(|(_, p)| p).sum::<f64>();
    let mut below = 0.0; // mass strictly below the current value
    for (m, p) in masses {
        let start = below + rest * remainder.cdf(*m);
        if u < start {
            break;
        }
        if u < start + p {
            return *m;
        }
        below += p;
    }
    if rest <= 0.0 {
        return masses
            .iter()
            .map(|(m, _)| *m)
            .fold(f64::NEG_INFINITY, f64::max);
    }
    remainder.sample(((u - below) / rest).clamp(0.0, 1.0))
}

/// Pearson's correlation of two equally long series (0 when either is constant).
pub fn pearson(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len().min(b.len()) as f64;
    if n < 2.0 {
        return 0.0;
    }
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let cov: f64 = a.iter().zip(b).map(|(x, y)| (x - ma) * (y - mb)).sum();
    let va: f64 = a.iter().map(|x| (x - ma).powi(2)).sum();
    let vb: f64 = b.iter().map(|y| (y - mb).powi(2)).sum();
    if va > 0.0 && vb > 0.0 {
        cov / (va * vb).sqrt()
    } else {
        0.0
    }
}

/// The standard normal CDF, through the complementary error function in the
/// Chebyshev form of Numerical Recipes (`erfcc`, relative error below 1.2e-7 — ample
/// for positions in a distribution, and several times faster than a full-precision
/// erfc on this hot path).
pub fn normal_cdf(x: f64) -> f64 {
    let z = (x / std::f64::consts::SQRT_2).abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = -z * z - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98
                                + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let erfc = t * poly.exp();
    if x >= 0.0 {
        1.0 - 0.5 * erfc
    } else {
        0.5 * erfc
    }
}

/// The standard normal quantile function (P. J. Acklam's rational approximation,
/// relative error below 1.2e-9).
pub fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969683028665376e1,
        2.209460984245205e2,
        -2.759285104469687e2,
        1.38357751867269e2,
        -3.066479806614716e1,
        2.506628277459239,
    ];
    const B: [f64; 5] = [
        -5.447609879822406e1,
        1.615858368580409e2,
        -1.556989798598866e2,
        6.680131188771972e1,
        -1.328068155288572e1,
    ];
    const C: [f64; 6] = [
        -7.784894002430293e-3,
        -3.223964580411365e-1,
        -2.400758277161838,
        -2.549732539343734,
        4.374664141464968,
        2.938163982698783,
    ];
    const D: [f64; 4] = [
        7.784695709041462e-3,
        3.224671290700398e-1,
        2.445134137142996,
        3.754408661907416,
    ];
    let p = p.clamp(1e-12, 1.0 - 1e-12);
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    if p < 0.02425 {
        tail((-2.0 * p.ln()).sqrt())
    } else if p > 1.0 - 0.02425 {
        -tail((-2.0 * (1.0 - p).ln()).sqrt())
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    }
}

/// The lower-triangular Cholesky factor of a correlation matrix, made positive
/// definite when needed by shrinking it toward the identity.
pub fn cholesky(matrix: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let n = matrix.len();
    let mut shrink = 0.0;
    loop {
        let m = |i: usize, j: usize| {
            if i == j {
                1.0
            } else {
                matrix[i][j] * (1.0 - shrink)
            }
        };
        let mut l = vec![vec![0.0; n]; n];
        let mut ok = true;
        'outer: for i in 0..n {
            for j in 0..=i {
                let sum: f64 = (0..j).map(|k| l[i][k] * l[j][k]).sum();
                if i == j {
                    let d = m(i, i) - sum;
                    if d <= 1e-10 {
                        ok = false;
                        break 'outer;
                    }
                    l[i][j] = d.sqrt();
                } else {
                    l[i][j] = (m(i, j) - sum) / l[j][j];
                }
            }
        }
        if ok {
            return l
                .into_iter()
                .enumerate()
                .map(|(i, row)| row[..=i].to_vec())
                .collect();
        }
        shrink = if shrink == 0.0 {
            0.01
        } else {
            (shrink * 2.0).min(1.0)
        };
    }
}

/// The cumulative distribution of [`fit_with_masses`]' model at `x`.
pub fn cdf_with_masses(rest: Remainder, masses: &[(f64, f64)], x: f64) -> f64 {
    let total: f64 = masses.iter().map(|(_, p)| p).sum();
    let below: f64 = masses.iter().filter(|(m, _)| *m <= x).map(|(_, p)| p).sum();
    below + (1.0 - total) * rest.cdf(x)
}

/// A discrete distribution over values of `T` with probabilities summing to 1,
/// most frequent first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Frequencies<T> {
    /// `(value, probability)` pairs.
    pub items: Vec<(T, f64)>,
}

impl<T: Clone + Ord> Frequencies<T> {
    /// Normalizes counts into probabilities, ordered by count (descending) then value.
    pub fn from_counts(counts: impl IntoIterator<Item = (T, u64)>) -> Option<Self> {
        let mut items: Vec<(T, u64)> = counts.into_iter().filter(|(_, c)| *c > 0).collect();
        let total: u64 = items.iter().map(|(_, c)| c).sum();
        if total == 0 {
            return None;
        }
        items.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        Some(Frequencies {
            items: items
                .into_iter()
                .map(|(v, c)| (v, c as f64 / total as f64))
                .collect(),
        })
    }

    /// The value at cumulative probability `u` in [0, 1).
    pub fn sample(&self, u: f64) -> &T {
        let mut acc = 0.0;
        for (v, p) in &self.items {
            acc += p;
            if u < acc {
                return v;
            }
        }
        &self.items[self.items.len() - 1].0
    }
}

impl Frequencies<u32> {
    /// The expected value of a count distribution.
    pub fn mean(&self) -> f64 {
        self.items.iter().map(|(v, p)| f64::from(*v) * p).sum()
    }
}

/// Total-variation complement `1 - ½ Σ |p - q|` of two distributions given as
/// `(value, probability)` lists, each value once (missing values count as 0). Sums in
/// value order, so the result does not depend on the lists' order.
pub fn tv_complement<T: Ord>(expected: &[(T, f64)], observed: &[(T, f64)]) -> f64 {
    let mut diff: std::collections::BTreeMap<&T, f64> =
        expected.iter().map(|(v, p)| (v, *p)).collect();
    for (v, q) in observed {
        *diff.entry(v).or_default() -= q;
    }
    (1.0 - diff.values().map(|d| d.abs()).sum::<f64>() / 2.0).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_invert_their_cdf() {
        let values: Vec<f64> = (0..1000).map(|i| f64::from(i) * 0.5).collect();
        let q = Quantiles::fit(&values).unwrap();
        assert_eq!(q.min(), 0.0);
        assert_eq!(q.max(), 499.5);
        for u in [0.0, 0.1, 0.37, 0.5, 0.99] {
            assert!((q.cdf(q.sample(u)) - u).abs() < 1e-9, "u={u}");
        }
        assert!((q.median() - 249.75).abs() < 1.0);
    }

    #[test]
    fn small_samples_keep_every_value() {
        let q = Quantiles::fit(&[3.0, 1.0, 2.0]).unwrap();
        assert_eq!(q.points, vec![1.0, 2.0, 3.0]);
        assert_eq!(Quantiles::fit(&[7.0]).unwrap().sample(0.3), 7.0);
        assert!(Quantiles::fit(&[]).is_none());
    }

    #[test]
    fn point_masses_keep_exact_values() {
        let mut values: Vec<f64> = vec![0.0; 300];
        values.extend((1..=700).map(f64::from));
        let (q, masses, family) = fit_with_masses(&values).unwrap();
        let rest = Remainder {
            quantiles: &q,
            family: family.as_ref(),
        };
        assert_eq!(masses, vec![(0.0, 0.3)]);
        assert_eq!(q.min(), 1.0);
        assert_eq!(sample_with_masses(rest, &masses, 0.1, 0.9), 0.0);
        assert!(sample_with_masses(rest, &masses, 0.5, 0.9) > 600.0);
        assert!((cdf_with_masses(rest, &masses, 0.0) - 0.3).abs() < 1e-12);
        // The quantile function inverts the CDF, masses included.
        assert_eq!(quantile_with_masses(rest, &masses, 0.1), 0.0);
        assert_eq!(quantile_with_masses(rest, &masses, 0.299), 0.0);
        let x = quantile_with_masses(rest, &masses, 0.65);
        assert!(
            (cdf_with_masses(rest, &masses, x) - 0.65).abs() < 1e-6,
            "{x}"
        );
        let limits: Vec<f64> = (0..1000).map(|i| [0.0, 500.0, 2500.0][i % 3]).collect();
        let (_, masses, _) = fit_with_masses(&limits).unwrap();
        assert_eq!(
            masses.len(),
            3,
            "a default limit column is all point masses"
        );
    }

    #[test]
    fn normal_functions_invert_each_other() {
        for p in [1e-6, 0.01, 0.3, 0.5, 0.9, 0.999] {
            assert!(
                (normal_cdf(normal_quantile(p)) - p).abs() < 1e-6 * p.max(1e-3),
                "{p}"
            );
        }
        assert!((normal_quantile(0.975) - 1.959963985).abs() < 1e-7);
    }

    #[test]
    fn cholesky_factors_and_repairs() {
        let r = vec![vec![1.0, 0.6], vec![0.6, 1.0]];
        let l = cholesky(&r);
        assert!((l[1][0] - 0.6).abs() < 1e-12 && (l[1][1] - 0.8).abs() < 1e-12);
        // Not positive definite: still factored (after shrinking).
        let bad = vec![
            vec![1.0, 0.9, -0.9],
            vec![0.9, 1.0, 0.9],
            vec![-0.9, 0.9, 1.0],
        ];
        let l = cholesky(&bad);
        assert!(l.iter().enumerate().all(|(i, row)| row[i] > 0.0));
    }

    #[test]
    fn frequencies_sample_in_proportion() {
        let f = Frequencies::from_counts([("A".to_string(), 3), ("B".to_string(), 1)]).unwrap();
        assert_eq!(f.items[0].0, "A");
        assert_eq!(f.sample(0.1), "A");
        assert_eq!(f.sample(0.8), "B");
        let counts = Frequencies::from_counts([(0u32, 1), (2, 1)]).unwrap();
        assert_eq!(counts.mean(), 1.0);
    }

    #[test]
    fn tv_complement_is_one_for_equal_and_zero_for_disjoint() {
        let a = vec![("x", 0.5), ("y", 0.5)];
        assert_eq!(tv_complement(&a, &a), 1.0);
        assert_eq!(tv_complement(&a, &[("z", 1.0)]), 0.0);
    }
}
