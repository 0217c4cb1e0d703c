use bank_synth_derive::BankSynth;

#[derive(BankSynth)]
struct Customer {
    customer_id: i64,
}

fn main() {}
