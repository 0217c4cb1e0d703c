//! The schema as the dictionary describes it: tables, columns and their types, NOT
//! NULL, primary keys and foreign keys, from ALL_TAB_COLUMNS, ALL_CONSTRAINTS and
//! ALL_CONS_COLUMNS.

use super::query::{Conversion, Query};
use super::{DbError, OracleSession, explain};
use crate::error::{Error, Result};
use crate::value::LogicalType;

/// One column of a table.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnDef {
    /// The name, as the dictionary spells it.
    pub name: String,
    /// Oracle's type, as ALL_TAB_COLUMNS.DATA_TYPE gives it (`NUMBER`, `TIMESTAMP(6)`).
    pub data_type: String,
    /// How the sample query reads it, or `None` for a type bank_synth cannot model
    /// (RAW, BLOB, BFILE, LONG, ROWID, XMLTYPE, INTERVAL, object types): skipped.
    pub conversion: Option<Conversion>,
    /// The logical type the Oracle type fixes, if it fixes one (`NUMBER(10)` is an
    /// integer, `NUMBER(18,2)` a decimal); `None` leaves it to the values.
    pub declared: Option<LogicalType>,
    /// False for NOT NULL columns.
    pub nullable: bool,
}

/// A foreign key within the schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForeignKey {
    /// The constraint's name.
    pub name: String,
    /// The child's columns.
    pub columns: Vec<String>,
    /// The referenced table.
    pub parent_table: String,
    /// The referenced columns, paired with `columns`.
    pub parent_columns: Vec<String>,
}

/// One table of the schema.
#[derive(Debug, Clone, PartialEq)]
pub struct TableDef {
    /// The name, as the dictionary spells it.
    pub name: String,
    /// Columns in column order.
    pub columns: Vec<ColumnDef>,
    /// The primary key's columns (empty without one).
    pub primary_key: Vec<String>,
    /// Foreign keys to tables of the same schema, in the order of their first column
    /// in the table (so the first NOT NULL one groups the table, as relationships.yaml
    /// order would).
    pub foreign_keys: Vec<ForeignKey>,
}

impl TableDef {
    /// The column called `name`.
    pub fn column(&self, name: &str) -> Option<&ColumnDef> {
        self.columns.iter().find(|c| c.name == name)
    }
}

/// How an Oracle column type is read: its conversion to text and the logical type it
/// fixes; `None` for types that are skipped.
pub fn column_type(
    data_type: &str,
    precision: Option<u32>,
    scale: Option<i32>,
) -> Option<(Conversion, Option<LogicalType>)> {
    let t = data_type.trim().to_ascii_uppercase();
    Some(match t.as_str() {
        "NUMBER" => (Conversion::Number, number_type(precision, scale)),
        "FLOAT" | "BINARY_FLOAT" | "BINARY_DOUBLE" => {
            (Conversion::Number, Some(LogicalType::Float))
        }
        "DATE" => (Conversion::Date, None),
        "VARCHAR2" | "NVARCHAR2" | "VARCHAR" => (Conversion::Text, None),
        "CHAR" | "NCHAR" => (Conversion::Char, None),
        "CLOB" | "NCLOB" => (Conversion::Lob, None),
        _ if t.starts_with("TIMESTAMP") && t.contains("TIME ZONE") => {
            (Conversion::TimestampUtc, Some(LogicalType::Timestamp))
        }
        _ if t.starts_with("TIMESTAMP") => (Conversion::Timestamp, Some(LogicalType::Timestamp)),
        _ => return None,
    })
}

/// NUMBER(p,s): integers of up to 15 digits and decimals are fixed by the type; wider
/// integers (and NUMBER without precision) are typed by their values, so a 16-digit
/// card number reads as an identifier as it would from a CSV file.
fn number_type(precision: Option<u32>, scale: Option<i32>) -> Option<LogicalType> {
    match (precision, scale) {
        (Some(p), Some(0)) if p <= 15 => Some(LogicalType::Integer),
        (Some(p), Some(s)) if s > 0 && p <= 38 && s as u32 <= p => Some(LogicalType::Decimal {
            precision: p as u8,
            scale: s as u8,
        }),
        _ => None,
    }
}

