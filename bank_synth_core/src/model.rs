//! The model pack: the only thing that leaves the governed environment. A directory
//! holding one human-readable, versioned JSON document ([`PACK_FILE`]) with the schema,
//! relationships, per-column models, privacy decisions and provenance — and no rows.

use crate::error::{Error, Result, hint};
use crate::format::FormatModel;
use crate::privacy::PrivacyLevel;
use crate::stats::{Frequencies, Quantiles};
use crate::value::LogicalType;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Canonical form of a table or column identifier: trimmed, upper-case.
pub fn canonical(ident: &str) -> String {
    ident.trim().to_ascii_uppercase()
}

/// How many children a parent may have.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Cardinality {
    /// Any number of children per parent.
    #[default]
    #[serde(rename = "1:N")]
    OneToMany,
    /// At most one child per parent.
    #[serde(rename = "1:1")]
    OneToOne,
}

mod validate;

/// The pack layout version this build writes and reads.
pub const FORMAT_VERSION: u32 = 2;
/// The file inside a model pack directory.
pub const PACK_FILE: &str = "modelpack.json";

/// The pack file a path names: `path/modelpack.json` for a pack directory, else `path`.
pub fn pack_file(path: &Path) -> PathBuf {
    if path.is_dir() {
        path.join(PACK_FILE)
    } else {
        path.to_path_buf()
    }
}

/// A trained model of a schema.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelPack {
    /// Layout version ([`FORMAT_VERSION`]).
    pub format_version: u32,
    /// The schema (Oracle schema / Hive database) the tables belong to.
    pub schema: String,
    /// Where the model came from.
    pub provenance: Provenance,
    /// Tables in training order.
    pub tables: Vec<TableModel>,
    /// Foreign keys with their learned fan-out.
    pub relationships: Vec<Relationship>,
}

/// How a pack was made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provenance {
    /// The bank_synth version that trained it.
    pub tool_version: String,
    /// `samples`, `oracle`, `hive`.
    pub source: String,
    /// The sampling strategy applied, e.g. `percent:10`.
    pub sample_strategy: Option<String>,
    /// Digests of the configuration files used, by file name.
    pub config_digests: BTreeMap<String, String>,
    /// Problems found in the samples that did not stop training (counts, never values).
    pub warnings: Vec<String>,
}

/// One table's model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableModel {
    /// Upper-case table name.
    pub name: String,
    /// Primary key columns (may be empty).
    pub primary_key: Vec<String>,
    /// Sample rows trained on.
    pub sample_rows: u64,
    /// Column models in the table's column order (restricted columns absent).
    pub columns: Vec<ColumnModel>,
    /// The privacy decision taken for every kept column that is not public.
    pub privacy_decisions: Vec<PrivacyDecision>,
    /// One [`restricted_digest`] per `restricted` column dropped at training. The names
    /// themselves are not kept; the digests let the derive macro say that a column was
    /// dropped by policy.
    #[serde(default)]
    pub restricted_columns: Vec<String>,
    /// Business rules found on every sample row, enforced in generation.
    #[serde(default)]
    pub rules: Vec<Rule>,
    /// A Gaussian copula tying the rank positions of the modelled columns together.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub copula: Option<Copula>,
    /// A reference (lookup) table's rows: the sample rows as text in column order,
    /// public columns only ([`ColumnModel::is_kept`]) so they may leave the governed
    /// environment; `None` for NULL and for every column that is not kept, which
    /// generation makes up on each row. Generation replays them instead of sampling the
    /// column models.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference_rows: Option<Vec<Vec<Option<String>>>>,
    /// Public discrete columns drawn together from the combinations the samples show
    /// ([`Joint`]), instead of one by one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub joint: Option<Joint>,
}

/// A table's learned categorical and boolean columns drawn together: one categorical
/// over the combinations of their values observed in the samples, so the links among
/// them (a title deciding a courtesy title, a region inside its country) hold exactly.
/// Only columns whose values the pack may keep (public and internal) take part.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Joint {
    /// The columns, in table order.
    pub columns: Vec<String>,
    /// The observed combinations (each value as text in `columns` order, `None` for
    /// NULL) and their shares of the sample rows.
    pub combinations: Frequencies<Vec<Option<String>>>,
}

