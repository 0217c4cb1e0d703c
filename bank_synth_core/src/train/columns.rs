//! Per-column models, with the privacy level deciding what may be learned.

use super::catalog::{CatalogTable, ColumnSettings};
use super::keys::row_keys;
use crate::error::{Error, Result};
use crate::faker;
use crate::format::FormatModel;
use crate::model::{
    ColumnModel, Generator, PrivacyDecision, Relationship, Role, TableModel, restricted_digest,
};
use crate::privacy::PrivacyLevel;
use crate::source::SampleColumn;
use crate::stats::{Frequencies, Quantiles};
use crate::value::{LogicalType, Value, date_from_days, day_in_month};
use chrono::Datelike;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashSet};

/// Text columns with at most this many distinct values (and at most half as many
/// distinct values as rows) are categorical.
const MAX_CATEGORIES: usize = 100;
/// A public text column keeps its observed values (names of branches, cities, product
/// codes) when it has at most this many distinct ones; beyond, it is free text.
const MAX_PUBLIC_VALUES: usize = 10_000;
/// A day-of-month pattern needs this many dates.
const MIN_CALENDAR_DATES: usize = 20;

pub(crate) fn fit_table(
    table: &CatalogTable,
    primary_key: &[String],
    relationships: &[Relationship],
) -> Result<TableModel> {
    let name = &table.sample.name;
    let mut own: Vec<&Relationship> = relationships
        .iter()
        .filter(|r| r.child_table == *name)
        .collect();
    own.sort_by_key(|r| r.role != Role::Grouping);
    let mut fk_of: BTreeMap<&str, &str> = BTreeMap::new();
    for r in &own {
        for c in &r.child_columns {
            fk_of.entry(c.as_str()).or_insert(r.name.as_str());
        }
    }
    let grouping = own.iter().find(|r| {
        r.role == Role::Grouping && r.child_columns.iter().all(|c| primary_key.contains(c))
    });
    let groups = grouping.map(|g| row_keys(table, &g.child_columns));

    // Columns are fitted independently, on every core; the order is the table's.
    let fitted = table
        .sample
        .columns
        .par_iter()
        .zip(table.settings.par_iter())
        .map(|(col, settings)| {
            fit_column(table, col, settings, primary_key, &fk_of, groups.as_deref())
        })
        .collect::<Result<Vec<_>>>()?;
    let (columns, decisions): (Vec<ColumnModel>, Vec<Option<PrivacyDecision>>) =
        fitted.into_iter().unzip();
    let decisions: Vec<PrivacyDecision> = decisions.into_iter().flatten().collect();
    let mut model = TableModel {
        name: name.clone(),
        primary_key: primary_key.to_vec(),
        sample_rows: table.sample.rows() as u64,
        columns,
        privacy_decisions: decisions,
        restricted_columns: table
            .restricted
            .iter()
            .map(|column| restricted_digest(name, column))
            .collect(),
        rules: Vec::new(),
        copula: None,
        reference_rows: None,
        joint: None,
    };
    super::embedded::learn_embedded(&mut model, &table.sample);
    super::prefixes::learn_prefixes(&mut model, &table.sample);
    Ok(model)
}

