#!/usr/bin/env bash
# Benchmark training: the sample bank at 1× (the committed samples) and 10× (generated
# with `bank_synth samples --scale 10`), and each public database of shared/datasets
# with its configs in tests/datasets/<name>/; prints wall seconds and peak RSS. Then the
# per-column fit time on columns of extreme scale and tiny spread beside an ordinary one.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked -p bank_synth_cli >/dev/null 2>&1
bin=./target/release/bank_synth
datasets=${DATASETS:-../shared/datasets}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

measure() { # label, command...
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>"$work/stderr" || {
    echo "$label: FAILED"; cat "$work/stderr"; return 1; }
  read -r secs rss <"$work/time"
  echo "$label: ${secs}s, peak RSS $((rss / 1024)) MiB"
}

train() { # label, sample dir, config dir
  measure "$1" "$bin" train --source samples --schema BENCH --sample_dir "$2" \
    --tables_file "$3/tables.yaml" --relationships "$3/relationships.yaml" \
    --privacy_policy "$3/privacy.yaml" --model_out "$work/pack"
}

train "train sample bank 1× ($(cat samples/*.csv | wc -l) rows)" samples configs
"$bin" samples --out "$work/bank10" --seed 2024 --scale 10 --format csv >/dev/null
train "train sample bank 10× ($(cat "$work"/bank10/*.csv | wc -l) rows)" "$work/bank10" configs
for d in tests/datasets/*/; do
  name=$(basename "$d")
  [ -d "$datasets/$name" ] || { echo "train $name: skipped ($datasets/$name not found)"; continue; }
  train "train $name ($(cat "$datasets/$name"/*.csv | wc -l) rows)" "$datasets/$name" "$d"
done
echo "fits of one column, one thread:"
cargo bench --locked -p bank_synth_core --features io --bench fit 2>/dev/null | grep -E "fit"
