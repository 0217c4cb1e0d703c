//! The sampling strategy: which sample rows to train on, chosen deterministically.

use crate::error::{Error, Result, Setting};
use crate::rng::hash64;

/// A deterministic row selection.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SampleStrategy {
    /// Keep about `N` percent of the rows.
    Percent(f64),
    /// Keep at most `N` rows.
    Rows(u64),
}

impl SampleStrategy {
    /// Parses `percent:N` (0 < N ≤ 100) or `rows:N` (N ≥ 1).
    pub fn parse(s: &str) -> Result<SampleStrategy> {
        let bad = |why: &str| {
            Error::Usage(crate::message![
                Setting::SampleStrategy,
                format!(
                    " `{s}` is not valid: {why}; write `percent:N` (0 < N ≤ 100) or `rows:N` (N ≥ 1)"
                ),
            ])
        };
        let (kind, n) = s.split_once(':').ok_or_else(|| bad("missing `:`"))?;
        match kind.trim().to_ascii_lowercase().as_str() {
            "percent" => {
                let p: f64 = n.trim().parse().map_err(|_| bad("N is not a number"))?;
                if !(p > 0.0 && p <= 100.0) {
                    return Err(bad("N is out of range"));
                }
                Ok(SampleStrategy::Percent(p))
            }
            "rows" => {
                let r: u64 = n
                    .trim()
                    .parse()
                    .map_err(|_| bad("N is not a whole number"))?;
                if r == 0 {
                    return Err(bad("N must be at least 1"));
                }
                Ok(SampleStrategy::Rows(r))
            }
            _ => Err(bad("unknown kind")),
        }
    }

    /// The positions (ascending) of the rows of `table` to keep out of `rows`: rows are
    /// ranked by a fixed hash of (table, position), so the choice is reproducible.
    pub fn select(self, table: &str, rows: usize) -> Vec<usize> {
        let score = |i: usize| hash64(0x5A3D, &[table, &i.to_string()]);
        let mut keep: Vec<usize> = match self {
            SampleStrategy::Percent(p) => {
                let threshold = (p / 100.0 * u64::MAX as f64) as u64;
                (0..rows).filter(|&i| score(i) <= threshold).collect()
            }
            SampleStrategy::Rows(n) => {
                let mut ranked: Vec<usize> = (0..rows).collect();
                ranked.sort_by_key(|&i| score(i));
                ranked.truncate(n as usize);
                ranked
            }
        };
        keep.sort_unstable();
        keep
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects() {
        assert_eq!(
            SampleStrategy::parse("percent:1").unwrap(),
            SampleStrategy::Percent(1.0)
        );
        assert_eq!(
            SampleStrategy::parse("rows:500").unwrap(),
            SampleStrategy::Rows(500)
        );
        for bad in [
            "percent",
            "percent:0",
            "percent:101",
            "rows:-1",
            "rows:x",
            "top:5",
        ] {
            assert!(SampleStrategy::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn selection_is_deterministic_and_sized() {
        let a = SampleStrategy::Rows(10).select("T", 100);
        assert_eq!(a, SampleStrategy::Rows(10).select("T", 100));
        assert_eq!(a.len(), 10);
        let p = SampleStrategy::Percent(50.0).select("T", 2000);
        assert!((800..1200).contains(&p.len()), "{}", p.len());
        assert_eq!(SampleStrategy::Percent(100.0).select("T", 7).len(), 7);
    }
}
