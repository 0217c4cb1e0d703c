//! The sample bank: a deterministic, realistic bank with real statistical structure —
//! skewed segments, income depending on segment, credit scores correlated with income,
//! fan-out depending on the parent, dates ordered across tables, check digits on IBANs
//! and card numbers, a self-reference to earlier customers and a composite key. It is
//! what `bank_synth samples` writes and what the committed `samples/` holds.

use crate::error::{Error, Result};
use crate::faker;
use crate::format::{iban_check_digits, luhn_check_digit};
use crate::rng::Streams;
use crate::value::{LogicalType, Value, add_months, date_from_days, days_from_date, parse_date};
use arrow_array::ArrayRef;
use arrow_array::RecordBatch;
use arrow_array::builder::{
    BooleanBuilder, Date32Builder, Decimal128Builder, Float64Builder, Int64Builder, StringBuilder,
    TimestampMicrosecondBuilder,
};
use arrow_schema::{DataType, Field, Schema, TimeUnit};
use chrono::Datelike;
use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use statrs::distribution::{ContinuousCDF, LogNormal, Normal};
use std::path::Path;
use std::sync::Arc;

/// Customers at scale 1.
const CUSTOMERS_AT_SCALE_1: f64 = 1000.0;
/// The last day the sample bank has data for.
const AS_OF: &str = "2024-12-31";

/// Sample file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

const DEC: LogicalType = LogicalType::Decimal {
    precision: 18,
    scale: 2,
};

fn money(x: f64) -> Value {
    Value::Decimal((x * 100.0).round() as i128)
}

fn s(v: &str) -> Value {
    Value::Str(v.to_string())
}

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

fn lognormal(median: f64, sigma: f64, u: f64) -> f64 {
    LogNormal::new(median.ln(), sigma)
        .expect("valid lognormal")
        .inverse_cdf(u.clamp(1e-9, 1.0 - 1e-9))
}

fn std_normal(u: f64) -> f64 {
    Normal::standard().inverse_cdf(u.clamp(1e-9, 1.0 - 1e-9))
}

