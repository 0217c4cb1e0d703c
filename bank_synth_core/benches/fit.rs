//! Time to fit one numeric column (point masses, quantiles, the parametric family with
//! its KS test) on columns of extreme scale and tiny spread, beside an ordinary column
//! of the same size measured in the same run: the cost must not depend on the scale.
//! Run: `cargo bench -p bank_synth_core --features io --bench fit`.

use bank_synth_core::stats::fit_with_masses;
use std::time::Instant;

fn column(n: usize, centre: f64, spread: f64, skew: f64) -> Vec<f64> {
    (0..n)
        .map(|i| {
            let u = (i as f64 + 0.5) / n as f64;
            centre + spread * u.powf(1.0 + skew)
        })
        .collect()
}

fn main() {
    let n = 8_000;
    let cases = [
        ("ordinary (amounts 10..5000)", column(n, 10.0, 4_990.0, 1.5)),
        ("near 1e6, spread 5", column(n, 1e6, 5.0, 0.3)),
        ("near 1e12, spread 1e-3", column(n, 1e12, 1e-3, 0.0)),
        (
            "epoch seconds within 12 minutes",
            column(n, 1.7e9, 720.0, 0.2),
        ),
        (
            "epoch microseconds within 12 minutes",
            column(n, 1.7e15, 7.2e8, 0.2),
        ),
    ];
    for (label, xs) in &cases {
        let started = Instant::now();
        let fitted = fit_with_masses(xs).expect("a fit");
        let ms = started.elapsed().as_secs_f64() * 1e3;
        let family = fitted
            .2
            .map_or("empirical quantiles".to_string(), |f| format!("{f:?}"));
        let family: String = family.chars().take(40).collect();
        println!("fit {label} ({n} values): {ms:.1} ms → {family}");
    }
}
