use bank_synth_derive::BankSynth;

#[derive(BankSynth)]
#[bank_synth(model = "../tests/fixture_consumer/models/CORE_modelpack", table = "CUSTOMERS")]
struct Customer {
    birth_date: i64,
    #[bank_synth(column = "ANNUAL_INCOME")]
    income: bool,
}

fn main() {}
