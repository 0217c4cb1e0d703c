//! Hive Parquet files: the codec `--compression` names, and a table past `--part_size`
//! cut into part files whose rows, in order, are the single file's.

mod common;

use common::generate;
use parquet::file::reader::{FileReader, SerializedFileReader};
use std::path::Path;

/// Every row of a Parquet file, each as its fields' text.
fn rows(path: &Path) -> Vec<String> {
    let reader = SerializedFileReader::new(std::fs::File::open(path).unwrap()).unwrap();
    reader
        .get_row_iter(None)
        .unwrap()
        .map(|r| r.unwrap().to_string())
        .collect()
}

const ARGS: [&str; 6] = [
    "--target_table",
    "TRANSACTIONS",
    "--target_rows",
    "6000",
    "--output_formats",
    "hive",
];

#[test]
fn each_codec_is_written_as_named() {
    let out = tempfile::tempdir().unwrap();
    for (codec, name) in [
        (None, "SNAPPY"),
        (Some("gzip"), "GZIP"),
        (Some("zstd"), "ZSTD"),
        (Some("none"), "UNCOMPRESSED"),
    ] {
        let mut args = ARGS.to_vec();
        args.extend(codec.map(|c| ["--compression", c]).into_iter().flatten());
        let run = generate(out.path(), codec.unwrap_or("default"), &args);
        let codecs = common::parquet_codecs(&run.join("hive/transactions/transactions.parquet"));
        assert!(
            !codecs.is_empty() && codecs.iter().all(|c| c == name),
            "{codec:?}: {codecs:?}"
        );
        let manifest = std::fs::read_to_string(run.join("manifest.json")).unwrap();
        let expected = format!("\"parquet_compression\": \"{}\"", codec.unwrap_or("snappy"));
        assert!(manifest.contains(&expected), "{manifest}");
    }
    let bad = common::run(&[
        "generate",
        "--model",
        "x",
        "--target_table",
        "T",
        "--target_rows",
        "1",
        "--compression",
        "brotli",
    ]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&bad.stderr)
            .contains("[possible values: snappy, gzip, zstd, none]")
    );
}

#[test]
fn a_large_table_is_cut_into_parts_holding_the_single_files_rows() {
    let out = tempfile::tempdir().unwrap();
    let mut small_groups = ARGS.to_vec();
    small_groups.extend(["--chunk_rows", "500"]);
    let single = generate(out.path(), "single", &small_groups);
    let mut parted = small_groups.clone();
    parted.extend(["--part_size", "32KiB"]);
    let parts = generate(out.path(), "parts", &parted);

    let dir = parts.join("hive/transactions");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert!(names.len() > 2, "{names:?}");
    for (n, name) in names.iter().enumerate() {
        assert_eq!(name, &format!("transactions-{n:05}.parquet"));
    }
    let joined: Vec<String> = names.iter().flat_map(|n| rows(&dir.join(n))).collect();
    assert_eq!(
        joined,
        rows(&single.join("hive/transactions/transactions.parquet"))
    );
    // A small table stays one file.
    assert!(parts.join("hive/branches/branches.parquet").is_file());

    // evaluate reads one file per table, and says so of a table in parts.
    let evaluate = common::run(&[
        "evaluate",
        "--real",
        "samples",
        "--synthetic",
        parts.to_str().unwrap(),
        "--model",
        common::model().to_str().unwrap(),
    ]);
    assert_eq!(evaluate.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&evaluate.stderr);
    assert!(
        stderr.contains("transactions") && stderr.contains("part files"),
        "{stderr}"
    );
}

#[test]
fn a_wide_tables_row_groups_hold_about_a_million_values() {
    let out = tempfile::tempdir().unwrap();
    let run = generate(
        out.path(),
        "wide",
        &[
            "--target_table",
            "CUSTOMERS",
            "--target_rows",
            "80000",
            "--output_formats",
            "hive",
        ],
    );
    let file = std::fs::File::open(run.join("hive/customers/customers.parquet")).unwrap();
    let reader = SerializedFileReader::new(file).unwrap();
    let metadata = reader.metadata();
    assert_eq!(metadata.file_metadata().schema_descr().num_columns(), 14);
    let groups: Vec<i64> = metadata.row_groups().iter().map(|g| g.num_rows()).collect();
    // 14 columns: 524,288 / 14 = 37,449 rows a group, not the default 131,072.
    assert_eq!(groups, [37_449, 37_449, 80_000 - 2 * 37_449]);
}
