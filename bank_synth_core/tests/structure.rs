//! Shapes across tables, planted in small schemas and kept on every generated row: a
//! closed diamond (a payment's customer is its rental's customer), a value copied from a
//! parent that does not group the rows, a second parent with exactly one child each
//! (a bijection), a table reached from the target through a non-grouping parent sized
//! from its learned counts, and a reference catalogue under a modelled parent.

mod common;

use bank_synth_core::model::{Dependency, ModelPack};
use bank_synth_core::{LogicalType, Value};
use chrono::Datelike;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write;
use std::path::Path;

/// Writes `files` (name, text) and the two configs into `dir` and trains them.
fn train_schema(
    dir: &Path,
    files: &[(&str, String)],
    tables: &str,
    relationships: &str,
) -> ModelPack {
    let mut all: Vec<(&str, &str)> = files.iter().map(|(n, t)| (*n, t.as_str())).collect();
    all.extend([
        ("tables.yaml", tables),
        ("relationships.yaml", relationships),
    ]);
    common::train_files(dir, "S", &all)
}

/// Every planned table's rows, by name, with the column index lookup.
struct Run {
    tables: BTreeMap<String, Vec<Vec<Value>>>,
    pack: ModelPack,
}

impl Run {
    fn new(pack: ModelPack, target: &str, rows: u64, include_children: bool) -> Run {
        let tables = common::generate(&pack, target, rows, include_children, 11);
        Run { tables, pack }
    }

    /// Column `column` of every row of `table`, as text.
    fn column(&self, table: &str, column: &str) -> Vec<String> {
        let c = self
            .pack
            .table(table)
            .unwrap()
            .column_index(column)
            .unwrap();
        self.tables[table]
            .iter()
            .map(|r| r[c].render(LogicalType::Integer))
            .collect()
    }
}

const PAYMENTS_TABLES: &str = "table_config:
  CUSTOMERS: {primary_key: [CUSTOMER_ID], reference: false}
  RENTALS: {primary_key: [RENTAL_ID]}
  PAYMENTS: {primary_key: [PAYMENT_ID]}
";
const PAYMENTS_RELATIONSHIPS: &str = "relationships:
  - {name: fk_rentals_customer, parent_table: CUSTOMERS, parent_columns: [CUSTOMER_ID], child_table: RENTALS, child_columns: [CUSTOMER_ID], cardinality: '1:N'}
  - {name: fk_payments_rental, parent_table: RENTALS, parent_columns: [RENTAL_ID], child_table: PAYMENTS, child_columns: [RENTAL_ID], cardinality: '1:N'}
  - {name: fk_payments_customer, parent_table: CUSTOMERS, parent_columns: [CUSTOMER_ID], child_table: PAYMENTS, child_columns: [CUSTOMER_ID], cardinality: '1:N'}
";

/// 50 customers, 200 rentals, 300 payments whose customer is their rental's, and whose
/// amount is their rental's fee.
fn payments() -> Vec<(&'static str, String)> {
    let mut customers = String::from("CUSTOMER_ID,STORE\n");
    for c in 1..=50 {
        let _ = writeln!(customers, "{c},{}", ["NORTH", "SOUTH"][c % 2]);
    }
    let mut rentals = String::from("RENTAL_ID,CUSTOMER_ID,FEE\n");
    let mut rental_customer = HashMap::new();
    for r in 1..=200usize {
        let customer = 1 + (r * 17) % 50;
        rental_customer.insert(r, customer);
        let _ = writeln!(rentals, "{r},{customer},{}.99", 1 + r % 5);
    }
    let mut pay = String::from("PAYMENT_ID,RENTAL_ID,CUSTOMER_ID,AMOUNT\n");
    for p in 1..=300usize {
        let rental = 1 + (p * 7) % 200;
        let _ = writeln!(
            pay,
            "{p},{rental},{},{}.99",
            rental_customer[&rental],
            1 + rental % 5
        );
    }
    vec![
        ("customers.csv", customers),
        ("rentals.csv", rentals),
        ("payments.csv", pay),
    ]
}

