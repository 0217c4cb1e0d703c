//! An Oracle schema as a sample source. The catalog (tables, columns, types, NOT NULL,
//! primary and foreign keys) comes from the `ALL_*` dictionary views of the schema;
//! the sample is drawn inside the database — `SAMPLE (N)` on the tables with no parent,
//! their children fetched by key with semi-joins, so families survive — and fetched
//! in batches, every value converted to text by the query itself with explicit formats.
//!
//! The database is reached through [`OracleSession`]: queries out, rows of text in.
//! The `bank_synth` binary implements it with the `oracle` crate (ODPI-C and Oracle
//! Instant Client); tests implement it with recorded catalog rows.

mod catalog;
mod connect;
mod extract;
mod query;

pub use catalog::{ColumnDef, ForeignKey, TableDef, column_type, empty_schema, read_catalog};
pub use connect::ConnectString;
pub use extract::{Extract, Request, discovered_relationships, extract};
pub use query::{
    COLUMNS_SQL, CONSTRAINTS_SQL, Conversion, FETCH_ARRAY_SIZE, Query, RowFilter, SAMPLE_SEED,
    SampleQuery, Selection,
};

use crate::error::{Error, Message, Setting};

/// A failure reported by the database or its client library.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DbError {
    /// The error code as the client prints it: `ORA-00942`, `DPI-1047`, or empty.
    pub code: String,
    /// The client's message (it never holds bound values: the queries bind none but
    /// the schema name).
    pub message: String,
}

impl DbError {
    /// An error from its client message, the code read off its `XXX-NNNNN:` prefix.
    pub fn from_message(message: &str) -> DbError {
        let code = message
            .split_once(':')
            .map(|(head, _)| head.trim())
            .filter(|head| {
                head.split_once('-').is_some_and(|(letters, digits)| {
                    !letters.is_empty()
                        && letters.bytes().all(|b| b.is_ascii_uppercase())
                        && !digits.is_empty()
                        && digits.bytes().all(|b| b.is_ascii_digit())
                })
            })
            .unwrap_or_default()
            .to_string();
        DbError {
            code,
            message: message.trim().to_string(),
        }
    }
}

/// A connection to an Oracle database that runs training's queries.
pub trait OracleSession {
    /// Runs `query`, handing each row to `row` as text cells (`None` for NULL), in
    /// the order the database returns them; rows are fetched in batches.
    fn query(
        &mut self,
        query: &Query<'_>,
        row: &mut dyn FnMut(Vec<Option<String>>),
    ) -> std::result::Result<(), DbError>;
}

/// What to do about `error`, met while `doing` (e.g. "reading the catalog of schema
/// CORE"), as one paragraph naming the database.
pub fn explain(database: &str, doing: &str, error: &DbError) -> Error {
    let samples = |text: &str| {
        crate::message![
            text,
            Setting::Source,
            " samples ",
            Setting::SampleDir,
            " DIR",
        ]
    };
    let advice: Message = match error.code.as_str() {
        "DPI-1047" | "DPI-1072" => samples(
            "the Oracle Client library (libclntsh) could not be loaded, so no connection can be made. Install Oracle Instant Client (Basic or Basic Light, 19c or later, from oracle.com/database/technologies/instant-client) and put its directory on LD_LIBRARY_PATH (macOS: DYLD_LIBRARY_PATH; Windows: PATH), or export the tables as CSV or Parquet sample files and train with ",
        ),
        "ORA-01017" => {
            "the user name or password is wrong; check them (the password comes from BANK_SYNTH_ORACLE_PASSWORD or the prompt)"
            .into()
        }
        "ORA-12154" | "ORA-12162" | "ORA-12262" | "ORA-12545" => {
            "the connect string names no database this client can resolve; write it as user@host:port/service (Easy Connect) or a TNS alias known to the client's tnsnames.ora"
            .into()
        }
        "ORA-12514" | "ORA-12505" => {
            "the listener does not know that service; check the service name after the port"
            .into()
        }
        "ORA-12541" | "ORA-12543" | "ORA-12170" | "ORA-12535" => {
            "no listener answered at that host and port; check them, and that the database is up and reachable from here"
            .into()
        }
        "ORA-28000" => "the account is locked; ask the database administrator to unlock it".into(),
        "ORA-00942" => {
            "a table or dictionary view does not exist or this user may not read it; grant the user SELECT on the schema's tables (the ALL_* views show only what it may read)"
            .into()
        }
        "ORA-01031" | "ORA-01039" => {
            "this user lacks a privilege the query needs; grant it SELECT on the schema's tables"
            .into()
        }
        _ => samples(
            "check the connect string, the user's privileges and the database, or train from exported sample files with ",
        ),
    };
    Error::Database {
        database: database.to_string(),
        message: advice.prepend(format!(
            "{doing} failed ({}): ",
            if error.message.is_empty() {
                error.code.as_str()
            } else {
                error.message.as_str()
            }
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_read_off_the_message() {
        assert_eq!(
            DbError::from_message("ORA-00942: table or view does not exist").code,
            "ORA-00942"
        );
        assert_eq!(
            DbError::from_message("DPI-1047: Cannot locate a 64-bit Oracle Client library: \"libclntsh.so: cannot open shared object file\"").code,
            "DPI-1047"
        );
        assert_eq!(DbError::from_message("connection reset").code, "");
        assert_eq!(DbError::from_message("note: x-1 happened").code, "");
    }

    #[test]
    fn a_missing_client_is_explained_with_the_way_out() {
        let e = explain(
            "Oracle scott@db:1521/ORCL",
            "connecting",
            &DbError::from_message("DPI-1047: Cannot locate a 64-bit Oracle Client library"),
        )
        .to_string();
        assert!(
            e.starts_with("Oracle scott@db:1521/ORCL: connecting failed (DPI-1047"),
            "{e}"
        );
        assert!(
            e.contains("Instant Client") && e.contains("LD_LIBRARY_PATH"),
            "{e}"
        );
        assert!(e.contains("`source` samples `sample_dir` DIR"), "{e}");
    }
}
