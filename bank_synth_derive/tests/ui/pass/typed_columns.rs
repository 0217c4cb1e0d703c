//! Decimals, timestamps, optional text, a renamed key in a narrower integer, and a type
//! of the user's own that implements Cell.

use bank_synth_core::fixtures::{Cell, Decimal, LogicalType, NaiveDateTime, TableRow, Value};
use bank_synth_derive::BankSynth;

#[derive(Debug, PartialEq)]
enum Channel {
    Card,
    Other(String),
}

impl Cell for Channel {
    fn from_cell(value: &Value, ty: LogicalType) -> Result<Self, String> {
        let text = String::from_cell(value, ty)?;
        Ok(if text == "CARD" { Channel::Card } else { Channel::Other(text) })
    }
    fn to_cell(&self, _: LogicalType) -> Value {
        match self {
            Channel::Card => Value::Str("CARD".into()),
            Channel::Other(s) => Value::Str(s.as_str().into()),
        }
    }
}

#[derive(Debug, BankSynth)]
#[bank_synth(model = "../tests/fixture_consumer/models/CORE_modelpack", table = "transactions")]
struct Txn {
    #[bank_synth(column = "txn_id")]
    id: u64,
    account_id: i64,
    txn_ts: NaiveDateTime,
    amount: Decimal,
    txn_type: String,
    channel: Channel,
    mcc: Option<String>,
}

fn main() {
    let txns = Txn::generate(7, 300);
    assert_eq!(txns.len(), 300);
    for t in &txns {
        assert_eq!(t.amount < Decimal::ZERO, t.txn_type == "DEBIT", "{t:?}");
        assert_eq!(t.mcc.is_some(), t.channel == Channel::Card, "{t:?}");
        assert!(t.id >= 1 && t.account_id >= 1);
    }
    assert_eq!(txns[0].to_cells().len(), Txn::COLUMNS.len());
}