#[test]
fn a_closed_diamond_stays_closed_and_a_parents_value_is_copied() {
    let dir = tempfile::tempdir().unwrap();
    let pack = train_schema(
        dir.path(),
        &payments(),
        PAYMENTS_TABLES,
        PAYMENTS_RELATIONSHIPS,
    );
    let through = pack
        .relationship("fk_payments_customer")
        .unwrap()
        .through
        .clone()
        .unwrap();
    assert_eq!(
        (through.via.as_str(), through.share),
        ("fk_payments_rental", 1.0)
    );
    let amount = pack.table("PAYMENTS").unwrap().column("AMOUNT").unwrap();
    assert!(
        matches!(&amount.depends_on, Some(Dependency::Copy { column, .. }) if column == "FEE"),
        "AMOUNT copies the rental's FEE: {:?}",
        amount.depends_on
    );

    common::assert_values_alone_are_the_rows(&pack, "CUSTOMERS", 20, 3);
    let run = Run::new(pack, "PAYMENTS", 2_000, false);
    let rental_customer: HashMap<String, String> = run
        .column("RENTALS", "RENTAL_ID")
        .into_iter()
        .zip(run.column("RENTALS", "CUSTOMER_ID"))
        .collect();
    let fee: HashMap<String, String> = run
        .column("RENTALS", "RENTAL_ID")
        .into_iter()
        .zip(run.column("RENTALS", "FEE"))
        .collect();
    let rentals = run.column("PAYMENTS", "RENTAL_ID");
    let customers = run.column("PAYMENTS", "CUSTOMER_ID");
    let amounts = run.column("PAYMENTS", "AMOUNT");
    for ((rental, customer), amount) in rentals.iter().zip(&customers).zip(&amounts) {
        assert_eq!(&rental_customer[rental], customer, "the diamond is closed");
        assert_eq!(&fee[rental], amount, "the amount is the rental's fee");
    }
}

/// A second parent whose every row has exactly one child (each login belongs to its
/// own device) becomes a bijection: no device is generated twice or left out.
#[test]
fn an_exactly_one_second_parent_is_a_bijection() {
    let dir = tempfile::tempdir().unwrap();
    let mut users = String::from("USER_ID,SEGMENT\n");
    let mut devices = String::from("DEVICE_ID,OS\n");
    let mut logins = String::from("LOGIN_ID,USER_ID,DEVICE_ID\n");
    for u in 1..=60 {
        let _ = writeln!(users, "{u},{}", if u % 3 == 0 { "SME" } else { "RETAIL" });
    }
    for l in 1..=300 {
        let _ = writeln!(devices, "{l},{}", ["IOS", "ANDROID"][l % 2]);
        let _ = writeln!(logins, "{l},{},{}", 1 + (l * 7) % 60, 301 - l);
    }
    let pack = train_schema(
        dir.path(),
        &[("users.csv", users), ("devices.csv", devices), ("logins.csv", logins)],
        "table_config:\n  USERS: {reference: false}\n  DEVICES: {reference: false}\n",
        "relationships:
  - {parent_table: USERS, parent_columns: [USER_ID], child_table: LOGINS, child_columns: [USER_ID], cardinality: '1:N'}
  - {parent_table: DEVICES, parent_columns: [DEVICE_ID], child_table: LOGINS, child_columns: [DEVICE_ID], cardinality: '1:N'}
",
    );
    let run = Run::new(pack, "LOGINS", 2_000, false);
    let picked = run.column("LOGINS", "DEVICE_ID");
    let distinct: HashSet<&String> = picked.iter().collect();
    assert_eq!(distinct.len(), picked.len(), "a device is referenced twice");
    assert_eq!(
        run.tables["DEVICES"].len(),
        picked.len(),
        "every device has its login"
    );
}

/// From a store with its children, a customer (grouped under an address, referencing
/// its store) is sized from the stores' learned customer counts, not at one row.
#[test]
fn a_child_reached_through_a_second_parent_is_sized_from_its_counts() {
    let dir = tempfile::tempdir().unwrap();
    let mut stores = String::from("STORE_ID,CITY\n");
    for s in 1..=4 {
        let _ = writeln!(stores, "{s},{}", ["LYON", "NICE"][s % 2]);
    }
    let mut addresses = String::from("ADDRESS_ID,DISTRICT\n");
    let mut customers = String::from("CUSTOMER_ID,ADDRESS_ID,STORE_ID\n");
    for c in 1..=200 {
        let _ = writeln!(addresses, "{c},{}", ["EAST", "WEST"][c % 2]);
        let _ = writeln!(customers, "{c},{c},{}", 1 + c % 4);
    }
    let pack = train_schema(
        dir.path(),
        &[("stores.csv", stores), ("addresses.csv", addresses), ("customers.csv", customers)],
        "table_config:\n  STORES: {reference: false}\n  ADDRESSES: {reference: false}\n",
        "relationships:
  - {parent_table: ADDRESSES, parent_columns: [ADDRESS_ID], child_table: CUSTOMERS, child_columns: [ADDRESS_ID], cardinality: '1:N'}
  - {parent_table: STORES, parent_columns: [STORE_ID], child_table: CUSTOMERS, child_columns: [STORE_ID], cardinality: '1:N'}
",
    );
    let run = Run::new(pack, "STORES", 10, true);
    // 50 customers per store in the sample.
    assert_eq!(run.tables["CUSTOMERS"].len(), 500);
    assert!(
        run.tables["ADDRESSES"].len() >= 500,
        "each customer has an address"
    );
}

