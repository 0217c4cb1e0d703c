//! `generate --shard I/N`: N runs that each hold a disjoint slice of every table, whose
//! union is exactly the single run's rows, row for row and in order.

mod common;

use common::{TABLES, generate, read_csv};

#[test]
fn the_union_of_the_shards_is_the_single_run() {
    let out = tempfile::tempdir().unwrap();
    let args = [
        "--target_table",
        "CUSTOMERS",
        "--target_rows",
        "300",
        "--include_children",
        "--seed",
        "11",
    ];
    let whole = generate(out.path(), "whole", &args);
    let shards: Vec<_> = (1..=4)
        .map(|i| {
            let shard = format!("{i}/4");
            let mut with_shard = args.to_vec();
            with_shard.extend(["--shard", &shard]);
            generate(out.path(), &format!("shard{i}"), &with_shard)
        })
        .collect();
    for table in TABLES {
        let file = format!("oracle/{table}.csv");
        let (header, rows) = read_csv(&whole.join(&file));
        assert!(rows.len() >= 4, "{table}: {} rows", rows.len());
        let mut union = Vec::new();
        for shard in &shards {
            let (shard_header, shard_rows) = read_csv(&shard.join(&file));
            assert_eq!(shard_header, header);
            assert!(!shard_rows.is_empty(), "every shard holds some {table}");
            union.extend(shard_rows);
        }
        assert_eq!(
            union, rows,
            "{table}: the shards' rows, in order, are the run's"
        );
    }
    for (i, shard) in shards.iter().enumerate() {
        let manifest: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(shard.join("manifest.json")).unwrap())
                .unwrap();
        let parameters = &manifest["parameters"];
        assert_eq!(
            parameters["shard"],
            serde_json::json!({"index": i + 1, "count": 4})
        );
        // The plan is the whole run's; the rows are the shard's.
        assert!(
            parameters["table_rows"]["TRANSACTIONS"].as_u64()
                > manifest["rows"]["TRANSACTIONS"].as_u64()
        );
        let report = std::fs::read_to_string(shard.join("report/quality.md")).unwrap();
        assert!(
            report.contains(&format!("Shard {}/4 of the run", i + 1)),
            "{report}"
        );
        assert!(report.contains("references not checked"), "{report}");
    }
    let whole_manifest = std::fs::read_to_string(whole.join("manifest.json")).unwrap();
    assert!(
        !whole_manifest.contains("\"shard\""),
        "a whole run names no shard"
    );
}

#[test]
fn a_shard_outside_its_count_is_refused() {
    let out = tempfile::tempdir().unwrap();
    for bad in ["0/4", "5/4", "4"] {
        let run = common::run(&[
            "generate",
            "--model",
            common::model().to_str().unwrap(),
            "--target_table",
            "CUSTOMERS",
            "--target_rows",
            "10",
            "--output_dir",
            out.path().to_str().unwrap(),
            "--shard",
            bad,
        ]);
        assert_eq!(run.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(
            stderr.contains(&format!("`{bad}` is not a shard")),
            "{stderr}"
        );
    }
    assert_eq!(
        std::fs::read_dir(out.path()).unwrap().count(),
        0,
        "nothing written"
    );
}
