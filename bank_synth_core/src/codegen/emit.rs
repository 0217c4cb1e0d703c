//! Tokens of the generated module, from a [`Shape`].

use super::shape::{Base, EnumShape, Field, FieldType, Link, Shape, TableShape};
use crate::value::LogicalType;
use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;

fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// A `#[doc]` attribute rendering as `/// text`.
fn doc(text: &str) -> TokenStream {
    let lines = text.lines().map(|l| {
        let l = if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        };
        quote!(#[doc = #l])
    });
    quote!(#(#lines)*)
}

fn base_type(base: Base) -> TokenStream {
    match base {
        Base::I64 => quote!(i64),
        Base::Decimal => quote!(rt::Decimal),
        Base::F64 => quote!(f64),
        Base::Bool => quote!(bool),
        Base::Date => quote!(rt::NaiveDate),
        Base::Timestamp => quote!(rt::NaiveDateTime),
        Base::String => quote!(String),
    }
}

fn field_type(field: &Field) -> TokenStream {
    let inner = match &field.ty {
        FieldType::Base(b) => base_type(*b),
        FieldType::Key(name, _) | FieldType::Enum(name) => {
            let name = ident(name);
            quote!(#name)
        }
    };
    if field.nullable {
        quote!(Option<#inner>)
    } else {
        inner
    }
}

fn logical_type(ty: LogicalType) -> TokenStream {
    match ty {
        LogicalType::Integer => quote!(rt::LogicalType::Integer),
        LogicalType::Decimal { precision, scale } => {
            let (precision, scale) = (
                Literal::u8_unsuffixed(precision),
                Literal::u8_unsuffixed(scale),
            );
            quote!(rt::LogicalType::decimal(#precision, #scale))
        }
        LogicalType::Float => quote!(rt::LogicalType::Float),
        LogicalType::Boolean => quote!(rt::LogicalType::Boolean),
        LogicalType::Date => quote!(rt::LogicalType::Date),
        LogicalType::Timestamp => quote!(rt::LogicalType::Timestamp),
        LogicalType::Categorical => quote!(rt::LogicalType::Categorical),
        LogicalType::Text => quote!(rt::LogicalType::Text),
    }
}

/// `self.x` or `self.x.clone()`.
fn copied(expr: TokenStream, copy: bool) -> TokenStream {
    if copy { expr } else { quote!(#expr.clone()) }
}

/// How the generated file is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Items wrapped in `pub mod <module> { … }`, for `include!` at a crate root (a
    /// build script's output).
    Included,
    /// The module's own file, for `mod <module>;` (a checked-in `bank_synth codegen`
    /// output): items at the top, the module docs as inner docs.
    ModuleFile,
}

/// The module `module` for `shape`, embedding the pack file `pack_file` (a path relative
/// to the generated file). Categorical enums are placeholders `rt::categorical!(Name);`
/// that [`categoricals`] replaces once the tokens are printed.
pub fn module(
    shape: &Shape,
    module: &str,
    header: &str,
    pack_file: &str,
    layout: Layout,
) -> TokenStream {
    let table_enum = table_enum(shape);
    let keys = shape.tables.iter().map(key_types);
    let enums = shape.tables.iter().flat_map(|t| {
        t.enums.iter().map(|e| {
            let name = ident(&e.name);
            quote!(rt::categorical!(#name);)
        })
    });
    let rows = (0..shape.tables.len()).map(|t| row_type(shape, t));
    let dataset = dataset(shape);
    let items = quote! {
        use ::bank_synth_core::fixtures as rt;

        const MODEL_PACK_JSON: &str = include_str!(#pack_file);

        /// The model pack this module was generated from, embedded at compile time.
        pub fn model_pack() -> &'static rt::ModelPack {
            static PACK: ::std::sync::OnceLock<rt::ModelPack> = ::std::sync::OnceLock::new();
            rt::embedded_pack(&PACK, MODEL_PACK_JSON)
        }

        #table_enum
        #(#keys)*
        #(#enums)*
        #(#rows)*
        #dataset
    };
    match layout {
        Layout::Included => {
            let (module, module_doc) = (ident(module), doc(header));
            quote! {
                #module_doc
                pub mod #module {
                    #items
                }
            }
        }
        Layout::ModuleFile => {
            let lines = header.lines().map(|l| {
                let l = if l.is_empty() {
                    String::new()
                } else {
                    format!(" {l}")
                };
                quote!(#![doc = #l])
            });
            quote!(#(#lines)* #items)
        }
    }
}

/// The printed module with each `rt::categorical!(Name);` placeholder replaced by the
/// enum's declaration, one value per line; `None` unless every enum found its place.
pub fn categoricals(printed: &str, shape: &Shape) -> Option<String> {
    let enums: std::collections::BTreeMap<&str, &EnumShape> = shape
        .tables
        .iter()
        .flat_map(|t| t.enums.iter().map(|e| (e.name.as_str(), e)))
        .collect();
    let mut out = String::with_capacity(printed.len() * 2);
    let mut placed = 0;
    for line in printed.lines() {
        let trimmed = line.trim_start();
        let placeholder = trimmed
            .strip_prefix("rt::categorical!(")
            .and_then(|rest| rest.strip_suffix(");"))
            .and_then(|name| enums.get(name));
        match placeholder {
            Some(e) => {
                categorical(&mut out, e, &line[..line.len() - trimmed.len()]);
                placed += 1;
            }
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    (placed == enums.len()).then_some(out)
}

/// Writes the `rt::categorical!` declaration of `e` at `indent`.
fn categorical(out: &mut String, e: &EnumShape, indent: &str) {
    use std::fmt::Write;
    let _ = writeln!(out, "{indent}rt::categorical! {{");
    let _ = writeln!(
        out,
        "{indent}    /// The values of `{}` learned by the model pack, spelled as stored.",
        e.source
    );
    let _ = writeln!(out, "{indent}    pub enum {} for {:?} {{", e.name, e.source);
    for (variant, spelling) in &e.values {
        let _ = writeln!(out, "{indent}        {variant} = {spelling:?},");
    }
    let _ = writeln!(out, "{indent}    }}");
    let _ = writeln!(out, "{indent}}}");
}

fn table_enum(shape: &Shape) -> TokenStream {
    let variants: Vec<Ident> = shape.tables.iter().map(|t| ident(&t.variant)).collect();
    let docs = shape.tables.iter().map(|t| doc(&format!("`{}`.", t.name)));
    let names = shape.tables.iter().map(|t| t.name.as_str());
    let count = Literal::usize_unsuffixed(shape.tables.len());
    quote! {
        /// The tables of the model pack.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Table {
            #(#docs #variants,)*
        }

        impl Table {
            /// Every table, in the pack's order.
            pub const ALL: [Table; #count] = [#(Table::#variants),*];

            /// The table's name in the model pack.
            pub fn name(self) -> &'static str {
                match self {
                    #(Table::#variants => #names,)*
                }
            }
        }
    }
}

fn key_types(table: &TableShape) -> TokenStream {
    let Some(key) = table.key.as_ref().filter(|k| k.defined_here) else {
        return TokenStream::new();
    };
    let name = ident(&key.name);
    let parts: Vec<&Field> = key.parts.iter().map(|&p| &table.fields[p]).collect();
    let copy = parts.iter().all(|f| f.ty.is_copy());
    let copy_derive = if copy { quote!(Copy,) } else { quote!() };
    if let [part] = parts.as_slice() {
        let FieldType::Key(_, base) = part.ty else {
            return TokenStream::new();
        };
        let inner = base_type(base);
        let key_doc = doc(&format!("The key of `{}` (`{}`).", table.name, part.column));
        return quote! {
            #key_doc
            #[derive(Debug, Clone, #copy_derive PartialEq, Eq, Hash, PartialOrd, Ord)]
            pub struct #name(pub #inner);
            rt::key_newtype!(#name);
        };
    }
    let columns: Vec<String> = parts.iter().map(|f| format!("`{}`", f.column)).collect();
    let key_doc = doc(&format!(
        "The key of `{}`: {}.",
        table.name,
        columns.join(", ")
    ));
    let fields = parts.iter().map(|f| {
        let (field, ty) = (ident(&f.ident), field_type(f));
        let field_doc = doc(&format!("`{}`.", f.column));
        quote!(#field_doc pub #field: #ty,)
    });
    quote! {
        #key_doc
        #[derive(Debug, Clone, #copy_derive PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct #name {
            #(#fields)*
        }
    }
}

fn row_type(shape: &Shape, t: usize) -> TokenStream {
    let table = &shape.tables[t];
    let name = ident(&table.row);
    let table_name = table.name.as_str();
    let row_doc = doc(&format!(
        "A row of `{}`. Generate rows with [`Fixtures`]; find related rows through [`Dataset`].",
        table.name
    ));
    let fields = table.fields.iter().map(|f| {
        let (field, ty, field_doc) = (ident(&f.ident), field_type(f), doc(&f.doc));
        quote!(#field_doc pub #field: #ty,)
    });
    let columns = table.fields.iter().map(|f| f.column.as_str());
    let reads = table.fields.iter().enumerate().map(|(k, f)| {
        let field = ident(&f.ident);
        let k = Literal::usize_unsuffixed(k);
        quote!(#field: row.get(#k)?,)
    });
    let writes = table.fields.iter().map(|f| {
        let (field, ty) = (ident(&f.ident), logical_type(f.logical));
        quote!(rt::Cell::to_cell(&self.#field, #ty))
    });
    let key_method = table.key.as_ref().map(|key| {
        let key_name = ident(&key.name);
        let body = if let [part] = key.parts.as_slice() {
            let f = &table.fields[*part];
            let field = ident(&f.ident);
            copied(quote!(self.#field), f.ty.is_copy())
        } else {
            let parts = key.parts.iter().map(|&p| {
                let f = &table.fields[p];
                let field = ident(&f.ident);
                let value = copied(quote!(self.#field), f.ty.is_copy());
                quote!(#field: #value)
            });
            quote!(#key_name { #(#parts),* })
        };
        quote! {
            /// This row's primary key.
            pub fn key(&self) -> #key_name {
                #body
            }
        }
    });
    let link_keys = shape
        .links
        .iter()
        .filter(|l| l.child == t)
        .filter_map(|l| composite_key_method(shape, l));
    quote! {
        #row_doc
        #[derive(Debug, Clone, PartialEq)]
        pub struct #name {
            #(#fields)*
        }

        impl #name {
            #key_method
            #(#link_keys)*
        }

        impl rt::TableRow for #name {
            const TABLE: &'static str = #table_name;
            const COLUMNS: &'static [&'static str] = &[#(#columns),*];

            fn from_row(row: &rt::RowRef<'_>) -> rt::Result<Self> {
                Ok(#name { #(#reads)* })
            }

            fn to_cells(&self) -> Vec<rt::Value> {
                Vec::from([#(#writes),*])
            }

            fn model_pack() -> &'static rt::ModelPack {
                self::model_pack()
            }
        }
    }
}

/// On a child row with a composite foreign key: the parent's key it points at.
fn composite_key_method(shape: &Shape, link: &Link) -> Option<TokenStream> {
    let method = ident(link.key_method.as_ref()?);
    let (child, parent) = (&shape.tables[link.child], &shape.tables[link.parent]);
    let key = parent.key.as_ref()?;
    let key_name = ident(&key.name);
    let parts = key.parts.iter().zip(&link.child_fields).map(|(&p, &c)| {
        let (pf, cf) = (&parent.fields[p], &child.fields[c]);
        let (target, source) = (ident(&pf.ident), ident(&cf.ident));
        let value = copied(quote!(self.#source), cf.ty.is_copy());
        let value = if cf.nullable { quote!(#value?) } else { value };
        quote!(#target: #value)
    });
    let method_doc = doc(&format!(
        "The key of the `{}` row this row references (`{}`).",
        parent.name, link.relationship
    ));
    Some(if link.nullable {
        quote! {
            #method_doc
            pub fn #method(&self) -> Option<#key_name> {
                Some(#key_name { #(#parts),* })
            }
        }
    } else {
        quote! {
            #method_doc
            pub fn #method(&self) -> #key_name {
                #key_name { #(#parts),* }
            }
        }
    })
}

fn dataset(shape: &Shape) -> TokenStream {
    let fields = shape.tables.iter().map(|t| {
        let (field, row) = (ident(&t.rows_field), ident(&t.row));
        let field_doc = doc(&format!(
            "The generated `{}` rows (empty when not planned).",
            t.name
        ));
        quote!(#field_doc pub #field: rt::Rows<#row>,)
    });
    let loads = shape.tables.iter().map(|t| {
        let field = ident(&t.rows_field);
        quote!(#field: run.table_rows()?.into(),)
    });
    let lookups = shape.tables.iter().filter_map(|t| {
        let key = ident(&t.key.as_ref()?.name);
        let (method, field, row) = (ident(&t.method), ident(&t.rows_field), ident(&t.row));
        let method_doc = doc(&format!("The `{}` row with primary key `key`.", t.name));
        Some(quote! {
            #method_doc
            pub fn #method(&self, key: &#key) -> Option<&#row> {
                self.#field.find(key, #row::key)
            }
        })
    });
    let navigation = shape.links.iter().map(|l| {
        let (child, parent) = (&shape.tables[l.child], &shape.tables[l.parent]);
        let (child_row, parent_row) = (ident(&child.row), ident(&parent.row));
        let (parent_method, children_method) = (ident(&l.parent_method), ident(&l.children_method));
        let (lookup, child_field) = (ident(&parent.method), ident(&child.rows_field));
        let key = link_key(shape, l, &ident("row"));
        let find = if l.nullable {
            quote!((#key).and_then(|key| self.#lookup(&key)))
        } else {
            quote!(self.#lookup(&#key))
        };
        let reference = link_key(shape, l, &ident("child"));
        let reference = if l.nullable {
            reference
        } else {
            quote!(Some(#reference))
        };
        let parent_doc = doc(&format!(
            "The `{}` row that a row of `{}` references (`{}`){}.",
            parent.name,
            child.name,
            l.relationship,
            if l.nullable {
                "; `None` when the reference is NULL"
            } else {
                ""
            }
        ));
        let children_doc = doc(&format!(
            "The rows of `{}` that reference a row of `{}` (`{}`), in generation order.",
            child.name, parent.name, l.relationship
        ));
        quote! {
            #parent_doc
            pub fn #parent_method(&self, row: &#child_row) -> Option<&#parent_row> {
                #find
            }

            #children_doc
            pub fn #children_method(&self, row: &#parent_row) -> rt::Related<'_, #child_row> {
                self.#child_field.related(&row.key(), |child| #reference)
            }
        }
    });
    quote! {
        /// Generation settings: `Fixtures::seeded(seed).target(Table::…, rows).build()`.
        pub type Fixtures = rt::TypedFixtures<Dataset>;

        /// Generated rows, one [`rt::Rows`] per table, with lookups by key and along
        /// every foreign key.
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct Dataset {
            #(#fields)*
        }

        impl rt::Schema for Dataset {
            type Table = Table;

            fn table_name(table: Table) -> &'static str {
                table.name()
            }

            fn model_pack() -> &'static rt::ModelPack {
                model_pack()
            }

            fn from_run(run: &rt::Run<'_>) -> rt::Result<Dataset> {
                Ok(Dataset { #(#loads)* })
            }
        }

        impl Dataset {
            #(#lookups)*
            #(#navigation)*
        }
    }
}

/// The parent key a child row (`binding`) holds for `link` (an `Option` when nullable).
fn link_key(shape: &Shape, link: &Link, binding: &Ident) -> TokenStream {
    if let Some(method) = &link.key_method {
        let method = ident(method);
        return quote!(#binding.#method());
    }
    let f = &shape.tables[link.child].fields[link.child_fields[0]];
    let field = ident(&f.ident);
    match (f.nullable, f.ty.is_copy()) {
        (true, true) => quote!(#binding.#field),
        (true, false) => quote!(#binding.#field.clone()),
        (false, copy) => copied(quote!(#binding.#field), copy),
    }
}
