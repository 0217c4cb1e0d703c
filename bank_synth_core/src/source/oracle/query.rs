//! The queries the Oracle source issues, as values that render their own SQL. Sample
//! queries are built from a [`Selection`] — which rows of a table — so that a child's
//! rows can be chosen by a semi-join on its parent's selection, inside the database.

/// Rows fetched per round trip.
pub const FETCH_ARRAY_SIZE: u32 = 1_000;

/// The seed of `SAMPLE (N) SEED (s)`: the same sample on every run over the same data.
pub const SAMPLE_SEED: u32 = 20_240_601;

/// One query of the Oracle source.
#[derive(Debug, Clone, Copy)]
pub enum Query<'a> {
    /// The columns of every table of the schema, in column order.
    Columns {
        /// The schema (owner), upper-case.
        owner: &'a str,
    },
    /// The enabled primary and foreign keys of the schema, column by column.
    Constraints {
        /// The schema (owner), upper-case.
        owner: &'a str,
    },
    /// Sample rows of one table.
    Sample(&'a SampleQuery),
}

/// The catalog's columns: table, column, type, precision, scale, length in
/// characters, nullable (`Y`/`N`). Views are left out (joined with ALL_TABLES), as
/// are tables in the recycle bin.
pub const COLUMNS_SQL: &str = "SELECT c.TABLE_NAME, c.COLUMN_NAME, c.DATA_TYPE, c.DATA_PRECISION, c.DATA_SCALE, c.CHAR_LENGTH, c.NULLABLE \
FROM ALL_TAB_COLUMNS c JOIN ALL_TABLES t ON t.OWNER = c.OWNER AND t.TABLE_NAME = c.TABLE_NAME \
WHERE c.OWNER = :owner AND t.DROPPED = 'NO' \
ORDER BY c.TABLE_NAME, c.COLUMN_ID";

/// The schema's enabled keys: table, constraint, type (`P`/`R`), column, and for a
/// foreign key the referenced owner, table and column at the same position.
pub const CONSTRAINTS_SQL: &str = "SELECT k.TABLE_NAME, k.CONSTRAINT_NAME, k.CONSTRAINT_TYPE, cc.COLUMN_NAME, r.OWNER, r.TABLE_NAME, rc.COLUMN_NAME \
FROM ALL_CONSTRAINTS k \
JOIN ALL_CONS_COLUMNS cc ON cc.OWNER = k.OWNER AND cc.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND cc.TABLE_NAME = k.TABLE_NAME \
LEFT JOIN ALL_CONSTRAINTS r ON r.OWNER = k.R_OWNER AND r.CONSTRAINT_NAME = k.R_CONSTRAINT_NAME \
LEFT JOIN ALL_CONS_COLUMNS rc ON rc.OWNER = r.OWNER AND rc.CONSTRAINT_NAME = r.CONSTRAINT_NAME AND rc.POSITION = cc.POSITION \
WHERE k.OWNER = :owner AND k.CONSTRAINT_TYPE IN ('P', 'R') AND k.STATUS = 'ENABLED' \
ORDER BY k.TABLE_NAME, k.CONSTRAINT_TYPE, k.CONSTRAINT_NAME, cc.POSITION";

impl Query<'_> {
    /// The SQL text (Oracle dialect; binds named `:owner`, bound by position).
    pub fn sql(&self) -> String {
        match self {
            Query::Columns { .. } => COLUMNS_SQL.to_string(),
            Query::Constraints { .. } => CONSTRAINTS_SQL.to_string(),
            Query::Sample(q) => q.sql(),
        }
    }

    /// The values bound to the placeholders, in order.
    pub fn binds(&self) -> Vec<String> {
        match self {
            Query::Columns { owner } | Query::Constraints { owner } => vec![owner.to_string()],
            Query::Sample(_) => Vec::new(),
        }
    }
}

