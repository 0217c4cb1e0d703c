//! The README's example: a subset of CUSTOMERS' columns, one renamed, one optional.

use bank_synth_core::fixtures::{Fixtures, TableRow};
use bank_synth_derive::BankSynth;

#[derive(Debug, BankSynth)]
#[bank_synth(model = "../tests/fixture_consumer/models/CORE_modelpack", table = "CUSTOMERS")]
struct Customer {
    customer_id: i64,
    #[bank_synth(column = "SEGMENT")]
    tier: String,
    credit_score: Option<i32>,
    referred_by: Option<i64>,
}

fn main() {
    let customers = Customer::generate(42, 25);
    assert_eq!(customers.len(), 25);
    for c in &customers {
        assert!(["RETAIL", "SME", "PRIVATE"].contains(&c.tier.as_str()), "{c:?}");
        assert!(c.credit_score.is_some(), "CREDIT_SCORE is never NULL");
        assert!(c.referred_by.is_none_or(|r| r < c.customer_id), "{c:?}");
    }
    // A dataset yields the user's type, with the same rows as generate().
    let data = Fixtures::new(Customer::model_pack(), 42)
        .target("customers", 25)
        .build();
    let again = data.rows::<Customer>();
    assert_eq!(format!("{again:?}"), format!("{customers:?}"));
}
