//! The library's modules in the order of the data flow — the model, the engine and
//! fixtures, code generation, training, then the writers and reports — and the arrows
//! between them point one way: each module uses only modules before it. A use of a
//! later module (a back-edge such as training reaching into the writers) fails here.

use std::collections::BTreeSet;
use std::path::Path;

/// Every top-level module, each after all the modules it may use.
const ORDER: &[&str] = &[
    // The model: what a pack holds and what codegen and the derive need.
    "error", "rng", "keys", "value", "format", "privacy", "faker", "fit", "stats", "model",
    // The engine: plans, rows, typed fixtures.
    "schema", "generate", "fixtures", // Typed code from a pack.
    "codegen",  // Training: configuration, sources, inference and fitting.
    "config", "source", "digest", "train",
    // I/O: writers, manifests, quality and evaluation reports.
    "quality", "output", "evaluate",
];

/// Exported macros, by the module that defines them.
const MACROS: &[(&str, &str)] = &[
    ("message", "error"),
    ("categorical", "fixtures"),
    ("key_newtype", "fixtures"),
];

/// The top-level module a source file belongs to: `generate/engine.rs` → `generate`.
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap();
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_string()
}

/// The first path segments after `crate::`: `model` in `crate::model::X`, `a` and `b`
/// in `crate::{a::X, b}`.
fn segments(rest: &str) -> Vec<String> {
    let ident = |s: &str| {
        let s = s.trim_start();
        let end = s
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(s.len());
        s[..end].to_string()
    };
    match rest.strip_prefix('{') {
        Some(group) => {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            group.split(',').map(ident).collect()
        }
        None => vec![ident(rest)],
    }
}

/// The top-level modules `code` names as `crate::<module>`.
fn uses(code: &str) -> BTreeSet<String> {
    code.match_indices("crate::")
        .flat_map(|(i, m)| segments(&code[i + m.len()..]))
        .map(|name| {
            MACROS
                .iter()
                .find(|(mac, _)| *mac == name)
                .map_or(name, |(_, module)| module.to_string())
        })
        .filter(|name| !name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        .collect()
}

fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn each_module_uses_only_the_modules_before_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let rank = |m: &str| ORDER.iter().position(|o| *o == m);
    let mut all = Vec::new();
    files(&src, &mut all);
    let mut back_edges = Vec::new();
    for file in all {
        let module = module_of(&src, &file);
        if module == "lib" {
            continue;
        }
        let Some(own) = rank(&module) else {
            panic!("{} is in no layer: add `{module}` to ORDER", file.display());
        };
        let code = std::fs::read_to_string(&file).unwrap();
        for used in uses(&code) {
            match rank(&used) {
                Some(r) if r > own => {
                    back_edges.push(format!("{} uses {used}", file.display()));
                }
                Some(_) => {}
                None => panic!(
                    "{} names crate::{used}, which is in no layer",
                    file.display()
                ),
            }
        }
    }
    assert!(
        back_edges.is_empty(),
        "modules reaching forward in the data flow:\n{}",
        back_edges.join("\n")
    );
}

#[test]
fn the_scan_sees_uses_and_macros() {
    let found = uses(
        "use crate::model::ModelPack; crate::message![x]; crate::TOOL_VERSION;\n\
         pub use crate::{categorical, rng::Streams};",
    );
    assert_eq!(
        found.into_iter().collect::<Vec<_>>(),
        ["error", "fixtures", "model", "rng"],
        "TOOL_VERSION is no module; grouped imports count"
    );
}