/// A catalogue of 40 products under 12 suppliers whose contacts are pii.
fn catalogue() -> Vec<(&'static str, String)> {
    let mut suppliers = String::from("SUPPLIER_ID,CONTACT_NAME,COUNTRY,PHONE\n");
    for s in 1..=12 {
        let country = ["FR", "DE", "UK"][s % 3];
        let _ = writeln!(suppliers, "{s},Contact {s},{country},555-01{s:02}");
    }
    let mut products = String::from("PRODUCT_ID,SUPPLIER_ID,PRODUCT_NAME,PRICE\n");
    for p in 1..=40 {
        let _ = writeln!(products, "{p},{},Product {p},{}.50", 1 + p % 12, 3 + p % 7);
    }
    let mut orders = String::from("ORDER_ID,PRODUCT_ID,QUANTITY\n");
    for o in 1..=300 {
        let _ = writeln!(orders, "{o},{},{}", 1 + (o * 7) % 40, 1 + o % 9);
    }
    vec![
        ("suppliers.csv", suppliers),
        ("products.csv", products),
        ("orders.csv", orders),
        (
            "privacy.yaml",
            "tables:\n  SUPPLIERS:\n    CONTACT_NAME: {level: pii, faker_provider: name}\n".into(),
        ),
    ]
}

const CATALOGUE_RELATIONSHIPS: &str = "relationships:
  - {parent_table: SUPPLIERS, parent_columns: [SUPPLIER_ID], child_table: PRODUCTS, child_columns: [SUPPLIER_ID], cardinality: '1:N'}
  - {parent_table: PRODUCTS, parent_columns: [PRODUCT_ID], child_table: ORDERS, child_columns: [PRODUCT_ID], cardinality: '1:N'}
";

/// The catalogue trained with `tables` as tables.yaml.
fn catalogue_pack(tables: &str) -> ModelPack {
    let dir = tempfile::tempdir().unwrap();
    train_schema(dir.path(), &catalogue(), tables, CATALOGUE_RELATIONSHIPS)
}

/// Suppliers that tables.yaml makes a reference table although their contacts are pii:
/// the public columns are replayed as they are (each supplier in its country), the
/// contact names and the phones (public, but given a faker) are made up on every row —
/// none from the sample, none in the pack.
#[test]
fn a_reference_table_makes_up_its_pii_columns() {
    let pack = catalogue_pack(
        "table_config:\n  SUPPLIERS:\n    reference: true\n    columns:\n      PHONE: {faker_provider: phone_number}\n",
    );
    let suppliers = pack.table("SUPPLIERS").unwrap();
    assert!(suppliers.reference_rows.is_some());
    let json = serde_json::to_string(&pack).unwrap();
    assert!(!json.contains("Contact "), "no contact name in the pack");
    assert!(!json.contains("555-01"), "no sample phone in the pack");

    common::assert_values_alone_are_the_rows(&pack, "SUPPLIERS", 12, 2);
    let run = Run::new(pack, "ORDERS", 500, false);
    let ids = run.column("SUPPLIERS", "SUPPLIER_ID");
    let countries = run.column("SUPPLIERS", "COUNTRY");
    let expected: Vec<String> = (1..=12)
        .map(|s| ["FR", "DE", "UK"][s % 3].to_string())
        .collect();
    assert_eq!(ids, (1..=12).map(|s| s.to_string()).collect::<Vec<_>>());
    assert_eq!(countries, expected, "each supplier in its country");
    let names = run.column("SUPPLIERS", "CONTACT_NAME");
    assert!(
        names
            .iter()
            .all(|n| !n.is_empty() && !n.starts_with("Contact ")),
        "made-up names: {names:?}"
    );
    assert!(
        names.iter().collect::<HashSet<_>>().len() > 6,
        "varied: {names:?}"
    );
    let phones = run.column("SUPPLIERS", "PHONE");
    assert!(
        phones
            .iter()
            .all(|p| !p.is_empty() && !p.starts_with("555-01")),
        "made-up phones: {phones:?}"
    );
}

