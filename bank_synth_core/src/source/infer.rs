//! Type inference and parsing of text sample values.

use super::{Outliers, SampleColumn};
use crate::error::{Error, Result};
use crate::value::{LogicalType, Value, parse_date, parse_timestamp};
use std::path::Path;

/// Decimals with more fractional digits than this are read as floats.
const MAX_DECIMAL_SCALE: usize = 6;

/// Inferred types tolerate values that do not parse as them up to this share of the
/// column's non-null values (rounded down): one `03/15/2019` among 2,000 ISO dates does
/// not make a date column text. Such values are read as NULL and reported.
const MAX_OUTLIER_SHARE: f64 = 0.01;

/// Parses one column of text values (`None` = NULL) as `declared`, or as the type
/// almost every value has when nothing is declared ([`infer`]); values of an inferred
/// type that do not parse as it become NULL and are counted in
/// [`SampleColumn::outliers`]. A declared type admits no outlier.
pub fn parse_column(
    path: &Path,
    table: &str,
    column: &str,
    raw: Vec<Option<String>>,
    lines: &[u64],
    declared: Option<LogicalType>,
) -> Result<SampleColumn> {
    let ty = declared.unwrap_or_else(|| infer(raw.iter().flatten().map(String::as_str)));
    let mut outliers: Option<Outliers> = None;
    let mut values = Vec::with_capacity(raw.len());
    for (v, &line) in raw.into_iter().zip(lines) {
        let Some(s) = v else {
            values.push(Value::Null);
            continue;
        };
        match Value::parse(&s, ty) {
            Some(value) => values.push(value),
            None if declared.is_none() => {
                let o = outliers.get_or_insert(Outliers {
                    count: 0,
                    first_line: line,
                });
                o.count += 1;
                values.push(Value::Null);
            }
            None => {
                return Err(Error::Sample {
                    path: path.to_path_buf(),
                    line: Some(line),
                    message: format!(
                        "column {column} of table {table} is declared {ty} but this row's value does not parse as {ty}; fix the value or the column's `type` in tables.yaml"
                    ).into(),
                });
            }
        }
    }
    Ok(SampleColumn {
        name: column.to_string(),
        logical_type: ty,
        values,
        outliers,
    })
}

