//! CUSTOMERS, numbered in CREATED_AT order so that REFERRED_BY can point back at earlier
//! customers; income depends on the segment and the credit score on income.

use super::branches::BranchPicker;
use super::{Bank, BankTable, MONEY, money, pick, std_normal, text};
use bank_synth_core::faker;
use bank_synth_core::value::{LogicalType, Value, date_from_days, days_from_date, parse_date};
use chrono::Datelike;
use rand::RngExt;
use rand_chacha::ChaCha8Rng;

/// The first CUSTOMER_ID.
pub(super) const FIRST_ID: i64 = 100_001;

/// Customers at scale 1.
const AT_SCALE_1: f64 = 1000.0;

/// What the accounts of a customer depend on.
pub(super) struct Customer {
    pub(super) segment: &'static str,
    pub(super) country: &'static str,
    /// CREATED_AT, microseconds since 1970-01-01.
    pub(super) created_us: i64,
    pub(super) home_branch: i64,
}

/// A customer drawn before numbering: numbers follow CREATED_AT.
struct Drawn {
    birth: i32,
    created_us: i64,
    segment: &'static str,
    rng: ChaCha8Rng,
}

/// The customers, and what their accounts depend on, by row.
pub(super) fn generate(bank: &Bank, branches: &BranchPicker) -> (BankTable, Vec<Customer>) {
    let count = (AT_SCALE_1 * bank.scale).round().max(10.0) as usize;
    let stream = bank.stream("CUSTOMERS");
    let mut drawn: Vec<Drawn> = (0..count)
        .map(|i| draw(bank, stream.at(i as u64)))
        .collect();
    drawn.sort_by_key(|c| c.created_us);
    let mut customers = BankTable::new(
        "CUSTOMERS",
        vec![
            ("CUSTOMER_ID", LogicalType::Integer),
            ("FIRST_NAME", LogicalType::Text),
            ("LAST_NAME", LogicalType::Text),
            ("EMAIL", LogicalType::Text),
            ("SSN", LogicalType::Text),
            ("BIRTH_DATE", LogicalType::Date),
            ("SEGMENT", LogicalType::Text),
            ("STATUS", LogicalType::Text),
            ("ANNUAL_INCOME", MONEY),
            ("CREDIT_SCORE", LogicalType::Integer),
            ("COUNTRY", LogicalType::Text),
            ("CREATED_AT", LogicalType::Timestamp),
            ("HOME_BRANCH_ID", LogicalType::Integer),
            ("REFERRED_BY", LogicalType::Integer),
            ("AML_RISK_RATING", LogicalType::Text),
        ],
    );
    let mut facts = Vec::with_capacity(count);
    for (i, c) in drawn.iter_mut().enumerate() {
        let rng = &mut c.rng;
        let first = faker_text(faker::Kind::FirstName, rng);
        let last = faker_text(faker::Kind::LastName, rng);
        let email = format!(
            "{}.{}{}@{}",
            first.to_ascii_lowercase(),
            last.to_ascii_lowercase().replace(['\'', ' '], ""),
            rng.random_range(1..100),
            pick(
                rng,
                &[
                    ("gmail.com", 5.0),
                    ("yahoo.com", 2.0),
                    ("outlook.com", 2.0),
                    ("icloud.com", 1.0)
                ]
            )
        );
        let (median, sigma) = match c.segment {
            "RETAIL" => (52_000.0, 0.45),
            "SME" => (140_000.0, 0.6),
            _ => (520_000.0, 0.55),
        };
        let z = std_normal(rng.random());
        let income = median * (sigma * z).exp();
        let score = (680.0
            + 55.0 * (0.7 * z + 0.71 * std_normal(rng.random()))
            + if c.segment == "PRIVATE" { 40.0 } else { 0.0 })
        .round()
        .clamp(300.0, 850.0) as i64;
        let referred =
            (i > 0 && rng.random::<f64>() < 0.22).then(|| FIRST_ID + rng.random_range(0..i) as i64);
        let status = pick(
            rng,
            &[("ACTIVE", 0.88), ("INACTIVE", 0.09), ("CLOSED", 0.03)],
        );
        let country = pick(
            rng,
            &[("US", 0.92), ("CA", 0.04), ("GB", 0.02), ("MX", 0.02)],
        );
        let ssn = faker_text(faker::Kind::Ssn, rng);
        let risk = pick(rng, &[("LOW", 0.85), ("MEDIUM", 0.12), ("HIGH", 0.03)]);
        let home_branch = branches.pick(rng);
        customers.rows.push(vec![
            Value::Int(FIRST_ID + i as i64),
            Value::Str(first.into()),
            Value::Str(last.into()),
            Value::Str(email.into()),
            Value::Str(ssn.into()),
            Value::Date(c.birth),
            text(c.segment),
            text(status),
            money(income),
            Value::Int(score),
            text(country),
            Value::Timestamp(c.created_us),
            Value::Int(home_branch),
            referred.map_or(Value::Null, Value::Int),
            text(risk),
        ]);
        facts.push(Customer {
            segment: c.segment,
            country,
            created_us: c.created_us,
            home_branch,
        });
    }
    (customers, facts)
}

/// Segment, birth date and CREATED_AT: an adult customer since 2000, created at least
/// half a year before the last day, in office hours.
fn draw(bank: &Bank, mut rng: ChaCha8Rng) -> Drawn {
    let segment = pick(
        &mut rng,
        &[("RETAIL", 0.80), ("SME", 0.15), ("PRIVATE", 0.05)],
    );
    let age_days = rng.random_range(18 * 366 + 200..85 * 365);
    let birth = bank.as_of - age_days;
    let adult = days_from_date(
        date_from_days(birth)
            .with_year(date_from_days(birth).year() + 18)
            .unwrap_or(date_from_days(birth + 18 * 366)),
    );
    let earliest = adult.max(parse_date("2000-01-01").expect("a valid date"));
    let latest = bank.as_of - 180;
    let created_day = if earliest >= latest {
        latest
    } else {
        rng.random_range(earliest..latest)
    };
    let created_us =
        i64::from(created_day) * 86_400_000_000 + rng.random_range(8 * 3600..18 * 3600) * 1_000_000;
    Drawn {
        birth,
        created_us,
        segment,
        rng,
    }
}

/// A value of a text provider.
fn faker_text(kind: faker::Kind, rng: &mut ChaCha8Rng) -> String {
    match faker::generate(kind, rng) {
        Value::Str(s) => s.into(),
        other => unreachable!("{kind:?} produces text, not {other:?}"),
    }
}
