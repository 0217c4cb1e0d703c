//! Second parents that keys depend on: a junction table whose primary key is its two
//! foreign keys never repeats a pair, and a 1:1 second parent is never referenced twice.

use bank_synth_core::generate::{Engine, Plan, PlanRequest};
use bank_synth_core::train::{TrainInputs, train};
use bank_synth_core::{ModelPack, Value};
use std::collections::HashSet;
use std::fmt::Write;
use std::path::Path;

// CUSTOMERS and ACCOUNTS hold only public columns and are small, so they would be kept
// verbatim as reference tables; these tests generate new ones.
const TABLES: &str = "tables: [CUSTOMERS, ACCOUNTS, ACCOUNT_HOLDERS, LOGINS]
table_config:
  CUSTOMERS: {primary_key: [CUSTOMER_ID], reference: false}
  ACCOUNTS: {primary_key: [ACCOUNT_ID], reference: false}
  ACCOUNT_HOLDERS: {primary_key: [ACCOUNT_ID, CUSTOMER_ID]}
  LOGINS: {primary_key: [LOGIN_ID]}
";

const RELATIONSHIPS: &str = "relationships:
  - {name: fk_holders_account, parent_table: ACCOUNTS, parent_columns: [ACCOUNT_ID], child_table: ACCOUNT_HOLDERS, child_columns: [ACCOUNT_ID], cardinality: '1:N'}
  - {name: fk_holders_customer, parent_table: CUSTOMERS, parent_columns: [CUSTOMER_ID], child_table: ACCOUNT_HOLDERS, child_columns: [CUSTOMER_ID], cardinality: '1:N'}
  - {name: fk_logins_account, parent_table: ACCOUNTS, parent_columns: [ACCOUNT_ID], child_table: LOGINS, child_columns: [ACCOUNT_ID], cardinality: '1:N'}
  - {name: fk_logins_customer, parent_table: CUSTOMERS, parent_columns: [CUSTOMER_ID], child_table: LOGINS, child_columns: [CUSTOMER_ID], cardinality: '1:1'}
";

/// 40 customers, 30 accounts with 1–3 distinct holders each (a few popular
/// customers hold many), 35 logins for distinct customers.
fn write_samples(dir: &Path) {
    let mut customers = String::from("CUSTOMER_ID,SEGMENT\n");
    for c in 1..=40 {
        let _ = writeln!(
            customers,
            "{c},{}",
            if c % 3 == 0 { "SME" } else { "RETAIL" }
        );
    }
    let mut accounts = String::from("ACCOUNT_ID,ACCOUNT_TYPE\n");
    let mut holders = String::from("ACCOUNT_ID,CUSTOMER_ID,HOLDER_ROLE\n");
    for a in 1..=30 {
        let _ = writeln!(
            accounts,
            "{a},{}",
            if a % 2 == 0 { "CHECKING" } else { "SAVINGS" }
        );
        for h in 0..(1 + a % 3) {
            let customer = if h == 0 {
                1 + a % 4
            } else {
                5 + (a * 7 + h * 11) % 36
            };
            let role = if h == 0 { "PRIMARY" } else { "JOINT" };
            let _ = writeln!(holders, "{a},{customer},{role}");
        }
    }
    let mut logins = String::from("LOGIN_ID,ACCOUNT_ID,CUSTOMER_ID\n");
    for l in 1..=35 {
        let _ = writeln!(logins, "{l},{},{}", 1 + (l * 13) % 30, l);
    }
    for (name, text) in [
        ("customers.csv", customers),
        ("accounts.csv", accounts),
        ("account_holders.csv", holders),
        ("logins.csv", logins),
    ] {
        std::fs::write(dir.join(name), text).unwrap();
    }
}

fn pack(dir: &Path) -> ModelPack {
    write_samples(dir);
    std::fs::write(dir.join("tables.yaml"), TABLES).unwrap();
    std::fs::write(dir.join("relationships.yaml"), RELATIONSHIPS).unwrap();
    train(&TrainInputs {
        tables_file: Some(dir.join("tables.yaml")),
        relationships_file: Some(dir.join("relationships.yaml")),
        ..TrainInputs::samples("JUNCTIONS", dir)
    })
    .unwrap()
}

fn generate(
    pack: &ModelPack,
    target: &str,
    rows: u64,
    overrides: &[(&str, u64)],
) -> Vec<Vec<Value>> {
    let plan = Plan::new(
        pack,
        &PlanRequest {
            target_table: target.into(),
            target_rows: rows,
            include_children: false,
            table_rows: overrides
                .iter()
                .map(|(t, n)| ((*t).to_string(), *n))
                .collect(),
            parent_scale: 1.0,
            seed: 3,
        },
    )
    .unwrap();
    let engine = Engine::new(pack, &plan).unwrap();
    let t = plan.tables.iter().position(|p| p.name == target).unwrap();
    engine.rows_range(t, 0, engine.rows(t))
}

#[test]
fn junction_rows_never_repeat_their_pair_of_parents() {
    let dir = tempfile::tempdir().unwrap();
    let pack = pack(dir.path());
    // Few customers for many holder rows: repeats would be frequent without the rule.
    let rows = generate(&pack, "ACCOUNT_HOLDERS", 4000, &[("CUSTOMERS", 12)]);
    let holders = pack.table("ACCOUNT_HOLDERS").unwrap();
    let (a, c) = (
        holders.column_index("ACCOUNT_ID").unwrap(),
        holders.column_index("CUSTOMER_ID").unwrap(),
    );
    let pairs: HashSet<(String, String)> = rows
        .iter()
        .map(|r| (format!("{:?}", r[a]), format!("{:?}", r[c])))
        .collect();
    assert_eq!(
        pairs.len(),
        rows.len(),
        "an (ACCOUNT_ID, CUSTOMER_ID) pair repeats"
    );
}

#[test]
fn a_one_to_one_second_parent_is_never_shared() {
    let dir = tempfile::tempdir().unwrap();
    let pack = pack(dir.path());
    let rows = generate(&pack, "LOGINS", 3000, &[]);
    let logins = pack.table("LOGINS").unwrap();
    let c = logins.column_index("CUSTOMER_ID").unwrap();
    let customers: Vec<_> = rows.iter().map(|r| &r[c]).collect();
    assert!(
        customers.iter().all(|v| !v.is_null()),
        "the 1:1 reference is NOT NULL"
    );
    let distinct: HashSet<String> = customers.iter().map(|v| format!("{v:?}")).collect();
    assert_eq!(distinct.len(), rows.len(), "a customer has two logins");

    // Fewer customers than logins cannot be 1:1: a clear error, not duplicates.
    let plan = Plan::new(
        &pack,
        &PlanRequest {
            target_table: "LOGINS".into(),
            target_rows: 100,
            include_children: false,
            table_rows: [("CUSTOMERS".to_string(), 10)].into(),
            parent_scale: 1.0,
            seed: 3,
        },
    )
    .unwrap();
    let e = Engine::new(&pack, &plan)
        .err()
        .expect("refused")
        .to_string();
    assert!(
        e.contains("fk_logins_customer is 1:1") && e.contains("at least 100"),
        "{e}"
    );
}