/// A Gaussian copula: the normal scores of `columns` (their positions within the
/// distribution each is drawn from) have correlation `L·Lᵀ`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Copula {
    /// The columns it correlates, in table order.
    pub columns: Vec<String>,
    /// Lower-triangular Cholesky factor of the normal scores' correlation matrix
    /// (row `i` holds `i + 1` entries).
    pub cholesky: Vec<Vec<f64>>,
}

/// What training did with a non-public column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrivacyDecision {
    /// The column.
    pub column: String,
    /// Its level.
    pub level: PrivacyLevel,
    /// What was kept, in words.
    pub decision: String,
}

/// One column's model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnModel {
    /// Upper-case column name.
    pub name: String,
    /// The logical type.
    pub logical_type: LogicalType,
    /// May the column be NULL?
    pub nullable: bool,
    /// The share of NULLs in the samples.
    pub null_rate: f64,
    /// The privacy level applied.
    pub privacy: PrivacyLevel,
    /// Longest text value in characters (for VARCHAR2 sizing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u32>,
    /// How values are produced (the marginal, when a dependency does not decide).
    pub generator: Generator,
    /// How the column depends on another column of its row or of its parent's row.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub depends_on: Option<Dependency>,
    /// Every sample date falls on this day of the month (card expiries on the 1st):
    /// generated dates are moved forward to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day_of_month: Option<u32>,
    /// The column rises with the table's key on the sample rows (keys issued in time
    /// order): generated values rise with the row index too, so a row that refers to an
    /// earlier row is earlier in time as well.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub monotone: bool,
    /// The text ends with the row's value of a key column, zero-padded (an IBAN ends
    /// with its account number): generated values end with the generated key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub embeds: Option<Embedded>,
    /// The text's leading characters follow a public category of its row (a card
    /// number starts with 4 for DEBIT cards and 5 for CREDIT ones).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix_by: Option<PrefixBy>,
}

/// The leading characters of a format column by the value of a categorical column of
/// the same row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrefixBy {
    /// The categorical column.
    pub column: String,
    /// `(category, prefix)` for every category; the prefixes have one length.
    pub prefixes: Vec<(String, String)>,
}

/// A key column whose value a text column ends with, zero-padded to `width` digits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Embedded {
    /// The key column (of the same row).
    pub column: String,
    /// The number of trailing characters it fills.
    pub width: u32,
}

impl ColumnModel {
    /// Are the column's values learned from the samples (numbers, categories, booleans,
    /// templates — not keys, formats or fakes) at a privacy level that allows it?
    pub fn is_learned(&self) -> bool {
        matches!(
            self.generator,
            Generator::Numeric { .. }
                | Generator::Categorical { .. }
                | Generator::Boolean { .. }
                | Generator::Template { .. }
        ) && self.privacy.keeps_values()
    }

    /// A learned category (categorical or boolean) whose values may be kept: one that
    /// may condition others, join the joint, decide a prefix.
    pub fn is_category(&self) -> bool {
        self.is_learned()
            && matches!(
                self.generator,
                Generator::Categorical { .. } | Generator::Boolean { .. }
            )
    }

    /// Does a reference table keep this column's sample values? Only public columns
    /// that no faker makes up do; a reference table's others are made up in generation.
    pub fn is_kept(&self) -> bool {
        self.privacy == crate::privacy::PrivacyLevel::Public
            && !matches!(self.generator, Generator::Faker { .. })
    }
}

/// A column of the same row, or of the row's parent through the table's grouping
/// foreign key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnRef {
    /// True when the column belongs to the grouping parent's table.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub parent: bool,
    /// The column's name.
    pub column: String,
}

impl std::fmt::Display for ColumnRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.parent {
            write!(f, "parent.{}", self.column)
        } else {
            f.write_str(&self.column)
        }
    }
}

