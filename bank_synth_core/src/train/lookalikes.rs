//! Columns that look like personal data and that no privacy policy covers (so they are
//! public and keep their values in the pack), for a warning at training: by name — the names
//! people give personal columns (EMAIL, FIRST_NAME, PHONE) — or by content — emails, US
//! SSNs, phone numbers, payment card numbers, IBANs. Only table and column names are
//! reported, never a value.

use super::catalog::Catalog;
use crate::config::PrivacyConfig;
use crate::format::{iban_valid, luhn_valid};
use crate::value::Value;

/// A column looks like this kind of data when this share of its (first) text values do.
const MIN_SHARE: f64 = 0.9;
/// How many non-NULL values of a column are looked at.
const LOOK_AT: usize = 200;

/// `TABLE.COLUMN (why)` for each sample column that looks like personal data and that
/// `policy` (when there is one) does not name.
pub(super) fn lookalikes(catalog: &Catalog, policy: Option<&PrivacyConfig>) -> Vec<String> {
    let mut found = Vec::new();
    for t in &catalog.tables {
        for c in &t.sample.columns {
            if policy.is_some_and(|p| p.policy(&t.sample.name, &c.name).is_some()) {
                continue;
            }
            let by_name = crate::faker::personal_provider(&c.name);
            let why = match by_name {
                Some(p) => Some(format!("its name suggests {}", p.name)),
                None => content(&c.values).map(|kind| format!("its values look like {kind}")),
            };
            if let Some(why) = why {
                found.push(format!("{}.{} ({why})", t.sample.name, c.name));
            }
        }
    }
    found
}

/// A kind of personal data and the test of one value.
type Kind = (&'static str, fn(&str) -> bool);

/// The kind of personal data most of `values`' texts are, if one is.
fn content(values: &[Value]) -> Option<&'static str> {
    let texts: Vec<&str> = values
        .iter()
        .filter_map(|v| match v {
            Value::Str(s) => Some(s.trim()),
            _ => None,
        })
        .filter(|s| !s.is_empty())
        .take(LOOK_AT)
        .collect();
    if texts.len() < 5 {
        return None;
    }
    let kinds: [Kind; 5] = [
        ("email addresses", email),
        ("SSNs", ssn),
        ("payment card numbers", card),
        ("IBANs", |s| iban_valid(&s.replace(' ', ""))),
        ("phone numbers", phone),
    ];
    kinds.into_iter().find_map(|(kind, looks)| {
        let share = texts.iter().filter(|s| looks(s)).count() as f64 / texts.len() as f64;
        (share >= MIN_SHARE).then_some(kind)
    })
}

fn email(s: &str) -> bool {
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !s.contains(char::is_whitespace)
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains('@')
        }
        None => false,
    }
}

/// `123-45-6789`.
fn ssn(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 11
        && b.iter().enumerate().all(|(i, c)| match i {
            3 | 6 => *c == b'-',
            _ => c.is_ascii_digit(),
        })
}

/// 13 to 19 digits (spaces or dashes between groups allowed) with a valid Luhn digit.
fn card(s: &str) -> bool {
    let digits: String = s.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    (13..=19).contains(&digits.len()) && luhn_valid(&digits)
}

/// 7 to 15 digits written with the separators of phone numbers (`+`, `(`, `)`, `-`,
/// `.`, spaces) — at least one of them, so a plain number is not a phone.
fn phone(s: &str) -> bool {
    let digits = s.bytes().filter(u8::is_ascii_digit).count();
    let separators = s.bytes().filter(|b| b" +()-.".contains(b)).count();
    (7..=15).contains(&digits) && separators > 0 && digits + separators == s.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(values: &[&str]) -> Vec<Value> {
        values.iter().map(|s| Value::Str((*s).into())).collect()
    }

    #[test]
    fn personal_data_is_recognised_by_its_shape() {
        let cases: [(&[&str], Option<&str>); 7] = [
            (
                &["a.b@x.com", "c@y.org", "d_e@z.co.uk", "f@g.io", "h@i.net"],
                Some("email addresses"),
            ),
            (
                &[
                    "123-45-6789",
                    "987-65-4321",
                    "111-22-3333",
                    "222-33-4444",
                    "555-66-7777",
                ],
                Some("SSNs"),
            ),
            (
                &[
                    "4111 1111 1111 1111",
                    "5500005555555559",
                    "4012888888881881",
                    "378282246310005",
                    "6011111111111117",
                ],
                Some("payment card numbers"),
            ),
            (
                &[
                    "GB82WEST12345698765432",
                    "DE89370400440532013000",
                    "FR1420041010050500013M02606",
                    "GB33BUKB20201555555555",
                    "NL91ABNA0417164300",
                ],
                Some("IBANs"),
            ),
            (
                &[
                    "+1 (555) 123-4567",
                    "555-987-6543",
                    "(020) 7946 0958",
                    "+44 20 7946 0018",
                    "555.123.4567",
                ],
                Some("phone numbers"),
            ),
            // Codes and plain numbers are not personal data.
            (&["ATM", "POS", "ONLINE", "ATM", "POS"], None),
            (
                &["1234567", "2345678", "3456789", "4567890", "5678901"],
                None,
            ),
        ];
        for (values, expected) in cases {
            assert_eq!(content(&texts(values)), expected, "{values:?}");
        }
        // A few values say nothing.
        assert_eq!(content(&texts(&["a@b.com"])), None);
    }
}