/// Reads the catalog of schema `owner`: every table with its columns and keys, in
/// table-name order, and warnings for what is skipped (columns of unmodelled types,
/// foreign keys to other schemas).
pub fn read_catalog(
    session: &mut dyn OracleSession,
    database: &str,
    owner: &str,
) -> Result<(Vec<TableDef>, Vec<String>)> {
    let mut warnings = Vec::new();
    let columns = fetch(session, database, owner, Query::Columns { owner }, 7)?;
    let mut tables: Vec<TableDef> = Vec::new();
    for row in &columns {
        let [
            table,
            column,
            data_type,
            precision,
            scale,
            _length,
            nullable,
        ] = &row[..]
        else {
            unreachable!("fetch checks the width")
        };
        let (table, column) = (text(table), text(column));
        let data_type = text(data_type);
        let kind = column_type(&data_type, number(precision), number(scale));
        if kind.is_none() {
            warnings.push(format!(
                "column {column} of table {table} is {data_type}, which bank_synth does not model; it is left out of the pack"
            ));
        }
        if tables.last().is_none_or(|t| t.name != table) {
            tables.push(TableDef {
                name: table.clone(),
                columns: Vec::new(),
                primary_key: Vec::new(),
                foreign_keys: Vec::new(),
            });
        }
        tables.last_mut().expect("pushed").columns.push(ColumnDef {
            name: column,
            data_type,
            conversion: kind.map(|k| k.0),
            declared: kind.and_then(|k| k.1),
            nullable: nullable.as_deref().map(str::trim) != Some("N"),
        });
    }
    let constraints = fetch(session, database, owner, Query::Constraints { owner }, 7)?;
    // Rows come ordered by table, type and constraint: group the columns of each.
    let mut keys: Vec<Key> = Vec::new();
    for row in &constraints {
        let [table, name, kind, column, r_owner, r_table, r_column] = &row[..] else {
            unreachable!("fetch checks the width")
        };
        let (table, name) = (text(table), text(name));
        if keys
            .last()
            .is_none_or(|k| k.table != table || k.name != name)
        {
            let other_schema = r_owner.as_deref().is_some_and(|o| o != owner);
            if other_schema {
                warnings.push(format!(
                    "foreign key {name} of table {table} references {}.{}, in another schema; it is not followed (train that schema's tables with this one and declare the link in relationships.yaml)",
                    text(r_owner),
                    text(r_table)
                ));
            }
            keys.push(Key {
                table,
                name,
                kind: text(kind),
                columns: Vec::new(),
                parent: r_table.clone().filter(|_| !other_schema),
                parent_columns: Vec::new(),
            });
        }
        let k = keys.last_mut().expect("pushed");
        k.columns.push(text(column));
        k.parent_columns.extend(r_column.clone());
    }
    for k in keys {
        let Some(t) = tables.iter_mut().find(|t| t.name == k.table) else {
            continue;
        };
        match (k.kind.as_str(), k.parent) {
            ("P", _) => t.primary_key = k.columns,
            ("R", Some(parent_table)) if k.parent_columns.len() == k.columns.len() => {
                t.foreign_keys.push(ForeignKey {
                    name: k.name,
                    columns: k.columns,
                    parent_table,
                    parent_columns: k.parent_columns,
                });
            }
            _ => {}
        }
    }
    for t in &mut tables {
        let position = |c: &str| t.columns.iter().position(|col| col.name == c);
        let mut fks = std::mem::take(&mut t.foreign_keys);
        fks.sort_by_key(|fk| {
            (
                fk.columns.first().and_then(|c| position(c)),
                fk.name.clone(),
            )
        });
        t.foreign_keys = fks;
    }
    Ok((tables, warnings))
}

/// One constraint's rows, gathered.
struct Key {
    table: String,
    name: String,
    kind: String,
    columns: Vec<String>,
    /// The referenced table, for a foreign key within the schema.
    parent: Option<String>,
    parent_columns: Vec<String>,
}

fn number<T: std::str::FromStr>(cell: &Option<String>) -> Option<T> {
    cell.as_deref().and_then(|s| s.trim().parse().ok())
}

fn text(cell: &Option<String>) -> String {
    cell.clone().unwrap_or_default()
}

/// Runs a catalog query, every row `width` cells wide.
fn fetch(
    session: &mut dyn OracleSession,
    database: &str,
    owner: &str,
    query: Query<'_>,
    width: usize,
) -> Result<Vec<Vec<Option<String>>>> {
    let mut rows = Vec::new();
    let doing = format!("reading the catalog of schema {owner}");
    session
        .query(&query, &mut |row| rows.push(row))
        .map_err(|e| explain(database, &doing, &e))?;
    if let Some(bad) = rows.iter().find(|r| r.len() != width) {
        return Err(explain(
            database,
            &doing,
            &DbError {
                code: String::new(),
                message: format!(
                    "a dictionary row has {} columns where {width} were asked for",
                    bad.len()
                ),
            },
        ));
    }
    Ok(rows)
}

/// An error naming a schema with no readable table.
pub fn empty_schema(database: &str, owner: &str) -> Error {
    Error::Database {
        database: database.to_string(),
        message: crate::message![
            format!("schema {owner} has no table this user can see; check "),
            crate::error::Setting::Schema,
            " (the owning schema, as the dictionary spells it: usually upper-case) and that the user has SELECT on its tables (ALL_TAB_COLUMNS shows only what it may read)",
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oracle_types_map_to_logical_types() {
        let ty = |t: &str, p: Option<u32>, s: Option<i32>| column_type(t, p, s).map(|k| k.1);
        assert_eq!(
            ty("NUMBER", Some(10), Some(0)),
            Some(Some(LogicalType::Integer))
        );
        assert_eq!(ty("NUMBER", Some(19), Some(0)), Some(None));
        assert_eq!(ty("NUMBER", None, None), Some(None));
        assert_eq!(
            ty("NUMBER", Some(18), Some(2)),
            Some(Some(LogicalType::Decimal {
                precision: 18,
                scale: 2
            }))
        );
        assert_eq!(
            ty("BINARY_DOUBLE", None, None),
            Some(Some(LogicalType::Float))
        );
        assert_eq!(
            ty("TIMESTAMP(3) WITH TIME ZONE", None, Some(3)),
            Some(Some(LogicalType::Timestamp))
        );
        assert_eq!(
            column_type("TIMESTAMP(6) WITH LOCAL TIME ZONE", None, Some(6)).map(|k| k.0),
            Some(Conversion::TimestampUtc)
        );
        assert_eq!(ty("DATE", None, None), Some(None));
        assert_eq!(ty("NVARCHAR2", None, None), Some(None));
        for skipped in [
            "BLOB",
            "RAW",
            "LONG RAW",
            "BFILE",
            "ROWID",
            "XMLTYPE",
            "INTERVAL DAY(2) TO SECOND(6)",
        ] {
            assert_eq!(ty(skipped, None, None), None, "{skipped}");
        }
    }
}
