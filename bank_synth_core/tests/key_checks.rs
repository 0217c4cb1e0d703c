//! The run report's key checks in fixed memory: a table of up to `SAMPLED_KEYS` rows is
//! checked whole; a larger one on a slice of its key space, where every duplicate and
//! orphan that falls in the slice is found. Rows here are made by hand, so the checks
//! are tested against known damage rather than against the engine they confirm.

mod common;

use bank_synth_core::generate::{Plan, PlannedTable, Shard};
use bank_synth_core::quality::keys::SAMPLED_KEYS;
use bank_synth_core::quality::{QualityChecker, QualityReport};
use bank_synth_core::{ModelPack, Value};

/// A parent P(ID) and a child C(ID, P_ID) with one foreign key.
fn pack(dir: &std::path::Path) -> ModelPack {
    let p: String = std::iter::once("ID\n".to_string())
        .chain((1..=40).map(|i| format!("{i}\n")))
        .collect();
    let c: String = std::iter::once("ID,P_ID\n".to_string())
        .chain((1..=120).map(|i| format!("{i},{}\n", 1 + i % 40)))
        .collect();
    common::train_files(
        dir,
        "KC",
        &[
            ("p.csv", &p),
            ("c.csv", &c),
            (
                "tables.yaml",
                "table_config:\n  P: {primary_key: [ID], reference: false}\n  C: {primary_key: [ID]}\n",
            ),
            (
                "relationships.yaml",
                "relationships:\n  - {name: fk_c_p, parent_table: P, parent_columns: [ID], child_table: C, child_columns: [P_ID]}\n",
            ),
        ],
    )
}

/// Checks `parents` and `children` rows (keys as given) as a run of those sizes.
fn check(pack: &ModelPack, parents: &[i64], children: &[(i64, i64)]) -> QualityReport {
    let plan = Plan {
        seed: 1,
        target: "C".into(),
        include_children: false,
        parent_scale: 1.0,
        tables: vec![
            PlannedTable {
                name: "P".into(),
                rows: parents.len() as u64,
            },
            PlannedTable {
                name: "C".into(),
                rows: children.len() as u64,
            },
        ],
    };
    let mut checker = QualityChecker::new(pack, &plan, Shard::WHOLE);
    let p: Vec<Vec<Value>> = parents.iter().map(|k| vec![Value::Int(*k)]).collect();
    let c: Vec<Vec<Value>> = children
        .iter()
        .map(|(k, p)| vec![Value::Int(*k), Value::Int(*p)])
        .collect();
    for chunk in p.chunks(10_000) {
        checker.observe(0, &chunk.iter().cloned().collect());
    }
    checker.finish_table(0);
    for chunk in c.chunks(10_000) {
        checker.observe(1, &chunk.iter().cloned().collect());
    }
    checker.finish_table(1);
    checker.report()
}

#[test]
fn small_tables_are_checked_whole_and_every_fault_is_found() {
    let dir = tempfile::tempdir().unwrap();
    let pack = pack(dir.path());
    let parents: Vec<i64> = (0..1000).collect();
    let mut children: Vec<(i64, i64)> = (0..3000).map(|i| (i, i % 1000)).collect();
    let clean = check(&pack, &parents, &children);
    assert!(clean.keys_consistent() && clean.keys_checked_in_full());
    assert_eq!(clean.keys_summary(), "every primary key unique, no orphans");
    assert_eq!(clean.tables[1].keys_checked, 3000);

    children[10].0 = 11; // a duplicate child key
    children[20].1 = 5000; // an orphan
    let broken = check(&pack, &parents, &children);
    assert_eq!(broken.tables[1].duplicate_keys, 1);
    assert_eq!(broken.foreign_keys[0].orphans, 1);
    assert!(!broken.keys_consistent());
}

#[test]
fn large_tables_are_checked_on_a_bounded_slice_that_finds_the_faults_in_it() {
    let dir = tempfile::tempdir().unwrap();
    let pack = pack(dir.path());
    let n = 4 * SAMPLED_KEYS as i64;
    let parents: Vec<i64> = (0..n).collect();
    let children: Vec<(i64, i64)> = (0..n).map(|i| (i, (i * 7) % n)).collect();
    let clean = check(&pack, &parents, &children);
    assert!(clean.keys_consistent());
    assert!(!clean.keys_checked_in_full());
    assert!(clean.keys_summary().contains("fixed-size slice"));
    for t in &clean.tables {
        let share = t.keys_checked as f64 / SAMPLED_KEYS as f64;
        assert!(
            (0.95..1.05).contains(&share),
            "{} checked {}",
            t.table,
            t.keys_checked
        );
    }
    let fk = &clean.foreign_keys[0];
    assert_eq!(fk.references, n as u64);
    assert!((0.95..1.05).contains(&(fk.checked as f64 / SAMPLED_KEYS as f64)));

    // Damage 4,000 rows: keys that repeat earlier ones, references to no parent. About
    // a quarter fall in the slice, and all of those are found.
    let mut duplicated = parents.clone();
    let mut orphaned = children.clone();
    for i in 0..4000 {
        duplicated[(n - 1 - i) as usize] = i;
        orphaned[i as usize].1 = n + i;
    }
    let dups = check(&pack, &duplicated, &children).tables[0].duplicate_keys;
    let broken = check(&pack, &parents, &orphaned);
    let orphans = broken.foreign_keys[0].orphans;
    assert!((700..1300).contains(&dups), "{dups} duplicates found");
    assert!((700..1300).contains(&orphans), "{orphans} orphans found");
    assert!(!broken.keys_consistent());
}
