#!/usr/bin/env bash
# Benchmark: train on the committed samples, then generate ROWS transactions (default
# 1,000,000) with their parents to Hive + Oracle; prints seconds, rows/s and peak RSS.
# Then the per-stage throughput (engine, Parquet writer, CSV writer, checks), typed
# fixture generation and the clean build time of a fixture-only crate.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
cargo build --release --locked -p bank_synth_cli >/dev/null 2>&1
bin=./target/release/bank_synth
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

measure() { # label, command...
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" >"$work/stdout"
  read -r secs rss <"$work/time"
  echo "$label: ${secs}s, peak RSS $((rss / 1024)) MiB"
}

measure "train (7 tables, $(cat samples/*.csv | wc -l) sample rows)" \
  "$bin" train --source samples --schema CORE --sample_dir samples \
  --tables_file configs/tables.yaml --relationships configs/relationships.yaml \
  --privacy_policy configs/privacy.yaml --model_out "$work/pack"
measure "generate TRANSACTIONS=$rows + parents, hive+oracle" \
  "$bin" generate --model "$work/pack" --target_table TRANSACTIONS --target_rows "$rows" \
  --output_dir "$work/runs" --run_id bench
total=$(grep -oE "generated [0-9,]+ rows" "$work/stdout" | tr -d , | grep -oE '[0-9]+')
echo "  $total rows in all = $(awk -v r="$total" -v s="$secs" 'BEGIN { printf "%.0f", r / s }') rows/s; output $(du -sh "$work/runs/bench" | cut -f1)"
echo "per stage, one thread:"
cargo bench --locked -p bank_synth_core --features io --bench stages -- "$rows" 2>/dev/null | grep -E "rows/s"
echo "typed fixtures (tests/fixture_consumer):"
cargo bench --locked -p fixture_consumer --bench typed -- "$rows" 2>/dev/null | grep "typed fixtures"
# A fixture-only crate builds no arrow/parquet: time its clean debug build.
/usr/bin/time -f "%e" -o "$work/clean_time" \
  env CARGO_TARGET_DIR="$work/clean_target" cargo build --locked -p fixture_consumer >/dev/null 2>&1
echo "clean debug build of the consumer crate (all dependencies): $(cat "$work/clean_time")s"
