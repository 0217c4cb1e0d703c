//! The engine through the library API, on a pack trained from the committed samples.

mod common;

use bank_synth_core::generate::{Engine, Plan, PlanRequest};
use bank_synth_core::train::{TrainInputs, train};
use bank_synth_core::{ModelPack, Value};
use std::path::Path;
use std::sync::OnceLock;

fn pack() -> &'static ModelPack {
    static PACK: OnceLock<ModelPack> = OnceLock::new();
    PACK.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        train(&TrainInputs {
            tables_file: Some(root.join("configs/tables.yaml")),
            relationships_file: Some(root.join("configs/relationships.yaml")),
            privacy_file: Some(root.join("configs/privacy.yaml")),
            ..TrainInputs::samples("CORE", root.join("samples"))
        })
        .unwrap()
    })
}

fn request(target: &str, rows: u64) -> PlanRequest {
    PlanRequest {
        target_table: target.into(),
        target_rows: rows,
        include_children: false,
        table_rows: Default::default(),
        parent_scale: 1.0,
        seed: 9,
    }
}

fn rows_of(plan: &Plan, table: &str) -> u64 {
    plan.table(table).unwrap().rows
}

#[test]
fn any_row_can_be_generated_alone_and_equals_the_chunked_row() {
    let plan = Plan::new(pack(), &request("STATEMENT_LINES", 5000)).unwrap();
    let engine = Engine::new(pack(), &plan).unwrap();
    let t = plan
        .tables
        .iter()
        .position(|p| p.name == "STATEMENT_LINES")
        .unwrap();
    let mut chunked = Vec::new();
    engine
        .for_each_chunk(t, 0..engine.rows(t), 777, 3, |start, rows| {
            assert_eq!(start as usize, chunked.len(), "chunks arrive in order");
            chunked.extend(rows.to_vecs());
            Ok(())
        })
        .unwrap();
    assert_eq!(chunked.len(), 5000);
    for (i, row) in chunked.iter().enumerate() {
        assert_eq!(&engine.row(t, i as u64), row, "row {i}");
    }
}

/// A column computed alone, as a child reads its parent's column, holds the value the
/// whole row holds.
#[test]
fn a_value_alone_is_the_rows_value() {
    common::assert_values_alone_are_the_rows(pack(), "CUSTOMERS", 300, 5);
}

#[test]
fn chunks_are_the_same_whatever_their_order_and_the_thread_count() {
    let plan = Plan::new(pack(), &request("STATEMENT_LINES", 3000)).unwrap();
    let engine = Engine::new(pack(), &plan).unwrap();
    for t in 0..engine.table_count() {
        let rows = engine.rows(t);
        let in_order = |threads| {
            let mut all = Vec::new();
            engine
                .for_each_chunk(t, 0..rows, 500, threads, |_, chunk| {
                    all.extend(chunk.to_vecs());
                    Ok(())
                })
                .unwrap();
            all
        };
        let one = in_order(1);
        assert_eq!(one, in_order(2), "table {t}, two threads");
        assert_eq!(one, in_order(3), "table {t}, three threads");
        // The last chunk first: every chunk is a function of its rows alone.
        let mut reversed = Vec::new();
        let starts: Vec<u64> = (0..rows).step_by(500).collect();
        for &start in starts.iter().rev() {
            reversed.push(engine.rows_range(t, start, (start + 500).min(rows)));
        }
        reversed.reverse();
        assert_eq!(one, reversed.concat(), "table {t}, chunks in reverse order");
    }
}

#[test]
fn parents_follow_the_fan_out_and_scale() {
    let plan = Plan::new(pack(), &request("TRANSACTIONS", 10_000)).unwrap();
    let names: Vec<&str> = plan.tables.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["BRANCHES", "CUSTOMERS", "ACCOUNTS", "TRANSACTIONS"]);
    let accounts = rows_of(&plan, "ACCOUNTS");
    let per_account = pack()
        .relationship("fk_transactions_account")
        .unwrap()
        .fanout
        .mean();
    assert_eq!(accounts, (10_000.0 / per_account).ceil() as u64);

    let mut scaled = request("TRANSACTIONS", 10_000);
    scaled.parent_scale = 2.0;
    let plan2 = Plan::new(pack(), &scaled).unwrap();
    assert_eq!(
        rows_of(&plan2, "ACCOUNTS"),
        (10_000.0 / per_account * 2.0).ceil() as u64
    );
    assert!(
        rows_of(&plan2, "CUSTOMERS") > rows_of(&plan, "CUSTOMERS") * 3,
        "the scale compounds up the tree"
    );
}

