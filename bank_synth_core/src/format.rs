//! Character-class formats: how text looks without what it says. Used for free text,
//! for `sensitive` columns (format-preserving generation that never replays a value) and
//! for unique text keys (a keyed bijection of the row index into the format's space).

use crate::keys::Permutation;
use compact_str::CompactString;
use rand::RngExt;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// The most patterns a format keeps; rarer shapes are folded into the common ones.
const MAX_PATTERNS: usize = 32;
/// A character is kept as a literal only when this many sample values share it.
const MIN_SUPPORT_FOR_CONSTANT: usize = 20;
/// The largest domain a unique column permutes (2^62).
const MAX_UNIQUE_DOMAIN: u128 = 1 << 62;

/// One position of a pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Slot {
    /// Any digit `0-9` (written `#`).
    Digit,
    /// Any upper-case letter `A-Z` (written `A`).
    Upper,
    /// Any lower-case letter `a-z` (written `a`).
    Lower,
    /// This exact character (written `\c`).
    Literal(char),
}

impl Slot {
    fn of(c: char) -> Slot {
        if c.is_ascii_digit() {
            Slot::Digit
        } else if c.is_uppercase() {
            Slot::Upper
        } else if c.is_alphabetic() {
            Slot::Lower
        } else {
            Slot::Literal(c)
        }
    }

    fn radix(self) -> u64 {
        match self {
            Slot::Digit => 10,
            Slot::Upper | Slot::Lower => 26,
            Slot::Literal(_) => 1,
        }
    }

    fn char_at(self, k: u64) -> char {
        match self {
            Slot::Digit => char::from(b'0' + k as u8),
            Slot::Upper => char::from(b'A' + k as u8),
            Slot::Lower => char::from(b'a' + k as u8),
            Slot::Literal(c) => c,
        }
    }
}

/// A sequence of slots, written compactly: `#` digit, `A` upper, `a` lower, `\c` a
/// literal character, `{n}` repeats the previous slot n times in all.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pattern(pub Vec<Slot>);

impl fmt::Display for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut i = 0;
        while i < self.0.len() {
            let slot = self.0[i];
            let run = self.0[i..].iter().take_while(|s| **s == slot).count();
            match slot {
                Slot::Digit => f.write_str("#")?,
                Slot::Upper => f.write_str("A")?,
                Slot::Lower => f.write_str("a")?,
                Slot::Literal(c) => write!(f, "\\{c}")?,
            }
            if run > 2 {
                write!(f, "{{{run}}}")?;
                i += run;
            } else {
                i += 1;
            }
        }
        Ok(())
    }
}

impl std::str::FromStr for Pattern {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let mut slots = Vec::new();
        let mut chars = s.chars().peekable();
        while let Some(c) = chars.next() {
            let slot = match c {
                '#' => Slot::Digit,
                'A' => Slot::Upper,
                'a' => Slot::Lower,
                '\\' => Slot::Literal(chars.next().ok_or("pattern ends after `\\`")?),
                '{' => {
                    let n: String = chars.by_ref().take_while(|c| *c != '}').collect();
                    let n: usize = n.parse().map_err(|_| format!("bad repeat `{{{n}}}`"))?;
                    let last = *slots.last().ok_or("repeat without a slot")?;
                    slots.extend(std::iter::repeat_n(last, n.saturating_sub(1)));
                    continue;
                }
                other => {
                    return Err(format!(
                        "unexpected `{other}` in pattern (escape literals with `\\`)"
                    ));
                }
            };
            slots.push(slot);
        }
        Ok(Pattern(slots))
    }
}

impl Serialize for Pattern {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Pattern {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

/// A check digit scheme found on every sample value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Checksum {
    /// The last digit is a Luhn check digit (payment card numbers).
    Luhn,
    /// Characters 3-4 are ISO 13616 mod-97 check digits (IBAN).
    IbanMod97,
}

/// A learned format: weighted patterns and an optional checksum.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormatModel {
    /// `(pattern, probability)`, most frequent first.
    pub patterns: Vec<(Pattern, f64)>,
    /// Check digits to compute on every generated value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checksum: Option<Checksum>,
}

