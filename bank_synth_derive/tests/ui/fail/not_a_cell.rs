use bank_synth_derive::BankSynth;

#[derive(BankSynth)]
#[bank_synth(model = "../tests/fixture_consumer/models/CORE_modelpack", table = "CUSTOMERS")]
struct Customer {
    customer_id: Vec<u8>,
}

fn main() {}
