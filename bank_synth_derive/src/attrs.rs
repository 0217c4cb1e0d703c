//! The `#[bank_synth(…)]` attributes: `model` and `table` on the struct, `column` on a
//! field.

use proc_macro2::Span;
use syn::{DeriveInput, Error, Field, LitStr};

/// The struct's `#[bank_synth(model = "…", table = "…")]`.
pub struct Target {
    /// The model pack path, relative to the crate's manifest directory.
    pub model: LitStr,
    /// The table's name.
    pub table: LitStr,
}

impl Target {
    pub fn of(input: &DeriveInput) -> syn::Result<Target> {
        let (mut model, mut table) = (None, None);
        for attr in input
            .attrs
            .iter()
            .filter(|a| a.path().is_ident("bank_synth"))
        {
            attr.parse_nested_meta(|meta| {
                let slot = if meta.path.is_ident("model") {
                    &mut model
                } else if meta.path.is_ident("table") {
                    &mut table
                } else {
                    return Err(meta.error(
                        "unknown bank_synth attribute on a struct; expected `model = \"…\"` or `table = \"…\"`",
                    ));
                };
                *slot = Some(meta.value()?.parse::<LitStr>()?);
                Ok(())
            })?;
        }
        match (model, table) {
            (Some(model), Some(table)) => Ok(Target { model, table }),
            _ => Err(Error::new(
                input.ident.span(),
                "#[derive(BankSynth)] needs #[bank_synth(model = \"path/to/modelpack\", table = \"TABLE\")] \
                 (the path is relative to the crate's Cargo.toml)",
            )),
        }
    }
}

/// The column a field reads: `#[bank_synth(column = "…")]` or the field's name, with the
/// span to report errors on.
pub fn column_of(field: &Field) -> syn::Result<(String, Span)> {
    let ident = field.ident.as_ref().expect("named field");
    let mut column: Option<LitStr> = None;
    for attr in field
        .attrs
        .iter()
        .filter(|a| a.path().is_ident("bank_synth"))
    {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("column") {
                column = Some(meta.value()?.parse()?);
                Ok(())
            } else {
                Err(meta
                    .error("unknown bank_synth attribute on a field; expected `column = \"…\"`"))
            }
        })?;
    }
    Ok(match column {
        Some(lit) => (lit.value().trim().to_ascii_uppercase(), lit.span()),
        None => {
            let name = ident.to_string();
            let name = name.strip_prefix("r#").unwrap_or(&name);
            (name.to_ascii_uppercase(), ident.span())
        }
    })
}
