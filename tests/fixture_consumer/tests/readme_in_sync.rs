//! The README's typed-fixtures section shows this crate's real build script, unit test
//! and the derive example that trybuild compiles and runs, verbatim.

const README: &str = include_str!("../../../README.md");

fn assert_in_readme(what: &str, code: &str) {
    assert!(
        README.contains(code.trim_end()),
        "README.md no longer shows {what} verbatim; copy it from the file again"
    );
}

#[test]
fn the_readme_shows_the_build_script_and_unit_test_that_are_tested() {
    assert_in_readme(
        "tests/fixture_consumer/build.rs",
        include_str!("../build.rs"),
    );
    assert_in_readme(
        "tests/fixture_consumer/src/readme_example.rs",
        include_str!("../src/readme_example.rs"),
    );
    let lib_rs = "include!(concat!(env!(\"OUT_DIR\"), \"/core_fixtures.rs\"));\n\n\
                  #[cfg(test)]\nmod readme_example;\n";
    assert!(
        include_str!("../src/lib.rs").contains(lib_rs),
        "src/lib.rs no longer declares the modules the README shows"
    );
    assert_in_readme("the lines of tests/fixture_consumer/src/lib.rs", lib_rs);
    let derive = include_str!("../../../bank_synth_derive/tests/ui/pass/customer.rs");
    let example = derive
        .lines()
        .skip_while(|l| !l.starts_with("use "))
        .collect::<Vec<_>>()
        .join("\n")
        .replace(
            "../tests/fixture_consumer/models/CORE_modelpack",
            "models/CORE_modelpack",
        );
    assert_in_readme("bank_synth_derive/tests/ui/pass/customer.rs", &example);
}