/// Generates the whole bank.
pub fn generate(seed: u64, scale: f64) -> Vec<BankTable> {
    let as_of = parse_date(AS_OF).expect("valid date");
    let stream = |table: &str| Streams::new(seed, "sample-bank", table);

    // BRANCHES: REGION is a function of CITY; popularity is skewed.
    const CITIES: [(&str, &str); 12] = [
        ("New York", "NORTHEAST"),
        ("Boston", "NORTHEAST"),
        ("Philadelphia", "NORTHEAST"),
        ("Chicago", "MIDWEST"),
        ("Detroit", "MIDWEST"),
        ("Houston", "SOUTH"),
        ("Atlanta", "SOUTH"),
        ("Miami", "SOUTH"),
        ("Denver", "WEST"),
        ("Seattle", "WEST"),
        ("San Francisco", "WEST"),
        ("Los Angeles", "WEST"),
    ];
    let branch_count = (30.0 * scale.sqrt()).round().max(5.0) as usize;
    let st = stream("BRANCHES");
    let mut branches = BankTable {
        name: "BRANCHES",
        columns: vec![
            ("BRANCH_ID", LogicalType::Integer),
            ("BRANCH_NAME", LogicalType::Text),
            ("CITY", LogicalType::Text),
            ("REGION", LogicalType::Text),
            ("OPENED_DATE", LogicalType::Date),
        ],
        rows: vec![],
    };
    let mut popularity = Vec::new();
    for i in 0..branch_count {
        let mut rng = st.at(i as u64);
        let (city, region) = CITIES[(i * 7 + rng.random_range(0..3)) % CITIES.len()];
        let opened = parse_date("1975-01-01").expect("date") + rng.random_range(0..40 * 365);
        popularity.push(lognormal(1.0, 0.8, rng.random()));
        branches.rows.push(vec![
            Value::Int(101 + i as i64),
            s(&format!(
                "{city} {}",
                ["Main", "Downtown", "Uptown", "Plaza", "Park"][i % 5]
            )),
            s(city),
            s(region),
            Value::Date(opened),
        ]);
    }
    let pick_branch = |rng: &mut ChaCha8Rng| {
        let total: f64 = popularity.iter().sum();
        let mut u = rng.random::<f64>() * total;
        for (i, w) in popularity.iter().enumerate() {
            if u < *w {
                return 101 + i as i64;
            }
            u -= w;
        }
        101 + branch_count as i64 - 1
    };

    // CUSTOMERS, created in CREATED_AT order so that REFERRED_BY can point back.
    let n_customers = (CUSTOMERS_AT_SCALE_1 * scale).round().max(10.0) as usize;
    let st = stream("CUSTOMERS");
    struct Cust {
        birth: i32,
        created_us: i64,
        segment: &'static str,
        rng: ChaCha8Rng,
    }
    let mut custs: Vec<Cust> = (0..n_customers)
        .map(|i| {
            let mut rng = st.at(i as u64);
            let segment = pick(
                &mut rng,
                &[("RETAIL", 0.80), ("SME", 0.15), ("PRIVATE", 0.05)],
            );
            let age_days = rng.random_range(18 * 366 + 200..85 * 365);
            let birth = as_of - age_days;
            let adult = days_from_date(
                date_from_days(birth)
                    .with_year(date_from_days(birth).year() + 18)
                    .unwrap_or(date_from_days(birth + 18 * 366)),
            );
            let earliest = adult.max(parse_date("2000-01-01").expect("date"));
            let latest = as_of - 180;
            let created_day = if earliest >= latest {
                latest
            } else {
                rng.random_range(earliest..latest)
            };
            let created_us = i64::from(created_day) * 86_400_000_000
                + rng.random_range(8 * 3600..18 * 3600) * 1_000_000;
            Cust {
                birth,
                created_us,
                segment,
                rng,
            }
        })
        .collect();
    custs.sort_by_key(|c| c.created_us);
    let mut customers = BankTable {
        name: "CUSTOMERS",
        columns: vec![
            ("CUSTOMER_ID", LogicalType::Integer),
            ("FIRST_NAME", LogicalType::Text),
            ("LAST_NAME", LogicalType::Text),
            ("EMAIL", LogicalType::Text),
            ("SSN", LogicalType::Text),
            ("BIRTH_DATE", LogicalType::Date),
            ("SEGMENT", LogicalType::Text),
            ("STATUS", LogicalType::Text),
            ("ANNUAL_INCOME", DEC),
            ("CREDIT_SCORE", LogicalType::Integer),
            ("COUNTRY", LogicalType::Text),
            ("CREATED_AT", LogicalType::Timestamp),
            ("HOME_BRANCH_ID", LogicalType::Integer),
            ("REFERRED_BY", LogicalType::Integer),
            ("AML_RISK_RATING", LogicalType::Text),
        ],
        rows: vec![],
    };
    for (i, c) in custs.iter_mut().enumerate() {
        let rng = &mut c.rng;
        let (first, last) = match (
            faker::generate(faker::Kind::FirstName, rng),
            faker::generate(faker::Kind::LastName, rng),
        ) {
            (Value::Str(f), Value::Str(l)) => (f, l),
            _ => unreachable!("name providers produce text"),
        };
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
            (i > 0 && rng.random::<f64>() < 0.22).then(|| 100_001 + rng.random_range(0..i) as i64);
        let status = pick(
            rng,
            &[("ACTIVE", 0.88), ("INACTIVE", 0.09), ("CLOSED", 0.03)],
        );
        let country = pick(
            rng,
            &[("US", 0.92), ("CA", 0.04), ("GB", 0.02), ("MX", 0.02)],
        );
        let ssn = match faker::generate(faker::Kind::Ssn, rng) {
            Value::Str(s) => s,
            _ => unreachable!("ssn is text"),
        };
        let risk = pick(rng, &[("LOW", 0.85), ("MEDIUM", 0.12), ("HIGH", 0.03)]);
        customers.rows.push(vec![
            Value::Int(100_001 + i as i64),
            Value::Str(first),
            Value::Str(last),
            Value::Str(email),
            Value::Str(ssn),
            Value::Date(c.birth),
            s(c.segment),
            s(status),
            money(income),
            Value::Int(score),
            s(country),
            Value::Timestamp(c.created_us),
            Value::Int(pick_branch(rng)),
            referred.map_or(Value::Null, Value::Int),
            s(risk),
        ]);
    }

    // ACCOUNTS: fan-out depends on the segment; a second parent (branch), mostly home.
    let st = stream("ACCOUNTS");
    let mut accounts = BankTable {
        name: "ACCOUNTS",
        columns: vec![
            ("ACCOUNT_ID", LogicalType::Integer),
            ("CUSTOMER_ID", LogicalType::Integer),
            ("BRANCH_ID", LogicalType::Integer),
            ("ACCOUNT_TYPE", LogicalType::Text),
            ("CURRENCY", LogicalType::Text),
            ("IBAN", LogicalType::Text),
            ("OPEN_DATE", LogicalType::Date),
            ("BALANCE", DEC),
            ("STATUS", LogicalType::Text),
            ("OVERDRAFT_LIMIT", DEC),
        ],
        rows: vec![],
    };
    struct Acc {
        id: i64,
        kind: &'static str,
        status: &'static str,
        open: i32,
    }
    let mut accs = Vec::new();
    for (ci, c) in customers.rows.iter().enumerate() {
        let mut rng = st.at(ci as u64);
        let segment = match &c[6] {
            Value::Str(s) => s.as_str(),
            _ => "RETAIL",
        };
        let n = match segment {
            "RETAIL" => [0, 1, 1, 1, 1, 2, 2, 2, 3, 4][rng.random_range(0..10)],
            "SME" => rng.random_range(1..6),
            _ => rng.random_range(2..9),
        };
        let (Value::Timestamp(created), Value::Int(home)) = (&c[11], &c[12]) else {
            unreachable!()
        };
        let created_day = created.div_euclid(86_400_000_000) as i32;
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
            let open = created_day + rng.random_range(0..(as_of - 30 - created_day).max(1));
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
                *home
            } else {
                pick_branch(&mut rng)
            };
            let id = 5_000_001 + accs.len() as i64;
            let bban = format!("BSYN{:06}{:08}", 400_000 + branch * 17, id);
            let check = iban_check_digits("GB", &bban);
            accounts.rows.push(vec![
                Value::Int(id),
                Value::Int(100_001 + ci as i64),
                Value::Int(branch),
                s(kind),
                s(match &c[10] {
                    Value::Str(cc) if cc == "CA" => "CAD",
                    Value::Str(cc) if cc == "GB" => "GBP",
                    _ if rng.random::<f64>() < 0.03 => "EUR",
                    _ => "USD",
                }),
                Value::Str(format!("GB{check}{bban}")),
                Value::Date(open),
                money(balance),
                s(status),
                if kind == "CHECKING" {
                    money(
                        *[0.0, 500.0, 500.0, 1000.0, 2500.0]
                            .get(rng.random_range(0..5))
                            .expect("in range"),
                    )
                } else {
                    Value::Null
                },
            ]);
            accs.push(Acc {
                id,
                kind,
                status,
                open,
            });
        }
    }

    // TRANSACTIONS: fan-out depends on type and status (zero for many dormant ones).
    let st = stream("TRANSACTIONS");
    let mut transactions = BankTable {
        name: "TRANSACTIONS",
        columns: vec![
            ("TXN_ID", LogicalType::Integer),
            ("ACCOUNT_ID", LogicalType::Integer),
            ("TXN_TS", LogicalType::Timestamp),
            ("AMOUNT", DEC),
            ("TXN_TYPE", LogicalType::Text),
            ("CHANNEL", LogicalType::Text),
            ("MCC", LogicalType::Text),
            ("DESCRIPTION", LogicalType::Text),
        ],
        rows: vec![],
    };
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
    for a in &accs {
        let mut rng = st.at(a.id as u64);
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
            let ts_day = a.open + rng.random_range(1..(as_of - a.open).max(2));
            let ts =
                i64::from(ts_day) * 86_400_000_000 + rng.random_range(0..86_400i64) * 1_000_000;
            let debit = match a.kind {
                "SAVINGS" => rng.random::<f64>() < 0.3,
                "LOAN" => rng.random::<f64>() < 0.1,
                _ => rng.random::<f64>() < 0.75,
            };
            let (channel, mcc, description, amount) = if debit {
                match pick(
                    &mut rng,
                    &[
                        ("CARD", 0.6),
                        ("ATM", 0.15),
                        ("ONLINE", 0.2),
                        ("BRANCH", 0.05),
                    ],
                ) {
                    "CARD" => {
                        let (mcc, merchant) = MERCHANTS[rng.random_range(0..MERCHANTS.len())];
                        let amount = lognormal(38.0, 0.9, rng.random());
                        (
                            "CARD",
                            Some(mcc),
                            format!("POS {merchant} #{:04}", rng.random_range(1..9999)),
                            amount,
                        )
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
            } else {
                match pick(
                    &mut rng,
                    &[("TRANSFER", 0.6), ("ONLINE", 0.3), ("BRANCH", 0.1)],
                ) {
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
            };
            transactions.rows.push(vec![
                Value::Int(900_000_001 + transactions.rows.len() as i64),
                Value::Int(a.id),
                Value::Timestamp(ts),
                money(if debit {
                    -amount.max(0.01)
                } else {
                    amount.max(0.01)
                }),
                s(if debit { "DEBIT" } else { "CREDIT" }),
                s(channel),
                mcc.map_or(Value::Null, s),
                Value::Str(description),
            ]);
        }
    }

    // CARDS: debit cards on most checking accounts, one or two on credit-card accounts.
    let st = stream("CARDS");
    let mut cards = BankTable {
        name: "CARDS",
        columns: vec![
            ("CARD_NUMBER", LogicalType::Text),
            ("ACCOUNT_ID", LogicalType::Integer),
            ("CARD_TYPE", LogicalType::Text),
            ("EXPIRY_DATE", LogicalType::Date),
            ("DAILY_LIMIT", DEC),
        ],
        rows: vec![],
    };
    for a in &accs {
        let mut rng = st.at(a.id as u64);
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
            cards.rows.push(vec![
                Value::Str(number),
                Value::Int(a.id),
                s(card_type),
                Value::Date(expiry),
                money(
                    *[500.0, 1000.0, 1000.0, 2000.0, 5000.0]
                        .get(rng.random_range(0..5))
                        .expect("in range"),
                ),
            ]);
        }
    }

    // STATEMENTS (composite key) and STATEMENT_LINES (composite foreign key).
    let st = stream("STATEMENTS");
    let mut statements = BankTable {
        name: "STATEMENTS",
        columns: vec![
            ("ACCOUNT_ID", LogicalType::Integer),
            ("STATEMENT_MONTH", LogicalType::Date),
            ("CLOSING_BALANCE", DEC),
            ("TXN_COUNT", LogicalType::Integer),
        ],
        rows: vec![],
    };
    let mut lines = BankTable {
        name: "STATEMENT_LINES",
        columns: vec![
            ("ACCOUNT_ID", LogicalType::Integer),
            ("STATEMENT_MONTH", LogicalType::Date),
            ("LINE_NO", LogicalType::Integer),
            ("LINE_TYPE", LogicalType::Text),
            ("AMOUNT", DEC),
        ],
        rows: vec![],
    };
    let first_of_month = |d: i32| days_from_date(date_from_days(d).with_day(1).expect("day 1"));
    for a in accs
        .iter()
        .filter(|a| a.status != "CLOSED" && a.kind != "LOAN")
    {
        let mut rng = st.at(a.id as u64);
        let first =
            add_months(first_of_month(a.open), 1).max(add_months(first_of_month(as_of), -5));
        let mut month = first;
        let mut balance = lognormal(3000.0, 1.0, rng.random());
        while month <= first_of_month(as_of) {
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
                    s(line_type),
                    money(amount),
                ]);
            }
            month = add_months(month, 1);
        }
    }
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

