//! # bank_synth_derive
//!
//! `#[derive(BankSynth)]`: checks a struct against a table of a bank_synth model pack at
//! compile time and implements [`TableRow`] for it, so a generated dataset yields the
//! struct (`dataset.rows::<Customer>()`) and `Customer::generate(seed, rows)` works.
//!
//! ```text
//! use bank_synth_core::fixtures::TableRow;
//! use bank_synth_derive::BankSynth;
//!
//! #[derive(BankSynth)]
//! #[bank_synth(model = "models/CORE_modelpack", table = "CUSTOMERS")]
//! struct Customer {
//!     customer_id: i64,
//!     #[bank_synth(column = "SEGMENT")]
//!     tier: String,
//!     credit_score: Option<i32>,
//! }
//!
//! let customers = Customer::generate(42, 10);
//! ```
//!
//! The model path is relative to the crate's `Cargo.toml` directory; the crate rebuilds
//! when the pack changes. Fields name columns (case-insensitive) unless
//! `#[bank_synth(column = "…")]` says otherwise, and may cover a subset of them. Each of
//! these is a compile error on the field at fault: a column the table does not have
//! (with a did-you-mean), a column dropped by the privacy policy, a Rust type that does
//! not fit the column's logical type or learned range, and a nullable column in a field
//! that is not an `Option`.
//!
//! [`TableRow`]: https://docs.rs/bank_synth_core/latest/bank_synth_core/fixtures/trait.TableRow.html

mod attrs;
mod check;

use bank_synth_core::ModelPack;
use proc_macro::TokenStream;
use quote::{quote, quote_spanned};
use std::path::PathBuf;
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Error, Fields, parse_macro_input};

/// Derives `bank_synth_core::fixtures::TableRow` for a struct checked against a table of
/// a model pack; see the crate documentation.
#[proc_macro_derive(BankSynth, attributes(bank_synth))]
pub fn derive_bank_synth(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    match expand(&input) {
        Ok(tokens) => tokens,
        Err(e) => {
            let mut tokens = e.into_compile_error();
            tokens.extend(stand_in(&input));
            tokens
        }
    }
    .into()
}

/// How the derive's errors word a setting: the command that writes packs, else the
/// library's own words.
fn setting_words(setting: bank_synth_core::error::Setting) -> String {
    match setting {
        bank_synth_core::error::Setting::ModelOut => "`bank_synth train --model_out`".into(),
        other => format!("`{}`", other.name()),
    }
}

/// After an error, an implementation of `TableRow` that never runs (the crate does not
/// compile), so that code using the struct shows only the real error, not knock-on
/// ones ("no function `generate`", "`TableRow` is not implemented").
fn stand_in(input: &DeriveInput) -> proc_macro2::TokenStream {
    if !input.generics.params.is_empty() || !matches!(input.data, Data::Struct(_)) {
        return proc_macro2::TokenStream::new();
    }
    let name = &input.ident;
    let reported = "#[derive(BankSynth)] reported an error";
    quote! {
        impl ::bank_synth_core::fixtures::TableRow for #name {
            const TABLE: &'static str = "";
            const COLUMNS: &'static [&'static str] = &[];

            fn from_row(
                _: &::bank_synth_core::fixtures::RowRef<'_>,
            ) -> ::bank_synth_core::fixtures::Result<Self> {
                ::core::unreachable!(#reported)
            }

            fn to_cells(&self) -> ::std::vec::Vec<::bank_synth_core::fixtures::Value> {
                ::core::unreachable!(#reported)
            }

            fn model_pack() -> &'static ::bank_synth_core::fixtures::ModelPack {
                ::core::unreachable!(#reported)
            }
        }
    }
}

/// The directory model paths are relative to: the crate's manifest directory, or
/// `BANK_SYNTH_MANIFEST_DIR` when set (trybuild compiles test cases in a crate of its
/// own, elsewhere).
fn manifest_dir() -> PathBuf {
    std::env::var_os("BANK_SYNTH_MANIFEST_DIR")
        .or_else(|| std::env::var_os("CARGO_MANIFEST_DIR"))
        .map(PathBuf::from)
        .unwrap_or_default()
}

fn expand(input: &DeriveInput) -> syn::Result<proc_macro2::TokenStream> {
    let target = attrs::Target::of(input)?;
    if !input.generics.params.is_empty() {
        return Err(Error::new_spanned(
            &input.generics,
            "#[derive(BankSynth)] rows cannot be generic",
        ));
    }
    let Data::Struct(data) = &input.data else {
        return Err(Error::new(
            input.ident.span(),
            "#[derive(BankSynth)] works on structs with named fields, one per column",
        ));
    };
    let Fields::Named(fields) = &data.fields else {
        return Err(Error::new(
            data.fields.span(),
            "#[derive(BankSynth)] needs named fields, one per column",
        ));
    };

    let pack_file = bank_synth_core::model::pack_file(&manifest_dir().join(target.model.value()));
    let pack = ModelPack::load(&pack_file).map_err(|e| {
        Error::new(
            target.model.span(),
            format!("cannot use the model pack: {}", e.render(&setting_words)),
        )
    })?;
    let table = pack
        .table(&target.table.value())
        .map_err(|e| Error::new(target.table.span(), e.to_string()))?;

    let mut errors: Option<Error> = None;
    let mut columns = Vec::new();
    let mut reads = Vec::new();
    let mut writes = Vec::new();
    for (k, field) in fields.named.iter().enumerate() {
        let result = attrs::column_of(field).and_then(|(name, span)| {
            check::field(table, field, &name, span).map(|column| (column, name))
        });
        match result {
            Ok((column, name)) => {
                let ident = field.ident.as_ref().expect("named field");
                let ty = check::logical_type_tokens(column.logical_type);
                let at = field.ty.span();
                reads.push(quote_spanned!(at=> #ident: row.get(#k)?));
                writes.push(quote_spanned!(at=> ::bank_synth_core::fixtures::Cell::to_cell(&self.#ident, #ty)));
                columns.push(name);
            }
            Err(e) => match errors.as_mut() {
                Some(all) => all.combine(e),
                None => errors = Some(e),
            },
        }
    }
    if let Some(e) = errors {
        return Err(e);
    }

    let name = &input.ident;
    let table_name = &table.name;
    let pack_path = pack_file.to_string_lossy().into_owned();
    Ok(quote! {
        impl ::bank_synth_core::fixtures::TableRow for #name {
            const TABLE: &'static str = #table_name;
            const COLUMNS: &'static [&'static str] = &[#(#columns),*];

            fn from_row(
                row: &::bank_synth_core::fixtures::RowRef<'_>,
            ) -> ::bank_synth_core::fixtures::Result<Self> {
                ::core::result::Result::Ok(#name { #(#reads,)* })
            }

            fn to_cells(&self) -> ::std::vec::Vec<::bank_synth_core::fixtures::Value> {
                ::std::vec![#(#writes),*]
            }

            fn model_pack() -> &'static ::bank_synth_core::fixtures::ModelPack {
                static PACK: ::std::sync::OnceLock<::bank_synth_core::fixtures::ModelPack> =
                    ::std::sync::OnceLock::new();
                // include_str! also makes the crate rebuild when the pack changes.
                ::bank_synth_core::fixtures::embedded_pack(&PACK, include_str!(#pack_path))
            }
        }
    })
}
