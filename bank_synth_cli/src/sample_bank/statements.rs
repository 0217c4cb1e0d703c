//! STATEMENTS (a composite key: account and month) and STATEMENT_LINES (a composite
//! foreign key to it): one statement a month for the last six months of every open,
//! non-loan account, its balance a random walk.

use super::accounts::Account;
use super::{Bank, BankTable, MONEY, lognormal, money, pick, std_normal, text};
use bank_synth_core::value::{LogicalType, Value, add_months, date_from_days, days_from_date};
use chrono::Datelike;
use rand::RngExt;

/// The statements of every account, and their lines: one generator draws both, line
/// after statement, so they are one function.
pub(super) fn generate(bank: &Bank, accounts: &[Account]) -> (BankTable, BankTable) {
    let stream = bank.stream("STATEMENTS");
    let mut statements = BankTable::new(
        "STATEMENTS",
        vec![
            ("ACCOUNT_ID", LogicalType::Integer),
            ("STATEMENT_MONTH", LogicalType::Date),
            ("CLOSING_BALANCE", MONEY),
            ("TXN_COUNT", LogicalType::Integer),
        ],
    );
    let mut lines = BankTable::new(
        "STATEMENT_LINES",
        vec![
            ("ACCOUNT_ID", LogicalType::Integer),
            ("STATEMENT_MONTH", LogicalType::Date),
            ("LINE_NO", LogicalType::Integer),
            ("LINE_TYPE", LogicalType::Text),
            ("AMOUNT", MONEY),
        ],
    );
    let first_of_month = |d: i32| days_from_date(date_from_days(d).with_day(1).expect("day 1"));
    let last_month = first_of_month(bank.as_of);
    for a in accounts
        .iter()
        .filter(|a| a.status != "CLOSED" && a.kind != "LOAN")
    {
        let mut rng = stream.at(a.id as u64);
        let mut month = add_months(first_of_month(a.open), 1).max(add_months(last_month, -5));
        let mut balance = lognormal(3000.0, 1.0, rng.random());
        while month <= last_month {
            balance *= 1.0 + 0.1 * std_normal(rng.random());
            statements.rows.push(vec![
                Value::Int(a.id),
                Value::Date(month),
                money(balance),
                Value::Int(rng.random_range(0..40)),
            ]);
            let n_lines = [0, 1, 1, 2, 2, 3, 5][rng.random_range(0..7)];
            for line in 0..n_lines {
                let line_type = pick(
                    &mut rng,
                    &[
                        ("PURCHASE", 0.5),
                        ("PAYMENT", 0.25),
                        ("FEE", 0.15),
                        ("INTEREST", 0.1),
                    ],
                );
                let amount = match line_type {
                    "PURCHASE" => -lognormal(60.0, 1.0, rng.random()),
                    "PAYMENT" => lognormal(500.0, 0.8, rng.random()),
                    "FEE" => -[5.0, 15.0, 35.0][rng.random_range(0..3)],
                    _ => lognormal(4.0, 1.0, rng.random()),
                };
                lines.rows.push(vec![
                    Value::Int(a.id),
                    Value::Date(month),
                    Value::Int(line + 1),
                    text(line_type),
                    money(amount),
                ]);
            }
            month = add_months(month, 1);
        }
    }
    (statements, lines)
}
