//! What the generated code holds for a model pack, decided before any code is written:
//! Rust names and field types for every table, column, key, categorical and foreign key.

use super::names::{dedupe, pascal, role, singular, snake, variant};
use crate::error::{Error, Result};
use crate::model::{ColumnModel, Dependency, Generator, ModelPack, TableModel};
use crate::value::LogicalType;
use std::collections::{BTreeMap, BTreeSet};

/// Categoricals with more values than this are `String` fields rather than enums.
const MAX_ENUM_VALUES: usize = 256;

/// The generated code's view of a whole pack.
#[derive(Debug)]
pub struct Shape {
    /// Tables in the pack's order.
    pub tables: Vec<TableShape>,
    /// Foreign keys whose parent has a key type, by relationship name.
    pub links: Vec<Link>,
}

/// One table: a row struct, maybe a key type, enums for its categoricals.
#[derive(Debug)]
pub struct TableShape {
    /// Upper-case table name.
    pub name: String,
    /// Row struct: `Customer`.
    pub row: String,
    /// `Table` enum variant: `Customers`.
    pub variant: String,
    /// `Dataset` field: `customers`.
    pub rows_field: String,
    /// Singular snake name for lookups: `customer`.
    pub method: String,
    /// Primary key type, when the table has a usable key.
    pub key: Option<Key>,
    /// One field per (kept) column, in column order.
    pub fields: Vec<Field>,
    /// Enums of the categorical fields.
    pub enums: Vec<EnumShape>,
}

/// A primary key type.
#[derive(Debug)]
pub struct Key {
    /// `CustomerId` (one column, a newtype) or `StatementKey` (several, a struct).
    pub name: String,
    /// The key's fields (indices into the table's fields), in key order.
    pub parts: Vec<usize>,
    /// False when the key column is itself a foreign key: the key is then its parent's
    /// type, defined there.
    pub defined_here: bool,
}

/// One column as a struct field.
#[derive(Debug)]
pub struct Field {
    /// Upper-case column name.
    pub column: String,
    /// Field identifier (`r#type` for keywords).
    pub ident: String,
    /// The Rust type, without the `Option` of nullable columns.
    pub ty: FieldType,
    /// The column's logical type.
    pub logical: LogicalType,
    /// `Option<…>` field.
    pub nullable: bool,
    /// Documentation: source, type, NULL rate, privacy, foreign key.
    pub doc: String,
}

/// A field's Rust type.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldType {
    /// A type of the runtime (`i64`, `Decimal`, …).
    Base(Base),
    /// A key newtype holding a [`Base`].
    Key(String, Base),
    /// A generated enum.
    Enum(String),
}

/// Plain Rust types for logical types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Base {
    /// `i64`.
    I64,
    /// `rt::Decimal`.
    Decimal,
    /// `f64`.
    F64,
    /// `bool`.
    Bool,
    /// `rt::NaiveDate`.
    Date,
    /// `rt::NaiveDateTime`.
    Timestamp,
    /// `String`.
    String,
}

impl Base {
    fn of(ty: LogicalType) -> Base {
        match ty {
            LogicalType::Integer => Base::I64,
            LogicalType::Decimal { .. } => Base::Decimal,
            LogicalType::Float => Base::F64,
            LogicalType::Boolean => Base::Bool,
            LogicalType::Date => Base::Date,
            LogicalType::Timestamp => Base::Timestamp,
            LogicalType::Categorical | LogicalType::Text => Base::String,
        }
    }

    /// Copy types need no `.clone()`.
    pub fn is_copy(self) -> bool {
        self != Base::String
    }
}

impl FieldType {
    /// Copy types need no `.clone()`.
    pub fn is_copy(&self) -> bool {
        match self {
            FieldType::Base(b) | FieldType::Key(_, b) => b.is_copy(),
            FieldType::Enum(_) => true,
        }
    }
}

/// An enum of a categorical column's closed set of values.
#[derive(Debug)]
pub struct EnumShape {
    /// `CustomerSegment`.
    pub name: String,
    /// `CUSTOMERS.SEGMENT`.
    pub source: String,
    /// `(variant, original spelling)`, sorted by spelling.
    pub values: Vec<(String, String)>,
}

