use bank_synth_derive::BankSynth;

#[derive(BankSynth)]
#[bank_synth(model = "../tests/fixture_consumer/models/CORE_modelpack", table = "CUSTOMERS")]
struct Customer {
    credit_score: i8,
}

fn main() {}
