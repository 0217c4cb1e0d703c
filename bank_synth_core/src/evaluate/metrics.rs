//! The metrics of SDMetrics' quality report (0.32), reimplemented so a user gets the
//! same numbers without Python. Each function documents the SDMetrics behaviour it
//! reproduces.

use std::collections::HashMap;

/// SDMetrics' `DEFAULT_REAL_CORRELATION_THRESHOLD`: continuous pairs count only when
/// the real data's |Pearson r| exceeds it.
pub const REAL_CORRELATION_THRESHOLD: f64 = 0.5;
/// SDMetrics' `DEFAULT_REAL_ASSOCIATION_THRESHOLD`: discrete and mixed pairs count only
/// when the real data's Cramér's V exceeds it.
pub const REAL_ASSOCIATION_THRESHOLD: f64 = 0.3;
/// Bins of a continuous column in a mixed pair (`np.histogram_bin_edges` default).
const BINS: usize = 10;

/// KSComplement: `1 − D` of the two-sample Kolmogorov–Smirnov test on the non-null
/// values (`scipy.stats.ks_2samp`). `None` when either side is empty.
pub fn ks_complement(real: &[f64], synthetic: &[f64]) -> Option<f64> {
    if real.is_empty() || synthetic.is_empty() {
        return None;
    }
    let mut a = real.to_vec();
    let mut b = synthetic.to_vec();
    a.sort_by(f64::total_cmp);
    b.sort_by(f64::total_cmp);
    let (mut i, mut j, mut d) = (0usize, 0usize, 0f64);
    while i < a.len() && j < b.len() {
        let x = a[i].min(b[j]);
        while i < a.len() && a[i] <= x {
            i += 1;
        }
        while j < b.len() && b[j] <= x {
            j += 1;
        }
        d = d.max((i as f64 / a.len() as f64 - j as f64 / b.len() as f64).abs());
    }
    Some(1.0 - d)
}

/// TVComplement: `1 − ½ Σ |p_real − p_synthetic|` over the non-null categories of
/// either side.
pub fn tv_complement(real: &[&str], synthetic: &[&str]) -> Option<f64> {
    if real.is_empty() || synthetic.is_empty() {
        return None;
    }
    Some(crate::stats::tv_complement(
        &shares(real),
        &shares(synthetic),
    ))
}

/// Each distinct value with its share of `values`.
fn shares<K: Clone + Eq + std::hash::Hash>(values: &[K]) -> Vec<(K, f64)> {
    let mut counts: HashMap<K, f64> = HashMap::new();
    for v in values {
        *counts.entry(v.clone()).or_default() += 1.0;
    }
    let n = values.len() as f64;
    counts.into_iter().map(|(k, c)| (k, c / n)).collect()
}

/// Pearson's r of the rows where both values are present; `None` when a side is
/// constant (SDMetrics reports an error for such pairs and leaves them out).
pub fn pearson(x: &[Option<f64>], y: &[Option<f64>]) -> Option<f64> {
    let pairs: Vec<(f64, f64)> = x
        .iter()
        .zip(y)
        .filter_map(|(a, b)| Some(((*a)?, (*b)?)))
        .collect();
    let n = pairs.len() as f64;
    if pairs.len() < 2 {
        return None;
    }
    let (mx, my) = (
        pairs.iter().map(|p| p.0).sum::<f64>() / n,
        pairs.iter().map(|p| p.1).sum::<f64>() / n,
    );
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in &pairs {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx).powi(2);
        syy += (b - my).powi(2);
    }
    (sxx > 0.0 && syy > 0.0).then(|| (sxy / (sxx * syy).sqrt()).clamp(-1.0, 1.0))
}

/// CorrelationSimilarity: `1 − |r_real − r_synthetic| / 2`, with whether the pair counts
/// (|r_real| above the threshold).
pub fn correlation_similarity(
    real: (&[Option<f64>], &[Option<f64>]),
    synthetic: (&[Option<f64>], &[Option<f64>]),
) -> Option<(f64, bool)> {
    let r = pearson(real.0, real.1)?;
    let s = pearson(synthetic.0, synthetic.1)?;
    Some((
        1.0 - (r - s).abs() / 2.0,
        r.abs() > REAL_CORRELATION_THRESHOLD,
    ))
}

/// A continuous column discretized as SDMetrics does for mixed pairs: ten equal-width
/// bins over the column's own range (`np.histogram_bin_edges`), the bin of `x` being
/// the number of edges ≤ x (`np.digitize`), NaN in bin 11 like the maximum.
pub fn discretize(values: &[Option<f64>]) -> Vec<Option<String>> {
    let present = values.iter().flatten();
    let (lo, hi) = present.fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &x| {
        (l.min(x), h.max(x))
    });
    if !lo.is_finite() {
        return values.iter().map(|_| None).collect();
    }
    let (lo, hi) = if lo == hi {
        (lo - 0.5, hi + 0.5)
    } else {
        (lo, hi)
    };
    let edges: Vec<f64> = (0..=BINS)
        .map(|k| lo + (hi - lo) * k as f64 / BINS as f64)
        .collect();
    values
        .iter()
        .map(|v| {
            let bin = match v {
                Some(x) => edges.partition_point(|e| e <= x),
                None => edges.len(),
            };
            Some(bin.to_string())
        })
        .collect()
}