impl FormatModel {
    /// Eight capital letters: the format of a text column without a value to learn
    /// from (all NULL, or a table without sample rows).
    pub fn placeholder() -> FormatModel {
        FormatModel {
            patterns: vec![("A{8}".parse().expect("a valid pattern"), 1.0)],
            checksum: None,
        }
    }

    /// Learns the format of `values` (non-empty strings). Characters shared by every
    /// value of a frequent pattern are kept as literals (an IBAN's country code); all
    /// other characters are reduced to their class, so no value can be replayed.
    pub fn learn<'a>(values: impl IntoIterator<Item = &'a str>) -> Option<FormatModel> {
        let mut groups: BTreeMap<Pattern, Vec<&str>> = BTreeMap::new();
        let mut all = Vec::new();
        for v in values {
            groups
                .entry(Pattern(v.chars().map(Slot::of).collect()))
                .or_default()
                .push(v);
            all.push(v);
        }
        let total = all.len();
        if total == 0 {
            return None;
        }
        let mut ranked: Vec<(Pattern, Vec<&str>)> = groups.into_iter().collect();
        ranked.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.0.cmp(&b.0)));
        ranked.truncate(MAX_PATTERNS);
        let kept: usize = ranked.iter().map(|(_, v)| v.len()).sum();
        let patterns = ranked
            .into_iter()
            .map(|(pattern, members)| {
                let weight = members.len() as f64 / kept as f64;
                (with_constants(pattern, &members), weight)
            })
            .collect();
        Some(FormatModel {
            patterns,
            checksum: detect_checksum(&all),
        })
    }

    /// The same format with `prefix` as the leading characters of every pattern long
    /// enough to hold it (literals, so a unique value's slots exclude them).
    pub fn with_prefix(&self, prefix: &str) -> FormatModel {
        let patterns = self
            .patterns
            .iter()
            .map(|(p, w)| {
                let mut slots = p.0.clone();
                if slots.len() >= prefix.chars().count() {
                    for (slot, c) in slots.iter_mut().zip(prefix.chars()) {
                        *slot = Slot::Literal(c);
                    }
                }
                (Pattern(slots), *w)
            })
            .collect();
        FormatModel {
            patterns,
            checksum: self.checksum,
        }
    }

    /// The same format with every letter and digit reduced to its class (for `pii`
    /// keys, which may not keep even shared characters).
    pub fn classes_only(self) -> FormatModel {
        let patterns = self
            .patterns
            .into_iter()
            .map(|(p, w)| {
                let slots =
                    p.0.into_iter()
                        .map(|s| match s {
                            Slot::Literal(c) if c.is_alphanumeric() => Slot::of(c),
                            other => other,
                        })
                        .collect();
                (Pattern(slots), w)
            })
            .collect();
        FormatModel { patterns, ..self }
    }

    /// The number of distinct values the dominant pattern can produce (saturating).
    pub fn unique_capacity(&self) -> u64 {
        let (domain, _) = unique_slots(&self.patterns[0].0, self.checksum);
        domain
    }

    /// Draws a value. With `unique = Some((index, permutation))` the dominant pattern is
    /// used and `index` is mapped one-to-one into it, so distinct indices give distinct
    /// values (the permutation must cover [`FormatModel::unique_capacity`]). A `suffix`
    /// replaces the value's last characters (an embedded key) before the check digits
    /// are computed.
    pub fn generate<R: RngExt>(
        &self,
        rng: &mut R,
        unique: Option<(u64, &Permutation)>,
        suffix: Option<&str>,
    ) -> CompactString {
        let mut out = CompactString::default();
        self.generate_onto(rng, unique, suffix, &mut out);
        out
    }

    /// As [`FormatModel::generate`], appending the value to `out`.
    pub fn generate_onto<R: RngExt>(
        &self,
        rng: &mut R,
        unique: Option<(u64, &Permutation)>,
        suffix: Option<&str>,
        out: &mut CompactString,
    ) {
        let pattern = match unique {
            Some(_) => &self.patterns[0].0,
            None => {
                let u: f64 = rng.random();
                let mut acc = 0.0;
                self.patterns
                    .iter()
                    .find(|(_, w)| {
                        acc += w;
                        u < acc
                    })
                    .map_or(&self.patterns[0].0, |(p, _)| p)
            }
        };
        let draw = |slot: &Slot, rng: &mut R| slot.char_at(rng.random_range(0..slot.radix()));
        if unique.is_none() && suffix.is_none() && self.checksum.is_none() {
            // Nothing to place or check afterwards: straight onto the text.
            out.extend(pattern.0.iter().map(|slot| draw(slot, rng)));
            return;
        }
        let mut chars: Vec<char> = pattern.0.iter().map(|slot| draw(slot, rng)).collect();
        if let Some((index, perm)) = unique {
            let (_, slots) = unique_slots(pattern, self.checksum);
            let mut x = perm.apply(index);
            for pos in slots {
                let radix = pattern.0[pos].radix();
                chars[pos] = pattern.0[pos].char_at(x % radix);
                x /= radix;
            }
        }
        if let Some(suffix) = suffix {
            let start = chars.len().saturating_sub(suffix.chars().count());
            for (slot, c) in chars[start..].iter_mut().zip(suffix.chars()) {
                *slot = c;
            }
        }
        apply_checksum(&mut chars, self.checksum);
        out.extend(chars);
    }
}