/// A learned dependency of one column on another.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Dependency {
    /// The column's NULL rate and distribution per value of a categorical column,
    /// optionally refined by one or two more.
    Given {
        /// The categorical column.
        on: ColumnRef,
        /// One case per value seen in the samples; other values use the marginal.
        cases: Vec<Case>,
        /// Further categorical columns that refine the cases (a transaction's amount
        /// by its type and its channel). Packs written before three conditions name
        /// one column here, not a list; both read.
        #[serde(
            default,
            skip_serializing_if = "Vec::is_empty",
            deserialize_with = "one_or_many"
        )]
        also: Vec<ColumnRef>,
        /// Cases for combinations of `on` and a prefix of the `also` values with
        /// enough sample rows, keyed by the values joined with
        /// [`COMBINATION_SEPARATOR`], `on`'s first; a row draws from the longest
        /// combination of its values with a case ([`Dependency::case`]).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        refined: Vec<Case>,
    },
    /// The column is never before `on` (a date or timestamp): on every sample row it
    /// is at least `on + min_gap` (a customer joins at 18 or later).
    After(Order),
    /// The column is never after `on`: on every sample row at most `on − min_gap`.
    Before(Order),
    /// The column repeats `column` of the parent row its table names through
    /// `relationship` (an invoice line's price is its track's price) in `share` of the
    /// rows; the other rows draw from the column's own distribution.
    Copy {
        /// The relationship to the parent.
        relationship: String,
        /// The parent's column.
        column: String,
        /// Share of the sample rows on which the values are equal.
        share: f64,
    },
}

/// How a date or timestamp is placed relative to the column it is ordered with: in the
/// room between `on` (moved by the learned minimum gap, and by the maximum gap where that
/// is tight) and the column's own learned range, at a learned position within it — so
/// the order, its gap and the column's range all hold on every generated row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Order {
    /// The column it is ordered with.
    pub on: ColumnRef,
    /// Distribution of the value's position in its room: 0 nearest `on`, 1 farthest.
    pub ratio: Quantiles,
    /// The smallest distance from `on` on the sample rows (the column's number line:
    /// days for dates, seconds for timestamps).
    #[serde(default)]
    pub min_gap: f64,
    /// The largest distance, kept when it is tight (under half the column's range).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_gap: Option<f64>,
    /// The column's smallest value.
    pub lower: f64,
    /// The column's largest value.
    pub upper: f64,
}

impl Order {
    /// The room a value ordered with `base` (already on the column's number line) may
    /// take, as `(nearest to base, farthest from base)`; `after` for [`Dependency::After`].
    pub fn room(&self, base: f64, after: bool) -> (f64, f64) {
        let (near, far) = if after {
            let near = (base + self.min_gap).max(self.lower);
            let far = self
                .max_gap
                .map_or(self.upper, |g| self.upper.min(base + g));
            (near, far.max(near))
        } else {
            let near = (base - self.min_gap).min(self.upper);
            let far = self
                .max_gap
                .map_or(self.lower, |g| self.lower.max(base - g));
            (near, far.min(near))
        };
        (near, far)
    }
}

/// Joins the values of a refined case's key.
pub const COMBINATION_SEPARATOR: char = '\u{1f}';

/// The key of a refined case: `values` joined with [`COMBINATION_SEPARATOR`].
pub fn combination_key<S: AsRef<str>>(values: impl IntoIterator<Item = S>) -> String {
    let mut key = String::new();
    write_combination_key(&mut key, values);
    key
}

/// Appends the [`combination_key`] of `values` to `out`.
pub fn write_combination_key<S: AsRef<str>>(
    out: &mut impl std::fmt::Write,
    values: impl IntoIterator<Item = S>,
) {
    for (i, v) in values.into_iter().enumerate() {
        // Writing into a string cannot fail.
        if i > 0 {
            let _ = out.write_char(COMBINATION_SEPARATOR);
        }
        let _ = out.write_str(v.as_ref());
    }
}

