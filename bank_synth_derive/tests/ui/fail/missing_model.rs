use bank_synth_derive::BankSynth;

#[derive(BankSynth)]
#[bank_synth(model = "models/nowhere", table = "CUSTOMERS")]
struct Customer {
    customer_id: i64,
}

fn main() {}