/// The slots a unique value is spread over (last first) and the size of their domain.
fn unique_slots(pattern: &Pattern, checksum: Option<Checksum>) -> (u64, Vec<usize>) {
    let fixed = checksum_positions(pattern.0.len(), checksum);
    let mut domain: u128 = 1;
    let mut slots = Vec::new();
    for (pos, slot) in pattern.0.iter().enumerate().rev() {
        let radix = u128::from(slot.radix());
        if radix == 1 || fixed.contains(&pos) {
            continue;
        }
        if domain * radix > MAX_UNIQUE_DOMAIN {
            break;
        }
        domain *= radix;
        slots.push(pos);
    }
    (domain as u64, slots)
}

fn checksum_positions(len: usize, checksum: Option<Checksum>) -> Vec<usize> {
    match checksum {
        Some(Checksum::Luhn) => vec![len - 1],
        Some(Checksum::IbanMod97) => vec![2, 3],
        None => vec![],
    }
}

fn with_constants(pattern: Pattern, members: &[&str]) -> Pattern {
    if members.len() < MIN_SUPPORT_FOR_CONSTANT {
        return pattern;
    }
    let first: Vec<char> = members[0].chars().collect();
    let slots = pattern
        .0
        .iter()
        .enumerate()
        .map(|(i, slot)| {
            let constant = members.iter().all(|m| m.chars().nth(i) == Some(first[i]));
            if constant && first[i].is_ascii_alphanumeric() {
                Slot::Literal(first[i])
            } else {
                *slot
            }
        })
        .collect();
    Pattern(slots)
}

fn detect_checksum(values: &[&str]) -> Option<Checksum> {
    if values.len() < MIN_SUPPORT_FOR_CONSTANT {
        return None;
    }
    if values.iter().all(|v| v.len() >= 12 && luhn_valid(v)) {
        return Some(Checksum::Luhn);
    }
    if values.iter().all(|v| iban_valid(v)) {
        return Some(Checksum::IbanMod97);
    }
    None
}

/// True when `s` is all digits and passes the Luhn check.
pub fn luhn_valid(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_digit())
        && !s.is_empty()
        && luhn_sum(s.bytes(), false).is_multiple_of(10)
}

fn luhn_sum(digits: impl DoubleEndedIterator<Item = u8>, double_first: bool) -> u32 {
    digits
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if (i % 2 == 1) != double_first {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                d
            }
        })
        .sum()
}

/// True when `s` has an IBAN's shape and its mod-97 check digits are right.
pub fn iban_valid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 15
        && b.len() <= 34
        && b[..2].iter().all(u8::is_ascii_uppercase)
        && b[2..4].iter().all(u8::is_ascii_digit)
        && b[4..]
            .iter()
            .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
        && iban_mod97(s.chars().skip(4).chain(s.chars().take(4))) == 1
}