/// A foreign key between two tables of the generated code.
#[derive(Debug)]
pub struct Link {
    /// Relationship name.
    pub relationship: String,
    /// Child table index.
    pub child: usize,
    /// Parent table index.
    pub parent: usize,
    /// The child's fields holding the parent's key parts, in key order.
    pub child_fields: Vec<usize>,
    /// `Dataset` method from a child row to its parent: `account_customer`.
    pub parent_method: String,
    /// `Dataset` method from a parent row to these children: `customer_accounts`.
    pub children_method: String,
    /// Composite keys: the child-row method building the parent's key.
    pub key_method: Option<String>,
    /// Whether the key may be absent (a nullable foreign key).
    pub nullable: bool,
}

impl Shape {
    /// Decides every name and type for `pack`, or says which ones collide.
    pub fn of(pack: &ModelPack) -> Result<Shape> {
        let mut tables: Vec<TableShape> = pack.tables.iter().map(table_names).collect();
        for (t, model) in pack.tables.iter().enumerate() {
            let key = key_type(model, &tables[t]);
            tables[t].key = key;
        }
        for (t, model) in pack.tables.iter().enumerate() {
            let (fields, enums) = fields(pack, model, &tables);
            tables[t].fields = fields;
            tables[t].enums = enums;
            // A one-column key that is also a foreign key has its parent's key type.
            let table = &mut tables[t];
            if let Some(key) = table.key.as_mut().filter(|k| k.parts.len() == 1)
                && let FieldType::Key(name, _) = &table.fields[key.parts[0]].ty
            {
                key.defined_here = *name == key.name;
                key.name = name.clone();
            }
        }
        let links = links(pack, &tables);
        let shape = Shape { tables, links };
        shape.check_unique()?;
        Ok(shape)
    }

    fn check_unique(&self) -> Result<()> {
        let mut types: BTreeMap<String, String> = ["Table", "Dataset", "Fixtures"]
            .into_iter()
            .map(|n| (n.to_string(), "the generated API".to_string()))
            .collect();
        let mut methods: BTreeMap<String, String> = ["new", "tables", "model_pack"]
            .into_iter()
            .map(|n| (n.to_string(), "the generated API".to_string()))
            .collect();
        let add = |map: &mut BTreeMap<String, String>, name: &str, what: String| match map
            .insert(name.to_string(), what.clone())
        {
            Some(before) => Err(Error::Codegen(format!(
                "the name `{name}` would be used for both {before} and {what}; rename one of the tables or columns"
            ))),
            None => Ok(()),
        };
        for t in &self.tables {
            add(&mut types, &t.row, format!("the rows of {}", t.name))?;
            if let Some(k) = &t.key {
                if k.defined_here {
                    add(&mut types, &k.name, format!("the key of {}", t.name))?;
                }
                add(&mut methods, &t.method, format!("the lookup in {}", t.name))?;
            }
            for e in &t.enums {
                add(&mut types, &e.name, format!("the values of {}", e.source))?;
            }
        }
        for l in &self.links {
            add(
                &mut methods,
                &l.parent_method,
                format!("the parent of {}", l.relationship),
            )?;
            add(
                &mut methods,
                &l.children_method,
                format!("the children of {}", l.relationship),
            )?;
        }
        Ok(())
    }
}

fn table_names(model: &TableModel) -> TableShape {
    let one = singular(&model.name);
    TableShape {
        name: model.name.clone(),
        row: pascal(&one),
        variant: pascal(&model.name),
        rows_field: snake(&model.name),
        method: snake(&one),
        key: None,
        fields: Vec::new(),
        enums: Vec::new(),
    }
}

fn key_type(model: &TableModel, names: &TableShape) -> Option<Key> {
    let parts: Vec<usize> = model
        .primary_key
        .iter()
        .map(|c| model.column_index(c))
        .collect::<Option<_>>()?;
    let hashable = parts
        .iter()
        .all(|&i| model.columns[i].logical_type != LogicalType::Float);
    if parts.is_empty() || !hashable {
        return None;
    }
    let suffix = if parts.len() == 1 { "Id" } else { "Key" };
    Some(Key {
        name: format!("{}{suffix}", names.row),
        parts,
        defined_here: true,
    })
}

