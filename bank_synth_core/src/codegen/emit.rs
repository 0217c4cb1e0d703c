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
            quote!(rt::LogicalType::Decimal { precision: #precision, scale: #scale })
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

/// The module `module` for `shape`, embedding the pack file `pack_file` (a path relative
/// to the generated file).
pub fn module(shape: &Shape, module: &str, header: &str, pack_file: &str) -> TokenStream {
    let module = ident(module);
    let module_doc = doc(header);
    let table_enum = table_enum(shape);
    let keys = shape.tables.iter().map(key_types);
    let enums = shape
        .tables
        .iter()
        .flat_map(|t| t.enums.iter().map(enum_type));
    let rows = (0..shape.tables.len()).map(|t| row_type(shape, t));
    let fixtures = fixtures();
    let dataset = dataset(shape);
    quote! {
        #module_doc
        pub mod #module {
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
            #fixtures
            #dataset
        }
    }
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

            impl ::std::fmt::Display for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    ::std::fmt::Display::fmt(&self.0, f)
                }
            }

            impl rt::Cell for #name {
                fn from_cell(value: &rt::Value, ty: rt::LogicalType) -> Result<Self, String> {
                    rt::Cell::from_cell(value, ty).map(#name)
                }
                fn to_cell(&self, ty: rt::LogicalType) -> rt::Value {
                    rt::Cell::to_cell(&self.0, ty)
                }
            }
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