/// Reads a list of column references, or the single reference of older packs.
fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<ColumnRef>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(ColumnRef),
        Many(Vec<ColumnRef>),
    }
    Ok(match Option::<OneOrMany>::deserialize(d)? {
        None => Vec::new(),
        Some(OneOrMany::One(one)) => vec![one],
        Some(OneOrMany::Many(many)) => many,
    })
}

impl Dependency {
    /// The columns of the row or its grouping parent that the dependency reads.
    pub fn reads(&self) -> impl Iterator<Item = &ColumnRef> {
        let (on, also): (_, &[ColumnRef]) = match self {
            Dependency::Given { on, also, .. } => (Some(on), also),
            Dependency::After(order) | Dependency::Before(order) => (Some(&order.on), &[]),
            Dependency::Copy { .. } => (None, &[]),
        };
        on.into_iter().chain(also)
    }

    /// The case a row draws from, given the text of its `on` value and (when the
    /// dependency is refined) the [`combination_key`] of its `also` values: the case of
    /// the longest combination with one of its own (`on` and both `also` values, `on`
    /// and the first, then `on` alone).
    pub fn case(&self, on_value: &str, also_key: Option<&str>) -> Option<&Case> {
        let Dependency::Given { cases, refined, .. } = self else {
            return None;
        };
        also_key
            .into_iter()
            .flat_map(combination_prefixes)
            .find_map(|key| {
                refined.iter().find(|c| {
                    c.value
                        .split_once(COMBINATION_SEPARATOR)
                        .is_some_and(|(a, b)| a == on_value && b == key)
                })
            })
            .or_else(|| cases.iter().find(|c| c.value == on_value))
    }
}

/// A [`combination_key`] and its shorter prefixes of whole values, longest first: the
/// combinations a row backs off through to find a case ([`Dependency::case`]).
pub fn combination_prefixes(key: &str) -> impl Iterator<Item = &str> {
    std::iter::successors(Some(key), |k| {
        k.rsplit_once(COMBINATION_SEPARATOR)
            .map(|(prefix, _)| prefix)
    })
}

/// The distribution of a column for one value of the column it depends on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// The value of the categorical column.
    pub value: String,
    /// NULL rate in this case.
    pub null_rate: f64,
    /// Values in this case.
    pub generator: Generator,
}

/// A business rule found on every sample row and enforced on every generated row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    /// The sign of `column` is a function of `on` (AMOUNT < 0 ⇔ DEBIT).
    Sign,
    /// Whether `column` is NULL is a function of `on` (MCC only for card payments).
    Presence,
    /// The value of `column` is a function of `on` (REGION = f(CITY)).
    Determined,
    /// `column` is never before `on` (OPEN_DATE ≥ the customer's CREATED_AT).
    NotBefore,
    /// `column` is never after `on` (BIRTH_DATE ≤ CREATED_AT).
    NotAfter,
}

/// A learned rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// What kind of rule.
    pub kind: RuleKind,
    /// The constrained column.
    pub column: String,
    /// The column it depends on.
    pub on: ColumnRef,
    /// Up to two more columns that decide the rule together with `on` (MCC is set for
    /// ATM and POS payments and for online debits: CHANNEL and TXN_TYPE). Packs
    /// written before three conditions name one column here, not a list; both read.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "one_or_many"
    )]
    pub also: Vec<ColumnRef>,
}

impl Rule {
    /// A stable identifier, used to switch a rule off in tables.yaml
    /// (`disabled_rules: ["sign:AMOUNT:TXN_TYPE"]`).
    pub fn id(&self) -> String {
        let kind = match self.kind {
            RuleKind::Sign => "sign",
            RuleKind::Presence => "presence",
            RuleKind::Determined => "determined",
            RuleKind::NotBefore => "not_before",
            RuleKind::NotAfter => "not_after",
        };
        let mut id = format!("{kind}:{}:{}", self.column, self.on);
        for also in &self.also {
            id.push('+');
            id.push_str(&also.to_string());
        }
        id
    }

