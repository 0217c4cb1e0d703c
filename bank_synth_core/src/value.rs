//! Logical column types and the dynamically typed cell value the engine produces.

use chrono::{Datelike, NaiveDate, NaiveDateTime};
pub use compact_str::CompactString;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The logical type of a column, learned from samples or declared in tables.yaml.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LogicalType {
    /// 64-bit signed integer.
    Integer,
    /// Exact decimal with `precision` digits, `scale` of them after the point.
    Decimal {
        /// Total number of digits (1..=38).
        precision: u8,
        /// Digits after the decimal point.
        scale: u8,
    },
    /// 64-bit floating point.
    Float,
    /// true / false.
    Boolean,
    /// Calendar date without time.
    Date,
    /// Date and time to the microsecond, without time zone.
    Timestamp,
    /// Text drawn from a small closed set of values.
    Categorical,
    /// Free text or identifiers.
    Text,
}

impl LogicalType {
    /// `decimal(precision, scale)`, as generated code spells it.
    pub const fn decimal(precision: u8, scale: u8) -> LogicalType {
        LogicalType::Decimal { precision, scale }
    }

    /// Text and categorical columns hold strings.
    pub fn is_string(self) -> bool {
        matches!(self, LogicalType::Categorical | LogicalType::Text)
    }

    /// Dates and timestamps.
    pub fn is_temporal(self) -> bool {
        matches!(self, LogicalType::Date | LogicalType::Timestamp)
    }

    /// Parses a declared type such as `decimal(18,2)`, `integer`, `date`, `text`.
    pub fn parse(s: &str) -> Option<LogicalType> {
        let s = s.trim().to_ascii_lowercase();
        if let Some(args) = s
            .strip_prefix("decimal(")
            .or_else(|| s.strip_prefix("number("))
            .and_then(|r| r.strip_suffix(')'))
        {
            let mut parts = args.split(',').map(|p| p.trim().parse::<u8>());
            let precision = parts.next()?.ok()?;
            let scale = match parts.next() {
                Some(p) => p.ok()?,
                None => 0,
            };
            if parts.next().is_some() || precision == 0 || precision > 38 || scale > precision {
                return None;
            }
            return Some(LogicalType::Decimal { precision, scale });
        }
        Some(match s.as_str() {
            "integer" | "int" | "bigint" => LogicalType::Integer,
            "float" | "double" => LogicalType::Float,
            "boolean" | "bool" => LogicalType::Boolean,
            "date" => LogicalType::Date,
            "timestamp" => LogicalType::Timestamp,
            "categorical" => LogicalType::Categorical,
            "text" | "string" => LogicalType::Text,
            _ => return None,
        })
    }
}

impl fmt::Display for LogicalType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LogicalType::Integer => f.write_str("integer"),
            LogicalType::Decimal { precision, scale } => write!(f, "decimal({precision},{scale})"),
            LogicalType::Float => f.write_str("float"),
            LogicalType::Boolean => f.write_str("boolean"),
            LogicalType::Date => f.write_str("date"),
            LogicalType::Timestamp => f.write_str("timestamp"),
            LogicalType::Categorical => f.write_str("categorical"),
            LogicalType::Text => f.write_str("text"),
        }
    }
}

/// One cell. Decimals are unscaled integers (the scale lives in the column's type),
/// dates are days since 1970-01-01, timestamps microseconds since 1970-01-01 00:00:00.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// SQL NULL.
    Null,
    /// Integer.
    Int(i64),
    /// Unscaled decimal.
    Decimal(i128),
    /// Floating point.
    Float(f64),
    /// Boolean.
    Bool(bool),
    /// Days since the Unix epoch.
    Date(i32),
    /// Microseconds since the Unix epoch.
    Timestamp(i64),
    /// Text: inline up to 24 bytes, so a category or a short code costs no allocation.
    Str(CompactString),
}