fn enum_type(e: &EnumShape) -> TokenStream {
    let name = ident(&e.name);
    let variants: Vec<Ident> = e.values.iter().map(|(v, _)| ident(v)).collect();
    let values: Vec<&str> = e.values.iter().map(|(_, v)| v.as_str()).collect();
    let docs = values.iter().map(|v| doc(&format!("`{v}`")));
    let count = Literal::usize_unsuffixed(values.len());
    let enum_doc = doc(&format!(
        "The values of `{}` learned by the model pack, spelled as stored.",
        e.source
    ));
    let unknown = format!("`{{other}}` is not a value of {}", e.source);
    let not_text = format!("{{other:?}} is not a value of {}", e.source);
    quote! {
        #enum_doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #(#docs #variants,)*
        }

        impl #name {
            /// Every value, ordered by spelling.
            pub const ALL: [#name; #count] = [#(#name::#variants),*];

            /// The value as stored in the data.
            pub fn as_str(self) -> &'static str {
                match self {
                    #(#name::#variants => #values,)*
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl rt::Cell for #name {
            fn from_cell(value: &rt::Value, _: rt::LogicalType) -> Result<Self, String> {
                match value {
                    rt::Value::Str(s) => match s.as_str() {
                        #(#values => Ok(#name::#variants),)*
                        other => Err(format!(#unknown)),
                    },
                    other => Err(format!(#not_text)),
                }
            }
            fn to_cell(&self, _: rt::LogicalType) -> rt::Value {
                rt::Value::Str(self.as_str().to_string())
            }
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
                vec![#(#writes),*]
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

fn fixtures() -> TokenStream {
    quote! {
        /// Generation settings, as `bank_synth generate` takes them: a seed, a target table
        /// and row count, descendants, per-table row counts and a parent scale. The rows
        /// equal those of the CLI's files for the same settings.
        #[derive(Debug, Clone)]
        pub struct Fixtures {
            seed: u64,
            target: Option<(Table, u64)>,
            include_children: bool,
            table_rows: Vec<(Table, u64)>,
            parent_scale: f64,
        }

        impl Fixtures {
            /// Settings with `seed`; choose the target with [`Fixtures::target`].
            pub fn seeded(seed: u64) -> Self {
                Fixtures {
                    seed,
                    target: None,
                    include_children: false,
                    table_rows: Vec::new(),
                    parent_scale: 1.0,
                }
            }

            /// Exactly `rows` rows of `table`, plus every parent row they reference.
            pub fn target(mut self, table: Table, rows: u64) -> Self {
                self.target = Some((table, rows));
                self
            }

            /// One row of `table` (and its parents): with [`Fixtures::include_children`],
            /// one customer with all their accounts, cards and statements.
            pub fn one(self, table: Table) -> Self {
                self.target(table, 1)
            }

            /// Also the target's descendants, with the learned number of children per
            /// parent.
            pub fn include_children(mut self) -> Self {
                self.include_children = true;
                self
            }

            /// Fixes the row count of a table other than the target.
            pub fn table_rows(mut self, table: Table, rows: u64) -> Self {
                self.table_rows.push((table, rows));
                self
            }

            /// Multiplies the row counts of parent tables.
            pub fn parent_scale(mut self, scale: f64) -> Self {
                self.parent_scale = scale;
                self
            }

            /// Generates the rows, or says why the settings cannot be planned.
            pub fn try_build(&self) -> rt::Result<Dataset> {
                let mut fixtures = rt::Fixtures::new(model_pack(), self.seed)
                    .include_children(self.include_children)
                    .parent_scale(self.parent_scale);
                if let Some((table, rows)) = self.target {
                    fixtures = fixtures.target(table.name(), rows);
                }
                for (table, rows) in &self.table_rows {
                    fixtures = fixtures.table_rows(table.name(), *rows);
                }
                Dataset::from_run(&fixtures.run()?)
            }

            /// Generates the rows; panics with the reason when the settings cannot be
            /// planned (for tests).
            pub fn build(&self) -> Dataset {
                self.try_build()
                    .unwrap_or_else(|e| rt::fail(&e))
            }
        }
    }
}

fn dataset(shape: &Shape) -> TokenStream {
    let keyed: Vec<&TableShape> = shape.tables.iter().filter(|t| t.key.is_some()).collect();
    let fields = shape.tables.iter().map(|t| {
        let (field, row) = (ident(&t.rows_field), ident(&t.row));
        let field_doc = doc(&format!(
            "The generated `{}` rows (empty when not planned).",
            t.name
        ));
        quote!(#field_doc pub #field: Vec<#row>,)
    });
    let loads = shape.tables.iter().map(|t| {
        let field = ident(&t.rows_field);
        quote!(#field: run.table_rows()?,)
    });
    let key_index = keyed.iter().map(|t| {
        let (field, key) = (
            ident(&t.rows_field),
            ident(&t.key.as_ref().expect("keyed").name),
        );
        quote!(#field: rt::KeyMap<#key, usize>,)
    });
    let link_index = shape.links.iter().map(|l| {
        let field = ident(&l.children_method);
        let key = ident(&shape.tables[l.parent].key.as_ref().expect("linked").name);
        quote!(#field: rt::KeyMap<#key, Vec<usize>>,)
    });
    let fill_keys = keyed.iter().map(|t| {
        let field = ident(&t.rows_field);
        quote! {
            for (i, row) in data.#field.iter().enumerate() {
                index.#field.insert(row.key(), i);
            }
        }
    });
    let fill_links = shape.links.iter().map(|l| {
        let (child, field) = (
            ident(&shape.tables[l.child].rows_field),
            ident(&l.children_method),
        );
        let key = link_key(shape, l);
        if l.nullable {
            quote! {
                for (i, row) in data.#child.iter().enumerate() {
                    if let Some(key) = #key {
                        index.#field.entry(key).or_default().push(i);
                    }
                }
            }
        } else {
            quote! {
                for (i, row) in data.#child.iter().enumerate() {
                    index.#field.entry(#key).or_default().push(i);
                }
            }
        }
    });
    let lookups = keyed.iter().map(|t| {
        let (method, field, row) = (ident(&t.method), ident(&t.rows_field), ident(&t.row));
        let key = ident(&t.key.as_ref().expect("keyed").name);
        let method_doc = doc(&format!("The `{}` row with primary key `key`.", t.name));
        quote! {
            #method_doc
            pub fn #method(&self, key: &#key) -> Option<&#row> {
                self.index.#field.get(key).map(|&i| &self.#field[i])
            }
        }
    });
    let navigation = shape.links.iter().map(|l| {
        let (child, parent) = (&shape.tables[l.child], &shape.tables[l.parent]);
        let (child_row, parent_row) = (ident(&child.row), ident(&parent.row));
        let (parent_method, children_method) = (ident(&l.parent_method), ident(&l.children_method));
        let (lookup, child_field) = (ident(&parent.method), ident(&child.rows_field));
        let key = link_key(shape, l);
        let find = if l.nullable {
            quote!((#key).and_then(|key| self.#lookup(&key)))
        } else {
            quote!(self.#lookup(&#key))
        };
        let parent_doc = doc(&format!(
            "The `{}` row that a row of `{}` references (`{}`){}.",
            parent.name,
            child.name,
            l.relationship,
            if l.nullable { "; `None` when the reference is NULL" } else { "" }
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
            pub fn #children_method<'a>(&'a self, row: &#parent_row) -> impl Iterator<Item = &'a #child_row> + use<'a> {
                let rows = self.index.#children_method.get(&row.key()).map_or(&[][..], Vec::as_slice);
                rows.iter().map(move |&i| &self.#child_field[i])
            }
        }
    });
    quote! {
        /// Generated rows, one `Vec` per table, with lookups by key and along every
        /// foreign key.
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct Dataset {
            #(#fields)*
            index: Index,
        }

        #[derive(Debug, Clone, Default, PartialEq)]
        struct Index {
            #(#key_index)*
            #(#link_index)*
        }

        impl Index {
            fn of(data: &Dataset) -> Index {
                let mut index = Index::default();
                #(#fill_keys)*
                #(#fill_links)*
                index
            }
        }

        impl Dataset {
            fn from_run(run: &rt::Run<'_>) -> rt::Result<Dataset> {
                let mut data = Dataset {
                    #(#loads)*
                    index: Index::default(),
                };
                data.index = Index::of(&data);
                Ok(data)
            }

            #(#lookups)*
            #(#navigation)*
        }
    }
}

/// The parent key a child `row` holds for `link` (an `Option` when nullable).
fn link_key(shape: &Shape, link: &Link) -> TokenStream {
    if let Some(method) = &link.key_method {
        let method = ident(method);
        return quote!(row.#method());
    }
    let f = &shape.tables[link.child].fields[link.child_fields[0]];
    let field = ident(&f.ident);
    match (f.nullable, f.ty.is_copy()) {
        (true, true) => quote!(row.#field),
        (true, false) => quote!(row.#field.clone()),
        (false, copy) => copied(quote!(row.#field), copy),
    }
}