    /// The rule in words.
    pub fn describe(&self) -> String {
        let on = match self.also.as_slice() {
            [] => self.on.to_string(),
            [rest @ .., last] => {
                let mut on = self.on.to_string();
                for also in rest {
                    on.push_str(&format!(", {also}"));
                }
                format!("{on} and {last}")
            }
        };
        match self.kind {
            RuleKind::Sign => format!("the sign of {} follows {on}", self.column),
            RuleKind::Presence => format!("whether {} is set follows {on}", self.column),
            RuleKind::Determined => format!("{} is a function of {}", self.column, self.on),
            RuleKind::NotBefore => format!("{} ≥ {}", self.column, self.on),
            RuleKind::NotAfter => format!("{} ≤ {}", self.column, self.on),
        }
    }
}

/// The room a grouped date sequence runs in under each parent (an account's monthly
/// statements run from the month it opened, or the extract's first month, to the
/// extract's last month): from the parent's `after` date plus `min_gap`, but not before
/// `lower`, to `upper`. In generation a parent gets no more children than its room
/// holds (as far as the run's row count allows) and its sequence starts within it, so
/// the order with the parent and the column's range both hold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SequenceRoom {
    /// The grouping parent's date or timestamp column that every parent's first value
    /// follows, when one does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
    /// The smallest distance, in days, from `after` to a parent's first value.
    #[serde(default)]
    pub min_gap: f64,
    /// The column's smallest value (days).
    pub lower: f64,
    /// The column's largest value (days).
    pub upper: f64,
}

/// How a column's values are produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Generator {
    /// A key sequence: `start + i·step` for row `i`, or within a parent's group of
    /// children `base + k·step` for its k-th child, the base drawn per parent.
    Sequence {
        /// First value (number line of the column's type).
        start: f64,
        /// Distance between consecutive values (months when `months`).
        step: f64,
        /// Step in calendar months (dates only).
        #[serde(default)]
        months: bool,
        /// The day of the month a monthly sequence falls on, clamped to shorter months
        /// (31: month ends); the start's own day when absent (packs before it).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        day: Option<u32>,
        /// Distribution of the first value within each parent (grouped keys only).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        per_parent_start: Option<Quantiles>,
        /// Where a grouped date sequence runs under each parent (grouped date keys whose
        /// values may be kept only).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        room: Option<SequenceRoom>,
    },
    /// Unique text in a learned format, a bijection of the row index.
    UniqueFormat {
        /// The format.
        format: FormatModel,
    },
    /// Copied from the parent row named by a relationship.
    ForeignKey {
        /// The relationship's name.
        relationship: String,
    },
    /// Numbers, dates and timestamps from an empirical quantile function.
    Numeric {
        /// The quantile function on the column's number line.
        quantiles: Quantiles,
        /// Values are multiples of this (e.g. 1 = whole seconds for timestamps).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        round_to: Option<f64>,
        /// Exact values with their probabilities (zero balances, default limits);
        /// `quantiles` covers the remaining probability.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        masses: Vec<(f64, f64)>,
        /// A parametric family fitted to the values that are not point masses,
        /// truncated to the range of `quantiles`; `quantiles` is used when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        family: Option<crate::fit::Family>,
    },
    /// One of a closed set of values.
    Categorical {
        /// Values and their probabilities.
        frequencies: Frequencies<String>,
    },
    /// true with probability `p_true`.
    Boolean {
        /// Share of true values.
        p_true: f64,
    },
    /// Text in a learned format (never a sample value).
    Format {
        /// The format.
        format: FormatModel,
    },
    /// Public free text in the shape of its values: a leading phrase drawn like a
    /// category ("ATM WITHDRAWAL", "POS MTA TRANSIT") and, for the phrases that have
    /// one, a tail in a learned format ("#5443"); see [`template_parts`].
    Template {
        /// Leading phrases and their probabilities.
        frequencies: Frequencies<String>,
        /// The tail format of each phrase that has one (most of its values do).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        tails: Vec<(String, FormatModel)>,
    },
    /// A Faker provider (for `pii`).
    Faker {
        /// The provider, by its Faker name.
        provider: crate::faker::Kind,
    },
}