impl Value {
    /// Parses the text form of a value of type `ty` (`None` when it does not parse).
    pub fn parse(s: &str, ty: LogicalType) -> Option<Value> {
        Some(match ty {
            LogicalType::Integer => Value::Int(s.trim().parse().ok()?),
            LogicalType::Decimal { scale, precision } => {
                let v = parse_decimal(s, scale)?;
                if v.unsigned_abs() >= 10u128.pow(u32::from(precision)) {
                    return None;
                }
                Value::Decimal(v)
            }
            LogicalType::Float => Value::Float(s.trim().parse().ok()?),
            LogicalType::Boolean => match s.trim().to_ascii_lowercase().as_str() {
                "true" | "t" | "yes" | "y" | "1" => Value::Bool(true),
                "false" | "f" | "no" | "n" | "0" => Value::Bool(false),
                _ => return None,
            },
            LogicalType::Date => Value::Date(parse_date(s)?),
            LogicalType::Timestamp => Value::Timestamp(parse_timestamp(s)?),
            LogicalType::Categorical | LogicalType::Text => Value::Str(s.into()),
        })
    }

    /// True for NULL.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// Appends a text form of the value that is equal exactly when the values are
    /// equal (for key sets and joins).
    fn push_key(&self, out: &mut String) {
        use std::fmt::Write;
        match self {
            Value::Str(s) => out.push_str(s),
            Value::Int(v) => {
                let _ = write!(out, "{v}");
            }
            Value::Date(d) => {
                let _ = write!(out, "d{d}");
            }
            other => {
                let _ = write!(out, "{other:?}");
            }
        }
        out.push('\u{1f}');
    }

    /// The value on the number line used by numeric models: decimals in units, dates in
    /// days, timestamps in seconds. `None` for NULL and text.
    pub fn as_number(&self, ty: LogicalType) -> Option<f64> {
        match (self, ty) {
            (Value::Int(v), _) => Some(*v as f64),
            (Value::Decimal(v), LogicalType::Decimal { scale, .. }) => {
                Some(*v as f64 / 10f64.powi(i32::from(scale)))
            }
            (Value::Float(v), _) => Some(*v),
            (Value::Date(d), _) => Some(f64::from(*d)),
            (Value::Timestamp(us), _) => Some(*us as f64 / 1e6),
            (Value::Bool(b), _) => Some(f64::from(u8::from(*b))),
            _ => None,
        }
    }

    /// Builds a value of type `ty` from a point on the number line (rounding to the type).
    pub fn from_number(x: f64, ty: LogicalType) -> Value {
        match ty {
            LogicalType::Integer => Value::Int(x.round() as i64),
            LogicalType::Decimal { scale, .. } => {
                Value::Decimal((x * 10f64.powi(i32::from(scale))).round() as i128)
            }
            LogicalType::Float => Value::Float(x),
            LogicalType::Date => Value::Date(x.round() as i32),
            LogicalType::Timestamp => Value::Timestamp((x * 1e6).round() as i64),
            LogicalType::Boolean => Value::Bool(x >= 0.5),
            LogicalType::Categorical | LogicalType::Text => Value::Str(format_number(x).into()),
        }
    }

    /// The text form used in CSV files and reports.
    pub fn render(&self, ty: LogicalType) -> String {
        let mut out = String::new();
        self.write_text(ty, &mut out);
        out
    }

    /// Appends the text form of the value to `out` (nothing for NULL).
    pub fn write_text(&self, ty: LogicalType, out: &mut String) {
        use std::fmt::Write;
        match self {
            Value::Null => {}
            Value::Int(v) => out.push_str(itoa::Buffer::new().format(*v)),
            Value::Decimal(v) => match ty {
                LogicalType::Decimal { scale, .. } => write_decimal(out, *v, scale),
                _ => {
                    let _ = write!(out, "{v}");
                }
            },
            Value::Float(v) => {
                let _ = write!(out, "{v}");
            }
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Date(d) => write_date(out, *d),
            Value::Timestamp(us) => write_timestamp(out, *us, false),
            Value::Str(s) => out.push_str(s),
        }
    }
}

/// The text key of a tuple of values, `None` when any of them is NULL.
pub fn tuple_key<'a>(values: impl IntoIterator<Item = &'a Value>) -> Option<String> {
    let mut key = String::new();
    for v in values {
        if v.is_null() {
            return None;
        }
        v.push_key(&mut key);
    }
    Some(key)
}