fn iban_mod97(chars: impl Iterator<Item = char>) -> u32 {
    chars.fold(0u32, |acc, c| match c.to_digit(36) {
        Some(v) if v >= 10 => (acc * 100 + v) % 97,
        Some(v) => (acc * 10 + v) % 97,
        None => acc,
    })
}

/// The Luhn check digit that completes `partial` (ASCII digits).
pub fn luhn_check_digit(partial: &str) -> char {
    let check = (10 - luhn_sum(partial.bytes(), true) % 10) % 10;
    char::from_digit(check, 10).expect("digit")
}

/// The ISO 13616 check digits for an IBAN of `country` (two letters) and `bban`.
pub fn iban_check_digits(country: &str, bban: &str) -> String {
    let check = 98 - iban_mod97(bban.chars().chain(country.chars()).chain("00".chars()));
    format!("{check:02}")
}

fn apply_checksum(out: &mut [char], checksum: Option<Checksum>) {
    match checksum {
        Some(Checksum::Luhn) if out.iter().all(char::is_ascii_digit) => {
            let body: String = out[..out.len() - 1].iter().collect();
            out[out.len() - 1] = luhn_check_digit(&body);
        }
        Some(Checksum::IbanMod97) if out.len() >= 5 => {
            let country: String = out[..2].iter().collect();
            let bban: String = out[4..].iter().collect();
            let check: Vec<char> = iban_check_digits(&country, &bban).chars().collect();
            out[2..4].copy_from_slice(&check);
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Streams;
    use std::collections::HashSet;

    #[test]
    fn patterns_round_trip_through_text() {
        let p: Pattern = "\\D\\E#{20}".parse().unwrap();
        assert_eq!(p.0.len(), 22);
        assert_eq!(p.to_string(), "\\D\\E#{20}");
        assert_eq!("Aa\\-#".parse::<Pattern>().unwrap().to_string(), "Aa\\-#");
    }

    #[test]
    fn known_check_digits_validate() {
        assert!(luhn_valid("4111111111111111"));
        assert!(!luhn_valid("4111111111111112"));
        assert!(iban_valid("GB82WEST12345698765432"));
        assert!(iban_valid("DE89370400440532013000"));
        assert!(!iban_valid("DE89370400440532013001"));
    }

    #[test]
    fn learned_card_format_generates_valid_unique_new_numbers() {
        let samples: Vec<String> = (0..50u64)
            .map(|i| {
                let mut digits: Vec<char> = format!("4{:014}0", i * 7919).chars().collect();
                apply_checksum(&mut digits, Some(Checksum::Luhn));
                digits.into_iter().collect()
            })
            .collect();
        let model = FormatModel::learn(samples.iter().map(String::as_str)).unwrap();
        assert_eq!(model.checksum, Some(Checksum::Luhn));
        let streams = Streams::new(1, "row", "CARDS");
        let perm = Permutation::new(model.unique_capacity(), 5);
        let generated: Vec<String> = (0..2000)
            .map(|i| {
                model
                    .generate(&mut streams.at(i), Some((i, &perm)), None)
                    .into()
            })
            .collect();
        assert!(
            generated
                .iter()
                .all(|g| luhn_valid(g) && g.len() == 16 && g.starts_with('4'))
        );
        assert_eq!(generated.iter().collect::<HashSet<_>>().len(), 2000);
        let sample_set: HashSet<&String> = samples.iter().collect();
        assert!(generated.iter().all(|g| !sample_set.contains(g)));
    }

    #[test]
    fn learned_iban_format_keeps_country_and_validates() {
        let samples: Vec<String> = (0..40u64)
            .map(|i| {
                let mut c: Vec<char> = format!("DE00{:018}", i * 104_729 + 17).chars().collect();
                apply_checksum(&mut c, Some(Checksum::IbanMod97));
                c.into_iter().collect()
            })
            .collect();
        let model = FormatModel::learn(samples.iter().map(String::as_str)).unwrap();
        assert_eq!(model.checksum, Some(Checksum::IbanMod97));
        let mut rng = Streams::new(3, "row", "ACCOUNTS").at(0);
        for _ in 0..100 {
            let v = model.generate(&mut rng, None, None);
            assert!(v.starts_with("DE") && iban_valid(&v), "{v}");
        }
    }
}