/// One column's model and, for a non-public column, the privacy decision taken.
fn fit_column(
    table: &CatalogTable,
    col: &SampleColumn,
    settings: &ColumnSettings,
    primary_key: &[String],
    fk_of: &BTreeMap<&str, &str>,
    groups: Option<&[Option<String>]>,
) -> Result<(ColumnModel, Option<PrivacyDecision>)> {
    let name = &table.sample.name;
    let nulls = col.values.iter().filter(|v| v.is_null()).count();
    let null_rate = nulls as f64 / col.values.len().max(1) as f64;
    let strings: Vec<&str> = col.strings().collect();
    let mut logical_type = col.logical_type;
    let mut max_length = logical_type.is_string().then(|| {
        strings
            .iter()
            .map(|s| s.chars().count() as u32)
            .max()
            .unwrap_or(1)
            .max(1)
    });
    let generator = if let Some(rel) = fk_of.get(col.name.as_str()) {
        Generator::ForeignKey {
            relationship: rel.to_string(),
        }
    } else if primary_key.contains(&col.name) {
        key_generator(table, col, settings, groups)?
    } else if let Some(provider) = settings.faker.or_else(|| {
        (settings.privacy == PrivacyLevel::Pii)
            .then(|| faker::infer_provider(&col.name))
            .flatten()
    }) {
        // A date provider on a timestamp column keeps the column's type (midnight).
        if !(provider.output.is_temporal() && logical_type.is_temporal()) {
            logical_type = provider.output;
        }
        max_length = logical_type.is_string().then_some(provider.max_length);
        Generator::Faker {
            provider: provider.kind,
        }
    } else {
        match settings.privacy {
            PrivacyLevel::Pii => {
                return Err(Error::Schema(format!(
                    "column {} of table {name} is pii but has no faker_provider and none can be inferred from its name; add `faker_provider: <name>` to its privacy.yaml entry (known: {})",
                    col.name,
                    faker::provider_names().join(", ")
                ).into()));
            }
            PrivacyLevel::Sensitive => sensitive_generator(col, &strings),
            _ => {
                let (g, ty) = value_generator(table, col, settings, &strings)?;
                logical_type = ty;
                g
            }
        }
    };
    let decision = (settings.privacy != PrivacyLevel::Public).then(|| PrivacyDecision {
        column: col.name.clone(),
        level: settings.privacy,
        decision: decision_text(settings.privacy, &generator),
    });
    let model = ColumnModel {
        name: col.name.clone(),
        logical_type,
        nullable: nulls > 0,
        null_rate,
        privacy: settings.privacy,
        max_length,
        day_of_month: day_of_month(col, settings, &generator),
        monotone: false,
        embeds: None,
        prefix_by: None,
        generator,
        depends_on: None,
    };
    Ok((model, decision))
}

fn decision_text(level: PrivacyLevel, g: &Generator) -> String {
    match (level, g) {
        (_, Generator::Faker { provider }) => {
            format!("no values kept: generated by faker provider `{provider}`")
        }
        (_, Generator::ForeignKey { relationship }) => {
            format!("no values kept: copied from parent keys ({relationship})")
        }
        (_, Generator::Sequence { .. }) => "no values kept: key sequence".into(),
        (PrivacyLevel::Sensitive, Generator::Format { .. } | Generator::UniqueFormat { .. }) => {
            "format kept (character classes, check digits), no values".into()
        }
        (PrivacyLevel::Sensitive, _) => {
            "only a coarse range kept (rounded outward), no values".into()
        }
        (PrivacyLevel::Internal, _) => "distribution learned; masked in reports".into(),
        _ => "distribution learned".into(),
    }
}

fn numbers(col: &SampleColumn) -> Vec<f64> {
    col.values
        .iter()
        .filter_map(|v| v.as_number(col.logical_type))
        .collect()
}

/// A key column: a sequence (numbers and time) or a unique format (text).
fn key_generator(
    table: &CatalogTable,
    col: &SampleColumn,
    settings: &ColumnSettings,
    groups: Option<&[Option<String>]>,
) -> Result<Generator> {
    if col.logical_type.is_string() {
        let strings: Vec<&str> = col.strings().collect();
        // No value only in a table without sample rows.
        let mut format =
            FormatModel::learn(strings.iter().copied()).unwrap_or_else(FormatModel::placeholder);
        if settings.privacy == PrivacyLevel::Pii {
            format = format.classes_only();
        }
        return Ok(Generator::UniqueFormat { format });
    }
    if col.logical_type == LogicalType::Boolean {
        return Err(Error::Schema(format!(
            "column {} of table {} is a boolean primary key, which can hold only two rows; choose another key in tables.yaml",
            col.name, table.sample.name
        ).into()));
    }
    let day = (col.logical_type == LogicalType::Date)
        .then(|| month_day(col))
        .flatten();
    let months = day.is_some();
    let position = |v: f64| {
        if months {
            let d = date_from_days(v as i32);
            f64::from(d.year() * 12 + d.month0() as i32)
        } else {
            v
        }
    };
    let unit = match col.logical_type {
        LogicalType::Integer | LogicalType::Date => 1.0,
        LogicalType::Decimal { scale, .. } => 10f64.powi(-i32::from(scale)),
        LogicalType::Timestamp => 1.0,
        _ => f64::MIN_POSITIVE,
    };
    let mut by_group: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    for (row, v) in col.values.iter().enumerate() {
        let Some(x) = v.as_number(col.logical_type) else {
            continue;
        };
        let group = groups.and_then(|g| g[row].as_deref()).unwrap_or("");
        by_group.entry(group).or_default().push(x);
    }
    let mut step = f64::INFINITY;
    let mut starts = Vec::new();
    for values in by_group.values_mut() {
        values.sort_by(f64::total_cmp);
        starts.push(values[0]);
        for w in values.windows(2) {
            let d = position(w[1]) - position(w[0]);
            if d > 0.0 {
                step = step.min(d);
            }
        }
    }
    let step = if step.is_finite() {
        step.max(unit)
    } else {
        unit
    };
    let mut start = starts.iter().copied().fold(f64::INFINITY, f64::min);
    if !settings.privacy.keeps_values() {
        // A sensitive or pii key reveals no sample value: only the order of magnitude.
        start = coarse(start, false);
        starts.iter_mut().for_each(|s| *s = coarse(*s, false));
    }
    Ok(Generator::Sequence {
        start,
        step,
        months,
        day,
        per_parent_start: groups.and_then(|_| Quantiles::fit(&starts)),
        room: None, // learned with the parent's columns (see `rooms`)
    })
}

