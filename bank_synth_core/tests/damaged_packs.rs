//! Damaged model packs: a pack is input, carried between environments and edited by
//! hand. Every damage to a real pack — a field removed, a wrong type, a dangling
//! reference, an impossible number, a list cut short or grown — is either harmless or an
//! error at load naming where in the pack it is; loading, planning and generating never
//! panic.

use bank_synth_core::ModelPack;
use bank_synth_core::generate::{Engine, Plan, PlanRequest, Shard};
use proptest::prelude::*;
use serde_json::Value as Json;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::OnceLock;

/// The sample bank's pack, as the fixture consumer carries it.
fn base() -> &'static Json {
    static BASE: OnceLock<Json> = OnceLock::new();
    BASE.get_or_init(|| {
        let file = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/fixture_consumer/models/CORE_modelpack/modelpack.json"
        );
        serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap()
    })
}

/// One step into a JSON value.
#[derive(Debug, Clone)]
enum Step {
    Key(String),
    Index(usize),
}

/// A path down `value` chosen by `choices`: at each level a child by the next choice,
/// stopping at a leaf or when a choice says so (one in four), so every family of fields
/// is as likely as the long lists of numbers.
fn walk(value: &Json, choices: &[u64]) -> Vec<Step> {
    let mut path = Vec::new();
    let mut here = value;
    for (depth, &c) in choices.iter().enumerate() {
        let (step, next) = match here {
            Json::Object(map) if !map.is_empty() => {
                let (k, v) = map.iter().nth(c as usize % map.len()).expect("in range");
                (Step::Key(k.clone()), v)
            }
            Json::Array(items) if !items.is_empty() => {
                let i = c as usize % items.len();
                (Step::Index(i), &items[i])
            }
            _ => break,
        };
        path.push(step);
        here = next;
        if depth > 0 && (c >> 32) % 4 == 0 {
            break;
        }
    }
    path
}

/// What is done to the value at a path.
#[derive(Debug, Clone, Copy)]
enum Damage {
    Remove,
    Null,
    Text,
    Negative,
    Zero,
    Huge,
    Tiny,
    EmptyList,
    EmptyObject,
    /// A name no table or column has.
    Dangling,
    /// A list one shorter, or one longer (its last item again).
    Shorter,
    Longer,
    True,
    /// Another relationship role (a self-reference).
    Role,
    /// A decimal type no database has.
    Decimal,
}

fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        Just(Damage::Remove),
        Just(Damage::Null),
        Just(Damage::Text),
        Just(Damage::Negative),
        Just(Damage::Zero),
        Just(Damage::Huge),
        Just(Damage::Tiny),
        Just(Damage::EmptyList),
        Just(Damage::EmptyObject),
        Just(Damage::Dangling),
        Just(Damage::Shorter),
        Just(Damage::Longer),
        Just(Damage::True),
        Just(Damage::Role),
        Just(Damage::Decimal),
    ]
}

/// `pack` with `damage` done at `path`.
fn damaged(mut pack: Json, path: &[Step], damage: Damage) -> Json {
    let (last, parents) = path.split_last().expect("not the root");
    let mut parent = &mut pack;
    for step in parents {
        parent = match step {
            Step::Key(k) => &mut parent[k.as_str()],
            Step::Index(i) => &mut parent[*i],
        };
    }
    if let Damage::Remove = damage {
        match (last, parent) {
            (Step::Key(k), Json::Object(map)) => {
                map.remove(k);
            }
            (Step::Index(i), Json::Array(items)) => {
                items.remove(*i);
            }
            _ => unreachable!("paths follow the value"),
        }
        return pack;
    }
    let target = match last {
        Step::Key(k) => &mut parent[k.as_str()],
        Step::Index(i) => &mut parent[*i],
    };
    *target = match damage {
        Damage::Remove => unreachable!("handled above"),
        Damage::Null => Json::Null,
        Damage::Text => Json::from("x"),
        Damage::Negative => Json::from(-3),
        Damage::Zero => Json::from(0),
        Damage::Huge => Json::from(1e300),
        Damage::Tiny => Json::from(-1e300),
        Damage::EmptyList => Json::Array(Vec::new()),
        Damage::EmptyObject => Json::Object(Default::default()),
        Damage::Dangling => Json::from("NO_SUCH_NAME"),
        Damage::True => Json::from(true),
        Damage::Role => Json::from("self_reference"),
        Damage::Decimal => serde_json::json!({"kind": "decimal", "precision": 40, "scale": 200}),
        Damage::Shorter | Damage::Longer => match target.take() {
            Json::Array(mut items) => {
                if matches!(damage, Damage::Shorter) {
                    items.pop();
                } else if let Some(last) = items.last().cloned() {
                    items.push(last);
                }
                Json::Array(items)
            }
            other => other,
        },
    };
    pack
}

