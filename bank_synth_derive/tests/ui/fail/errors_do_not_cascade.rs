use bank_synth_core::fixtures::{Fixtures, TableRow};
use bank_synth_derive::BankSynth;

// One wrong column: the one error, not also "no function `generate`" or "`TableRow` is
// not implemented" where the struct is used.
#[derive(Debug, BankSynth)]
#[bank_synth(model = "../tests/fixture_consumer/models/CORE_modelpack", table = "CUSTOMERS")]
struct Customer {
    customer_id: i64,
    segmnt: String,
}

fn main() {
    let customers = Customer::generate(42, 3);
    let data = Fixtures::new(Customer::model_pack(), 42)
        .target("CUSTOMERS", 3)
        .build();
    assert_eq!(data.rows::<Customer>().len(), customers.len());
}
