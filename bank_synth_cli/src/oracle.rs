//! `train --source oracle`: the connection, through the `oracle` crate (ODPI-C, with
//! Oracle Instant Client loaded at run time), and where its password comes from.

use crate::say;
use bank_synth_core::Error;
use bank_synth_core::error::Setting;
use bank_synth_core::source::oracle::{
    ConnectString, DbError, FETCH_ARRAY_SIZE, OracleSession, Query, explain,
};
use std::io::IsTerminal;

/// The environment variable holding the Oracle password.
pub const PASSWORD_VAR: &str = "BANK_SYNTH_ORACLE_PASSWORD";

/// An open connection.
pub struct Session {
    connection: oracle::Connection,
}

impl Session {
    /// Connects to `conn`: the password from [`PASSWORD_VAR`], else the one in the
    /// string (warned about), else a prompt on the terminal.
    pub fn open(conn: &ConnectString) -> Result<Session, Error> {
        let password = password(conn)?;
        let connection = oracle::Connection::connect(&conn.user, password, &conn.connect)
            .map_err(|e| explain(&database(conn), "connecting", &db_error(&e)))?;
        Ok(Session { connection })
    }
}

/// The database as messages name it.
pub fn database(conn: &ConnectString) -> String {
    format!("Oracle {conn}")
}

fn password(conn: &ConnectString) -> Result<String, Error> {
    if let Some(p) = std::env::var(PASSWORD_VAR).ok().filter(|p| !p.is_empty()) {
        return Ok(p);
    }
    if let Some(p) = conn.password() {
        say::warning(&format!(
            "the Oracle password is on the command line, where other users of this machine and the shell history can read it; set {PASSWORD_VAR} or leave the password out to be asked for it (it is never written to the pack or the logs)"
        ));
        return Ok(p.to_string());
    }
    if !std::io::stdin().is_terminal() {
        return Err(Error::Usage(bank_synth_core::message![
            format!(
                "no Oracle password: set {PASSWORD_VAR}, or run on a terminal to be asked for it (the user is given in "
            ),
            Setting::OracleConn,
            ")",
        ]));
    }
    rpassword::prompt_password(format!("Oracle password for {conn}: ")).map_err(|e| {
        Error::Usage(
            format!("cannot read the Oracle password from the terminal ({e}); set {PASSWORD_VAR}")
                .into(),
        )
    })
}

fn db_error(e: &oracle::Error) -> DbError {
    match e.db_error() {
        Some(db) => DbError::from_message(db.message()),
        None => DbError::from_message(&e.to_string()),
    }
}

impl OracleSession for Session {
    fn query(
        &mut self,
        query: &Query<'_>,
        row: &mut dyn FnMut(Vec<Option<String>>),
    ) -> Result<(), DbError> {
        let sql = query.sql();
        let binds = query.binds();
        let params: Vec<&dyn oracle::sql_type::ToSql> = binds
            .iter()
            .map(|b| b as &dyn oracle::sql_type::ToSql)
            .collect();
        let mut statement = self
            .connection
            .statement(&sql)
            .fetch_array_size(FETCH_ARRAY_SIZE)
            .prefetch_rows(FETCH_ARRAY_SIZE)
            .build()
            .map_err(|e| db_error(&e))?;
        let rows = statement.query(&params).map_err(|e| db_error(&e))?;
        let width = rows.column_info().len();
        for r in rows {
            let r = r.map_err(|e| db_error(&e))?;
            let cells = (0..width)
                .map(|i| r.get::<usize, Option<String>>(i))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| db_error(&e))?;
            row(cells);
        }
        Ok(())
    }
}
