//! # bank_synth_derive
//!
//! The `#[derive(BankSynth)]` macro: it will read a model pack at compile time, check a
//! user's struct against a table of it (column names, types, nullability, privacy) and
//! implement the conversion from generated rows, with errors on the user's own tokens.
//!
//! The macro itself arrives with the typed-fixtures work; this crate is part of the
//! workspace now so that its place, name and dependency on `bank_synth_core` are fixed.
