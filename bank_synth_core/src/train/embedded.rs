//! Keys embedded in text: an IBAN that ends with its account number, an invoice code
//! that ends with the invoice id. When every sample value of a text column generated
//! from a format ends with the row's value of an integer key column, zero-padded to a
//! fixed width, generated values end with the generated key the same way — so the link
//! holds, and a unique key keeps the text unique. Nothing of the text's own values is
//! kept: only the width.

use crate::format::Checksum;
use crate::model::{ColumnModel, Embedded, Generator, TableModel};
use crate::source::SampleTable;
use crate::value::LogicalType;

/// An embedding is learned from at least this many sample rows with both values set.
const MIN_EMBEDDED_ROWS: usize = 20;

/// Marks the format columns of `model` whose values end with a key column of their row.
pub(crate) fn learn_embedded(model: &mut TableModel, sample: &SampleTable) {
    let single_key = match model.primary_key.as_slice() {
        [key] => Some(key.clone()),
        _ => None,
    };
    let keys: Vec<String> = model
        .columns
        .iter()
        .filter(|k| is_integer_key(k))
        .map(|k| k.name.clone())
        .collect();
    for c in &mut model.columns {
        let (unique, format) = match &c.generator {
            Generator::UniqueFormat { format } => (true, format),
            Generator::Format { format } => (false, format),
            _ => continue,
        };
        // A Luhn digit ends the value and is computed, never a key's.
        if format.checksum == Some(Checksum::Luhn) {
            continue;
        }
        let Some(text) = sample.column(&c.name) else {
            continue;
        };
        // A unique text stays unique only when its embedded key is the table's key.
        let candidates = keys
            .iter()
            .filter(|k| **k != c.name && (!unique || single_key.as_ref() == Some(*k)));
        c.embeds = candidates
            .filter_map(|k| {
                let key = sample.column(k)?;
                let pairs: Vec<(String, String)> = text
                    .values
                    .iter()
                    .zip(&key.values)
                    .filter(|(t, k)| !t.is_null() && !k.is_null())
                    .map(|(t, k)| (t.render(c.logical_type), k.render(key.logical_type)))
                    .collect();
                let width = embedded_width(&pairs)?;
                Some(Embedded {
                    column: k.clone(),
                    width,
                })
            })
            .max_by_key(|e| e.width);
    }
}

/// An integer column generated as a key: a sequence or a foreign key.
fn is_integer_key(c: &ColumnModel) -> bool {
    c.logical_type == LogicalType::Integer
        && matches!(
            c.generator,
            Generator::Sequence { months: false, .. } | Generator::ForeignKey { .. }
        )
}

/// The widest `w` such that every text ends with its key zero-padded to `w` characters
/// and keeps its first four characters (where an IBAN's check digits live), if any.
fn embedded_width(pairs: &[(String, String)]) -> Option<u32> {
    if pairs.len() < MIN_EMBEDDED_ROWS {
        return None;
    }
    let widest_key = pairs.iter().map(|(_, k)| k.len()).max()?;
    let shortest_text = pairs.iter().map(|(t, _)| t.len()).min()?;
    let holds = |w: usize| {
        pairs.iter().all(|(t, k)| {
            t.is_char_boundary(t.len() - w) && t[t.len() - w..] == format!("{k:0>w$}")
        })
    };
    (widest_key..=shortest_text.saturating_sub(4))
        .take_while(|&w| holds(w))
        .last()
        .map(|w| w as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(texts: impl Fn(u64) -> String) -> Vec<(String, String)> {
        (5_000_001..5_000_041)
            .map(|k| (texts(k), k.to_string()))
            .collect()
    }

    #[test]
    fn an_iban_ending_with_its_account_number_is_found_with_its_padding() {
        let ibans = pairs(|k| format!("GB{:02}BSYN4017{:02}{k:08}", k % 97, k % 89));
        assert_eq!(embedded_width(&ibans), Some(8));
    }

    #[test]
    fn text_that_does_not_end_with_the_key_embeds_nothing() {
        let shuffled = pairs(|k| format!("GB00BSYN{:08}", 10_000_041 - k));
        assert_eq!(embedded_width(&shuffled), None);
        // One row in 40 breaks it.
        let mut broken = pairs(|k| format!("INV-{k:09}"));
        broken[17].0 = "INV-000000001".into();
        assert_eq!(embedded_width(&broken), None);
        // Too few rows to tell.
        assert_eq!(
            embedded_width(&pairs(|k| format!("INV-{k:09}"))[..10]),
            None
        );
    }
}
