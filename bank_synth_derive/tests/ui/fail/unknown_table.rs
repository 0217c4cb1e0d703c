use bank_synth_derive::BankSynth;

#[derive(BankSynth)]
#[bank_synth(model = "../tests/fixture_consumer/models/CORE_modelpack", table = "CUSTOMER")]
struct Customer {
    customer_id: i64,
}

fn main() {}