#[test]
fn children_are_sized_from_their_parents() {
    let mut r = request("ACCOUNTS", 1000);
    r.include_children = true;
    let plan = Plan::new(pack(), &r).unwrap();
    for (child, fk) in [
        ("TRANSACTIONS", "fk_transactions_account"),
        ("CARDS", "fk_cards_account"),
        ("STATEMENTS", "fk_statements_account"),
    ] {
        let mean = pack().relationship(fk).unwrap().fanout.mean();
        assert_eq!(
            rows_of(&plan, child),
            (1000.0 * mean).round() as u64,
            "{child}"
        );
    }
    let per_statement = pack()
        .relationship("fk_statement_lines_statement")
        .unwrap()
        .fanout
        .mean();
    let expected = (rows_of(&plan, "STATEMENTS") as f64 * per_statement).round() as u64;
    assert_eq!(rows_of(&plan, "STATEMENT_LINES"), expected);
}

#[test]
fn grouped_children_are_contiguous_and_composite_keys_step_by_month() {
    let plan = Plan::new(pack(), &request("STATEMENTS", 3000)).unwrap();
    let engine = Engine::new(pack(), &plan).unwrap();
    let t = plan
        .tables
        .iter()
        .position(|p| p.name == "STATEMENTS")
        .unwrap();
    let rows = engine.rows_range(t, 0, 3000);
    let mut finished_accounts = std::collections::HashSet::new();
    let mut steps = 0;
    for pair in rows.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        if a[0] == b[0] {
            let (Value::Date(x), Value::Date(y)) = (&a[1], &b[1]) else {
                panic!("STATEMENT_MONTH is a date")
            };
            assert!(
                (28..=31).contains(&(y - x)),
                "monthly statements: {x} → {y}"
            );
            steps += 1;
        } else {
            assert!(
                finished_accounts.insert(format!("{:?}", a[0])),
                "an account's statements are contiguous"
            );
        }
    }
    assert!(
        steps > 1000,
        "most accounts have several statements: {steps}"
    );
}

#[test]
fn unknown_tables_and_bad_scales_are_usage_errors() {
    let err = Plan::new(pack(), &request("TRANSACTONS", 5)).unwrap_err();
    assert!(
        err.is_usage() && err.to_string().contains("did you mean `TRANSACTIONS`"),
        "{err}"
    );
    let mut r = request("TRANSACTIONS", 5);
    r.parent_scale = 0.0;
    assert!(Plan::new(pack(), &r).unwrap_err().is_usage());
}

