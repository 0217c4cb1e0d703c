//! `user[/password]@connect`: the user and the database to read, the password apart.

use crate::error::{Error, Result, Setting};
use std::fmt;

/// A parsed `--oracle_conn`. The password, when the string carried one, is kept apart
/// and never shown: `Display` and `Debug` print `user@connect` only.
#[derive(Clone, PartialEq, Eq)]
pub struct ConnectString {
    /// The database user (also the default schema of its session).
    pub user: String,
    /// Easy Connect (`host:1521/service`, `//host/service`), a TNS alias or a full
    /// connect descriptor.
    pub connect: String,
    password: Option<String>,
}

impl ConnectString {
    /// Parses `user@connect` or `user/password@connect` (split at the last `@`, then at
    /// the first `/`, so a password may hold either).
    pub fn parse(text: &str) -> Result<ConnectString> {
        let bad = |why: &str| {
            Error::Usage(crate::message![
                Setting::OracleConn,
                format!(
                    " {why}; write user@host:1521/service (Easy Connect) or user@TNS_ALIAS, with the password in BANK_SYNTH_ORACLE_PASSWORD or typed at the prompt"
                ),
            ])
        };
        let text = text.trim();
        let (credentials, connect) = text
            .rsplit_once('@')
            .ok_or_else(|| bad("names no database (there is no `@`)"))?;
        let (user, password) = match credentials.split_once('/') {
            Some((user, password)) => (user, Some(password.to_string())),
            None => (credentials, None),
        };
        if user.trim().is_empty() {
            return Err(bad("names no user before the `@`"));
        }
        if connect.trim().is_empty() {
            return Err(bad("names no database after the `@`"));
        }
        Ok(ConnectString {
            user: user.trim().to_string(),
            connect: connect.trim().to_string(),
            password: password.filter(|p| !p.is_empty()),
        })
    }

    /// The password written in the string itself, if any (the CLI warns about it:
    /// command lines are visible to other users and kept in shell history).
    pub fn password(&self) -> Option<&str> {
        self.password.as_deref()
    }

    /// The string with `password` set (from the environment or a prompt).
    pub fn with_password(mut self, password: String) -> ConnectString {
        self.password = Some(password);
        self
    }
}

impl fmt::Display for ConnectString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}@{}", self.user, self.connect)
    }
}

impl fmt::Debug for ConnectString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ConnectString({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_password_and_database_are_split() {
        let c = ConnectString::parse("scott/ti@g/er@db.example:1521/ORCL").unwrap();
        assert_eq!(c.user, "scott");
        assert_eq!(c.password(), Some("ti@g/er"));
        assert_eq!(c.connect, "db.example:1521/ORCL");
        let c = ConnectString::parse(" scott@//db/ORCL ").unwrap();
        assert_eq!((c.user.as_str(), c.password()), ("scott", None));
    }

    #[test]
    fn the_password_is_never_shown() {
        let c = ConnectString::parse("scott/s3cret@db:1521/ORCL").unwrap();
        assert_eq!(c.to_string(), "scott@db:1521/ORCL");
        assert!(!format!("{c:?}").contains("s3cret"));
        let c = c.with_password("other".into());
        assert!(!format!("{c} {c:?}").contains("other"));
    }

    #[test]
    fn malformed_strings_say_how_to_write_them() {
        for bad in ["", "scott", "@db:1521/ORCL", "scott/pw@", "/pw@db"] {
            let e = ConnectString::parse(bad).unwrap_err().to_string();
            assert!(e.contains("user@host:1521/service"), "{bad}: {e}");
        }
    }
}
