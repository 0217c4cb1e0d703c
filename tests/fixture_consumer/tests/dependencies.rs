//! A crate that only uses generated fixtures builds none of the I/O or training stack:
//! the `bank_synth_core` it links has default features (no YAML, arrow, parquet, CSV or
//! hashing), and the code generator stays a build-dependency that adds none of them.

use std::process::Command;

fn tree(edges: &str) -> Vec<String> {
    let out = Command::new(env!("CARGO"))
        .args([
            "tree",
            "-p",
            "fixture_consumer",
            "--prefix",
            "none",
            "--locked",
            "-e",
        ])
        .arg(edges)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| l.split(' ').next().unwrap_or_default().to_string())
        .collect()
}

/// The crates of reading configurations and samples and of writing outputs.
const INPUT_OUTPUT: &[&str] = &[
    "yaml_serde",
    "arrow-array",
    "arrow-schema",
    "parquet",
    "csv",
];

#[test]
fn fixtures_compile_no_yaml_arrow_parquet_or_csv() {
    let linked = tree("normal");
    assert!(linked.iter().any(|c| c == "bank_synth_core"), "{linked:?}");
    for heavy in INPUT_OUTPUT.iter().chain(&["sha2", "prettyplease"]) {
        assert!(
            !linked.iter().any(|c| c == heavy),
            "{heavy} is linked: {linked:?}"
        );
    }
    let build = tree("normal,build");
    assert!(
        build.iter().any(|c| c == "prettyplease"),
        "the generator runs at build time"
    );
    for heavy in INPUT_OUTPUT {
        assert!(
            !build.iter().any(|c| c == heavy),
            "{heavy} is built: {build:?}"
        );
    }
}
