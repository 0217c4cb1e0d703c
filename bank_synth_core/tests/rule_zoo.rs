//! The rule zoo: random tables with planted rules of every shape training knows —
//! presence and sign decided by two categories together and by three, one-way
//! implications, order
//! with a minimum gap, values that rise with the key, near-functional categories, keys
//! embedded in text — each learned and kept on every generated row; and a table with
//! nothing planted, or children alike only within each parent, gets no rule. (Shapes across tables are in `structure.rs`.)

mod common;

use bank_synth_core::model::{Rule, RuleKind};
use bank_synth_core::train::{TrainInputs, train};
use bank_synth_core::value::{Value, format_date};
use proptest::prelude::*;
use std::fmt::Write;
use std::path::Path;

const KINDS: [&str; 3] = ["RED", "GREEN", "BLUE"];
const SIDES: [&str; 2] = ["IN", "OUT"];
const TIERS: [&str; 2] = ["GOLD", "BASIC"];

/// What is planted in table T.
#[derive(Debug, Clone)]
struct Zoo {
    /// V is set exactly for these (KIND, SIDE) combinations.
    present: [[bool; 2]; 3],
    /// S is negative exactly for these combinations.
    negative: [[bool; 2]; 3],
    /// X is set for the (KIND, SIDE) combinations of `present`, except in `split`,
    /// where it is set exactly for one TIER: three categories decide it.
    split: (usize, usize, usize),
    /// END_DATE ≥ START_DATE + gap days.
    gap: i32,
    /// GRADE is the KIND's grade in all but one row in `noise`.
    noise: usize,
    /// Per row: KIND, SIDE, START_DATE, extra days, a uniform, an amount, TIER.
    rows: Vec<(usize, usize, i32, i32, f64, f64, usize)>,
}

impl Zoo {
    /// Is X set for this combination?
    fn x_set(&self, kind: usize, side: usize, tier: usize) -> bool {
        let (k, s, t) = self.split;
        if (kind, side) == (k, s) {
            tier == t
        } else {
            self.present[kind][side]
        }
    }
}

/// A combination table that neither category decides alone, and that is not constant.
fn two_way() -> impl Strategy<Value = [[bool; 2]; 3]> {
    any::<[[bool; 2]; 3]>().prop_filter("needs both categories", |t| {
        let by_kind = (0..3).all(|k| t[k][0] == t[k][1]);
        let by_side = (0..2).all(|s| t[0][s] == t[1][s] && t[1][s] == t[2][s]);
        !by_kind && !by_side
    })
}

fn zoo() -> impl Strategy<Value = Zoo> {
    (
        two_way(),
        two_way(),
        (0usize..3, 0usize..2, 0usize..2),
        30i32..2_000,
        20usize..60,
        prop::collection::vec(
            (
                0usize..3,
                0usize..2,
                0i32..15_000,
                0i32..3_000,
                0.0f64..1.0,
                1.0f64..900.0,
                0usize..2,
            ),
            600..900,
        ),
    )
        .prop_map(|(present, negative, split, gap, noise, rows)| Zoo {
            present,
            negative,
            split,
            gap,
            noise,
            rows,
        })
        .prop_filter("every combination occurs often", |z| {
            (0..3).all(|k| {
                (0..2).all(|s| {
                    (0..2).all(|t| {
                        z.rows
                            .iter()
                            .filter(|r| r.0 == k && r.1 == s && r.6 == t)
                            .count()
                            >= 12
                    })
                })
            })
        })
        .prop_filter("X needs all three categories", |z| {
            let x = |k, s, t| z.x_set(k, s, t);
            let by_pair = (0..3).all(|k| (0..2).all(|s| x(k, s, 0) == x(k, s, 1)));
            let by_kind_tier = (0..3).all(|k| (0..2).all(|t| x(k, 0, t) == x(k, 1, t)));
            let by_side_tier = (0..2)
                .all(|s| (0..2).all(|t| x(0, s, t) == x(1, s, t) && x(1, s, t) == x(2, s, t)));
            !by_pair && !by_kind_tier && !by_side_tier
        })
}

fn grade(kind: usize) -> &'static str {
    ["A", "B", "C"][kind]
}

