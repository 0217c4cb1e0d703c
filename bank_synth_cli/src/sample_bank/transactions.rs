//! TRANSACTIONS: how many an account has depends on its type and status (none for many
//! dormant ones); the sign follows the type, MCC is set exactly for card payments.

use super::accounts::Account;
use super::{Bank, BankTable, MONEY, lognormal, money, pick, text};
use bank_synth_core::value::{LogicalType, Value};
use rand::RngExt;
use rand_chacha::ChaCha8Rng;

/// The first TXN_ID.
const FIRST_ID: i64 = 900_000_001;

/// Merchant category codes and merchants of card payments.
const MERCHANTS: [(&str, &str); 8] = [
    ("5411", "WHOLEFDS"),
    ("5411", "KROGER"),
    ("5812", "CHIPOTLE"),
    ("5541", "SHELL OIL"),
    ("5999", "AMAZON MKTP"),
    ("4111", "MTA TRANSIT"),
    ("5732", "BEST BUY"),
    ("5812", "STARBUCKS"),
];

/// One movement before it is signed: channel, MCC, description and amount.
type Movement = (&'static str, Option<&'static str>, String, f64);

/// The transactions of every account.
pub(super) fn generate(bank: &Bank, accounts: &[Account]) -> BankTable {
    let stream = bank.stream("TRANSACTIONS");
    let mut transactions = BankTable::new(
        "TRANSACTIONS",
        vec![
            ("TXN_ID", LogicalType::Integer),
            ("ACCOUNT_ID", LogicalType::Integer),
            ("TXN_TS", LogicalType::Timestamp),
            ("AMOUNT", MONEY),
            ("TXN_TYPE", LogicalType::Text),
            ("CHANNEL", LogicalType::Text),
            ("MCC", LogicalType::Text),
            ("DESCRIPTION", LogicalType::Text),
        ],
    );
    for a in accounts {
        let mut rng = stream.at(a.id as u64);
        let mean = match (a.kind, a.status) {
            (_, "CLOSED") => 0.5,
            (_, "DORMANT") => 0.3,
            ("CHECKING", _) => 14.0,
            ("CREDIT_CARD", _) => 10.0,
            ("SAVINGS", _) => 3.0,
            _ => 2.0,
        };
        let n = (mean * -(1.0 - rng.random::<f64>()).ln()).floor() as usize;
        for _ in 0..n {
            let ts_day = a.open + rng.random_range(1..(bank.as_of - a.open).max(2));
            let ts =
                i64::from(ts_day) * 86_400_000_000 + rng.random_range(0..86_400i64) * 1_000_000;
            let debit = match a.kind {
                "SAVINGS" => rng.random::<f64>() < 0.3,
                "LOAN" => rng.random::<f64>() < 0.1,
                _ => rng.random::<f64>() < 0.75,
            };
            let (channel, mcc, description, amount) = if debit {
                debit_movement(&mut rng)
            } else {
                credit_movement(&mut rng)
            };
            let amount = amount.max(0.01);
            transactions.rows.push(vec![
                Value::Int(FIRST_ID + transactions.rows.len() as i64),
                Value::Int(a.id),
                Value::Timestamp(ts),
                money(if debit { -amount } else { amount }),
                text(if debit { "DEBIT" } else { "CREDIT" }),
                text(channel),
                mcc.map_or(Value::Null, text),
                Value::Str(description.into()),
            ]);
        }
    }
    transactions
}

/// Money going out: card payments at merchants, cash, bills.
fn debit_movement(rng: &mut ChaCha8Rng) -> Movement {
    let channel = pick(
        rng,
        &[
            ("CARD", 0.6),
            ("ATM", 0.15),
            ("ONLINE", 0.2),
            ("BRANCH", 0.05),
        ],
    );
    match channel {
        "CARD" => {
            let (mcc, merchant) = MERCHANTS[rng.random_range(0..MERCHANTS.len())];
            let amount = lognormal(38.0, 0.9, rng.random());
            let description = format!("POS {merchant} #{:04}", rng.random_range(1..9999));
            ("CARD", Some(mcc), description, amount)
        }
        "ATM" => (
            "ATM",
            None,
            "ATM WITHDRAWAL".to_string(),
            20.0 * f64::from(rng.random_range(1..16)),
        ),
        "ONLINE" => (
            "ONLINE",
            None,
            format!("BILL PAY REF {:06}", rng.random_range(0..999_999)),
            lognormal(120.0, 0.8, rng.random()),
        ),
        _ => (
            "BRANCH",
            None,
            "BRANCH WITHDRAWAL".to_string(),
            lognormal(300.0, 0.7, rng.random()),
        ),
    }
}

/// Money coming in: salaries, transfers, cash deposits.
fn credit_movement(rng: &mut ChaCha8Rng) -> Movement {
    match pick(rng, &[("TRANSFER", 0.6), ("ONLINE", 0.3), ("BRANCH", 0.1)]) {
        "TRANSFER" => (
            "TRANSFER",
            None,
            "SALARY ACME CORP".to_string(),
            lognormal(2400.0, 0.5, rng.random()),
        ),
        "ONLINE" => (
            "ONLINE",
            None,
            format!("TRANSFER IN REF {:06}", rng.random_range(0..999_999)),
            lognormal(300.0, 1.0, rng.random()),
        ),
        _ => (
            "BRANCH",
            None,
            "CASH DEPOSIT".to_string(),
            lognormal(400.0, 0.8, rng.random()),
        ),
    }
}