impl Generator {
    /// The day of the month a monthly sequence falls on (clamped to shorter months),
    /// `None` for any other generator.
    pub fn month_day(&self) -> Option<u32> {
        match self {
            Generator::Sequence {
                months: true,
                day,
                start,
                ..
            } => Some(day.unwrap_or_else(|| {
                chrono::Datelike::day(&crate::value::date_from_days(*start as i32))
            })),
            _ => None,
        }
    }

    /// A short name of the generator kind, for tables.
    pub fn kind(&self) -> &'static str {
        match self {
            Generator::Sequence { .. } => "sequence",
            Generator::UniqueFormat { .. } => "unique format",
            Generator::ForeignKey { .. } => "foreign key",
            Generator::Numeric { .. } => "numeric",
            Generator::Categorical { .. } => "categorical",
            Generator::Boolean { .. } => "boolean",
            Generator::Format { .. } => "format",
            Generator::Template { .. } => "template",
            Generator::Faker { .. } => "faker",
        }
    }
}

/// A free-text value split into its leading phrase and its tail: the tail starts at the
/// first word with a digit (`POS MTA TRANSIT #5443` → `POS MTA TRANSIT`, `#5443`), or,
/// with `first_word`, after the first word.
pub fn template_parts(text: &str, first_word: bool) -> (&str, &str) {
    let text = text.trim();
    let mut words = text.split_whitespace();
    let cut = if first_word {
        words.next();
        words.next()
    } else {
        words.find(|w| w.bytes().any(|b| b.is_ascii_digit()))
    };
    match cut {
        // Words are slices of `text`: the tail starts where the cut word does.
        Some(w) => {
            let at = w.as_ptr() as usize - text.as_ptr() as usize;
            (text[..at].trim_end(), &text[at..])
        }
        None => (text, ""),
    }
}

/// How a child table's rows are attached to a relationship's parent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The child's rows are generated in groups under each parent row, the group size
    /// drawn from the fan-out distribution (the child's first non-null foreign key).
    Grouping,
    /// Each child row picks a parent with probability proportional to a per-parent
    /// popularity drawn from the fan-out distribution (second parents).
    Reference,
    /// A self-reference: a row points at an earlier row of the same table.
    SelfReference,
}

/// A learned foreign key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Relationship {
    /// Name (from relationships.yaml or generated).
    pub name: String,
    /// Referenced table.
    pub parent_table: String,
    /// Referenced columns.
    pub parent_columns: Vec<String>,
    /// Referencing table.
    pub child_table: String,
    /// Referencing columns.
    pub child_columns: Vec<String>,
    /// 1:N or 1:1.
    pub cardinality: Cardinality,
    /// How generation attaches children.
    pub role: Role,
    /// Can the foreign key be NULL?
    pub nullable: bool,
    /// Share of child rows with a NULL foreign key.
    pub null_rate: f64,
    /// Distribution of children per parent (zero included).
    pub fanout: Frequencies<u32>,
    /// Child rows in the samples whose parent was missing.
    pub sample_orphans: u64,
    /// The fan-out per value of a categorical column of the parent, when it depends
    /// on one (PRIVATE customers have more accounts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fanout_by: Option<FanoutBy>,
    /// A second path from the child to the same parent that most sample rows agree
    /// with (an account's branch is its customer's home branch; a payment's customer
    /// is its rental's customer), followed in the same share of generated rows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub through: Option<Through>,
    /// The referenced row is one of the referencing row's own children, in the sample
    /// share of rows: a store's manager is one of the staff grouped under that store
    /// (a cycle of foreign keys closed on the row itself).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub among_children: Option<AmongChildren>,
}

/// How a reference closes a cycle on its own row: the referenced table is grouped
/// under the referencing one by relationship `grouping`, and the referenced row is one
/// of the referencing row's children.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AmongChildren {
    /// The relationship grouping the referenced table's rows under the referencing
    /// table's rows.
    pub grouping: String,
    /// Share of the sample rows (with both keys set) whose referenced row is one of
    /// their own children; 1 closes the cycle on every generated row.
    pub share: f64,
}

