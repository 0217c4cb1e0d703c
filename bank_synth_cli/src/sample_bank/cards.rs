//! CARDS: a debit card on most checking accounts, one or two cards on credit-card
//! accounts; card numbers carry a valid Luhn digit.

use super::accounts::Account;
use super::{Bank, BankTable, MONEY, money, text};
use bank_synth_core::format::luhn_check_digit;
use bank_synth_core::value::{LogicalType, Value, add_months, date_from_days, days_from_date};
use chrono::Datelike;
use rand::RngExt;

/// The cards of every account.
pub(super) fn generate(bank: &Bank, accounts: &[Account]) -> BankTable {
    let stream = bank.stream("CARDS");
    let mut cards = BankTable::new(
        "CARDS",
        vec![
            ("CARD_NUMBER", LogicalType::Text),
            ("ACCOUNT_ID", LogicalType::Integer),
            ("CARD_TYPE", LogicalType::Text),
            ("EXPIRY_DATE", LogicalType::Date),
            ("DAILY_LIMIT", MONEY),
        ],
    );
    let as_of = bank.as_of;
    for a in accounts {
        let mut rng = stream.at(a.id as u64);
        let (n, card_type, bin) = match a.kind {
            "CHECKING" => (usize::from(rng.random::<f64>() < 0.85), "DEBIT", "4"),
            "CREDIT_CARD" => (1 + usize::from(rng.random::<f64>() < 0.3), "CREDIT", "5"),
            _ => (0, "", ""),
        };
        for _ in 0..n {
            let body: String = (0..14)
                .map(|_| char::from(b'0' + rng.random_range(0..10u8)))
                .collect();
            let partial = format!("{bin}{body}");
            let number = format!("{partial}{}", luhn_check_digit(&partial));
            let expiry = add_months(as_of - as_of.rem_euclid(28), rng.random_range(1..60));
            let expiry = days_from_date(date_from_days(expiry).with_day(1).expect("day 1"));
            let daily_limit = [500.0, 1000.0, 1000.0, 2000.0, 5000.0][rng.random_range(0..5)];
            cards.rows.push(vec![
                Value::Str(number.into()),
                Value::Int(a.id),
                text(card_type),
                Value::Date(expiry),
                money(daily_limit),
            ]);
        }
    }
    cards
}