/// The type almost every value has: the one the fewest values fail to parse as (at
/// most [`MAX_OUTLIER_SHARE`] of them), the narrowest on a tie; text when none fits.
/// Numbers written with leading zeros (`00123`) and integers of sixteen digits and
/// more (card and account numbers) are identifiers, so such a column is text.
pub fn infer<'a>(values: impl Iterator<Item = &'a str>) -> LogicalType {
    let values: Vec<&str> = values.collect();
    let n = values.len();
    let allowed = (n as f64 * MAX_OUTLIER_SHARE).floor() as usize;
    // Failures per candidate, in the order of narrowness; a candidate past `allowed`
    // is out and not tried again (dates and timestamps are the costly parses).
    let (mut int, mut dec, mut float, mut boolean, mut date, mut ts) = (0, 0, 0, 0, 0, 0);
    let (mut int_digits, mut scale) = (0usize, 0usize);
    let mut identifier = false;
    for v in values {
        let t = v.trim();
        let digits = t.trim_start_matches(['-', '+']);
        let leading_zero = digits.len() > 1 && digits.starts_with('0') && !digits.starts_with("0.");
        let plain = !digits.is_empty()
            && digits.bytes().all(|b| b.is_ascii_digit() || b == b'.')
            && digits.bytes().filter(|b| *b == b'.').count() <= 1;
        identifier |= plain && leading_zero;
        int += usize::from(t.parse::<i64>().is_err());
        if plain {
            let (i, f) = digits.split_once('.').unwrap_or((digits, ""));
            int_digits = int_digits.max(i.len());
            scale = scale.max(f.len());
            identifier |= f.is_empty() && i.len() >= 16;
        } else {
            dec += 1;
        }
        float += usize::from(!t.parse::<f64>().is_ok_and(f64::is_finite));
        if boolean <= allowed {
            boolean += usize::from(!matches!(t.to_ascii_lowercase().as_str(), "true" | "false"));
        }
        if date <= allowed {
            date += usize::from(parse_date(t).is_none());
        }
        if ts <= allowed {
            ts += usize::from(parse_timestamp(t).is_none());
        }
    }
    if n == 0 {
        return LogicalType::Text;
    }
    let decimal =
        (scale <= MAX_DECIMAL_SCALE && int_digits + scale <= 38).then(|| LogicalType::Decimal {
            precision: if int_digits + scale <= 18 { 18 } else { 38 },
            scale: scale as u8,
        });
    let numeric = !identifier;
    let candidates = [
        (numeric.then_some(LogicalType::Integer), int),
        (numeric.then_some(decimal).flatten(), dec),
        (numeric.then_some(LogicalType::Float), float),
        (Some(LogicalType::Boolean), boolean),
        (Some(LogicalType::Date), date),
        (Some(LogicalType::Timestamp), ts),
    ];
    candidates
        .into_iter()
        .filter_map(|(ty, failures)| Some((ty?, failures)))
        .filter(|(_, failures)| *failures <= allowed)
        .min_by_key(|(_, failures)| *failures)
        .map_or(LogicalType::Text, |(ty, _)| ty)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn infer_of(values: &[&str]) -> LogicalType {
        infer(values.iter().copied())
    }

    #[test]
    fn infers_the_narrowest_type() {
        assert_eq!(infer_of(&["1", "-20"]), LogicalType::Integer);
        assert_eq!(
            infer_of(&["1.50", "-20.25", "3"]),
            LogicalType::Decimal {
                precision: 18,
                scale: 2
            }
        );
        assert_eq!(infer_of(&["1e5", "2.5"]), LogicalType::Float);
        assert_eq!(infer_of(&["0.1234567"]), LogicalType::Float);
        assert_eq!(infer_of(&["true", "FALSE"]), LogicalType::Boolean);
        assert_eq!(infer_of(&["2024-01-31"]), LogicalType::Date);
        assert_eq!(infer_of(&["2024-01-31 10:00:00"]), LogicalType::Timestamp);
        assert_eq!(infer_of(&["00123", "00456"]), LogicalType::Text);
        assert_eq!(infer_of(&["4111111111111111"]), LogicalType::Text);
        assert_eq!(infer_of(&["RETAIL"]), LogicalType::Text);
        assert_eq!(infer_of(&[]), LogicalType::Text);
    }

    #[test]
    fn a_few_outliers_do_not_change_the_type() {
        let mut dates: Vec<String> = (1..=28).map(|d| format!("2024-02-{d:02}")).collect();
        dates.extend(
            dates
                .clone()
                .into_iter()
                .chain(dates.clone())
                .chain(dates.clone()),
        );
        assert_eq!(dates.len(), 112);
        dates.push("03/15/2019".into());
        let refs: Vec<&str> = dates.iter().map(String::as_str).collect();
        assert_eq!(infer_of(&refs), LogicalType::Date);
        // Two outliers in 113 values are more than 1 %: text.
        dates.push("not a date".into());
        let refs: Vec<&str> = dates.iter().map(String::as_str).collect();
        assert_eq!(infer_of(&refs), LogicalType::Text);
        // One decimal among integers: the type every value has wins over a near-fit.
        let mut numbers: Vec<String> = (0..200).map(|i| i.to_string()).collect();
        numbers.push("2.5".into());
        let refs: Vec<&str> = numbers.iter().map(String::as_str).collect();
        assert_eq!(
            infer_of(&refs),
            LogicalType::Decimal {
                precision: 18,
                scale: 1
            }
        );
        // A single code with leading zeros among numbers keeps the column text.
        numbers.push("007".into());
        let refs: Vec<&str> = numbers.iter().map(String::as_str).collect();
        assert_eq!(infer_of(&refs), LogicalType::Text);
    }

    #[test]
    fn outliers_of_an_inferred_type_become_counted_nulls() {
        let mut raw: Vec<Option<String>> = (0..150).map(|i| Some(format!("{}", i * 3))).collect();
        raw[40] = Some("n/a".into());
        raw[7] = None;
        let lines: Vec<u64> = (2..152).collect();
        let col = parse_column(Path::new("t.csv"), "T", "C", raw, &lines, None).unwrap();
        assert_eq!(col.logical_type, LogicalType::Integer);
        assert_eq!(col.values[40], Value::Null);
        assert_eq!(
            col.outliers,
            Some(Outliers {
                count: 1,
                first_line: 42
            })
        );
    }
}
