fn main() {
    bank_synth_core::codegen::Builder::new("models/CORE_modelpack")
        .module_name("core_fixtures")
        .write_to_out_dir()
        .unwrap();
}