/// The other path of a diamond: child → `via` → intermediate table → `then` → parent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Through {
    /// The child's relationship to the intermediate table.
    pub via: String,
    /// The intermediate table's relationship to this relationship's parent.
    pub then: String,
    /// Share of the sample rows (with both keys set) on which both paths reach the same
    /// parent row; 1 closes the diamond on every generated row.
    pub share: f64,
}

/// Fan-out per value of a parent's categorical column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FanoutBy {
    /// The parent's categorical column.
    pub column: String,
    /// Children per parent for each value (other values use the overall fan-out).
    pub cases: Vec<(String, Frequencies<u32>)>,
}

impl ModelPack {
    /// Writes the pack into directory `dir` (created if needed) atomically.
    pub fn save(&self, dir: &Path) -> Result<()> {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let json = serde_json::to_string_pretty(self).expect("model packs serialize");
        let tmp = dir.join(format!(".{PACK_FILE}.tmp"));
        std::fs::write(&tmp, json + "\n").map_err(|e| Error::io(&tmp, e))?;
        let dest = dir.join(PACK_FILE);
        std::fs::rename(&tmp, &dest).map_err(|e| Error::io(&dest, e))
    }

    /// Reads the pack in directory `dir` (or the pack file itself).
    pub fn load(dir: &Path) -> Result<ModelPack> {
        let file = pack_file(dir);
        let text = std::fs::read_to_string(&file).map_err(|e| Error::Model {
            path: file.clone(),
            message: crate::message![
                format!("cannot read the model pack ({e}); pass the directory written by "),
                crate::error::Setting::ModelOut,
            ],
        })?;
        Self::from_json(&text).map_err(|message| Error::Model {
            path: file,
            message: message.into(),
        })
    }

    /// Parses a pack from its JSON text and checks it: every reference resolves and
    /// every number is usable, or the error names the place (a line and column of the
    /// file for what does not parse, a path inside the pack for what does not check).
    pub fn from_json(text: &str) -> std::result::Result<ModelPack, String> {
        let header: serde_json::Value =
            serde_json::from_str(text).map_err(|e| format!("not a model pack: {e}"))?;
        match header
            .get("format_version")
            .and_then(serde_json::Value::as_u64)
        {
            Some(v) if v == u64::from(FORMAT_VERSION) => {}
            Some(v) => {
                let trained_by = header
                    .pointer("/provenance/tool_version")
                    .and_then(serde_json::Value::as_str)
                    .map_or("another version".to_string(), |t| format!("bank_synth {t}"));
                return Err(format!(
                    "the pack was trained by {trained_by} (pack format {v}); this is bank_synth {}, which reads format {FORMAT_VERSION}: retrain the pack with this version",
                    crate::TOOL_VERSION
                ));
            }
            None => return Err("not a model pack: no `format_version`".into()),
        }
        drop(header);
        let pack: ModelPack = serde_json::from_str(text)
            .map_err(|e| format!("damaged model pack: {e}; retrain it, or undo the edit"))?;
        validate::validate(&pack)
            .map_err(|e| format!("damaged model pack: {e}; retrain it, or undo the edit"))?;
        Ok(pack)
    }

    /// The table named `name` (case-insensitive), or an error listing the tables.
    pub fn table(&self, name: &str) -> Result<&TableModel> {
        let wanted = canonical(name);
        self.tables
            .iter()
            .find(|t| t.name == wanted)
            .ok_or_else(|| {
                let names: Vec<&str> = self.tables.iter().map(|t| t.name.as_str()).collect();
                Error::Usage(
                    format!(
                        "table `{name}` is not in the model pack{}; the pack holds: {}",
                        hint(&wanted, names.iter().copied()),
                        names.join(", ")
                    )
                    .into(),
                )
            })
    }