#[test]
fn amounts_follow_type_and_channel_together() {
    use bank_synth_core::model::Dependency;
    let txns = pack().table("TRANSACTIONS").unwrap();
    let amount = txns.column("AMOUNT").unwrap();
    let Some(Dependency::Given { on, also, .. }) = &amount.depends_on else {
        panic!("AMOUNT is conditioned: {:?}", amount.depends_on);
    };
    assert_eq!(
        (
            on.column.as_str(),
            also.iter().map(|a| a.column.as_str()).collect::<Vec<_>>()
        ),
        ("TXN_TYPE", vec!["CHANNEL"])
    );
    let income = pack()
        .table("CUSTOMERS")
        .unwrap()
        .column("ANNUAL_INCOME")
        .unwrap();
    assert!(
        matches!(
            &income.depends_on,
            Some(Dependency::Given { also, .. }) if also.is_empty()
        ),
        "no refinement by a category that does not matter: {:?}",
        income
            .depends_on
            .as_ref()
            .map(|d| d.reads().map(|r| r.to_string()).collect::<Vec<_>>())
    );

    let plan = Plan::new(pack(), &request("TRANSACTIONS", 6000)).unwrap();
    let engine = Engine::new(pack(), &plan).unwrap();
    let t = plan
        .tables
        .iter()
        .position(|p| p.name == "TRANSACTIONS")
        .unwrap();
    let (a, ch) = (
        txns.column_index("AMOUNT").unwrap(),
        txns.column_index("CHANNEL").unwrap(),
    );
    let mut atm = 0;
    let mut transfers = Vec::new();
    for row in engine.rows_range(t, 0, 6000) {
        let Value::Decimal(cents) = row[a] else {
            panic!("{row:?}")
        };
        match &row[ch] {
            // The sample bank's ATMs pay out 20 to 300 in steps of 20.
            Value::Str(c) if c == "ATM" => {
                atm += 1;
                assert!(
                    cents % 2000 == 0 && (-30_000..=-2000).contains(&cents),
                    "ATM {cents}"
                );
            }
            // Salaries of about 2,400 come in by transfer.
            Value::Str(c) if c == "TRANSFER" => transfers.push(cents),
            _ => {}
        }
    }
    assert!(atm > 100, "{atm} ATM rows");
    transfers.sort_unstable();
    let median = transfers[transfers.len() / 2];
    assert!(
        (150_000..350_000).contains(&median),
        "transfer median {median}"
    );
}

#[test]
fn layouts_of_many_parents_report_progress_and_read_the_same_from_anywhere() {
    // 76k ACCOUNTS: past the stratified sizes, so their children's layout is drawn
    // again block by block rather than kept.
    let plan = Plan::new(pack(), &request("TRANSACTIONS", 600_000)).unwrap();
    let reports = std::sync::Mutex::new(Vec::new());
    let engine = Engine::with_progress(pack(), &plan, &|done, of| {
        reports.lock().unwrap().push((done, of))
    })
    .unwrap();
    let reports = reports.into_inner().unwrap();
    // The parents whose category decides their fan-out: BRANCHES (by REGION),
    // CUSTOMERS (by SEGMENT) and ACCOUNTS (by ACCOUNT_TYPE).
    let of = ["BRANCHES", "CUSTOMERS", "ACCOUNTS"]
        .iter()
        .map(|t| rows_of(&plan, t))
        .sum::<u64>();
    assert!(rows_of(&plan, "ACCOUNTS") > 65_536);
    assert!(reports.len() > 2, "{reports:?}");
    assert!(reports.iter().all(|&(_, o)| o == of));
    assert!(reports.windows(2).all(|w| w[0].0 < w[1].0), "{reports:?}");
    assert_eq!(reports.last(), Some(&(of, of)));

    let t = plan
        .tables
        .iter()
        .position(|p| p.name == "TRANSACTIONS")
        .unwrap();
    let (start, end) = (431_000, 437_000);
    let chunks = |threads| {
        let mut all = Vec::new();
        engine
            .for_each_chunk(t, start..end, 700, threads, |_, chunk| {
                all.extend(chunk.to_vecs());
                Ok(())
            })
            .unwrap();
        all
    };
    let one = chunks(1);
    assert_eq!(one, chunks(2), "two threads");
    for i in [start, start + 1, start + 699, start + 700, end - 1] {
        assert_eq!(engine.row(t, i), one[(i - start) as usize], "row {i}");
    }
    // Read from the table's first row, the window is the same: a layout drawn again
    // block by block carries nothing over from the rows before it.
    let from_the_start = engine.chunk(t, 0, end);
    for (k, row) in one.iter().enumerate() {
        let i = start as usize + k;
        assert_eq!(
            from_the_start.row(i),
            row.as_slice(),
            "row {i} read from row 0"
        );
    }
    // Each account's transactions are one run.
    let account = |row: &[Value]| format!("{:?}", row[1]);
    let runs = one
        .windows(2)
        .filter(|w| account(&w[0]) != account(&w[1]))
        .count();
    let distinct: std::collections::HashSet<String> = one.iter().map(|r| account(r)).collect();
    assert_eq!(runs + 1, distinct.len());
}