/// The Rust type of `table.column` before nullability: a foreign key takes its parent
/// column's type, a single-column primary key its newtype.
fn column_type(
    pack: &ModelPack,
    tables: &[TableShape],
    table: &str,
    column: &str,
    depth: u8,
) -> Option<FieldType> {
    let model = pack.tables.iter().find(|t| t.name == table)?;
    let col = model.column(column)?;
    if depth < 16 {
        let mut fks: Vec<_> = pack
            .relationships
            .iter()
            .filter(|r| r.child_table == table && r.child_columns.iter().any(|c| c == column))
            .collect();
        fks.sort_by_key(|r| (r.child_columns.len(), r.name.clone()));
        for r in fks {
            let k = r.child_columns.iter().position(|c| c == column)?;
            if let Some(ty) = column_type(
                pack,
                tables,
                &r.parent_table,
                &r.parent_columns[k],
                depth + 1,
            ) {
                return Some(ty);
            }
        }
    }
    let shape = tables.iter().find(|t| t.name == table)?;
    let base = Base::of(col.logical_type);
    match &shape.key {
        Some(key) if key.parts.len() == 1 && model.columns[key.parts[0]].name == column => {
            Some(FieldType::Key(key.name.clone(), base))
        }
        _ => None,
    }
}

fn fields(
    pack: &ModelPack,
    model: &TableModel,
    tables: &[TableShape],
) -> (Vec<Field>, Vec<EnumShape>) {
    let shape = tables.iter().find(|t| t.name == model.name).expect("named");
    let mut idents: Vec<String> = model.columns.iter().map(|c| snake(&c.name)).collect();
    dedupe(&mut idents);
    let mut enums = Vec::new();
    let fields = model
        .columns
        .iter()
        .zip(idents)
        .map(|(col, ident)| {
            let ty = column_type(pack, tables, &model.name, &col.name, 0).unwrap_or_else(|| {
                match categorical_values(col) {
                    Some(values) => {
                        let name = enum_name(&shape.row, &col.name, model, tables);
                        let prefix = pascal(&col.name);
                        let mut variants: Vec<String> =
                            values.iter().map(|v| variant(v, &prefix)).collect();
                        dedupe(&mut variants);
                        enums.push(EnumShape {
                            name: name.clone(),
                            source: format!("{}.{}", model.name, col.name),
                            values: variants.into_iter().zip(values).collect(),
                        });
                        FieldType::Enum(name)
                    }
                    None => FieldType::Base(Base::of(col.logical_type)),
                }
            });
            Field {
                doc: field_doc(pack, model, col),
                column: col.name.clone(),
                ident,
                ty,
                logical: col.logical_type,
                nullable: col.nullable,
            }
        })
        .collect();
    (fields, enums)
}

/// The enum of a categorical column: the row type's name then the column's
/// (`CustomerSegment`), or the column's alone when its first words are the row's
/// (`ACCOUNTS.ACCOUNT_TYPE` → `AccountType`, but `CARDS.CARDINALITY` →
/// `CardCardinality`) and that name is no row or key type, nor the enum of another
/// column of the table (`ACCOUNTS.TYPE` → `AccountType`).
fn enum_name(row: &str, column: &str, model: &TableModel, tables: &[TableShape]) -> String {
    let prefixed = |column: &str| format!("{row}{}", pascal(column));
    let short = pascal(column);
    let taken = |name: &str| {
        tables
            .iter()
            .any(|t| t.row == name || t.key.as_ref().is_some_and(|k| k.name == name))
            || model
                .columns
                .iter()
                .any(|c| c.name != column && prefixed(&c.name) == name)
    };
    let starts_with_row = snake(column).starts_with(&format!("{}_", snake(row)));
    if starts_with_row && !taken(&short) {
        short
    } else {
        prefixed(column)
    }
}

/// Every value a categorical column can take (its marginal and every conditional case),
/// sorted; `None` for other columns and for sets too large for an enum.
fn categorical_values(col: &ColumnModel) -> Option<Vec<String>> {
    if col.logical_type != LogicalType::Categorical || !col.privacy.keeps_values() {
        return None;
    }
    let mut values = BTreeSet::new();
    let mut add = |g: &Generator| match g {
        Generator::Categorical { frequencies } => {
            values.extend(frequencies.items.iter().map(|(v, _)| v.clone()));
            true
        }
        _ => false,
    };
    if !add(&col.generator) {
        return None;
    }
    if let Some(Dependency::Given { cases, .. }) = &col.depends_on {
        for case in cases {
            add(&case.generator);
        }
    }
    (!values.is_empty() && values.len() <= MAX_ENUM_VALUES).then(|| values.into_iter().collect())
}

