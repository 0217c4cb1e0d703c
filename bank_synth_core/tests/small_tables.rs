//! Small tables: what a handful of sample rows can still teach. Random tables of 8–40
//! rows where one public category decides another (too few rows for any significance
//! test to prove it) keep the link on every generated row, through the table's joint;
//! a generated table as large as its sample matches its sample's shares to a row, as
//! its draws are stratified; and a private column's values stay out of the joint.

mod common;

use bank_synth_core::train::{TrainInputs, train};
use bank_synth_core::{LogicalType, Value};
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

const TITLES: [&str; 5] = ["Manager", "Clerk", "Analyst", "Director", "Teller"];
const COURTESIES: [&str; 3] = ["Mr.", "Ms.", "Dr."];

fn text(v: &Value) -> String {
    v.render(LogicalType::Text)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    #[test]
    fn a_category_deciding_another_holds_in_a_tiny_table(
        rows in prop::collection::vec((0usize..5, 0usize..3, 0u32..1000), 8..40),
        courtesy_of in prop::array::uniform5(0usize..3),
        scale in 1u64..5,
        seed in any::<u64>(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        // TITLE decides COURTESY; BAND is independent; CODE is sensitive.
        let mut t = String::from("ID,TITLE,COURTESY,BAND,CODE\n");
        let mut seen = BTreeSet::new();
        for (i, (title, band, code)) in rows.iter().enumerate() {
            let courtesy = COURTESIES[courtesy_of[*title]];
            let band = ["LOW", "MID", "HIGH"][*band];
            seen.insert((TITLES[*title], courtesy, band));
            let _ = writeln!(t, "{},{},{courtesy},{band},SEC-{code:04}", i + 1, TITLES[*title]);
        }
        std::fs::write(dir.path().join("staff.csv"), &t).unwrap();
        std::fs::write(
            dir.path().join("privacy.yaml"),
            "tables:\n  STAFF:\n    CODE: {level: sensitive}\n",
        )
        .unwrap();
        let pack = train(&TrainInputs {
            privacy_file: Some(dir.path().join("privacy.yaml")),
            ..TrainInputs::samples("SMALL", dir.path())
        })
        .unwrap();
        let table = pack.table("STAFF").unwrap();
        let joint = table.joint.as_ref().expect("the public categories are drawn together");
        prop_assert!(!joint.columns.contains(&"CODE".to_string()), "a sensitive column joined: {joint:?}");
        let json = serde_json::to_string(&pack).unwrap();
        for (_, _, code) in &rows {
            let secret = format!("SEC-{code:04}");
            prop_assert!(!json.contains(&secret), "{secret} reached the pack");
        }

        let n = rows.len() as u64 * scale;
        let generated = &common::generate(&pack, "STAFF", n, false, seed)["STAFF"];
        let col = |name: &str| table.column_index(name).unwrap();
        for row in generated {
            let title = text(&row[col("TITLE")]);
            let courtesy = text(&row[col("COURTESY")]);
            let band = text(&row[col("BAND")]);
            let k = TITLES.iter().position(|x| *x == title).unwrap();
            prop_assert_eq!(&courtesy, COURTESIES[courtesy_of[k]], "COURTESY follows TITLE: {:?}", row);
            prop_assert!(
                seen.contains(&(TITLES[k], courtesy.as_str(), band.as_str())),
                "an unseen combination: {row:?}"
            );
        }
    }

    #[test]
    fn a_table_as_large_as_its_sample_matches_its_shares_to_a_row(
        counts in prop::collection::vec(1usize..15, 2..6),
        nulls in 0usize..10,
        seed in any::<u64>(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        // One category and one nullable amount, unrelated: no joint, each column
        // stratified on its own. The NULLs are spread over the kinds.
        let n: usize = counts.iter().sum();
        let nulls = nulls.min(n - 1);
        let null_rows: BTreeSet<usize> = (0..nulls).map(|j| j * n / nulls + 1).collect();
        // The kinds take turns (while they last), so neither the amounts, which follow
        // the row number, nor the NULLs line up with a kind.
        let mut t = String::from("ID,KIND,AMOUNT\n");
        let mut left = counts.clone();
        let mut i = 0;
        while left.iter().any(|&c| c > 0) {
            for (k, c) in left.iter_mut().enumerate().filter(|(_, c)| **c > 0) {
                *c -= 1;
                i += 1;
                let amount = if null_rows.contains(&i) { String::new() } else { format!("{}.50", 10 + (i * 7919) % 997) };
                let _ = writeln!(t, "{i},K{k},{amount}");
            }
        }
        std::fs::write(dir.path().join("things.csv"), &t).unwrap();
        let pack = train(&TrainInputs::samples("SHARES", dir.path())).unwrap();
        let table = pack.table("THINGS").unwrap();
        let generated = &common::generate(&pack, "THINGS", i as u64, false, seed)["THINGS"];
        let mut by_kind: BTreeMap<String, usize> = BTreeMap::new();
        let kind = table.column_index("KIND").unwrap();
        let amount = table.column_index("AMOUNT").unwrap();
        for row in generated {
            *by_kind.entry(text(&row[kind])).or_default() += 1;
        }
        for (k, &count) in counts.iter().enumerate() {
            let got = by_kind.get(&format!("K{k}")).copied().unwrap_or(0);
            prop_assert!(got.abs_diff(count) <= 1, "K{k}: {got} rows, the sample has {count}");
        }
        let got_nulls = generated.iter().filter(|r| r[amount].is_null()).count();
        prop_assert!(got_nulls.abs_diff(nulls) <= 1, "{got_nulls} NULL amounts, the sample has {nulls}");
    }
}
