//! ACCOUNTS: how many a customer holds depends on the segment; a second parent, the
//! branch, is mostly the customer's home branch; IBANs carry valid check digits.

use super::branches::BranchPicker;
use super::customers::{self, Customer};
use super::{Bank, BankTable, MONEY, lognormal, money, pick, std_normal, text};
use bank_synth_core::format::iban_check_digits;
use bank_synth_core::value::{LogicalType, Value};
use rand::RngExt;

/// The first ACCOUNT_ID.
const FIRST_ID: i64 = 5_000_001;

/// What the children of an account (transactions, cards, statements) depend on.
pub(super) struct Account {
    pub(super) id: i64,
    pub(super) kind: &'static str,
    pub(super) status: &'static str,
    /// OPEN_DATE, days since 1970-01-01.
    pub(super) open: i32,
}

/// The accounts of every customer, and what their children depend on, by row.
pub(super) fn generate(
    bank: &Bank,
    customers: &[Customer],
    branches: &BranchPicker,
) -> (BankTable, Vec<Account>) {
    let stream = bank.stream("ACCOUNTS");
    let mut accounts = BankTable::new(
        "ACCOUNTS",
        vec![
            ("ACCOUNT_ID", LogicalType::Integer),
            ("CUSTOMER_ID", LogicalType::Integer),
            ("BRANCH_ID", LogicalType::Integer),
            ("ACCOUNT_TYPE", LogicalType::Text),
            ("CURRENCY", LogicalType::Text),
            ("IBAN", LogicalType::Text),
            ("OPEN_DATE", LogicalType::Date),
            ("BALANCE", MONEY),
            ("STATUS", LogicalType::Text),
            ("OVERDRAFT_LIMIT", MONEY),
        ],
    );
    let mut opened = Vec::new();
    for (ci, c) in customers.iter().enumerate() {
        let mut rng = stream.at(ci as u64);
        let n = match c.segment {
            "RETAIL" => [0, 1, 1, 1, 1, 2, 2, 2, 3, 4][rng.random_range(0..10)],
            "SME" => rng.random_range(1..6),
            _ => rng.random_range(2..9),
        };
        let created_day = c.created_us.div_euclid(86_400_000_000) as i32;
        for _ in 0..n {
            let kind = pick(
                &mut rng,
                &[
                    ("CHECKING", 0.45),
                    ("SAVINGS", 0.30),
                    ("CREDIT_CARD", 0.18),
                    ("LOAN", 0.07),
                ],
            );
            let open = created_day + rng.random_range(0..(bank.as_of - 30 - created_day).max(1));
            let status = pick(
                &mut rng,
                &[("OPEN", 0.90), ("DORMANT", 0.06), ("CLOSED", 0.04)],
            );
            let balance = match kind {
                "CHECKING" => {
                    2500.0 * std_normal(rng.random()).abs()
                        - if rng.random::<f64>() < 0.08 {
                            400.0
                        } else {
                            0.0
                        }
                }
                "SAVINGS" => lognormal(8000.0, 1.1, rng.random()),
                "CREDIT_CARD" => {
                    -lognormal(1200.0, 0.9, rng.random())
                        * f64::from(u8::from(rng.random::<f64>() < 0.8))
                }
                _ => -lognormal(25_000.0, 0.7, rng.random()),
            };
            let branch = if rng.random::<f64>() < 0.8 {
                c.home_branch
            } else {
                branches.pick(&mut rng)
            };
            let id = FIRST_ID + opened.len() as i64;
            let bban = format!("BSYN{:06}{:08}", 400_000 + branch * 17, id);
            let check = iban_check_digits("GB", &bban);
            let currency = match c.country {
                "CA" => "CAD",
                "GB" => "GBP",
                _ if rng.random::<f64>() < 0.03 => "EUR",
                _ => "USD",
            };
            let overdraft_limit = if kind == "CHECKING" {
                money([0.0, 500.0, 500.0, 1000.0, 2500.0][rng.random_range(0..5)])
            } else {
                Value::Null
            };
            accounts.rows.push(vec![
                Value::Int(id),
                Value::Int(customers::FIRST_ID + ci as i64),
                Value::Int(branch),
                text(kind),
                text(currency),
                Value::Str(format!("GB{check}{bban}").into()),
                Value::Date(open),
                money(balance),
                text(status),
                overdraft_limit,
            ]);
            opened.push(Account {
                id,
                kind,
                status,
                open,
            });
        }
    }
    (accounts, opened)
}
