//! Typed bank fixtures generated at build time from `models/CORE_modelpack` (trained on
//! the repository's committed sample bank), the way a downstream test suite uses
//! bank_synth.
//!
//! Foreign keys carry their parent's key type, so lookups only take the right key:
//!
//! ```
//! use fixture_consumer::core_fixtures::{Fixtures, Table};
//! let data = Fixtures::seeded(1).target(Table::Accounts, 3).build();
//! let account = &data.accounts[0];
//! assert!(data.customer(&account.customer_id).is_some());
//! ```
//!
//! and an account's own id is not a customer id:
//!
//! ```compile_fail,E0308
//! use fixture_consumer::core_fixtures::{Fixtures, Table};
//! let data = Fixtures::seeded(1).target(Table::Accounts, 3).build();
//! let account = &data.accounts[0];
//! data.customer(&account.account_id);
//! ```

include!(concat!(env!("OUT_DIR"), "/core_fixtures.rs"));

#[cfg(test)]
mod readme_example;

/// The same module checked in: `bank_synth codegen --model models/CORE_modelpack --out
/// src/checked_in_fixtures.rs` (a test of bank_synth_cli keeps it fresh). Generated code
/// keeps its generator's layout, so `cargo fmt` leaves it alone.
#[rustfmt::skip]
pub mod checked_in_fixtures;

#[cfg(test)]
mod tests {
    use super::core_fixtures::*;
    use bank_synth_core::fixtures::Decimal;

    fn transactions(seed: u64, rows: u64) -> Dataset {
        Fixtures::seeded(seed)
            .target(Table::Transactions, rows)
            .build()
    }

    #[test]
    fn the_target_gets_exactly_its_rows_and_every_parent() {
        let data = transactions(7, 300);
        assert_eq!(data.transactions.len(), 300);
        assert!(!data.accounts.is_empty() && !data.customers.is_empty());
        assert!(!data.branches.is_empty());
        assert!(
            data.cards.is_empty(),
            "children are not generated unless asked"
        );
    }

    #[test]
    fn every_foreign_key_resolves_to_a_parent_in_the_dataset() {
        let data = Fixtures::seeded(3)
            .target(Table::Customers, 40)
            .include_children()
            .build();
        assert_eq!(data.customers.len(), 40);
        assert!(!data.statement_lines.is_empty(), "grandchildren generated");
        for c in &data.customers {
            let branch = data.customer_home_branch(c).expect("home branch");
            assert_eq!(branch.branch_id, c.home_branch_id);
            if let Some(referrer) = c.referred_by {
                let r = data.customer_referred_by(c).expect("referrer present");
                assert_eq!(r.customer_id, referrer);
                assert!(
                    referrer < c.customer_id,
                    "self-references point at earlier rows"
                );
            }
        }
        for a in &data.accounts {
            assert_eq!(
                data.account_customer(a).expect("customer").customer_id,
                a.customer_id
            );
            assert_eq!(
                data.account_branch(a).expect("branch").branch_id,
                a.branch_id
            );
        }
        for t in &data.transactions {
            assert!(data.transaction_account(t).is_some());
        }
        for card in &data.cards {
            assert!(data.card_account(card).is_some());
        }
        for s in &data.statements {
            assert!(data.statement_account(s).is_some());
        }
        for line in &data.statement_lines {
            let statement = data.statement_line_statement(line).expect("statement");
            assert_eq!(statement.key(), line.statement_key());
        }
    }

    #[test]
    fn one_customer_with_everything_they_own() {
        let data = Fixtures::seeded(8)
            .one(Table::Customers)
            .include_children()
            .build();
        let [customer] = data.customers.as_slice() else {
            panic!("one customer: {:?}", data.customers);
        };
        let accounts: Vec<&Account> = data.customer_accounts(customer).collect();
        assert_eq!(
            accounts.len(),
            data.accounts.len(),
            "every account is theirs"
        );
        assert!(data.customer_home_branch(customer).is_some());
    }

    #[test]
    fn children_lookups_are_the_inverse_of_parent_lookups() {
        let data = Fixtures::seeded(5)
            .target(Table::Accounts, 60)
            .include_children()
            .build();
        let mut seen = 0;
        for a in &data.accounts {
            for t in data.account_transactions(a) {
                assert_eq!(t.account_id, a.account_id);
                seen += 1;
            }
        }
        assert_eq!(seen, data.transactions.len());
        let per_customer: usize = data
            .customers
            .iter()
            .map(|c| data.customer_accounts(c).count())
            .sum();
        assert_eq!(per_customer, data.accounts.len());
        assert!(data.customer(&CustomerId(-1)).is_none());
    }

    #[test]
    fn the_same_seed_gives_the_same_rows_and_another_seed_others() {
        assert_eq!(transactions(11, 200), transactions(11, 200));
        assert_ne!(
            transactions(11, 200).transactions,
            transactions(12, 200).transactions
        );
    }

    #[test]
    fn enums_and_options_carry_the_learned_rules() {
        let data = transactions(21, 2000);
        for t in &data.transactions {
            // Sign follows the transaction type (a learned rule), checked on typed values.
            match t.txn_type {
                TransactionTxnType::Debit => assert!(t.amount < Decimal::ZERO, "{t:?}"),
                TransactionTxnType::Credit => assert!(t.amount > Decimal::ZERO, "{t:?}"),
            }
            // MCC only on card payments.
            assert_eq!(
                t.mcc.is_some(),
                t.channel == TransactionChannel::Card,
                "{t:?}"
            );
        }
        let channels: std::collections::BTreeSet<_> =
            data.transactions.iter().map(|t| t.channel).collect();
        assert!(channels.len() > 2, "several channels: {channels:?}");
        assert_eq!(TransactionChannel::Card.as_str(), "CARD");
        assert_eq!(AccountType::CreditCard.to_string(), "CREDIT_CARD");
    }

    #[test]
    fn impossible_settings_are_errors_not_panics() {
        let e = Fixtures::seeded(1)
            .target(Table::Customers, 10)
            .table_rows(Table::Transactions, 5)
            .try_build()
            .unwrap_err();
        assert!(e.to_string().contains("TRANSACTIONS"), "{e}");
        let e = Fixtures::seeded(1).try_build().unwrap_err();
        assert!(e.to_string().contains("no target table"), "{e}");
    }

    #[test]
    fn the_checked_in_module_file_yields_the_build_scripts_rows() {
        use super::checked_in_fixtures as checked_in;
        use bank_synth_core::fixtures::TableRow;
        let built = transactions(9, 50);
        let checked = checked_in::Fixtures::seeded(9)
            .target(checked_in::Table::Transactions, 50)
            .build();
        let cells = |rows: &[Transaction]| rows.iter().map(TableRow::to_cells).collect::<Vec<_>>();
        let checked_cells: Vec<_> = checked
            .transactions
            .iter()
            .map(TableRow::to_cells)
            .collect();
        assert_eq!(cells(&built.transactions), checked_cells);
        let account = &checked.accounts[0];
        assert_eq!(
            checked.account_transactions(account).count(),
            built
                .account_transactions(built.account(&AccountId(account.account_id.0)).unwrap())
                .count()
        );
    }
}