/// How a column's values are turned into text by the query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conversion {
    /// NUMBER, FLOAT, BINARY_FLOAT/DOUBLE: `TO_CHAR(c, 'TM9')` with `.` as decimal mark.
    Number,
    /// DATE: `YYYY-MM-DD HH24:MI:SS`.
    Date,
    /// TIMESTAMP(n): `YYYY-MM-DD HH24:MI:SS.FF6`.
    Timestamp,
    /// TIMESTAMP WITH [LOCAL] TIME ZONE: the UTC instant, as a timestamp.
    TimestampUtc,
    /// CLOB, NCLOB: the first 4,000 characters.
    Lob,
    /// VARCHAR2, NVARCHAR2: as stored.
    Text,
    /// CHAR, NCHAR: without the blanks that pad them to their length.
    Char,
}

impl Conversion {
    fn expression(self, column: &str) -> String {
        let c = quote(column);
        match self {
            Conversion::Number => {
                format!("TO_CHAR({c}, 'TM9', 'NLS_NUMERIC_CHARACTERS = ''.,''')")
            }
            Conversion::Date => format!("TO_CHAR({c}, 'YYYY-MM-DD HH24:MI:SS')"),
            Conversion::Timestamp => format!("TO_CHAR({c}, 'YYYY-MM-DD HH24:MI:SS.FF6')"),
            Conversion::TimestampUtc => {
                format!("TO_CHAR(SYS_EXTRACT_UTC({c}), 'YYYY-MM-DD HH24:MI:SS.FF6')")
            }
            Conversion::Lob => format!("DBMS_LOB.SUBSTR({c}, 4000, 1)"),
            Conversion::Char => format!("RTRIM({c})"),
            Conversion::Text => c,
        }
    }
}

/// Which rows of a table a sample query takes.
#[derive(Debug, Clone, PartialEq)]
pub enum RowFilter {
    /// Every row.
    All,
    /// About `percent` % of the rows, the same ones on every run: `SAMPLE (N) SEED (s)`.
    Sample {
        /// 0 < percent < 100.
        percent: f64,
    },
    /// The first `rows` rows by `order`: `ORDER BY … FETCH FIRST N ROWS ONLY`.
    First {
        /// How many.
        rows: u64,
        /// The columns ordering the rows (the primary key, else every column).
        order: Vec<String>,
    },
    /// The rows whose `columns` hold the `parent_columns` of a row of `parent`: the
    /// children of a sampled family, by a semi-join.
    ChildOf {
        /// The child's foreign-key columns.
        columns: Vec<String>,
        /// The referenced columns of the parent.
        parent_columns: Vec<String>,
        /// The parent's own selection.
        parent: Box<Selection>,
    },
}

/// A set of rows of one table.
#[derive(Debug, Clone, PartialEq)]
pub struct Selection {
    /// The schema (owner).
    pub owner: String,
    /// The table.
    pub table: String,
    /// Which rows.
    pub filter: RowFilter,
}

impl Selection {
    /// `SELECT select FROM … [SAMPLE …] [WHERE …] [ORDER BY …]`: ordered by `order`,
    /// except a `First` selection, ordered by its own order.
    fn sql(&self, select: &str, order: &[String]) -> String {
        let from = format!("{}.{}", quote(&self.owner), quote(&self.table));
        let rows = match &self.filter {
            RowFilter::All => format!("SELECT {select} FROM {from}"),
            RowFilter::Sample { percent } => {
                format!("SELECT {select} FROM {from} SAMPLE ({percent}) SEED ({SAMPLE_SEED})")
            }
            RowFilter::First { rows, order } => format!(
                "SELECT {select} FROM {from} ORDER BY {} FETCH FIRST {rows} ROWS ONLY",
                idents(order)
            ),
            RowFilter::ChildOf {
                columns,
                parent_columns,
                parent,
            } => {
                let keys = if columns.len() == 1 {
                    quote(&columns[0])
                } else {
                    format!("({})", idents(columns))
                };
                format!(
                    "SELECT {select} FROM {from} WHERE {keys} IN ({})",
                    parent.sql(&idents(parent_columns), &[])
                )
            }
        };
        if order.is_empty() || matches!(self.filter, RowFilter::First { .. }) {
            rows
        } else {
            format!("{rows} ORDER BY {}", idents(order))
        }
    }
}