/// A public catalogue under suppliers whose contacts are pii: the catalogue is replayed
/// as it is, its supplier keys point at generated suppliers, and products that shared a
/// supplier still do.
#[test]
fn a_reference_catalogue_points_at_generated_parents() {
    let pack = catalogue_pack("tables: [SUPPLIERS, PRODUCTS, ORDERS]\n");
    assert!(pack.table("PRODUCTS").unwrap().reference_rows.is_some());
    assert!(
        pack.table("SUPPLIERS").unwrap().reference_rows.is_none(),
        "a table with pii is a reference table only when tables.yaml says so"
    );
    let run = Run::new(pack, "ORDERS", 500, false);
    assert_eq!(
        run.column("PRODUCTS", "PRODUCT_NAME"),
        (1..=40).map(|p| format!("Product {p}")).collect::<Vec<_>>(),
        "the catalogue as it is"
    );
    let generated: HashSet<String> = run.column("SUPPLIERS", "SUPPLIER_ID").into_iter().collect();
    let picked = run.column("PRODUCTS", "SUPPLIER_ID");
    assert!(
        picked.iter().all(|s| generated.contains(s)),
        "no product points at a missing supplier"
    );
    // Products 1 and 13 shared supplier 2 in the sample.
    assert_eq!(picked[0], picked[12]);
    assert_ne!(picked[0], picked[1]);
}

/// 12 stores whose manager is one of their own staff (both keys NOT NULL: a cycle),
/// 6 staff in a BIG store and 2 in a SMALL one (so the staff's fan-out follows the
/// store's size, which generation reads while laying the staff out); staff names are
/// pii, so staff are modelled.
fn stores_and_staff() -> Vec<(&'static str, String)> {
    let mut stores = String::from("STORE_ID,MANAGER_STAFF_ID,SIZE\n");
    let mut staff = String::from("STAFF_ID,STORE_ID,FIRST_NAME,ROLE\n");
    let mut next = 1;
    for s in 1..=12 {
        let manager = next;
        for k in 0..(if s % 2 == 0 { 6 } else { 2 }) {
            let role = if k == 0 { "MANAGER" } else { "CLERK" };
            let _ = writeln!(staff, "{next},{s},Name{next},{role}");
            next += 1;
        }
        let _ = writeln!(stores, "{s},{manager},{}", ["BIG", "SMALL"][s % 2]);
    }
    vec![("stores.csv", stores), ("staff.csv", staff)]
}

const STORES_RELATIONSHIPS: &str = "relationships:
  - {name: fk_store_manager, parent_table: STAFF, parent_columns: [STAFF_ID], child_table: STORES, child_columns: [MANAGER_STAFF_ID], cardinality: '1:N'}
  - {name: fk_staff_store, parent_table: STORES, parent_columns: [STORE_ID], child_table: STAFF, child_columns: [STORE_ID], cardinality: '1:N'}
";

/// A cycle of NOT NULL keys is generated one side first, and the closing key points at
/// one of the row's own children, whether the stores are replayed (all public, a
/// reference table) or modelled.
#[test]
fn a_cycle_of_not_null_keys_closes_on_the_rows_own_children() {
    for reference in [true, false] {
        let dir = tempfile::tempdir().unwrap();
        let privacy =
            "tables:\n  STAFF:\n    FIRST_NAME: {level: pii, faker_provider: first_name}\n";
        let tables = format!(
            "table_config:\n  STORES: {{primary_key: [STORE_ID], reference: {reference}}}\n  STAFF: {{primary_key: [STAFF_ID]}}\n"
        );
        let samples = stores_and_staff();
        let mut files: Vec<(&str, &str)> = samples.iter().map(|(n, t)| (*n, t.as_str())).collect();
        files.extend([
            ("privacy.yaml", privacy),
            ("tables.yaml", tables.as_str()),
            ("relationships.yaml", STORES_RELATIONSHIPS),
        ]);
        let pack = common::train_files(dir.path(), "S", &files);
        assert_eq!(
            pack.table("STORES").unwrap().reference_rows.is_some(),
            reference
        );
        common::assert_values_alone_are_the_rows(&pack, "STORES", 10, 4);
        let staff_store = pack.relationship("fk_staff_store").unwrap();
        assert!(staff_store.fanout_by.is_some(), "{staff_store:?}");
        let manager = pack.relationship("fk_store_manager").unwrap();
        assert_eq!(
            manager.among_children.as_ref().map(|a| a.share),
            Some(1.0),
            "{manager:?}"
        );

        let rows = if reference { 12 } else { 40 };
        let run = Run::new(pack, "STORES", rows, true);
        let stores = run.column("STORES", "STORE_ID");
        let managers = run.column("STORES", "MANAGER_STAFF_ID");
        let store_of: HashMap<String, String> = run
            .column("STAFF", "STAFF_ID")
            .into_iter()
            .zip(run.column("STAFF", "STORE_ID"))
            .collect();
        assert!(store_of.len() > stores.len(), "every store has staff");
        let store_ids: HashSet<&String> = stores.iter().collect();
        assert!(
            store_of.values().all(|s| store_ids.contains(s)),
            "no staff orphan"
        );
        for (store, manager) in stores.iter().zip(&managers) {
            assert_eq!(
                store_of.get(manager),
                Some(store),
                "the manager {manager} of store {store} is one of its staff (reference: {reference})"
            );
        }
    }
}

