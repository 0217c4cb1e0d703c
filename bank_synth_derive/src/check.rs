//! Checks a field against its column: the column exists and was not dropped by policy,
//! the Rust type fits the logical type and learned range, NULLs have an `Option`.

use bank_synth_core::LogicalType;
use bank_synth_core::error::hint;
use bank_synth_core::model::{ColumnModel, Dependency, Generator, TableModel};
use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::{Error, Field, GenericArgument, PathArguments, Type};

/// The column `name` of `table` for `field`, or the compile error to show.
pub fn field<'t>(
    table: &'t TableModel,
    field: &Field,
    name: &str,
    span: Span,
) -> syn::Result<&'t ColumnModel> {
    let Some(column) = table.column(name) else {
        if table.was_restricted(name) {
            return Err(Error::new(
                span,
                format!(
                    "column {}.{name} was dropped by the privacy policy (restricted): the model pack \
                     holds nothing of it and cannot generate it; remove this field",
                    table.name
                ),
            ));
        }
        let names: Vec<&str> = table.columns.iter().map(|c| c.name.as_str()).collect();
        return Err(Error::new(
            span,
            format!(
                "table {} has no column {name}{}; its columns are: {} \
                 (name another with #[bank_synth(column = \"…\")])",
                table.name,
                hint(name, names.iter().copied()),
                names.join(", ")
            ),
        ));
    };
    let (optional, inner) = option_inner(&field.ty);
    if column.nullable && !optional {
        return Err(Error::new_spanned(
            &field.ty,
            format!(
                "{}.{} is NULL in {:.1}% of sampled rows: make this field an `Option<…>`",
                table.name,
                column.name,
                column.null_rate * 100.0
            ),
        ));
    }
    if let Some(type_name) = last_segment(inner) {
        fits(table, column, &type_name).map_err(|message| Error::new_spanned(inner, message))?;
    }
    Ok(column)
}

/// `(true, T)` for `Option<T>`, `(false, ty)` otherwise.
fn option_inner(ty: &Type) -> (bool, &Type) {
    if let Type::Path(p) = ty
        && let Some(last) = p.path.segments.last()
        && last.ident == "Option"
        && let PathArguments::AngleBracketed(args) = &last.arguments
        && let Some(GenericArgument::Type(inner)) = args.args.first()
    {
        return (true, inner);
    }
    (false, ty)
}

/// The last path segment of a plain type path (`chrono::NaiveDate` → `NaiveDate`).
fn last_segment(ty: &Type) -> Option<String> {
    match ty {
        Type::Path(p) if p.qself.is_none() => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// Whether a field of the type named `type_name` can hold `column`'s values. Types this
/// check does not know (the user's own `Cell` types) are left to the compiler.
fn fits(table: &TableModel, column: &ColumnModel, type_name: &str) -> Result<(), String> {
    const INTEGERS: [&str; 8] = ["i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64"];
    const OTHERS: [&str; 7] = [
        "f32",
        "f64",
        "bool",
        "String",
        "Decimal",
        "NaiveDate",
        "NaiveDateTime",
    ];
    if !(INTEGERS.contains(&type_name) || OTHERS.contains(&type_name)) || type_name == "String" {
        return Ok(());
    }
    let ty = column.logical_type;
    let accepted: Vec<&str> = match ty {
        LogicalType::Integer => INTEGERS
            .into_iter()
            .chain(["f64", "f32", "Decimal"])
            .collect(),
        LogicalType::Decimal { .. } => vec!["Decimal", "f64", "f32"],
        LogicalType::Float => vec!["f64", "f32"],
        LogicalType::Boolean => vec!["bool"],
        LogicalType::Date => vec!["NaiveDate"],
        LogicalType::Timestamp => vec!["NaiveDateTime"],
        LogicalType::Categorical | LogicalType::Text => vec![],
    };
    let source = format!("{}.{}", table.name, column.name);
    if !accepted.contains(&type_name) {
        let options: Vec<String> = accepted.iter().map(|t| format!("`{t}`")).collect();
        let options = match options.as_slice() {
            [] => "`String`".to_string(),
            _ => format!("{} or `String`", options.join(", ")),
        };
        return Err(format!(
            "{source} ({ty}) does not fit `{type_name}`; use {options}"
        ));
    }
    if INTEGERS.contains(&type_name)
        && let Some((low, high)) = learned_range(column)
        && !integer_holds(type_name, low, high)
    {
        return Err(format!(
            "the learned values of {source} do not all fit in `{type_name}`; use a wider integer such as `i64`"
        ));
    }
    Ok(())
}

fn integer_holds(type_name: &str, low: f64, high: f64) -> bool {
    let (min, max) = match type_name {
        "i8" => (f64::from(i8::MIN), f64::from(i8::MAX)),
        "i16" => (f64::from(i16::MIN), f64::from(i16::MAX)),
        "i32" => (f64::from(i32::MIN), f64::from(i32::MAX)),
        "u8" => (0.0, f64::from(u8::MAX)),
        "u16" => (0.0, f64::from(u16::MAX)),
        "u32" => (0.0, f64::from(u32::MAX)),
        "u64" => (0.0, u64::MAX as f64),
        _ => (i64::MIN as f64, i64::MAX as f64),
    };
    low >= min && high <= max
}

/// The smallest and largest value a numeric column can be generated with (its learned
/// range, every conditional case included); `None` for keys and other generators.
fn learned_range(column: &ColumnModel) -> Option<(f64, f64)> {
    fn range(g: &Generator) -> Option<(f64, f64)> {
        match g {
            Generator::Numeric {
                quantiles, masses, ..
            } => Some(
                masses
                    .iter()
                    .fold((quantiles.min(), quantiles.max()), |(lo, hi), (v, _)| {
                        (lo.min(*v), hi.max(*v))
                    }),
            ),
            _ => None,
        }
    }
    let mut all = range(&column.generator)?;
    if let Some(Dependency::Given { cases, .. }) = &column.depends_on {
        for case in cases {
            let (lo, hi) = range(&case.generator)?;
            all = (all.0.min(lo), all.1.max(hi));
        }
    }
    Some(all)
}

/// The tokens of a logical type, for `Cell::to_cell`.
pub fn logical_type_tokens(ty: LogicalType) -> TokenStream {
    let lt = quote!(::bank_synth_core::fixtures::LogicalType);
    match ty {
        LogicalType::Integer => quote!(#lt::Integer),
        LogicalType::Decimal { precision, scale } => {
            quote!(#lt::Decimal { precision: #precision, scale: #scale })
        }
        LogicalType::Float => quote!(#lt::Float),
        LogicalType::Boolean => quote!(#lt::Boolean),
        LogicalType::Date => quote!(#lt::Date),
        LogicalType::Timestamp => quote!(#lt::Timestamp),
        LogicalType::Categorical => quote!(#lt::Categorical),
        LogicalType::Text => quote!(#lt::Text),
    }
}