/// A quoted identifier, exactly as the dictionary spells it.
fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn idents(columns: &[String]) -> String {
    columns
        .iter()
        .map(|c| quote(c))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The sample rows of one table: its readable columns, converted to text.
#[derive(Debug, Clone, PartialEq)]
pub struct SampleQuery {
    /// Which rows.
    pub selection: Selection,
    /// The columns fetched, each with its conversion, in table order. The select list
    /// has no aliases, so ORDER BY names the stored columns, not their text.
    pub columns: Vec<(String, Conversion)>,
    /// The columns the rows are ordered by (the primary key, else the fetched
    /// columns but LOBs), so the same data gives the same sample in the same order.
    pub order: Vec<String>,
}

impl SampleQuery {
    /// The SQL text.
    pub fn sql(&self) -> String {
        let select = self
            .columns
            .iter()
            .map(|(name, conversion)| conversion.expression(name))
            .collect::<Vec<_>>()
            .join(", ");
        self.selection.sql(&select, &self.order)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn selection(table: &str, filter: RowFilter) -> Selection {
        Selection {
            owner: "CORE".into(),
            table: table.into(),
            filter,
        }
    }

    #[test]
    fn children_are_chosen_by_a_semi_join_on_their_parents_sample() {
        let customers = selection("CUSTOMERS", RowFilter::Sample { percent: 1.0 });
        let accounts = selection(
            "ACCOUNTS",
            RowFilter::ChildOf {
                columns: vec!["CUSTOMER_ID".into()],
                parent_columns: vec!["CUSTOMER_ID".into()],
                parent: Box::new(customers),
            },
        );
        let q = SampleQuery {
            selection: accounts,
            columns: vec![
                ("ACCOUNT_ID".into(), Conversion::Number),
                ("OPEN_DATE".into(), Conversion::Date),
            ],
            order: vec!["ACCOUNT_ID".into()],
        };
        assert_eq!(
            q.sql(),
            "SELECT TO_CHAR(\"ACCOUNT_ID\", 'TM9', 'NLS_NUMERIC_CHARACTERS = ''.,'''), \
             TO_CHAR(\"OPEN_DATE\", 'YYYY-MM-DD HH24:MI:SS') \
             FROM \"CORE\".\"ACCOUNTS\" WHERE \"CUSTOMER_ID\" IN \
             (SELECT \"CUSTOMER_ID\" FROM \"CORE\".\"CUSTOMERS\" SAMPLE (1) SEED (20240601)) \
             ORDER BY \"ACCOUNT_ID\""
        );
    }

    #[test]
    fn composite_keys_and_first_rows() {
        let statements = selection(
            "STATEMENTS",
            RowFilter::First {
                rows: 50,
                order: vec!["ACCOUNT_ID".into(), "STATEMENT_MONTH".into()],
            },
        );
        let lines = selection(
            "STATEMENT_LINES",
            RowFilter::ChildOf {
                columns: vec!["ACCOUNT_ID".into(), "STATEMENT_MONTH".into()],
                parent_columns: vec!["ACCOUNT_ID".into(), "STATEMENT_MONTH".into()],
                parent: Box::new(statements),
            },
        );
        assert_eq!(
            lines.sql("\"LINE_NO\"", &[]),
            "SELECT \"LINE_NO\" FROM \"CORE\".\"STATEMENT_LINES\" WHERE (\"ACCOUNT_ID\", \"STATEMENT_MONTH\") IN \
             (SELECT \"ACCOUNT_ID\", \"STATEMENT_MONTH\" FROM \"CORE\".\"STATEMENTS\" \
             ORDER BY \"ACCOUNT_ID\", \"STATEMENT_MONTH\" FETCH FIRST 50 ROWS ONLY)"
        );
    }
}