/// Writes the run of `plan` with the real writers, manifest and quality report (the
/// `io` feature), as `bank_synth generate` would: an error is fine, a panic is not.
/// True when the run was written (never without `io`).
#[cfg(feature = "io")]
fn write_run(text: &str, pack: &ModelPack, plan: &Plan) -> bool {
    use bank_synth_core::output::{self, Formats, RunOptions};
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("pack");
    std::fs::create_dir_all(&model).unwrap();
    std::fs::write(model.join("modelpack.json"), text).unwrap();
    let options = RunOptions {
        output_dir: dir.path().join("runs"),
        run_id: "r".into(),
        formats: Formats {
            hive: true,
            oracle: true,
        },
        hive_location: None,
        threads: 1,
        chunk_rows: 64,
        shard: Shard::WHOLE,
        parquet: Default::default(),
    };
    output::write_run(pack, &model, plan, &options, &output::Silent).is_ok()
}

#[cfg(not(feature = "io"))]
fn write_run(_: &str, _: &ModelPack, _: &Plan) -> bool {
    false
}

/// Loads `text`, generates its fixture code (with the `codegen` feature), then plans
/// and generates a few rows of every table the pack holds, with and without children,
/// and (with `io`) writes each target's run as the CLI would, counting the runs
/// written. `Err` is the load's message (or the code generator's); a plan or an
/// engine that refuses a request is skipped, as the CLI would report it.
fn exercise(text: &str) -> Result<usize, String> {
    let mut written = 0;
    let pack = ModelPack::from_json(text)?;
    #[cfg(feature = "codegen")]
    bank_synth_core::codegen::generate(
        &pack,
        "core_fixtures",
        bank_synth_core::codegen::Layout::Included,
    )
    .map_err(|e| e.to_string())?;
    for table in &pack.tables {
        for include_children in [false, true] {
            let request = PlanRequest {
                target_table: table.name.clone(),
                // At most the 30 rows of the sample bank's replayed BRANCHES.
                target_rows: 20,
                include_children,
                table_rows: Default::default(),
                parent_scale: 1.0,
                seed: 3,
            };
            let Ok(plan) = Plan::new(&pack, &request) else {
                continue;
            };
            let Ok(engine) = Engine::new(&pack, &plan) else {
                continue;
            };
            for t in 0..engine.table_count() {
                let rows = engine.rows(t).min(200);
                let _ = engine.rows_range(t, 0, rows);
            }
            if !include_children {
                written += usize::from(write_run(text, &pack, &plan));
            }
        }
    }
    Ok(written)
}