/// A loan's monthly instalments, as a bank's extract holds them: from the month after the
/// loan starts (`gap` days at least), but not before the extract's first month, to its
/// last month, on day `day` of each month.
#[derive(Debug, Clone)]
struct Instalments {
    /// First and last month of the extract, as months after 2020-01.
    window: (i32, i32),
    day: u32,
    gap: i32,
    /// Each loan's start, as days after 2015-01-01.
    starts: Vec<i32>,
}

fn instalments() -> impl proptest::strategy::Strategy<Value = Instalments> {
    use proptest::prelude::*;
    (
        (0i32..24, 3i32..12),
        1u32..29,
        0i32..40,
        prop::collection::vec(0i32..3_500, 60..160),
    )
        .prop_map(|((first, len), day, gap, starts)| Instalments {
            window: (first, first + len),
            day,
            gap,
            starts,
        })
        .prop_filter("some loans start within the extract", |z| {
            let base = bank_synth_core::value::parse_date("2015-01-01").unwrap();
            let (first, last) = (z.month(z.window.0), z.month(z.window.1));
            z.starts
                .iter()
                .filter(|s| (first..last - z.gap).contains(&(base + *s)))
                .count()
                >= 3
        })
}

impl Instalments {
    fn month(&self, m: i32) -> i32 {
        let date = chrono::NaiveDate::from_ymd_opt(2020 + m / 12, (m % 12) as u32 + 1, self.day);
        bank_synth_core::value::days_from_date(date.unwrap())
    }

    fn files(&self) -> Vec<(&'static str, String)> {
        let base = bank_synth_core::value::parse_date("2015-01-01").unwrap();
        let mut loans = String::from("LOAN_ID,START_DATE,AMOUNT\n");
        let mut lines = String::from("LOAN_ID,DUE_MONTH,PAID\n");
        for (i, start) in self.starts.iter().enumerate() {
            let start = base + start;
            let _ = writeln!(loans, "{},{},{}", i + 1, format_date(start), 1000 + i * 7);
            for m in self.window.0..=self.window.1 {
                let due = self.month(m);
                if due >= start + self.gap {
                    let _ = writeln!(lines, "{},{},{}", i + 1, format_date(due), i % 3);
                }
            }
        }
        vec![("loans.csv", loans), ("instalments.csv", lines)]
    }
}