/// Dates that all fall on one day of the month (1 to 28, at least [`MIN_CALENDAR_DATES`]
/// of them) keep that pattern: card expiries on the 1st, statements on the 15th.
fn day_of_month(col: &SampleColumn, settings: &ColumnSettings, g: &Generator) -> Option<u32> {
    if col.logical_type != LogicalType::Date
        || !settings.privacy.keeps_values()
        || !matches!(g, Generator::Numeric { .. })
    {
        return None;
    }
    let dates = col
        .values
        .iter()
        .filter(|v| matches!(v, Value::Date(_)))
        .count();
    month_day(col).filter(|&day| dates >= MIN_CALENDAR_DATES && day <= 28)
}

/// The day of the month every date of `col` falls on, clamped to shorter months
/// (January 31, February 29, March 31 fall on the 31st), if there is one.
fn month_day(col: &SampleColumn) -> Option<u32> {
    let dates: Vec<i32> = col
        .values
        .iter()
        .filter_map(|v| match v {
            Value::Date(d) => Some(*d),
            _ => None,
        })
        .collect();
    let day = dates.iter().map(|d| date_from_days(*d).day()).max()?;
    dates
        .iter()
        .all(|&d| d == day_in_month(d, day))
        .then_some(day)
}

/// `sensitive`: text keeps its format only; other types keep only a coarse range.
fn sensitive_generator(col: &SampleColumn, strings: &[&str]) -> Generator {
    if col.logical_type.is_string() {
        let format =
            FormatModel::learn(strings.iter().copied()).unwrap_or_else(FormatModel::placeholder);
        let distinct: HashSet<&&str> = strings.iter().collect();
        if strings.len() >= 20 && distinct.len() == strings.len() {
            return Generator::UniqueFormat { format };
        }
        return Generator::Format { format };
    }
    let values = numbers(col);
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    Generator::Numeric {
        quantiles: Quantiles {
            points: vec![coarse(lo, false), coarse(hi, true)],
        },
        round_to: None,
        masses: Vec::new(),
        family: None,
    }
}

/// `x` rounded outward to one significant digit (down or up): a bound that reveals
/// only the order of magnitude of a value.
fn coarse(x: f64, up: bool) -> f64 {
    if !x.is_finite() || x == 0.0 {
        return 0.0;
    }
    let magnitude = 10f64.powf(x.abs().log10().floor());
    if up {
        (x / magnitude).ceil() * magnitude
    } else {
        (x / magnitude).floor() * magnitude
    }
}