fn format_number(x: f64) -> String {
    format!("{x}")
}

/// Renders an unscaled decimal with `scale` digits after the point.
pub fn format_decimal(unscaled: i128, scale: u8) -> String {
    let mut out = String::new();
    write_decimal(&mut out, unscaled, scale);
    out
}

fn write_decimal(out: &mut String, unscaled: i128, scale: u8) {
    use std::fmt::Write;
    let scale = u32::from(scale);
    if unscaled < 0 {
        out.push('-');
    }
    let abs = unscaled.unsigned_abs();
    let unit = 10u128.pow(scale);
    out.push_str(itoa::Buffer::new().format(abs / unit));
    match u64::try_from(abs % unit) {
        Ok(fraction) if (1..=19).contains(&scale) => {
            out.push('.');
            push_padded(out, fraction, scale as usize);
        }
        _ if scale > 0 => {
            let _ = write!(out, ".{:0width$}", abs % unit, width = scale as usize);
        }
        _ => {}
    }
}

/// Parses a decimal literal into an unscaled integer at `scale`; `None` if it has more
/// fractional digits than `scale` or is not a number.
pub fn parse_decimal(s: &str, scale: u8) -> Option<i128> {
    let s = s.trim();
    let (neg, body) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    if int.is_empty() && frac.is_empty()
        || !int.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || frac.len() > usize::from(scale)
    {
        return None;
    }
    let mut v: i128 = if int.is_empty() { 0 } else { int.parse().ok()? };
    for i in 0..usize::from(scale) {
        let d = frac.as_bytes().get(i).map_or(0, |b| i128::from(b - b'0'));
        v = v.checked_mul(10)?.checked_add(d)?;
    }
    Some(if neg { -v } else { v })
}

const EPOCH: NaiveDate = NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid date");

/// Days since 1970-01-01 for a calendar date.
pub fn days_from_date(d: NaiveDate) -> i32 {
    (d - EPOCH).num_days() as i32
}

/// The calendar date `days` after 1970-01-01, saturating at the calendar's ends
/// (±262,000 years): arithmetic on dates never panics.
pub fn date_from_days(days: i32) -> NaiveDate {
    EPOCH
        .checked_add_signed(chrono::Duration::days(i64::from(days)))
        .unwrap_or(if days < 0 {
            NaiveDate::MIN
        } else {
            NaiveDate::MAX
        })
}

/// `YYYY-MM-DD`.
pub fn format_date(days: i32) -> String {
    let mut out = String::with_capacity(10);
    write_date(&mut out, days);
    out
}

/// `YYYY-MM-DD HH:MM:SS` with `.ffffff` when the microseconds are not zero.
pub fn format_timestamp(us: i64) -> String {
    let mut out = String::with_capacity(26);
    write_timestamp(&mut out, us, false);
    out
}

/// The proleptic Gregorian (year, month, day) of a day count since 1970-01-01
/// (H. Hinnant's `civil_from_days`), without going through a formatter.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// Appends `YYYY-MM-DD` for `days` since 1970-01-01.
pub fn write_date(out: &mut String, days: i32) {
    use std::fmt::Write;
    let (y, m, d) = civil_from_days(i64::from(days));
    match u64::try_from(y) {
        Ok(year) if year <= 9999 => push_padded(out, year, 4),
        _ => {
            let _ = write!(out, "{y:04}");
        }
    }
    out.push('-');
    push_padded(out, m as u64, 2);
    out.push('-');
    push_padded(out, d as u64, 2);
}

/// Appends `value` in exactly `width` digits, zero-padded (`value < 10^width`, `width`
/// at most 19): what `{:0width$}` prints, without the formatting machinery.
fn push_padded(out: &mut String, mut value: u64, width: usize) {
    debug_assert!(
        width <= 19 && value < 10u64.pow(width as u32),
        "{value} in {width} digits"
    );
    let mut digits = [b'0'; 19];
    for digit in digits[..width].iter_mut().rev() {
        *digit = b'0' + (value % 10) as u8;
        value /= 10;
    }
    out.push_str(std::str::from_utf8(&digits[..width]).expect("ASCII digits"));
}

