//! The sample bank: a deterministic, realistic bank with real statistical structure —
//! skewed segments, income depending on segment, credit scores correlated with income,
//! fan-out depending on the parent, dates ordered across tables, check digits on IBANs
//! and card numbers, a self-reference to earlier customers and a composite key. It is
//! what `bank_synth samples` writes and what the committed `samples/` holds.
//!
//! One module per table, in the order of the foreign keys. Each table draws from its own
//! random streams (ChaCha8, keyed by `Streams::new(seed, "sample-bank", table)`), a
//! generator per row or per parent row, so a table's rows depend only on the seed and
//! its parents; STATEMENT_LINES are drawn with their statements, from the STATEMENTS
//! stream.

mod accounts;
mod branches;
mod cards;
mod customers;
mod statements;
mod transactions;
mod write;

pub use write::write;

use bank_synth_core::rng::Streams;
use bank_synth_core::value::{LogicalType, Value, parse_date};
use clap::ValueEnum;
use rand::RngExt;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use statrs::distribution::{ContinuousCDF, LogNormal, Normal};

/// Sample file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SampleFormat {
    /// One CSV per table.
    Csv,
    /// One Parquet file per table.
    Parquet,
}

/// One generated table.
#[derive(Debug, Clone)]
pub struct BankTable {
    /// Upper-case table name.
    pub name: &'static str,
    /// Column names and types.
    pub columns: Vec<(&'static str, LogicalType)>,
    /// Rows.
    pub rows: Vec<Vec<Value>>,
}

impl BankTable {
    fn new(name: &'static str, columns: Vec<(&'static str, LogicalType)>) -> Self {
        Self {
            name,
            columns,
            rows: Vec::new(),
        }
    }
}

/// What every table's generator shares: the seed, the size and the last day of data.
struct Bank {
    seed: u64,
    scale: f64,
    /// The last day the bank has data for, as days since 1970-01-01.
    as_of: i32,
}

impl Bank {
    /// The random streams of one table.
    fn stream(&self, table: &str) -> TableStreams {
        TableStreams(Streams::new(self.seed, "sample-bank", table))
    }
}

/// A table's ChaCha8 streams, keyed as generation's [`Streams`]: the committed sample
/// files were drawn from these, so the bank keeps them (generation's own streams are a
/// cheaper generator).
struct TableStreams(Streams);

impl TableStreams {
    /// The stream for `index`.
    fn at(&self, index: u64) -> ChaCha8Rng {
        let mut rng = ChaCha8Rng::from_seed(self.0.key());
        rng.set_stream(index);
        rng
    }
}

/// Generates the whole bank.
pub fn generate(seed: u64, scale: f64) -> Vec<BankTable> {
    let bank = Bank {
        seed,
        scale,
        as_of: parse_date("2024-12-31").expect("a valid date"),
    };
    let (branches, branch_picker) = branches::generate(&bank);
    let (customers, holders) = customers::generate(&bank, &branch_picker);
    let (accounts, opened) = accounts::generate(&bank, &holders, &branch_picker);
    let transactions = transactions::generate(&bank, &opened);
    let cards = cards::generate(&bank, &opened);
    let (statements, lines) = statements::generate(&bank, &opened);
    vec![
        branches,
        customers,
        accounts,
        transactions,
        cards,
        statements,
        lines,
    ]
}

/// Money with two decimals, the columns' `DECIMAL(18,2)`.
const MONEY: LogicalType = LogicalType::Decimal {
    precision: 18,
    scale: 2,
};

fn money(x: f64) -> Value {
    Value::Decimal((x * 100.0).round() as i128)
}

fn text(v: &str) -> Value {
    Value::Str(v.into())
}

/// One of `options`, drawn with the given weights.
fn pick<'a, R: RngExt>(rng: &mut R, options: &[(&'a str, f64)]) -> &'a str {
    let u: f64 = rng.random::<f64>() * options.iter().map(|o| o.1).sum::<f64>();
    let mut acc = 0.0;
    for (v, w) in options {
        acc += w;
        if u < acc {
            return v;
        }
    }
    options[options.len() - 1].0
}

/// The log-normal with this median and log-scale spread, at quantile `u`.
fn lognormal(median: f64, sigma: f64, u: f64) -> f64 {
    LogNormal::new(median.ln(), sigma)
        .expect("valid lognormal")
        .inverse_cdf(u.clamp(1e-9, 1.0 - 1e-9))
}

/// The standard normal at quantile `u`.
fn std_normal(u: f64) -> f64 {
    Normal::standard().inverse_cdf(u.clamp(1e-9, 1.0 - 1e-9))
}

#[cfg(test)]
mod tests {
    use super::*;
    use bank_synth_core::format::{iban_valid, luhn_valid};
    use std::collections::HashSet;

    #[test]
    fn the_bank_keeps_its_own_rules() {
        let bank = generate(7, 0.3);
        let table = |n: &str| bank.iter().find(|t| t.name == n).unwrap();
        let customers = table("CUSTOMERS");
        for (i, row) in customers.rows.iter().enumerate() {
            if let Value::Int(r) = row[13] {
                assert!(
                    r < 100_001 + i as i64,
                    "referrals point at earlier customers"
                );
            }
            let (Value::Date(birth), Value::Timestamp(created)) = (&row[5], &row[11]) else {
                panic!()
            };
            assert!(i64::from(*birth + 18 * 365) * 86_400_000_000 <= *created);
        }
        for row in &table("ACCOUNTS").rows {
            let Value::Str(iban) = &row[5] else { panic!() };
            assert!(iban_valid(iban), "{iban}");
            assert_eq!(row[9].is_null(), row[3] != Value::Str("CHECKING".into()));
        }
        for row in &table("TRANSACTIONS").rows {
            let Value::Decimal(amount) = row[3] else {
                panic!()
            };
            assert_eq!(amount < 0, row[4] == Value::Str("DEBIT".into()));
            assert_eq!(!row[6].is_null(), row[5] == Value::Str("CARD".into()));
        }
        for row in &table("CARDS").rows {
            let Value::Str(n) = &row[0] else { panic!() };
            assert!(luhn_valid(n) && n.len() == 16, "{n}");
        }
        let keys: HashSet<String> = table("STATEMENTS")
            .rows
            .iter()
            .map(|r| format!("{:?}{:?}", r[0], r[1]))
            .collect();
        assert_eq!(keys.len(), table("STATEMENTS").rows.len());
        assert!(
            table("STATEMENT_LINES")
                .rows
                .iter()
                .all(|r| keys.contains(&format!("{:?}{:?}", r[0], r[1])))
        );
    }

    #[test]
    fn the_bank_is_deterministic() {
        let a = generate(3, 0.1);
        let b = generate(3, 0.1);
        let c = generate(4, 0.1);
        assert_eq!(a[3].rows, b[3].rows);
        assert_ne!(a[1].rows, c[1].rows);
    }
}