/// ContingencySimilarity of two discrete columns (NULL is a category of its own):
/// `1 − ½ Σ |p_real − p_synthetic|` over the joint categories, with Cramér's V of the
/// real contingency table; `None` when the real table has fewer than two rows or
/// columns. The pair counts when V is above the threshold.
pub fn contingency_similarity(
    real: (&[Option<String>], &[Option<String>]),
    synthetic: (&[Option<String>], &[Option<String>]),
) -> Option<(f64, bool)> {
    let joint = |a: &[Option<String>], b: &[Option<String>]| {
        let mut counts: HashMap<(Option<String>, Option<String>), f64> = HashMap::new();
        for (x, y) in a.iter().zip(b) {
            *counts.entry((x.clone(), y.clone())).or_default() += 1.0;
        }
        counts
    };
    let (r, s) = (joint(real.0, real.1), joint(synthetic.0, synthetic.1));
    let (nr, ns) = (real.0.len() as f64, synthetic.0.len() as f64);
    if nr == 0.0 || ns == 0.0 {
        return None;
    }
    let v = cramers_v(&r)?;
    let similarity = crate::stats::tv_complement(&probabilities(&r, nr), &probabilities(&s, ns));
    Some((similarity, v > REAL_ASSOCIATION_THRESHOLD))
}

/// Each key of `counts` with its count divided by `n`.
fn probabilities<K>(counts: &HashMap<K, f64>, n: f64) -> Vec<(&K, f64)> {
    counts.iter().map(|(k, c)| (k, c / n)).collect()
}

/// Cramér's V of a contingency table given as joint counts (no continuity correction,
/// as `scipy.stats.contingency.association(method="cramer")`).
fn cramers_v(counts: &HashMap<(Option<String>, Option<String>), f64>) -> Option<f64> {
    let mut rows: HashMap<&Option<String>, f64> = HashMap::new();
    let mut cols: HashMap<&Option<String>, f64> = HashMap::new();
    let mut n = 0.0;
    for ((a, b), c) in counts {
        *rows.entry(a).or_default() += c;
        *cols.entry(b).or_default() += c;
        n += c;
    }
    if rows.len() < 2 || cols.len() < 2 {
        return None;
    }
    let mut chi2 = 0.0;
    for (a, ra) in &rows {
        for (b, cb) in &cols {
            let expected = ra * cb / n;
            let observed = counts
                .get(&((*a).clone(), (*b).clone()))
                .copied()
                .unwrap_or(0.0);
            chi2 += (observed - expected).powi(2) / expected;
        }
    }
    let k = rows.len().min(cols.len()) as f64 - 1.0;
    Some((chi2 / (n * k)).sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ks_complement_matches_known_statistics() {
        assert_eq!(ks_complement(&[1.0, 2.0, 3.0], &[1.0, 2.0, 3.0]), Some(1.0));
        assert_eq!(ks_complement(&[1.0, 2.0], &[3.0, 4.0]), Some(0.0));
        // scipy.stats.ks_2samp([1,2,3,4], [3,4,5,6]).statistic == 0.5
        assert_eq!(
            ks_complement(&[1.0, 2.0, 3.0, 4.0], &[3.0, 4.0, 5.0, 6.0]),
            Some(0.5)
        );
    }

    #[test]
    fn tv_complement_counts_unseen_categories() {
        assert_eq!(tv_complement(&["a", "b"], &["a", "b"]), Some(1.0));
        assert_eq!(tv_complement(&["a", "a"], &["a", "c"]), Some(0.5));
    }

    #[test]
    fn correlation_and_cramers_v_are_textbook() {
        let x: Vec<Option<f64>> = (0..10).map(|i| Some(f64::from(i))).collect();
        let y: Vec<Option<f64>> = x.iter().map(|v| v.map(|v| 2.0 * v + 1.0)).collect();
        assert!((pearson(&x, &y).unwrap() - 1.0).abs() < 1e-12);
        let (score, counts) = correlation_similarity((&x, &y), (&x, &y)).unwrap();
        assert!((score - 1.0).abs() < 1e-12 && counts);
        let a: Vec<Option<String>> = ["x", "x", "y", "y"]
            .iter()
            .map(|s| Some(s.to_string()))
            .collect();
        let (score, counts) = contingency_similarity((&a, &a), (&a, &a)).unwrap();
        assert_eq!(score, 1.0);
        assert!(
            counts,
            "a column is perfectly associated with itself (V = 1)"
        );
    }

    #[test]
    fn discretize_puts_the_maximum_and_nan_in_bin_eleven() {
        let bins = discretize(&[Some(0.0), Some(5.0), Some(10.0), None]);
        assert_eq!(bins, ["1", "6", "11", "11"].map(|s| Some(s.to_string())));
    }
}
