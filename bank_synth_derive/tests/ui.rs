//! Compile-time checks of `#[derive(BankSynth)]` against the sample bank's model pack:
//! `pass` cases compile and run, each `fail` case's error is checked against its
//! `.stderr` (refresh with `TRYBUILD=overwrite cargo test -p bank_synth_derive`).

#[test]
fn derive_checks_structs_against_the_model_pack() {
    // trybuild builds the cases in a crate of its own under target/; the macro resolves
    // model paths against this crate's directory instead.
    // SAFETY: set before trybuild starts cargo, while no other thread of this test
    // binary reads the environment.
    unsafe { std::env::set_var("BANK_SYNTH_MANIFEST_DIR", env!("CARGO_MANIFEST_DIR")) };
    let cases = trybuild::TestCases::new();
    cases.pass("tests/ui/pass/*.rs");
    cases.compile_fail("tests/ui/fail/*.rs");
}