/// T: ID (key), KIND, SIDE, TIER, V (presence), S (sign), W (set only for some RED
/// rows), X (presence by three categories), START_DATE, END_DATE (gap), OPENED (rises
/// with ID), GRADE (near-function of KIND).
fn write_zoo(z: &Zoo, dir: &Path) {
    let mut t = String::from("ID,KIND,SIDE,TIER,V,S,W,X,START_DATE,END_DATE,OPENED,GRADE\n");
    let n = z.rows.len();
    for (i, &(kind, side, start, extra, u, amount, tier)) in z.rows.iter().enumerate() {
        let v = if z.present[kind][side] {
            format!("{:.2}", amount / 3.0)
        } else {
            String::new()
        };
        let s = if z.negative[kind][side] {
            -amount
        } else {
            amount
        };
        let w = if kind == 0 && u < 0.5 { "1" } else { "" };
        let x = if z.x_set(kind, side, tier) { "Y" } else { "" };
        let opened = format_date(i as i32 * 20_000 / n as i32 + (u * 5.0) as i32);
        let grade = if i % z.noise == 0 {
            grade((kind + 1) % 3)
        } else {
            grade(kind)
        };
        let _ = writeln!(
            t,
            "{},{},{},{},{v},{s:.2},{w},{x},{},{},{opened},{grade}",
            i + 1,
            KINDS[kind],
            SIDES[side],
            TIERS[tier],
            format_date(start),
            format_date(start + z.gap + extra)
        );
    }
    std::fs::write(dir.join("t.csv"), t).unwrap();
}

fn text(v: &Value) -> &str {
    match v {
        Value::Str(s) => s,
        other => panic!("expected text, got {other:?}"),
    }
}

