//! Type inference and parsing of text sample values.

use super::SampleColumn;
use crate::error::{Error, Result};
use crate::value::{LogicalType, Value, parse_date, parse_decimal, parse_timestamp};
use std::path::Path;

/// Decimals with more fractional digits than this are read as floats.
const MAX_DECIMAL_SCALE: usize = 6;

/// Parses one column of text values (`None` = NULL) as `declared`, or as the narrowest
/// type every value fits when nothing is declared.
pub fn parse_column(
    path: &Path,
    table: &str,
    column: &str,
    raw: Vec<Option<String>>,
    lines: &[u64],
    declared: Option<LogicalType>,
) -> Result<SampleColumn> {
    let ty = declared.unwrap_or_else(|| infer(raw.iter().flatten().map(String::as_str)));
    let values = raw
        .into_iter()
        .zip(lines)
        .map(|(v, &line)| match v {
            None => Ok(Value::Null),
            Some(s) => parse_value(&s, ty).ok_or_else(|| Error::Sample {
                path: path.to_path_buf(),
                line: Some(line),
                message: format!(
                    "column {column} of table {table} is declared {ty} but this row's value does not parse as {ty}; fix the value or the column's `type` in tables.yaml"
                ),
            }),
        })
        .collect::<Result<Vec<Value>>>()?;
    Ok(SampleColumn {
        name: column.to_string(),
        logical_type: ty,
        values,
    })
}

/// Parses one text value as `ty`.
pub fn parse_value(s: &str, ty: LogicalType) -> Option<Value> {
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
        LogicalType::Categorical | LogicalType::Text => Value::Str(s.to_string()),
    })
}

/// The narrowest type all `values` parse as.
pub fn infer<'a>(values: impl Iterator<Item = &'a str> + Clone) -> LogicalType {
    let mut any = false;
    let (mut int, mut dec, mut float, mut boolean, mut date, mut ts) =
        (true, true, true, true, true, true);
    let (mut int_digits, mut scale) = (0usize, 0usize);
    for v in values.clone() {
        any = true;
        let t = v.trim();
        let digits = t.trim_start_matches(['-', '+']);
        let leading_zero = digits.len() > 1 && digits.starts_with('0') && !digits.starts_with("0.");
        int &= !leading_zero && t.parse::<i64>().is_ok();
        let plain = !digits.is_empty()
            && digits.bytes().all(|b| b.is_ascii_digit() || b == b'.')
            && digits.bytes().filter(|b| *b == b'.').count() <= 1;
        if plain && !leading_zero {
            let (i, f) = digits.split_once('.').unwrap_or((digits, ""));
            int_digits = int_digits.max(i.len());
            scale = scale.max(f.len());
        } else {
            dec = false;
        }
        float &= !leading_zero && t.parse::<f64>().is_ok_and(f64::is_finite);
        boolean &= matches!(t.to_ascii_lowercase().as_str(), "true" | "false");
        date &= parse_date(t).is_some();
        ts &= parse_timestamp(t).is_some();
    }
    // Sixteen digits and more are identifiers (card and account numbers), not numbers.
    if !any || (int_digits >= 16 && scale == 0 && dec) {
        return LogicalType::Text;
    }
    if int {
        LogicalType::Integer
    } else if dec && scale <= MAX_DECIMAL_SCALE && int_digits + scale <= 38 {
        let precision = if int_digits + scale <= 18 { 18 } else { 38 };
        LogicalType::Decimal {
            precision,
            scale: scale as u8,
        }
    } else if float {
        LogicalType::Float
    } else if boolean {
        LogicalType::Boolean
    } else if date {
        LogicalType::Date
    } else if ts {
        LogicalType::Timestamp
    } else {
        LogicalType::Text
    }
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
}