/// How often a column is NULL, in buckets coarse enough that retraining on another
/// extract seldom rewrites the doc line.
fn null_share(rate: f64) -> String {
    match rate {
        r if r < 0.05 => "rarely NULL".into(),
        r if r > 0.95 => "almost always NULL".into(),
        r => format!(
            "NULL in about {} of 10 sampled rows",
            (r * 10.0).round().max(1.0)
        ),
    }
}

fn field_doc(pack: &ModelPack, model: &TableModel, col: &ColumnModel) -> String {
    let nulls = if col.nullable {
        null_share(col.null_rate)
    } else {
        "never NULL".to_string()
    };
    let privacy = model
        .privacy_decisions
        .iter()
        .find(|d| d.column == col.name)
        .map_or_else(
            || format!("privacy `{}`", col.privacy.as_str()),
            |d| format!("privacy `{}` ({})", col.privacy.as_str(), d.decision),
        );
    let mut doc = format!(
        "`{}.{}`: {}, {nulls}, {privacy}.",
        model.name, col.name, col.logical_type
    );
    if model.primary_key.contains(&col.name) {
        doc.push_str(" Part of the primary key.");
    }
    let mut fks: Vec<_> = pack
        .relationships
        .iter()
        .filter(|r| r.child_table == model.name && r.child_columns.contains(&col.name))
        .collect();
    fks.sort_by(|a, b| a.name.cmp(&b.name));
    for r in fks {
        let k = r
            .child_columns
            .iter()
            .position(|c| *c == col.name)
            .expect("found");
        doc.push_str(&format!(
            " References `{}.{}` (`{}`).",
            r.parent_table, r.parent_columns[k], r.name
        ));
    }
    doc
}

fn links(pack: &ModelPack, tables: &[TableShape]) -> Vec<Link> {
    let mut rels: Vec<_> = pack.relationships.iter().collect();
    rels.sort_by(|a, b| a.name.cmp(&b.name));
    let mut links = Vec::new();
    for r in rels {
        let (Some(child), Some(parent)) = (
            tables.iter().position(|t| t.name == r.child_table),
            tables.iter().position(|t| t.name == r.parent_table),
        ) else {
            continue;
        };
        let Some(key) = &tables[parent].key else {
            continue;
        };
        let parent_model = &pack.tables[parent];
        let child_model = &pack.tables[child];
        // The child's column for each part of the parent's key, in key order.
        let child_fields: Option<Vec<usize>> = key
            .parts
            .iter()
            .map(|&p| {
                let k = r
                    .parent_columns
                    .iter()
                    .position(|c| *c == parent_model.columns[p].name)?;
                child_model.column_index(&r.child_columns[k])
            })
            .collect();
        let Some(child_fields) = child_fields.filter(|f| f.len() == r.child_columns.len()) else {
            continue;
        };
        let to_same_parent = pack
            .relationships
            .iter()
            .filter(|o| o.child_table == r.child_table && o.parent_table == r.parent_table)
            .count();
        let (c, p) = (&tables[child], &tables[parent]);
        let role_name = if r.child_columns.len() == 1 {
            snake(&role(&r.child_columns[0]))
        } else {
            p.method.clone()
        };
        let by_role = role_name.trim_start_matches("r#");
        let children_method = if child == parent {
            // `customers_by_referred_by`, not `customer_customers_by_referred_by`.
            format!("{}_by_{by_role}", c.rows_field)
        } else if to_same_parent > 1 {
            format!("{}_{}_by_{by_role}", p.method, c.rows_field)
        } else {
            format!("{}_{}", p.method, c.rows_field)
        };
        links.push(Link {
            relationship: r.name.clone(),
            child,
            parent,
            nullable: child_fields
                .iter()
                .any(|&f| child_model.columns[f].nullable),
            key_method: (child_fields.len() > 1)
                .then(|| format!("{}_key", role_name.trim_start_matches("r#"))),
            parent_method: format!("{}_{}", c.method, role_name.trim_start_matches("r#")),
            children_method,
            child_fields,
        });
    }
    links
}