/// Writes the bank into `dir` (created if needed), one file per table.
pub fn write(tables: &[BankTable], dir: &Path, format: SampleFormat) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| Error::Output {
        path: dir.to_path_buf(),
        message: format!("cannot create the sample directory ({e})").into(),
    })?;
    for t in tables {
        let lower = t.name.to_ascii_lowercase();
        match format {
            SampleFormat::Csv => write_csv(t, &dir.join(format!("{lower}.csv")))?,
            SampleFormat::Parquet => write_parquet(t, &dir.join(format!("{lower}.parquet")))?,
        }
    }
    Ok(())
}

fn write_csv(t: &BankTable, path: &Path) -> Result<()> {
    let err = |e: csv::Error| Error::Output {
        path: path.to_path_buf(),
        message: format!("cannot write CSV: {e}").into(),
    };
    let mut w = csv::Writer::from_path(path).map_err(err)?;
    w.write_record(t.columns.iter().map(|c| c.0)).map_err(err)?;
    for row in &t.rows {
        w.write_record(row.iter().zip(&t.columns).map(|(v, c)| v.render(c.1)))
            .map_err(err)?;
    }
    w.flush().map_err(|e| Error::io(path, e))
}

fn write_parquet(t: &BankTable, path: &Path) -> Result<()> {
    let err = |message: String| Error::Output {
        path: path.to_path_buf(),
        message: message.into(),
    };
    let mut fields = Vec::new();
    let mut arrays: Vec<ArrayRef> = Vec::new();
    for (c, (name, ty)) in t.columns.iter().enumerate() {
        let values = t.rows.iter().map(|r| &r[c]);
        let (data_type, array): (DataType, ArrayRef) = match ty {
            LogicalType::Integer => {
                let mut b = Int64Builder::new();
                values.for_each(|v| {
                    b.append_option(if let Value::Int(x) = v {
                        Some(*x)
                    } else {
                        None
                    })
                });
                (DataType::Int64, Arc::new(b.finish()))
            }
            LogicalType::Decimal { precision, scale } => {
                let mut b = Decimal128Builder::new();
                values.for_each(|v| {
                    b.append_option(if let Value::Decimal(x) = v {
                        Some(*x)
                    } else {
                        None
                    })
                });
                let a = b
                    .finish()
                    .with_precision_and_scale(*precision, *scale as i8)
                    .map_err(|e| err(e.to_string()))?;
                (DataType::Decimal128(*precision, *scale as i8), Arc::new(a))
            }
            LogicalType::Float => {
                let mut b = Float64Builder::new();
                values.for_each(|v| {
                    b.append_option(if let Value::Float(x) = v {
                        Some(*x)
                    } else {
                        None
                    })
                });
                (DataType::Float64, Arc::new(b.finish()))
            }
            LogicalType::Boolean => {
                let mut b = BooleanBuilder::new();
                values.for_each(|v| {
                    b.append_option(if let Value::Bool(x) = v {
                        Some(*x)
                    } else {
                        None
                    })
                });
                (DataType::Boolean, Arc::new(b.finish()))
            }
            LogicalType::Date => {
                let mut b = Date32Builder::new();
                values.for_each(|v| {
                    b.append_option(if let Value::Date(x) = v {
                        Some(*x)
                    } else {
                        None
                    })
                });
                (DataType::Date32, Arc::new(b.finish()))
            }
            LogicalType::Timestamp => {
                let mut b = TimestampMicrosecondBuilder::new();
                values.for_each(|v| {
                    b.append_option(if let Value::Timestamp(x) = v {
                        Some(*x)
                    } else {
                        None
                    })
                });
                (
                    DataType::Timestamp(TimeUnit::Microsecond, None),
                    Arc::new(b.finish()),
                )
            }
            LogicalType::Categorical | LogicalType::Text => {
                let mut b = StringBuilder::new();
                values.for_each(|v| {
                    b.append_option(if let Value::Str(x) = v {
                        Some(x.as_str())
                    } else {
                        None
                    })
                });
                (DataType::Utf8, Arc::new(b.finish()))
            }
        };
        fields.push(Field::new(*name, data_type, true));
        arrays.push(array);
    }
    let batch = RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays)
        .map_err(|e| err(e.to_string()))?;
    let file = std::fs::File::create(path).map_err(|e| Error::io(path, e))?;
    let mut writer = parquet::arrow::ArrowWriter::try_new(file, batch.schema(), None)
        .map_err(|e| err(e.to_string()))?;
    writer.write(&batch).map_err(|e| err(e.to_string()))?;
    writer.close().map_err(|e| err(e.to_string()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::{iban_valid, luhn_valid};
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