fn format_date(days: i32) -> String {
    bank_synth_core::value::format_date(days)
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 10, ..Default::default() })]

    /// Monthly children of a dated parent stay in their room: never before the parent's
    /// date plus the gap, on the calendar day, one a month, and within the extract's
    /// months — all of them when the rooms of the run's parents hold its rows, all but
    /// the rows they cannot hold when they do not.
    #[test]
    fn a_grouped_date_sequence_stays_in_its_room(z in instalments(), seed in 0u64..1_000) {
        let dir = tempfile::tempdir().unwrap();
        let pack = train_schema(
            dir.path(),
            &z.files(),
            "tables: [LOANS, INSTALMENTS]\ntable_config:\n  LOANS:\n    primary_key: [LOAN_ID]\n    reference: false\n  INSTALMENTS:\n    primary_key: [LOAN_ID, DUE_MONTH]\n",
            "relationships:\n  - name: fk_instalments_loan\n    parent_table: LOANS\n    parent_columns: [LOAN_ID]\n    child_table: INSTALMENTS\n    child_columns: [LOAN_ID]\n    cardinality: \"1:N\"\n",
        );
        let model = pack.table("INSTALMENTS").unwrap();
        let due = model.column("DUE_MONTH").unwrap();
        let bank_synth_core::model::Generator::Sequence { room: Some(room), .. } = &due.generator else {
            panic!("DUE_MONTH has a room: {:?}", due.generator);
        };
        proptest::prop_assert_eq!(room.after.as_deref(), Some("START_DATE"));
        proptest::prop_assert!(model.rules.iter().any(|r| r.id() == "not_before:DUE_MONTH:parent.START_DATE"));

        let tables = common::generate(&pack, "LOANS", 400, true, seed);
        let start_of: HashMap<i64, i32> = tables["LOANS"]
            .iter()
            .map(|r| match (&r[0], &r[1]) {
                (Value::Int(id), Value::Date(d)) => (*id, *d),
                other => panic!("loan row {other:?}"),
            })
            .collect();
        let (first, last) = (z.month(z.window.0), z.month(z.window.1));
        // What the parents' rooms hold, at the learned gap.
        let capacity: usize = start_of
            .values()
            .map(|start| {
                (z.window.0..=z.window.1)
                    .filter(|&m| f64::from(z.month(m)) >= f64::from(*start) + room.min_gap)
                    .count()
            })
            .sum();
        let rows = tables["INSTALMENTS"].len();
        let mut outside = 0;
        let mut by_loan: BTreeMap<i64, Vec<i32>> = BTreeMap::new();
        let loan = model.column_index("LOAN_ID").unwrap();
        let month = model.column_index("DUE_MONTH").unwrap();
        for row in &tables["INSTALMENTS"] {
            let (Value::Int(id), Value::Date(d)) = (&row[loan], &row[month]) else {
                panic!("instalment row {row:?}");
            };
            by_loan.entry(*id).or_default().push(*d);
        }
        for (id, mut dues) in by_loan {
            dues.sort_unstable();
            let start = start_of[&id];
            for d in &dues {
                proptest::prop_assert!(*d >= start + z.gap, "loan {id} from {} has {}", format_date(start), format_date(*d));
                outside += usize::from(!(first..=last).contains(d));
                proptest::prop_assert_eq!(bank_synth_core::value::date_from_days(*d).day(), z.day);
            }
            for w in dues.windows(2) {
                proptest::prop_assert_eq!(bank_synth_core::value::add_months(w[0], 1), w[1], "one a month");
            }
        }
        proptest::prop_assert_eq!(outside, rows.saturating_sub(capacity), "{} rows, rooms for {}", rows, capacity);
    }
}

/// Monthly statements on the last day of each month (January 31, February 29, March
/// 31, …) stay on month ends past the short months.
#[test]
fn a_monthly_sequence_on_month_ends_stays_on_them() {
    use bank_synth_core::value::{add_months, day_in_month, parse_date};
    let month_end = |m: i32| day_in_month(add_months(parse_date("2024-01-01").unwrap(), m), 31);
    let mut accounts = String::from("ACCOUNT_ID,KIND\n");
    let mut statements = String::from("ACCOUNT_ID,STATEMENT_MONTH,BALANCE\n");
    for a in 1..=40 {
        let _ = writeln!(accounts, "{a},{}", ["A", "B"][a % 2]);
        for m in 0..6 {
            let _ = writeln!(
                statements,
                "{a},{},{}.00",
                format_date(month_end(m)),
                a * 10 + m as usize
            );
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let pack = train_schema(
        dir.path(),
        &[("accounts.csv", accounts), ("statements.csv", statements)],
        "table_config:\n  ACCOUNTS: {primary_key: [ACCOUNT_ID], reference: false}\n  STATEMENTS: {primary_key: [ACCOUNT_ID, STATEMENT_MONTH]}\n",
        "relationships:\n  - {parent_table: ACCOUNTS, parent_columns: [ACCOUNT_ID], child_table: STATEMENTS, child_columns: [ACCOUNT_ID], cardinality: '1:N'}\n",
    );
    let run = Run::new(pack, "ACCOUNTS", 60, true);
    let months = run.column("STATEMENTS", "STATEMENT_MONTH");
    assert!(!months.is_empty());
    for m in &months {
        let d = parse_date(m).unwrap();
        assert_eq!(d, day_in_month(d, 31), "{m} is not a month end");
    }
}
