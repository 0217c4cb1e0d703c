//! BRANCHES: REGION is a function of CITY; popularity among customers is skewed.

use super::{Bank, BankTable, lognormal, text};
use bank_synth_core::value::{LogicalType, Value, parse_date};
use rand::RngExt;
use rand_chacha::ChaCha8Rng;

/// Cities and the region each belongs to.
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

/// The first BRANCH_ID.
const FIRST_ID: i64 = 101;

/// Draws a BRANCH_ID, popular branches more often.
pub(super) struct BranchPicker {
    popularity: Vec<f64>,
}

impl BranchPicker {
    pub(super) fn pick(&self, rng: &mut ChaCha8Rng) -> i64 {
        let total: f64 = self.popularity.iter().sum();
        let mut u = rng.random::<f64>() * total;
        for (i, w) in self.popularity.iter().enumerate() {
            if u < *w {
                return FIRST_ID + i as i64;
            }
            u -= w;
        }
        FIRST_ID + self.popularity.len() as i64 - 1
    }
}

/// The branches, and how popular each is.
pub(super) fn generate(bank: &Bank) -> (BankTable, BranchPicker) {
    let count = (30.0 * bank.scale.sqrt()).round().max(5.0) as usize;
    let stream = bank.stream("BRANCHES");
    let mut branches = BankTable::new(
        "BRANCHES",
        vec![
            ("BRANCH_ID", LogicalType::Integer),
            ("BRANCH_NAME", LogicalType::Text),
            ("CITY", LogicalType::Text),
            ("REGION", LogicalType::Text),
            ("OPENED_DATE", LogicalType::Date),
        ],
    );
    let first_opening = parse_date("1975-01-01").expect("a valid date");
    let mut popularity = Vec::with_capacity(count);
    for i in 0..count {
        let mut rng = stream.at(i as u64);
        let (city, region) = CITIES[(i * 7 + rng.random_range(0..3)) % CITIES.len()];
        let opened = first_opening + rng.random_range(0..40 * 365);
        popularity.push(lognormal(1.0, 0.8, rng.random()));
        let name = ["Main", "Downtown", "Uptown", "Plaza", "Park"][i % 5];
        branches.rows.push(vec![
            Value::Int(FIRST_ID + i as i64),
            Value::Str(format!("{city} {name}").into()),
            text(city),
            text(region),
            Value::Date(opened),
        ]);
    }
    (branches, BranchPicker { popularity })
}