    /// The relationship called `name`.
    pub fn relationship(&self, name: &str) -> Option<&Relationship> {
        self.relationships.iter().find(|r| r.name == name)
    }
}

/// A one-way digest of a restricted column's name (upper-case table and column), kept in
/// the pack instead of the name.
pub fn restricted_digest(table: &str, column: &str) -> String {
    format!(
        "{:016x}",
        crate::rng::hash64(0x7265_7374_7269_6374, &["restricted", table, column])
    )
}

impl TableModel {
    /// True when `column` (canonical) was in the samples but dropped as `restricted`.
    pub fn was_restricted(&self, column: &str) -> bool {
        let digest = restricted_digest(&self.name, column);
        self.restricted_columns.contains(&digest)
    }

    /// The column called `name` (canonical).
    pub fn column(&self, name: &str) -> Option<&ColumnModel> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// The position of column `name` (canonical).
    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(json: &str) -> Rule {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn a_rule_reads_one_further_condition_as_older_packs_wrote_it_or_a_list() {
        let old = rule(
            r#"{"kind":"presence","column":"MCC","on":{"column":"CHANNEL"},"also":{"column":"TXN_TYPE"}}"#,
        );
        assert_eq!(old.id(), "presence:MCC:CHANNEL+TXN_TYPE");
        let three = rule(
            r#"{"kind":"sign","column":"AMOUNT","on":{"column":"TYPE"},"also":[{"column":"CHANNEL"},{"parent":true,"column":"SEGMENT"}]}"#,
        );
        assert_eq!(three.id(), "sign:AMOUNT:TYPE+CHANNEL+parent.SEGMENT");
        assert_eq!(
            three.describe(),
            "the sign of AMOUNT follows TYPE, CHANNEL and parent.SEGMENT"
        );
        let none = rule(r#"{"kind":"presence","column":"MCC","on":{"column":"CHANNEL"}}"#);
        assert!(none.also.is_empty());
        // Written back as a list, and read again the same.
        let written = serde_json::to_string(&old).unwrap();
        assert!(
            written.contains(r#""also":[{"column":"TXN_TYPE"}]"#),
            "{written}"
        );
        assert_eq!(rule(&written), old);
        // A dependency (an internally tagged enum, read another way) too.
        let given: Dependency = serde_json::from_str(
            r#"{"kind":"given","on":{"column":"TYPE"},"cases":[],"also":{"parent":true,"column":"SEGMENT"}}"#,
        )
        .unwrap();
        let Dependency::Given { also, .. } = given else {
            panic!("a given dependency: {given:?}");
        };
        assert_eq!(
            also,
            [ColumnRef {
                parent: true,
                column: "SEGMENT".into()
            }]
        );
    }

    #[test]
    fn a_refined_case_is_found_by_the_combination_of_its_conditions() {
        let case = |value: &str, null_rate| Case {
            value: value.to_string(),
            null_rate,
            generator: Generator::Boolean { p_true: 0.5 },
        };
        let column = |name: &str| ColumnRef {
            parent: false,
            column: name.to_string(),
        };
        let dependency = Dependency::Given {
            on: column("A"),
            cases: vec![case("x", 0.5)],
            also: vec![column("B"), column("C")],
            refined: vec![case(&combination_key(["x", "y", "z"]), 1.0)],
        };
        let key = combination_key(["y", "z"]);
        assert_eq!(dependency.case("x", Some(&key)).unwrap().null_rate, 1.0);
        assert_eq!(dependency.case("x", Some("y")).unwrap().null_rate, 0.5);
        // A combination without a case of its own backs off to its longest prefix.
        let backoff = Dependency::Given {
            on: column("A"),
            cases: vec![case("x", 0.5)],
            also: vec![column("B"), column("C")],
            refined: vec![case(&combination_key(["x", "y"]), 0.25)],
        };
        assert_eq!(backoff.case("x", Some(&key)).unwrap().null_rate, 0.25);
        assert_eq!(backoff.case("x", Some("v")).unwrap().null_rate, 0.5);
        assert!(dependency.case("w", Some(&key)).is_none());
    }
}
