#!/usr/bin/env bash
# Builds bank_synth, trains a model pack on the committed sample bank and generates a
# run from it: models/CORE_modelpack and output/<run_id>/ (Hive + Oracle + reports).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked -p bank_synth_cli
bin=./target/release/bank_synth
"$bin" train \
  --source samples \
  --schema CORE \
  --sample_dir ./samples \
  --tables_file configs/tables.yaml \
  --relationships configs/relationships.yaml \
  --privacy_policy configs/privacy.yaml \
  --model_out models/CORE_modelpack
"$bin" generate \
  --model models/CORE_modelpack \
  --target_table TRANSACTIONS \
  --target_rows 10000 \
  --seed 42 \
  --output_dir output
"$bin" info --model models/CORE_modelpack | head -40