fn has(rules: &[Rule], kind: RuleKind, column: &str) -> bool {
    rules.iter().any(|r| r.kind == kind && r.column == column)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn every_planted_rule_is_learned_and_kept(z in zoo(), seed in any::<u64>()) {
        let dir = tempfile::tempdir().unwrap();
        write_zoo(&z, dir.path());
        let pack = train(&TrainInputs::samples("ZOO", dir.path())).unwrap();
        let table = pack.table("T").unwrap();
        let rules = &table.rules;
        prop_assert!(has(rules, RuleKind::Presence, "V"), "two-way presence of V: {rules:?}");
        prop_assert!(has(rules, RuleKind::Sign, "S"), "two-way sign of S: {rules:?}");
        prop_assert!(has(rules, RuleKind::Presence, "W"), "one-way presence of W: {rules:?}");
        let x_rule = rules.iter().find(|r| r.kind == RuleKind::Presence && r.column == "X");
        prop_assert!(x_rule.is_some_and(|r| r.also.len() == 2), "three-way presence of X: {rules:?}");
        prop_assert!(
            has(rules, RuleKind::NotBefore, "END_DATE") || has(rules, RuleKind::NotAfter, "START_DATE"),
            "END_DATE ≥ START_DATE + gap: {rules:?}"
        );
        prop_assert!(table.column("OPENED").unwrap().monotone, "OPENED rises with ID");

        common::assert_values_alone_are_the_rows(&pack, "T", 200, seed);
        let col = |name: &str| table.column_index(name).unwrap();
        let rows = &common::generate(&pack, "T", 1_500, false, seed)["T"];
        let (mut agree, mut opened) = (0usize, Vec::new());
        for row in rows {
            let kind = KINDS.iter().position(|k| *k == text(&row[col("KIND")])).unwrap();
            let side = SIDES.iter().position(|s| *s == text(&row[col("SIDE")])).unwrap();
            let tier = TIERS.iter().position(|t| *t == text(&row[col("TIER")])).unwrap();
            prop_assert_eq!(!row[col("X")].is_null(), z.x_set(kind, side, tier), "X for {:?}", row);
            prop_assert_eq!(!row[col("V")].is_null(), z.present[kind][side], "V for {:?}", row);
            let Value::Decimal(s) = row[col("S")] else { panic!("S is a decimal") };
            prop_assert_eq!(s < 0, z.negative[kind][side], "sign of S for {:?}", row);
            if kind != 0 {
                prop_assert!(row[col("W")].is_null(), "W is only ever set for RED: {:?}", row);
            }
            let (Value::Date(start), Value::Date(end)) = (&row[col("START_DATE")], &row[col("END_DATE")]) else {
                panic!("dates")
            };
            prop_assert!(end - start >= z.gap, "gap {} < {}: {:?}", end - start, z.gap, row);
            agree += usize::from(text(&row[col("GRADE")]) == grade(kind));
            let (Value::Int(id), Value::Date(d)) = (&row[col("ID")], &row[col("OPENED")]) else {
                panic!("ID and OPENED")
            };
            opened.push((*id, *d));
        }
        // The near-function keeps its strength: the real share is 1 − 1/noise.
        let real = 1.0 - 1.0 / z.noise as f64;
        let generated = agree as f64 / rows.len() as f64;
        prop_assert!(generated >= real - 0.04, "GRADE follows KIND in {generated:.3} of rows, real {real:.3}");
        opened.sort();
        prop_assert!(opened.windows(2).all(|w| w[0].1 <= w[1].1), "OPENED rises with ID");
    }

    #[test]
    fn a_table_with_nothing_planted_gets_no_rule(
        rows in prop::collection::vec((0usize..3, 0usize..2, 0i32..15_000, 0i32..15_000, 1.0f64..900.0, any::<bool>(), any::<bool>()), 200..600),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let mut t = String::from("ID,KIND,SIDE,D1,D2,AMOUNT,V\n");
        for (i, (kind, side, d1, d2, amount, negative, set)) in rows.iter().enumerate() {
            let amount = if *negative { -amount } else { *amount };
            let v = if *set { "7" } else { "" };
            let _ = writeln!(t, "{},{},{},{},{},{amount:.2},{v}", i + 1, KINDS[*kind], SIDES[*side], format_date(*d1), format_date(*d2));
        }
        std::fs::write(dir.path().join("t.csv"), t).unwrap();
        let pack = train(&TrainInputs::samples("NONE", dir.path())).unwrap();
        let table = pack.table("T").unwrap();
        prop_assert!(table.rules.is_empty(), "spurious rules: {:?}", table.rules);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// Children alike within each parent but at random across parents (whether an
    /// order ships to a region is the customer's): under the parent's category the
    /// rows of one parent are one piece of evidence, not many, so neither that
    /// category nor it with a child's own category makes a rule.
    #[test]
    fn a_parents_children_alike_are_no_rule_of_its_category(
        parents in prop::collection::vec((0usize..8, any::<bool>(), 10usize..30), 8..16),
        kinds in prop::collection::vec(0usize..3, 30 * 16),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let mut p = String::from("PARENT_ID,TITLE\n");
        let mut t = String::from("ID,PARENT_ID,KIND,FLAG\n");
        let mut id = 0;
        for (k, (title, set, children)) in parents.iter().enumerate() {
            let _ = writeln!(p, "{},T{title}", k + 1);
            for _ in 0..*children {
                id += 1;
                let flag = if *set { "Y" } else { "" };
                let _ = writeln!(t, "{id},{},{},{flag}", k + 1, KINDS[kinds[id]]);
            }
        }
        let pack = common::train_files(dir.path(), "CLU", &[
            ("p.csv", &p),
            ("t.csv", &t),
            ("tables.yaml", "table_config:\n  P: {primary_key: [PARENT_ID], reference: false}\n  T: {primary_key: [ID]}\n"),
            ("relationships.yaml", "relationships:\n  - {name: fk_t_p, parent_table: P, parent_columns: [PARENT_ID], child_table: T, child_columns: [PARENT_ID]}\n"),
        ]);
        let rules = &pack.table("T").unwrap().rules;
        prop_assert!(!has(rules, RuleKind::Presence, "FLAG"), "spurious rules: {rules:?}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8, ..ProptestConfig::default() })]

    /// A code that ends with its row's key (zero-padded) and a reference that ends with
    /// the row's foreign key: both learned, both kept on every generated row, and the
    /// code stays unique.
    #[test]
    fn embedded_keys_are_learned_and_kept(
        start in 1u64..5_000_000,
        pad in 0usize..3,
        parents in 5u64..14,
        rows in 30u64..120,
        seed in any::<u64>(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let width = (start + rows).to_string().len() + pad;
        let mut p = String::from("PARENT_ID,KIND\n");
        for k in 1..=parents {
            let _ = writeln!(p, "{k},{}", KINDS[(k % 3) as usize]);
        }
        let mut t = String::from("ID,PARENT_ID,CODE,REF\n");
        for i in 0..rows {
            let id = start + i;
            let parent = 1 + (i * 7919) % parents;
            let noise = (i * 104_729) % 1000;
            // Two REF values per parent at most: REF repeats, so it is not unique.
            let _ = writeln!(t, "{id},{parent},XK{noise:03}{id:0width$},R-{:03}-{parent:06}", noise % 2);
        }
        let pack = common::train_files(dir.path(), "EMB", &[
            ("p.csv", &p),
            ("t.csv", &t),
            ("privacy.yaml", "tables:\n  T:\n    CODE: {level: sensitive}\n    REF: {level: sensitive}\n"),
            ("tables.yaml", "table_config:\n  P: {primary_key: [PARENT_ID], reference: false}\n  T: {primary_key: [ID]}\n"),
            ("relationships.yaml", "relationships:\n  - {name: fk_t_p, parent_table: P, parent_columns: [PARENT_ID], child_table: T, child_columns: [PARENT_ID]}\n"),
        ]);
        let table = pack.table("T").unwrap();
        let code = table.column("CODE").unwrap().embeds.clone().expect("CODE embeds ID");
        prop_assert_eq!((code.column.as_str(), code.width as usize), ("ID", width));
        let reference = table.column("REF").unwrap().embeds.clone().expect("REF embeds PARENT_ID");
        prop_assert_eq!((reference.column.as_str(), reference.width), ("PARENT_ID", 6));

        let generated = &common::generate(&pack, "T", rows * 3, false, seed)["T"];
        let col = |name: &str| table.column_index(name).unwrap();
        let mut codes = std::collections::HashSet::new();
        for row in generated {
            let id = row[col("ID")].render(bank_synth_core::LogicalType::Integer);
            let parent = row[col("PARENT_ID")].render(bank_synth_core::LogicalType::Integer);
            let (c, r) = (text(&row[col("CODE")]), text(&row[col("REF")]));
            prop_assert!(c.ends_with(&format!("{id:0>width$}")), "{c} ends with {id}");
            prop_assert!(r.ends_with(&format!("{parent:0>6}")), "{r} ends with {parent}");
            prop_assert!(codes.insert(c.to_string()), "{c} twice");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8, ..ProptestConfig::default() })]

    /// Card numbers whose first digits follow the card's kind, and account codes whose
    /// letters do: learned from the sample, kept on every generated row, the card
    /// numbers still unique and Luhn-valid.
    #[test]
    fn leading_characters_follow_a_category(
        firsts in prop::array::uniform3(1u32..10),
        rows in 60u64..150,
        seed in any::<u64>(),
    ) {
        prop_assume!(firsts[0] != firsts[1] || firsts[1] != firsts[2]);
        let dir = tempfile::tempdir().unwrap();
        let mut t = String::from("ID,KIND,CARD,CODE\n");
        for i in 0..rows {
            let kind = (i % 3) as usize;
            let body = format!("{}{:014}", firsts[kind], (i * 7_919_113) % 100_000_000_000_000);
            let card = format!("{body}{}", luhn_digit(&body));
            let _ = writeln!(t, "{},{},{card},{}{:04}", i + 1, KINDS[kind], ["RD", "GR", "BL"][kind], (i * 37) % 7);
        }
        let pack = common::train_files(dir.path(), "PRE", &[
            ("t.csv", &t),
            ("privacy.yaml", "tables:\n  T:\n    CARD: {level: sensitive}\n    CODE: {level: sensitive}\n"),
        ]);
        let table = pack.table("T").unwrap();
        prop_assert!(table.column("CARD").unwrap().prefix_by.is_some(), "{:?}", table.column("CARD"));
        prop_assert!(table.column("CODE").unwrap().prefix_by.is_some(), "{:?}", table.column("CODE"));

        let generated = &common::generate(&pack, "T", rows * 4, false, seed)["T"];
        let col = |name: &str| table.column_index(name).unwrap();
        let mut cards = std::collections::HashSet::new();
        for row in generated {
            let kind = KINDS.iter().position(|k| *k == text(&row[col("KIND")])).unwrap();
            let (card, code) = (text(&row[col("CARD")]), text(&row[col("CODE")]));
            prop_assert!(card.starts_with(&firsts[kind].to_string()), "{card} for {}", KINDS[kind]);
            prop_assert_eq!(luhn_digit(&card[..card.len() - 1]), card.chars().last().unwrap());
            prop_assert!(code.starts_with(["RD", "GR", "BL"][kind]), "{code} for {}", KINDS[kind]);
            prop_assert!(cards.insert(card.to_string()), "{card} twice");
        }
    }
}

/// The Luhn check digit of `body`.
fn luhn_digit(body: &str) -> char {
    let sum: u32 = body
        .chars()
        .rev()
        .enumerate()
        .map(|(i, c)| {
            let d = c.to_digit(10).unwrap();
            if i % 2 == 0 {
                if d * 2 > 9 { d * 2 - 9 } else { d * 2 }
            } else {
                d
            }
        })
        .sum();
    char::from_digit((10 - sum % 10) % 10, 10).unwrap()
}
