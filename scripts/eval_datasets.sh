#!/usr/bin/env bash
# Evaluation harness: for the sample bank and the two public databases of
# shared/datasets (chinook, northwind), train on one real extract (A), generate as much as
# the other (B), score the run against B with `bank_synth evaluate --baseline A` (B
# against A is the noise floor) and cross-check both with SDMetrics 0.32
# (tests/sdmetrics/compare.py). Prints one compact table per dataset.
#
#   scripts/eval_datasets.sh [bank] [chinook] [northwind]      # default: all three
#
# Environment: BIN (default target/release/bank_synth; build it first), WORK (work files,
# default /tmp/eval), DATASETS (default ../shared/datasets beside the repo), SEED (42),
# TRAIN_TIMEOUT (seconds, default 180: a training run past it is killed and reported),
# EXCLUDE_<name> (comma-separated tables to leave out of that dataset, e.g.
# EXCLUDE_chinook=PlaylistTrack: the table and the relationships naming it are dropped
# from a copy of the configs).
#
# A and B: the sample bank is samples/ (seed 2024) against `bank_synth samples --seed 7`;
# a database is split into two extracts of whole families by scripts/split_extracts.py
# (root: Chinook Customer, Northwind Customers). The run: `generate --target_table ROOT
# --target_rows <B's root rows> --include_children`, with the tables outside the root's
# family that the run needs (its ancestors: lookups, catalogue) pinned to B's row counts
# by --table_rows. SDMetrics reads `<table lower-case>.csv` with the pack's (upper-case)
# column names, so it gets normalised copies of B and A (names only, values untouched).
# Needs python3 with sdmetrics 0.32 (python3 -m pip install 'sdmetrics==0.32.*'); without
# it the SDMetrics columns are left out.
set -uo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$repo/target/release/bank_synth}
WORK=${WORK:-/tmp/eval}
DATASETS=${DATASETS:-$(cd "$repo/.." && pwd)/shared/datasets}
SEED=${SEED:-42}
TRAIN_TIMEOUT=${TRAIN_TIMEOUT:-180}
PY=${PYTHON:-python3}
export PYTHONPATH="$repo/scripts${PYTHONPATH:+:$PYTHONPATH}"

[ -x "$BIN" ] || { echo "error: $BIN not found; cargo build --release -p bank_synth_cli (or set BIN)" >&2; exit 2; }
have_sdm=1
"$PY" -c 'import sdmetrics' 2>/dev/null || { have_sdm=0; echo "note: sdmetrics not installed; SDMetrics columns left out" >&2; }
mkdir -p "$WORK"
failures=0

# Copies CONFIG_DIR to OUT_DIR without the tables listed in $2 (and their relationships).
exclude_tables() { # config_dir exclude_csv out_dir
  "$PY" - "$@" <<'EOF'
import os, sys, shutil, split_extracts as s
src, excl, out = sys.argv[1], {s.canonical(t) for t in sys.argv[2].split(",") if t}, sys.argv[3]
os.makedirs(out, exist_ok=True)
shutil.copy(os.path.join(src, "privacy.yaml"), out)
# Re-emit the two files as JSON, a subset of YAML that bank_synth reads.
import json
t = s.load_yaml(os.path.join(src, "tables.yaml"))
t["tables"] = [x for x in t.get("tables", []) if s.canonical(x) not in excl]
t["table_config"] = {k: v for k, v in (t.get("table_config") or {}).items() if s.canonical(k) not in excl}
json.dump(t, open(os.path.join(out, "tables.yaml"), "w"), indent=1)
r = s.load_yaml(os.path.join(src, "relationships.yaml"))
r["relationships"] = [x for x in r.get("relationships") or []
                      if s.canonical(x["parent_table"]) not in excl and s.canonical(x["child_table"]) not in excl]
json.dump(r, open(os.path.join(out, "relationships.yaml"), "w"), indent=1)
EOF
}

# Prints the generate arguments for ROOT sized like extract B: target rows and --table_rows.
plan_args() { # config_dir root b_dir
  "$PY" - "$@" <<'EOF'
import csv, os, sys, split_extracts as s
cfg, root, bdir = sys.argv[1], s.canonical(sys.argv[2]), sys.argv[3]
trained = {s.canonical(t) for t in s.load_yaml(os.path.join(cfg, "tables.yaml")).get("tables", [])}
rels = [(s.canonical(r["parent_table"]), s.canonical(r["child_table"]))
        for r in s.load_yaml(os.path.join(cfg, "relationships.yaml")).get("relationships") or []]
rels = [(p, c) for p, c in rels if p != c and p in trained and c in trained]
family, todo = {root}, [root]
while todo:
    t = todo.pop()
    for p, c in rels:
        if p == t and c not in family:
            family.add(c); todo.append(c)
ancestors, todo = set(), list(family)
while todo:
    t = todo.pop()
    for p, c in rels:
        if c == t and p not in family and p not in ancestors:
            ancestors.add(p); todo.append(p)
files = {s.canonical(os.path.splitext(f)[0]): os.path.join(bdir, f) for f in os.listdir(bdir) if f.lower().endswith(".csv")}
def rows(t):
    with open(files[t], encoding="utf-8", newline="") as f:
        return max(0, sum(1 for r in csv.reader(f) if r) - 1)
print(rows(root))
print(",".join(f"{t}:{rows(t)}" for t in sorted(ancestors)))
EOF
}

