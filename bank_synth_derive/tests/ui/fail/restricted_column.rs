use bank_synth_derive::BankSynth;

#[derive(BankSynth)]
#[bank_synth(model = "../tests/fixture_consumer/models/CORE_modelpack", table = "CUSTOMERS")]
struct Customer {
    customer_id: i64,
    aml_risk_rating: String,
}

fn main() {}