#[test]
fn the_undamaged_pack_loads_and_generates() {
    let written = exercise(&base().to_string()).unwrap();
    if cfg!(feature = "io") {
        assert_eq!(written, 7, "one run per table of the sample bank");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn no_damage_makes_a_panic(
        picks in prop::collection::vec((prop::collection::vec(any::<u64>(), 12), damage()), 1..3),
    ) {
        let mut pack = base().clone();
        let mut done = Vec::new();
        for (choices, damage) in picks {
            let path = walk(&pack, &choices);
            if path.is_empty() {
                continue;
            }
            done.push(format!("{damage:?} at {path:?}"));
            pack = damaged(pack, &path, damage);
        }
        let text = pack.to_string();
        let outcome = catch_unwind(AssertUnwindSafe(|| exercise(&text)));
        prop_assert!(outcome.is_ok(), "a panic after {done:?}");
    }
}

/// The pack's first table with a field `key`, and its index.
fn table_with(pack: &Json, key: &str) -> usize {
    pack["tables"]
        .as_array()
        .unwrap()
        .iter()
        .position(|t| !t[key].is_null())
        .unwrap_or_else(|| panic!("a table with {key}"))
}

/// The place of a numeric generator's quantiles: (table, column).
fn numeric_column(pack: &Json) -> (usize, usize) {
    for (t, table) in pack["tables"].as_array().unwrap().iter().enumerate() {
        for (c, column) in table["columns"].as_array().unwrap().iter().enumerate() {
            if column["generator"]["kind"] == "numeric" {
                return (t, c);
            }
        }
    }
    panic!("a numeric column")
}

/// A hand-made corpus, one damage per family of fields: each is an error, and the
/// error names the place (a line of the file, or a path inside the pack).
#[test]
fn each_damage_of_the_corpus_is_an_error_naming_its_place() {
    type Edit = Box<dyn Fn(&mut Json)>;
    let pack = base();
    let rules = table_with(pack, "rules");
    let copula = table_with(pack, "copula");
    let (nt, nc) = numeric_column(pack);
    let fk = pack["relationships"][0]["child_table"]
        .as_str()
        .unwrap()
        .to_string();
    let fk_table = pack["tables"]
        .as_array()
        .unwrap()
        .iter()
        .position(|t| t["name"] == fk.as_str())
        .unwrap();
    let fk_column = pack["tables"][fk_table]["columns"]
        .as_array()
        .unwrap()
        .iter()
        .position(|c| c["generator"]["kind"] == "foreign_key")
        .unwrap();
    let cases: Vec<(&str, Edit, &[&str])> = vec![
        (
            "a wrong type",
            Box::new(|p| p["tables"][0]["sample_rows"] = Json::from("many")),
            &["invalid type", "at line"],
        ),
        (
            "an unknown field",
            Box::new(|p| p["tables"][0]["colour"] = Json::from(1)),
            &["unknown field `colour`", "at line"],
        ),
        (
            "a missing field",
            Box::new(|p| {
                p["relationships"][0]
                    .as_object_mut()
                    .unwrap()
                    .remove("fanout");
            }),
            &["missing field `fanout`"],
        ),
        (
            "a dangling table",
            Box::new(|p| p["relationships"][0]["parent_table"] = Json::from("NOPE")),
            &["relationships[0]", "no table NOPE"],
        ),
        (
            "a dangling rule column",
            Box::new(move |p| p["tables"][rules]["rules"][0]["column"] = Json::from("NOPE")),
            &["rules[0]", "no column NOPE"],
        ),
        (
            "a dangling foreign key",
            Box::new(move |p| {
                p["tables"][fk_table]["columns"][fk_column]["generator"]["relationship"] =
                    Json::from("fk_nope")
            }),
            &["generator › relationship", "fk_nope"],
        ),
        (
            "a share above 1",
            Box::new(|p| p["relationships"][0]["null_rate"] = Json::from(1e300)),
            &["relationships[0]", "null_rate"],
        ),
        (
            "points out of order",
            Box::new(move |p| {
                let points =
                    &mut p["tables"][nt]["columns"][nc]["generator"]["quantiles"]["points"];
                points.as_array_mut().unwrap().reverse();
            }),
            &["quantiles", "not in order"],
        ),
        (
            "a point out of range",
            Box::new(move |p| {
                p["tables"][nt]["columns"][nc]["generator"]["quantiles"]["points"][0] =
                    Json::from(-1e300);
            }),
            &["quantiles", "out of range"],
        ),
        (
            "a short matrix",
            Box::new(move |p| {
                p["tables"][copula]["copula"]["cholesky"]
                    .as_array_mut()
                    .unwrap()
                    .pop();
            }),
            &["copula › cholesky"],
        ),
        (
            "a huge fan-out",
            Box::new(|p| {
                p["relationships"][0]["fanout"]["items"][0][0] = Json::from(4_000_000_000u64)
            }),
            &["fanout", "children per parent"],
        ),
        (
            "no values",
            Box::new(|p| p["relationships"][0]["fanout"]["items"] = Json::Array(Vec::new())),
            &["fanout", "no values"],
        ),
        (
            "an unknown provider",
            Box::new(|p| {
                for t in p["tables"].as_array_mut().unwrap() {
                    for c in t["columns"].as_array_mut().unwrap() {
                        if c["generator"]["kind"] == "faker" {
                            c["generator"]["provider"] = Json::from("telepathy");
                            return;
                        }
                    }
                }
            }),
            // A provider is a serde enum: the parse names the value, the known ones
            // and the line.
            &["unknown variant `telepathy`", "first_name", "at line"],
        ),
        (
            "a self-reference between two tables",
            Box::new(|p| p["relationships"][0]["role"] = Json::from("self_reference")),
            &["relationships[0]", "role"],
        ),
        (
            "a decimal no database has",
            Box::new(move |p| {
                p["tables"][nt]["columns"][nc]["logical_type"] =
                    serde_json::json!({"kind": "decimal", "precision": 18, "scale": 200});
            }),
            &["logical_type", "decimal(18,200)"],
        ),
        (
            "a foreign key to a column that is no key",
            Box::new(|p| {
                let parent = p["relationships"][0]["parent_table"].clone();
                let table = p["tables"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .position(|t| t["name"] == parent)
                    .unwrap();
                let key = p["relationships"][0]["parent_columns"][0].clone();
                for c in p["tables"][table]["columns"].as_array_mut().unwrap() {
                    if c["name"] == key {
                        c["generator"] = serde_json::json!({"kind": "boolean", "p_true": 0.5});
                    }
                }
                p["tables"][table]["reference_rows"] = Json::Null;
            }),
            &["relationships[0]", "is no key"],
        ),
        (
            "another format version",
            Box::new(|p| {
                p["format_version"] = Json::from(3);
                p["provenance"]["tool_version"] = Json::from("9.9.9");
            }),
            &["trained by bank_synth 9.9.9", "reads format 2"],
        ),
    ];
    for (what, edit, expected) in cases {
        let mut damaged = pack.clone();
        edit(&mut damaged);
        let text = serde_json::to_string_pretty(&damaged).unwrap();
        let error = ModelPack::from_json(&text).expect_err(what);
        for e in expected {
            assert!(error.contains(e), "{what}: `{e}` in: {error}");
        }
    }
    // A file cut short, and a number JSON cannot hold.
    let text = serde_json::to_string_pretty(pack).unwrap();
    let error = ModelPack::from_json(&text[..text.len() / 2]).unwrap_err();
    assert!(error.contains("at line"), "{error}");
    let huge = text.replacen("\"null_rate\": 0.0", "\"null_rate\": 1e999", 1);
    assert_ne!(huge, text);
    let error = ModelPack::from_json(&huge).unwrap_err();
    assert!(error.contains("at line"), "{error}");
}