/// Appends `YYYY-MM-DD HH:MM:SS`, then `.ffffff` when `fraction` is set or the
/// microseconds are not zero.
pub fn write_timestamp(out: &mut String, us: i64, fraction: bool) {
    let days = us.div_euclid(86_400_000_000);
    let of_day = us.rem_euclid(86_400_000_000);
    write_date(out, days as i32);
    let secs = (of_day / 1_000_000) as u64;
    for (separator, part) in [(' ', secs / 3600), (':', secs / 60 % 60), (':', secs % 60)] {
        out.push(separator);
        push_padded(out, part, 2);
    }
    let micros = (of_day % 1_000_000) as u64;
    if fraction || micros != 0 {
        out.push('.');
        push_padded(out, micros, 6);
    }
}

/// Parses `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<i32> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .ok()
        .map(days_from_date)
}

/// Parses `YYYY-MM-DD HH:MM:SS[.f]` or the ISO `T` form.
pub fn parse_timestamp(s: &str) -> Option<i64> {
    let s = s.trim();
    [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
    .map(|dt| dt.and_utc().timestamp_micros())
}

/// A date or timestamp `value` of type `from` on the number line of type `to`: days
/// become seconds, and seconds become their day (floor), so that a date is "not
/// before" a timestamp on the same day.
pub fn convert_temporal(value: f64, from: LogicalType, to: LogicalType) -> f64 {
    match (from, to) {
        (LogicalType::Date, LogicalType::Timestamp) => value * 86_400.0,
        (LogicalType::Timestamp, LogicalType::Date) => (value / 86_400.0).floor(),
        _ => value,
    }
}

/// Day `day` of the month of a date, or the month's last day when it is shorter (as
/// [`add_months`] clamps).
pub fn day_in_month(days: i32, day: u32) -> i32 {
    let first = days - (date_from_days(days).day() as i32 - 1);
    let last = add_months(first, 1) - 1;
    (first + day.max(1) as i32 - 1).min(last)
}

/// The nearest date on day `day` of a month ([`day_in_month`]) at or after `days`
/// (`forward`), or at or before it.
pub fn on_day_of_month(days: i32, day: u32, forward: bool) -> i32 {
    let same = day_in_month(days, day);
    let first = days - (date_from_days(days).day() as i32 - 1);
    match same.cmp(&days) {
        std::cmp::Ordering::Less if forward => day_in_month(add_months(first, 1), day),
        std::cmp::Ordering::Greater if !forward => day_in_month(add_months(first, -1), day),
        _ => same,
    }
}

/// Adds calendar months to a date (clamping the day to the month's end, and the year
/// to the calendar's ends).
pub fn add_months(days: i32, months: i32) -> i32 {
    let date = date_from_days(days);
    let step = chrono::Months::new(months.unsigned_abs());
    let moved = if months >= 0 {
        date.checked_add_months(step).unwrap_or(NaiveDate::MAX)
    } else {
        date.checked_sub_months(step).unwrap_or(NaiveDate::MIN)
    };
    days_from_date(moved)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The hand-rolled digit writers print what the standard formatting does.
        #[test]
        fn fast_text_matches_standard_formatting(
            days in -1_000_000i32..3_000_000,
            micros in 0i64..86_400_000_000,
            int in any::<i64>(),
            unscaled in any::<i128>(),
            scale in 0u8..=38,
        ) {
            let date = date_from_days(days);
            let day = format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day());
            let mut text = String::new();
            write_date(&mut text, days);
            prop_assert_eq!(&text, &day);
            let us = i64::from(days) * 86_400_000_000 + micros;
            let mut text = String::new();
            write_timestamp(&mut text, us, true);
            let secs = micros / 1_000_000;
            let expected = format!("{day} {:02}:{:02}:{:02}.{:06}", secs / 3600, secs / 60 % 60, secs % 60, micros % 1_000_000);
            prop_assert_eq!(text, expected);
            let mut text = String::new();
            Value::Int(int).write_text(LogicalType::Integer, &mut text);
            prop_assert_eq!(text, int.to_string());
            let unscaled = unscaled % 10i128.pow(37);
            let unit = 10u128.pow(u32::from(scale));
            let abs = unscaled.unsigned_abs();
            let sign = if unscaled < 0 { "-" } else { "" };
            let expected = if scale == 0 {
                format!("{sign}{abs}")
            } else {
                format!("{sign}{}.{:0w$}", abs / unit, abs % unit, w = scale as usize)
            };
            prop_assert_eq!(format_decimal(unscaled, scale), expected);
        }
    }

    #[test]
    fn calendar_arithmetic_saturates_at_the_calendars_ends() {
        assert_eq!(date_from_days(i32::MAX), NaiveDate::MAX);
        assert_eq!(date_from_days(i32::MIN), NaiveDate::MIN);
        let last = days_from_date(NaiveDate::MAX);
        assert_eq!(add_months(last, 1), last);
        assert_eq!(add_months(0, i32::MAX), last);
        assert_eq!(add_months(0, i32::MIN), days_from_date(NaiveDate::MIN));
        // Inside the calendar nothing changes: January 31 + 1 month is February 28.
        let jan31 = days_from_date(NaiveDate::from_ymd_opt(2023, 1, 31).unwrap());
        let feb28 = days_from_date(NaiveDate::from_ymd_opt(2023, 2, 28).unwrap());
        assert_eq!(add_months(jan31, 1), feb28);
    }

    #[test]
    fn dates_move_to_a_day_of_the_month_clamped_to_its_end() {
        let d = |s: &str| parse_date(s).unwrap();
        assert_eq!(day_in_month(d("2024-02-10"), 31), d("2024-02-29"));
        assert_eq!(day_in_month(d("2024-03-10"), 15), d("2024-03-15"));
        assert_eq!(on_day_of_month(d("2024-01-20"), 15, true), d("2024-02-15"));
        assert_eq!(on_day_of_month(d("2024-01-20"), 15, false), d("2024-01-15"));
        assert_eq!(on_day_of_month(d("2024-01-10"), 15, false), d("2023-12-15"));
        assert_eq!(on_day_of_month(d("2024-01-15"), 15, true), d("2024-01-15"));
        assert_eq!(on_day_of_month(d("2024-03-01"), 31, false), d("2024-02-29"));
    }

    #[test]
    fn decimals_round_trip_through_text() {
        assert_eq!(parse_decimal("-12.5", 2), Some(-1250));
        assert_eq!(format_decimal(-1250, 2), "-12.50");
        assert_eq!(format_decimal(5, 2), "0.05");
        assert_eq!(format_decimal(-5, 2), "-0.05");
        assert_eq!(parse_decimal("1.234", 2), None);
        assert_eq!(parse_decimal("abc", 2), None);
        assert_eq!(parse_decimal(".5", 1), Some(5));
    }

    #[test]
    fn temporal_values_round_trip_through_text() {
        let d = parse_date("2024-02-29").unwrap();
        assert_eq!(format_date(d), "2024-02-29");
        let ts = parse_timestamp("2024-02-29 13:45:01.250000").unwrap();
        assert_eq!(format_timestamp(ts), "2024-02-29 13:45:01.250000");
        assert_eq!(
            format_timestamp(parse_timestamp("2024-02-29T13:45:01").unwrap()),
            "2024-02-29 13:45:01"
        );
        assert_eq!(
            format_date(add_months(parse_date("2024-01-31").unwrap(), 1)),
            "2024-02-29"
        );
    }

    #[test]
    fn declared_types_parse() {
        assert_eq!(
            LogicalType::parse("decimal(18, 2)"),
            Some(LogicalType::Decimal {
                precision: 18,
                scale: 2
            })
        );
        assert_eq!(LogicalType::parse("decimal(2,3)"), None);
        assert_eq!(LogicalType::parse("DATE"), Some(LogicalType::Date));
    }
}