/// `public` / `internal`: the distribution itself.
fn value_generator(
    table: &CatalogTable,
    col: &SampleColumn,
    settings: &ColumnSettings,
    strings: &[&str],
) -> Result<(Generator, LogicalType)> {
    let ty = col.logical_type;
    if let Some(allowed) = &settings.allowed_values {
        for (row, v) in col.values.iter().enumerate() {
            let text = v.render(ty);
            if !v.is_null() && !allowed.contains(&text) {
                return Err(Error::Sample {
                    path: table.sample.path.clone(),
                    line: Some(table.sample.lines[row]),
                    message: format!(
                        "column {} of table {} has a value outside its allowed_values ({}); fix the sample or extend allowed_values in tables.yaml",
                        col.name,
                        table.sample.name,
                        allowed.join(", ")
                    ).into(),
                });
            }
        }
        return Ok((categorical(col, Some(allowed)), LogicalType::Categorical));
    }
    match ty {
        LogicalType::Boolean => {
            let (t, n) = col
                .values
                .iter()
                .fold((0usize, 0usize), |(t, n), v| match v {
                    Value::Bool(b) => (t + usize::from(*b), n + 1),
                    _ => (t, n),
                });
            Ok((
                Generator::Boolean {
                    p_true: t as f64 / n.max(1) as f64,
                },
                ty,
            ))
        }
        LogicalType::Categorical => Ok((categorical(col, None), ty)),
        LogicalType::Text => {
            let distinct: HashSet<&&str> = strings.iter().collect();
            let category = distinct.len() <= MAX_CATEGORIES && distinct.len() * 2 <= strings.len();
            if category {
                Ok((categorical(col, None), LogicalType::Categorical))
            } else if settings.privacy == PrivacyLevel::Public
                && distinct.len() <= MAX_PUBLIC_VALUES
            {
                // Names of branches, cities, products: text drawn from the values seen.
                Ok((categorical(col, None), LogicalType::Text))
            } else if settings.privacy == PrivacyLevel::Public {
                Ok((template(strings), LogicalType::Text))
            } else {
                let format = FormatModel::learn(strings.iter().copied())
                    .unwrap_or_else(FormatModel::placeholder);
                Ok((Generator::Format { format }, ty))
            }
        }
        _ => {
            let (quantiles, masses, family) = crate::stats::fit_with_masses(&numbers(col))
                .unwrap_or((Quantiles { points: vec![0.0] }, Vec::new(), None));
            let granularity = (ty == LogicalType::Timestamp)
                .then(|| timestamp_granularity(col))
                .flatten();
            Ok((
                Generator::Numeric {
                    quantiles,
                    round_to: granularity,
                    masses,
                    family,
                },
                ty,
            ))
        }
    }
}

/// The coarsest of whole days, hours, minutes and seconds that every timestamp is a
/// multiple of (in seconds), if any: midnight-only invoice dates stay at midnight.
fn timestamp_granularity(col: &SampleColumn) -> Option<f64> {
    const UNITS: [i64; 4] = [86_400, 3_600, 60, 1];
    let micros: Vec<i64> = col
        .values
        .iter()
        .filter_map(|v| match v {
            Value::Timestamp(us) => Some(*us),
            _ => None,
        })
        .collect();
    UNITS
        .into_iter()
        .find(|unit| micros.iter().all(|us| us % (unit * 1_000_000) == 0))
        .map(|unit| unit as f64)
}

/// Public free text: its leading phrases (cut before the first word with a digit, or
/// after the first word when that still leaves too many) as a categorical, the most
/// common [`MAX_PUBLIC_VALUES`] of them, and a learned tail format per phrase whose
/// values mostly have a tail.
fn template(strings: &[&str]) -> Generator {
    let split = |first_word: bool| {
        let mut by_phrase: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for s in strings {
            let (phrase, tail) = crate::model::template_parts(s, first_word);
            by_phrase.entry(phrase).or_default().push(tail);
        }
        by_phrase
    };
    let mut by_phrase = split(false);
    if by_phrase.len() > MAX_PUBLIC_VALUES {
        by_phrase = split(true);
    }
    let mut counts: Vec<(&str, Vec<&str>)> = by_phrase.into_iter().collect();
    counts.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(b.0)));
    counts.truncate(MAX_PUBLIC_VALUES);
    let tails = counts
        .iter()
        .filter_map(|(phrase, tails)| {
            let set: Vec<&str> = tails.iter().copied().filter(|t| !t.is_empty()).collect();
            (set.len() * 2 > tails.len())
                .then(|| Some((phrase.to_string(), FormatModel::learn(set)?)))
                .flatten()
        })
        .collect();
    let frequencies = Frequencies::from_counts(
        counts
            .into_iter()
            .map(|(phrase, tails)| (phrase.to_string(), tails.len() as u64)),
    )
    .unwrap_or(Frequencies {
        items: vec![(String::new(), 1.0)],
    });
    Generator::Template { frequencies, tails }
}

fn categorical(col: &SampleColumn, allowed: Option<&Vec<String>>) -> Generator {
    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    for v in col.values.iter().filter(|v| !v.is_null()) {
        *counts.entry(v.render(col.logical_type)).or_default() += 1;
    }
    let mut frequencies =
        Frequencies::from_counts(counts.clone()).unwrap_or(Frequencies { items: vec![] });
    if let Some(allowed) = allowed {
        for a in allowed {
            if !counts.contains_key(a) {
                frequencies.items.push((a.clone(), 0.0));
            }
        }
    }
    if frequencies.items.is_empty() {
        frequencies.items.push((String::from("UNKNOWN"), 1.0));
    }
    Generator::Categorical { frequencies }
}
