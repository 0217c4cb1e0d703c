//! Property tests: on random sample tables that carry rules, every rule training
//! finds holds on every generated row, and learned distributions come back.

mod common;

use bank_synth_core::model::RuleKind;
use bank_synth_core::train::{TrainInputs, train};
use bank_synth_core::value::{Value, format_date};
use proptest::prelude::*;

/// A random table: a category decides the sign of AMOUNT and whether FEE is set, and
/// END_DATE is never before START_DATE.
#[derive(Debug, Clone)]
struct Sample {
    negative: [bool; 3],
    fee_set: [bool; 3],
    rows: Vec<(usize, f64, i32, i32)>,
}

fn sample() -> impl Strategy<Value = Sample> {
    (
        any::<[bool; 3]>(),
        any::<[bool; 3]>(),
        prop::collection::vec(
            (0usize..3, 0.01f64..5_000.0, 0i32..20_000, 0i32..3_000),
            60..200,
        ),
    )
        .prop_map(|(negative, fee_set, rows)| Sample {
            negative,
            fee_set,
            rows,
        })
}

/// Trains a pack on the sample files in `dir` (no configuration files).
fn train_on(dir: &std::path::Path) -> bank_synth_core::ModelPack {
    train(&TrainInputs::samples("P", dir)).unwrap()
}

/// `rows` rows of table T.
fn generate(pack: &bank_synth_core::ModelPack, rows: u64, seed: u64) -> Vec<Vec<Value>> {
    common::generate(pack, "T", rows, false, seed)
        .remove("T")
        .unwrap()
}

fn write_csv(s: &Sample, dir: &std::path::Path) {
    let mut text = String::from("ID,KIND,AMOUNT,FEE,START_DATE,END_DATE\n");
    for (i, (kind, amount, start, gap)) in s.rows.iter().enumerate() {
        let amount = if s.negative[*kind] { -amount } else { *amount };
        let fee = if s.fee_set[*kind] {
            format!("{:.2}", amount.abs() / 100.0 + 1.0)
        } else {
            String::new()
        };
        text.push_str(&format!(
            "{},{},{amount:.2},{fee},{},{}\n",
            i + 1,
            ["RED", "GREEN", "BLUE"][*kind],
            format_date(*start),
            format_date(start + gap)
        ));
    }
    std::fs::write(dir.join("t.csv"), text).unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    #[test]
    fn learned_rules_never_break(s in sample(), seed in any::<u64>()) {
        let dir = tempfile::tempdir().unwrap();
        write_csv(&s, dir.path());
        let pack = train_on(dir.path());
        let table = pack.table("T").unwrap();
        let kinds: Vec<RuleKind> = table.rules.iter().map(|r| r.kind.clone()).collect();
        // The order is learned from either side: END_DATE after START_DATE, or
        // START_DATE before END_DATE.
        prop_assert!(
            kinds.contains(&RuleKind::NotBefore) || kinds.contains(&RuleKind::NotAfter),
            "END_DATE ≥ START_DATE is learned: {:?}", table.rules
        );
        let used: Vec<usize> = (0..3).filter(|k| s.rows.iter().any(|r| r.0 == *k)).collect();
        let mixed = |f: &[bool; 3]| used.iter().any(|&k| f[k]) && used.iter().any(|&k| !f[k]);
        if mixed(&s.negative) {
            prop_assert!(kinds.contains(&RuleKind::Sign), "{:?}", table.rules);
        }
        if mixed(&s.fee_set) {
            prop_assert!(kinds.contains(&RuleKind::Presence), "{:?}", table.rules);
        }

        let column = |name: &str| table.column_index(name).unwrap();
        let (kind, amount, fee, start, end) =
            (column("KIND"), column("AMOUNT"), column("FEE"), column("START_DATE"), column("END_DATE"));
        let index = |v: &Value| match v {
            Value::Str(s) => ["RED", "GREEN", "BLUE"].iter().position(|c| c == s).unwrap(),
            other => panic!("KIND is text, got {other:?}"),
        };
        for row in generate(&pack, 400, seed) {
            let k = index(&row[kind]);
            if kinds.contains(&RuleKind::Sign) {
                let Value::Decimal(a) = row[amount] else { panic!("AMOUNT is a decimal") };
                prop_assert_eq!(a < 0, s.negative[k], "sign of AMOUNT for {:?}", row);
            }
            if kinds.contains(&RuleKind::Presence) {
                prop_assert_eq!(!row[fee].is_null(), s.fee_set[k], "presence of FEE for {:?}", row);
            }
            let (Value::Date(a), Value::Date(b)) = (&row[start], &row[end]) else { panic!("dates") };
            prop_assert!(b >= a, "END_DATE before START_DATE: {:?}", row);
        }
    }

    #[test]
    fn quantiles_recover_a_known_distribution(mu in -5.0f64..5.0, sigma in 0.5f64..3.0, seed in any::<u64>()) {
        use bank_synth_core::stats::Quantiles;
        use rand::RngExt;
        use statrs::distribution::{ContinuousCDF, Normal};
        let normal = Normal::new(mu, sigma).unwrap();
        let mut rng = bank_synth_core::rng::Streams::new(seed, "proptest", "normal").at(0);
        let values: Vec<f64> = (0..5000).map(|_| normal.inverse_cdf(rng.random::<f64>().clamp(1e-9, 1.0 - 1e-9))).collect();
        let q = Quantiles::fit(&values).unwrap();
        for p in [0.1, 0.25, 0.5, 0.75, 0.9] {
            let expected = normal.inverse_cdf(p);
            prop_assert!((q.sample(p) - expected).abs() < 0.12 * sigma, "p={p}: {} vs {expected}", q.sample(p));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8, ..ProptestConfig::default() })]

    #[test]
    fn the_copula_recovers_a_known_correlation(rho in -0.9f64..0.9, seed in any::<u64>()) {
        use bank_synth_core::evaluate::metrics::pearson;
        use bank_synth_core::stats::normal_quantile;
        use rand::RngExt;
        let dir = tempfile::tempdir().unwrap();
        let mut rng = bank_synth_core::rng::Streams::new(seed, "proptest", "copula").at(0);
        let mut text = String::from("ID,X,Y\n");
        for i in 0..1500 {
            let a = normal_quantile(rng.random::<f64>());
            let b = rho * a + (1.0 - rho * rho).sqrt() * normal_quantile(rng.random::<f64>());
            // Non-normal marginals: the copula works on ranks.
            text.push_str(&format!("{},{:.4},{:.4}\n", i + 1, a.exp(), b * 10.0 + 100.0));
        }
        std::fs::write(dir.path().join("t.csv"), text).unwrap();
        let pack = train_on(dir.path());
        let rows = generate(&pack, 3000, seed);
        let number = |v: &Value| match v {
            Value::Float(x) => Some(*x),
            Value::Decimal(d) => Some(*d as f64 / 1e4),
            _ => None,
        };
        let x: Vec<Option<f64>> = rows.iter().map(|r| number(&r[1]).map(f64::ln)).collect();
        let y: Vec<Option<f64>> = rows.iter().map(|r| number(&r[2])).collect();
        let r = pearson(&x, &y).unwrap();
        prop_assert!((r - rho).abs() < 0.1, "generated correlation {r} for ρ = {rho}");
    }
}