# Normalised copy for SDMetrics: <table lower-case>.csv with upper-case header names.
normalise() { # src_dir dst_dir [only_like_dir]
  "$PY" - "$@" <<'EOF'
import csv, os, sys, split_extracts as s
src, dst = sys.argv[1], sys.argv[2]
only = {f.lower() for f in os.listdir(sys.argv[3])} if len(sys.argv) > 3 else None
os.makedirs(dst, exist_ok=True)
for f in os.listdir(src):
    if not f.lower().endswith(".csv") or (only is not None and f.lower() not in only):
        continue
    with open(os.path.join(src, f), encoding="utf-8", newline="") as fh:
        head, body = fh.readline(), fh.read()
    header = next(csv.reader([head]))
    eol = "\r\n" if head.endswith("\r\n") else "\n"
    with open(os.path.join(dst, f.lower()), "w", encoding="utf-8", newline="") as out:
        csv.writer(out, lineterminator=eol).writerow([s.canonical(h) for h in header])
        out.write(body)
EOF
}

run_dataset() { # name a_dir b_dir config_dir root
  local name=$1 a=$2 b=$3 cfg=$4 root=$5 w=$WORK/$1
  local excl_var="EXCLUDE_$1"
  local excl=${!excl_var:-}
  if [ -n "$excl" ]; then
    exclude_tables "$cfg" "$excl" "$w/config" || return 1
    cfg=$w/config
    echo "[$name] tables excluded: $excl"
  fi
  rm -rf "$w/pack" "$w/runs" "$w/sdm"
  echo "[$name] train on $a"
  timeout "$TRAIN_TIMEOUT" /usr/bin/time -v -o "$w/train.time" \
    "$BIN" train --source samples --schema "$(echo "$name" | tr a-z A-Z)" --sample_dir "$a" \
    --tables_file "$cfg/tables.yaml" --relationships "$cfg/relationships.yaml" \
    --privacy_policy "$cfg/privacy.yaml" --model_out "$w/pack" >"$w/train.out" 2>"$w/train.err"
  local rc=$?
  if [ $rc -eq 124 ]; then
    echo "[$name] FAILED: training killed after ${TRAIN_TIMEOUT}s (slow fit); retry with EXCLUDE_$name=<table>"
    failures=$((failures + 1)); return 1
  elif [ $rc -ne 0 ]; then
    echo "[$name] FAILED: train exited $rc:"; sed 's/^/    /' "$w/train.err" | head -20
    failures=$((failures + 1)); return 1
  fi
  grep -iE "warn|not parse|as NULL" "$w/train.out" "$w/train.err" | sed 's/^/    /'
  local wall rss
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$w/train.time")
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$w/train.time")
  "$BIN" info --model "$w/pack" >"$w/info.txt" 2>&1

  local plan target_rows table_rows
  plan=$(plan_args "$cfg" "$root" "$b") || { echo "[$name] FAILED: cannot size the run"; failures=$((failures + 1)); return 1; }
  target_rows=$(sed -n 1p <<<"$plan"); table_rows=$(sed -n 2p <<<"$plan")
  local gen=("$BIN" generate --model "$w/pack" --target_table "$root" --target_rows "$target_rows"
    --include_children --seed "$SEED" --output_dir "$w/runs" --run_id eval)
  [ -n "$table_rows" ] && gen+=(--table_rows "$table_rows")
  echo "[$name] generate: ${gen[*]:1}"
  /usr/bin/time -f "%e %M" -o "$w/generate.time" "${gen[@]}" >"$w/generate.out" 2>"$w/generate.err" || {
    echo "[$name] FAILED: generate:"; sed 's/^/    /' "$w/generate.err" | head -20
    failures=$((failures + 1)); return 1; }
  local run=$w/runs/eval
  grep -E "^generated|^keys" "$w/generate.out" | sed 's/^/    /'
  "$BIN" evaluate --real "$b" --synthetic "$run" --baseline "$a" --json "$w/evaluation.json" \
    >"$w/evaluate.md" 2>"$w/evaluate.err" || {
    echo "[$name] FAILED: evaluate:"; sed 's/^/    /' "$w/evaluate.err" | head -20
    failures=$((failures + 1)); return 1; }

  local sdm_syn="" sdm_base=""
  if [ $have_sdm -eq 1 ]; then
    # The floor through SDMetrics too: A as the "run" (only the tables the run has).
    normalise "$b" "$w/sdm/real" && normalise "$a" "$w/sdm/baseline/oracle" "$run/oracle"
    "$PY" - "$w/evaluation.json" "$w/sdm/baseline.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))["baseline"]
json.dump({"overall": d["overall"], "properties": [{"name": n, "score": s} for n, s in d["properties"]],
           "metadata": json.load(open(sys.argv[1]))["metadata"]},
          open(sys.argv[2], "w"))
EOF
    "$PY" "$repo/tests/sdmetrics/compare.py" "$w/sdm/real" "$run" "$w/pack" "$w/evaluation.json" \
      >"$w/sdm/synthetic.txt" 2>&1 || echo "    compare.py (synthetic) exit $?: a property differs by > 0.02 or it failed (see $w/sdm/synthetic.txt)"
    "$PY" "$repo/tests/sdmetrics/compare.py" "$w/sdm/real" "$w/sdm/baseline" "$w/pack" "$w/sdm/baseline.json" \
      >"$w/sdm/baseline.txt" 2>&1 || echo "    compare.py (floor) exit $?: a property differs by > 0.02 or it failed (see $w/sdm/baseline.txt)"
    sdm_syn=$w/sdm/synthetic.txt sdm_base=$w/sdm/baseline.txt
  fi
  echo "[$name] train ${wall} wall, peak RSS $((rss / 1024)) MiB; generate $(cut -d' ' -f1 "$w/generate.time")s"
  "$PY" - "$w/evaluation.json" "$sdm_syn" "$sdm_base" <<'EOF'
import json, re, sys
ev = json.load(open(sys.argv[1]))
def sdm(path):
    out = {}
    if not path:
        return out
    for line in open(path):
        m = re.match(r"^(.+?)\s+(-?[\d.]+|nan)\s+(-?[\d.]+|nan)(\s+(-?[\d.]+|nan))?\s*$", line)
        if m and not line.startswith("property"):
            out[m.group(1).strip()] = float(m.group(3))
    return out
syn, base = sdm(sys.argv[2]), sdm(sys.argv[3])
floor = dict(ev["baseline"]["properties"])
rows = [(p["name"], p["score"], floor.get(p["name"])) for p in ev["properties"]]
rows.append(("overall", ev["overall"], ev["baseline"]["overall"]))
head = f"  {'property':<20} {'synthetic':>9} {'floor':>7} {'gap':>7}"
if syn or base:
    head += f"   {'SDM syn':>7} {'SDM floor':>9}"
print(head)
f = lambda v: f"{v:.3f}" if isinstance(v, float) and v == v else "  n/a"
for name, s, b in rows:
    line = f"  {name:<20} {f(s):>9} {f(b):>7} {f(s - b) if b is not None else 'n/a':>7}"
    if syn or base:
        line += f"   {f(syn.get(name)):>7} {f(base.get(name)):>9}"
    print(line)
c = ev.get("synthetic_checks", {})
bad = [t["table"] for t in c.get("tables", []) if t.get("duplicate_keys")]
if bad:
    print(f"  duplicate keys in: {', '.join(bad)}")
EOF
}

targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(bank chinook northwind)
for name in "${targets[@]}"; do
  echo "=== $name"
  w=$WORK/$name
  mkdir -p "$w"
  case $name in
    bank)
      rm -rf "$w/B"
      "$BIN" samples --seed 7 --scale 1 --format csv --out "$w/B" >/dev/null || { echo "FAILED: samples"; failures=$((failures + 1)); continue; }
      run_dataset bank "$repo/samples" "$w/B" "$repo/configs" CUSTOMERS ;;
    chinook | northwind)
      root=Customer; [ "$name" = northwind ] && root=Customers
      rm -rf "$w/A" "$w/B"
      "$PY" "$repo/scripts/split_extracts.py" "$DATASETS/$name" "$root" "$w/A" "$w/B" \
        --config "$repo/tests/datasets/$name" >"$w/split.txt" || { echo "FAILED: split"; failures=$((failures + 1)); continue; }
      run_dataset "$name" "$w/A" "$w/B" "$repo/tests/datasets/$name" "$root" ;;
    *) echo "unknown dataset $name (bank, chinook, northwind)"; failures=$((failures + 1)) ;;
  esac
done
exit $((failures > 0))
