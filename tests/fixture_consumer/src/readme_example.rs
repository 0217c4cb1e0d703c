use crate::core_fixtures::{Fixtures, Table, TransactionTxnType};

#[test]
fn every_transaction_has_its_account_and_customer() {
    let data = Fixtures::seeded(42)
        .target(Table::Transactions, 1_000)
        .build();
    assert_eq!(data.transactions.len(), 1_000);
    for txn in &data.transactions {
        let account = data.transaction_account(txn).expect("FK resolves");
        let customer = data.account_customer(account).expect("FK resolves");
        assert_eq!(account.customer_id, customer.customer_id);
        if txn.txn_type == TransactionTxnType::Debit {
            assert!(txn.amount.is_sign_negative());
        }
    }
}
