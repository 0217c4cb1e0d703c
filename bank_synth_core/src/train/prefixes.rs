//! Leading characters that follow a category: card numbers start with 4 for DEBIT
//! cards and with 5 for CREDIT ones. A format column's values get the leading
//! characters every sample value of their category shares, so generated numbers keep
//! the link. Like a format's literals, a prefix is kept only when at least
//! [`MIN_PREFIX_ROWS`] values share it, never whole values, never from a pii column,
//! and only by a category whose values the pack may keep (public or internal); a
//! unique column's prefixes are literals its unique digits leave alone, so it stays
//! unique.

use crate::model::{ColumnModel, Generator, PrefixBy, TableModel};
use crate::privacy::PrivacyLevel;
use crate::source::SampleTable;
use std::collections::BTreeMap;

/// Every category needs this many sample values sharing its prefix.
const MIN_PREFIX_ROWS: usize = 20;

/// Marks the format columns of `model` whose leading characters follow a categorical
/// column of their row.
pub(crate) fn learn_prefixes(model: &mut TableModel, sample: &SampleTable) {
    let categories: Vec<(&ColumnModel, Vec<&str>)> = model
        .columns
        .iter()
        .filter_map(|k| match &k.generator {
            Generator::Categorical { frequencies } if k.is_learned() => Some((
                k,
                frequencies.items.iter().map(|(v, _)| v.as_str()).collect(),
            )),
            _ => None,
        })
        .collect();
    let mut found = Vec::new();
    for (c, column) in model.columns.iter().enumerate() {
        // A pii column keeps no character of its values, not even a shared one.
        if !matches!(
            column.generator,
            Generator::UniqueFormat { .. } | Generator::Format { .. }
        ) || column.privacy == PrivacyLevel::Pii
        {
            continue;
        }
        let Some(text) = sample.column(&column.name) else {
            continue;
        };
        let best = categories
            .iter()
            .filter_map(|(k, values)| {
                let by = sample.column(&k.name)?;
                let mut groups: BTreeMap<String, Vec<String>> = BTreeMap::new();
                for (t, v) in text.values.iter().zip(&by.values) {
                    if !t.is_null() && !v.is_null() {
                        groups
                            .entry(v.render(k.logical_type))
                            .or_default()
                            .push(t.render(column.logical_type));
                    }
                }
                prefixes(&groups, values).map(|prefixes| PrefixBy {
                    column: k.name.clone(),
                    prefixes,
                })
            })
            .max_by_key(|p| p.prefixes[0].1.len());
        if let Some(best) = best {
            found.push((c, best));
        }
    }
    for (c, prefix_by) in found {
        model.columns[c].prefix_by = Some(prefix_by);
    }
}

/// The prefix of each category in `values` (all of one length: the shortest prefix
/// shared within a category, and shorter than every value, so no value is kept whole),
/// when every category has enough values and the prefixes are not all the same.
fn prefixes(
    groups: &BTreeMap<String, Vec<String>>,
    values: &[&str],
) -> Option<Vec<(String, String)>> {
    let shared: Vec<(String, String)> = values
        .iter()
        .map(|v| {
            let texts = groups.get(*v).filter(|t| t.len() >= MIN_PREFIX_ROWS)?;
            Some((v.to_string(), common_prefix(texts)))
        })
        .collect::<Option<_>>()?;
    let shortest_value = values
        .iter()
        .flat_map(|v| groups.get(*v).into_iter().flatten())
        .map(|t| t.chars().count())
        .min()?;
    let length = shared
        .iter()
        .map(|(_, p)| p.chars().count())
        .min()?
        .min(shortest_value.saturating_sub(1));
    let cut = |p: &str| p.chars().take(length).collect::<String>();
    let prefixes: Vec<(String, String)> = shared.iter().map(|(v, p)| (v.clone(), cut(p))).collect();
    let differ = prefixes.iter().any(|(_, p)| *p != prefixes[0].1);
    (length > 0 && differ).then_some(prefixes)
}

/// The leading letters and digits every text shares.
fn common_prefix(texts: &[String]) -> String {
    let first = &texts[0];
    let length = texts[1..].iter().fold(first.len(), |n, t| {
        first
            .char_indices()
            .zip(t.chars())
            .take_while(|((i, a), b)| *i < n && a == b && a.is_ascii_alphanumeric())
            .count()
    });
    first.chars().take(length).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn groups(debit: &[&str], credit: &[&str]) -> BTreeMap<String, Vec<String>> {
        let many = |xs: &[&str]| xs.iter().cycle().take(25).map(|s| s.to_string()).collect();
        BTreeMap::from([
            ("DEBIT".into(), many(debit)),
            ("CREDIT".into(), many(credit)),
        ])
    }

    #[test]
    fn a_leading_digit_by_category_is_found() {
        let g = groups(
            &["4481071421867756", "4527396468862758"],
            &["5554140646005846", "5265451071106961"],
        );
        assert_eq!(
            prefixes(&g, &["DEBIT", "CREDIT"]),
            Some(vec![
                ("DEBIT".into(), "4".into()),
                ("CREDIT".into(), "5".into())
            ])
        );
    }

    #[test]
    fn shared_or_missing_prefixes_are_not_a_link() {
        // One value per category: its prefix stops short of the whole value.
        let constant = groups(&["4481"], &["5554"]);
        assert_eq!(
            prefixes(&constant, &["DEBIT", "CREDIT"]),
            Some(vec![
                ("DEBIT".into(), "448".into()),
                ("CREDIT".into(), "555".into())
            ])
        );
        // The same prefix everywhere is a literal of the format, not a link.
        let same = groups(&["4481", "4527"], &["4554", "4265"]);
        assert_eq!(prefixes(&same, &["DEBIT", "CREDIT"]), None);
        // A category without enough values, or without a shared prefix.
        let g = groups(&["4481", "4527"], &["5554", "6265"]);
        assert_eq!(prefixes(&g, &["DEBIT", "CREDIT"]), None);
        assert_eq!(prefixes(&g, &["DEBIT", "CREDIT", "PREPAID"]), None);
    }
}
