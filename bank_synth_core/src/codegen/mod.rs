//! Typed fixture code from a model pack, for a build script or `bank_synth codegen`.
//!
//! The generated module holds one struct per table (restricted columns absent), key
//! newtypes that foreign keys reuse (`AccountId` where an account is referenced), an
//! enum per categorical column, a `Dataset` with lookups along every foreign key, and
//! `Fixtures` entry points that mirror `bank_synth generate`. The pack is embedded with
//! `include_str!`, so tests read no files at run time, and the code needs only
//! `bank_synth_core` with default features.
//!
//! In a downstream crate's `build.rs` (`bank_synth_core` as a build-dependency with the
//! `codegen` feature):
//!
//! ```no_run
//! bank_synth_core::codegen::Builder::new("models/CORE_modelpack")
//!     .module_name("core_fixtures")
//!     .write_to_out_dir()
//!     .unwrap();
//! ```
//!
//! and in its `src/lib.rs`: `include!(concat!(env!("OUT_DIR"), "/core_fixtures.rs"));`,
//! which declares `pub mod core_fixtures`. A file to check in instead
//! ([`Builder::module_file`], what `bank_synth codegen --out src/core_fixtures.rs`
//! writes) is the module's own file: declare it with `mod core_fixtures;`.

mod emit;
mod names;
mod shape;

pub use emit::Layout;

use crate::error::{Error, Result};
use crate::model::{ModelPack, PACK_FILE, pack_file};
use std::path::{Path, PathBuf};

/// Writes typed fixture code for one model pack.
#[derive(Debug, Clone)]
pub struct Builder {
    pack: PathBuf,
    module: String,
    layout: Layout,
}

/// The code for a pack: the Rust source and the pack JSON it embeds.
#[derive(Debug, Clone, PartialEq)]
pub struct Generated {
    /// The module's file name (`core_fixtures.rs`).
    pub file_name: String,
    /// Formatted Rust source, starting with an `@generated` header.
    pub code: String,
    /// The file the code embeds with `include_str!`, beside it.
    pub pack_file_name: String,
    /// The pack as compact JSON.
    pub pack_json: String,
}

impl Builder {
    /// Code for the pack in directory `pack` (or its `modelpack.json`), in a module
    /// named after the directory unless [`Builder::module_name`] says otherwise.
    pub fn new(pack: impl AsRef<Path>) -> Builder {
        let pack = pack.as_ref().to_path_buf();
        let stem = pack
            .file_name()
            .and_then(|n| n.to_str())
            .filter(|n| *n != PACK_FILE)
            .unwrap_or("fixtures");
        let module = names::snake(stem).trim_start_matches("r#").to_string();
        Builder {
            pack,
            module,
            layout: Layout::Included,
        }
    }

    /// The generated module's name (and file stem), e.g. `core_fixtures`.
    pub fn module_name(mut self, name: impl Into<String>) -> Builder {
        self.module = name.into();
        self
    }

    /// Writes the module's own file (for `mod <module>;`) instead of a module to
    /// `include!`.
    pub fn module_file(mut self) -> Builder {
        self.layout = Layout::ModuleFile;
        self
    }

    /// Reads the pack and generates the code, without writing anything.
    pub fn generate(&self) -> Result<Generated> {
        if syn::parse_str::<syn::Ident>(&self.module).is_err() {
            return Err(Error::Usage(
                format!(
                    "`{}` is not a Rust module name; name the module e.g. `core_fixtures`",
                    self.module
                )
                .into(),
            ));
        }
        let pack = ModelPack::load(&self.pack)?;
        generate(&pack, &self.module, self.layout)
    }

    /// Writes `<module>.rs` and the embedded pack into `$OUT_DIR` (from a build script),
    /// tells cargo to rerun when the pack changes, and returns the file's path.
    pub fn write_to_out_dir(&self) -> Result<PathBuf> {
        let out_dir = std::env::var_os("OUT_DIR").ok_or_else(|| {
            Error::Codegen(
                "OUT_DIR is not set: call write_to_out_dir from a build script, or use write_to"
                    .into(),
            )
        })?;
        println!("cargo:rerun-if-changed={}", pack_file(&self.pack).display());
        self.write_to(&Path::new(&out_dir).join(format!("{}.rs", self.module)))
    }

    /// Writes the code to `file` and the embedded pack beside it, each only when its
    /// content changed (so dependants do not rebuild needlessly).
    pub fn write_to(&self, file: &Path) -> Result<PathBuf> {
        let generated = self.generate()?;
        let dir = file.parent().unwrap_or(Path::new("."));
        write_if_changed(&dir.join(&generated.pack_file_name), &generated.pack_json)?;
        write_if_changed(file, &generated.code)?;
        Ok(file.to_path_buf())
    }
}

fn write_if_changed(path: &Path, content: &str) -> Result<()> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == content) {
        return Ok(());
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, content).map_err(|e| Error::io(&tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| Error::io(path, e))
}

/// The code of module `module` for `pack`, laid out as `layout` says.
pub fn generate(pack: &ModelPack, module: &str, layout: Layout) -> Result<Generated> {
    let shape = shape::Shape::of(pack)?;
    let pack_file_name = format!("{module}.modelpack.json");
    let header = format!(
        "Typed fixtures for model pack `{}` ({} tables), generated by bank_synth {}.\n\n\
         Build rows with `Fixtures::seeded(seed).target(Table::…, rows).build()`; the\n\
         model pack is embedded from `{pack_file_name}`.",
        pack.schema,
        pack.tables.len(),
        crate::TOOL_VERSION,
    );
    let tokens = emit::module(&shape, module, &header, &pack_file_name, layout);
    let internal = |why: &str| {
        Error::Codegen(format!(
            "internal error, the generated code is wrong: {why}"
        ))
    };
    let file: syn::File = syn::parse2(tokens).map_err(|e| internal(&e.to_string()))?;
    let digests: Vec<String> = pack
        .provenance
        .config_digests
        .iter()
        .map(|(k, v)| format!("{k} {}", &v[..v.len().min(16)]))
        .collect();
    let code = format!(
        "// @generated by bank_synth {} (`bank_synth codegen`). Do not edit: regenerate it.\n\
         // Model pack: schema {}, source {}, configs: {}.\n\n{}",
        crate::TOOL_VERSION,
        pack.schema,
        pack.provenance.source,
        if digests.is_empty() {
            "none".to_string()
        } else {
            digests.join(", ")
        },
        emit::categoricals(&prettyplease::unparse(&file), &shape)
            .ok_or_else(|| internal("a categorical enum found no place"))?
    );
    syn::parse_file(&code).map_err(|e| internal(&e.to_string()))?;
    Ok(Generated {
        file_name: format!("{module}.rs"),
        code,
        pack_file_name,
        pack_json: serde_json::to_string(pack).expect("model packs serialize"),
    })
}
