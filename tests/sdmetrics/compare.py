"""Runs SDMetrics 0.32's multi-table QualityReport on the same files as
`bank_synth evaluate` and prints both sets of property scores side by side.

Usage: python3 compare.py REAL_DIR RUN_DIR MODEL_PACK EVALUATION_JSON

EVALUATION_JSON is the file written by `bank_synth evaluate --json`. Column types and
relationships come from the model pack, as they do for bank_synth (self-references
are left out: SDMetrics cannot join a table to itself). Exits 1 when a property differs
by more than 0.02.
"""

import json
import os
import sys
import warnings

import pandas as pd

warnings.filterwarnings("ignore")


def sdtype(column):
    kind = column["generator"]["kind"]
    if kind == "numeric":
        return "datetime" if column["logical_type"]["kind"] in ("date", "timestamp") else "numerical"
    if kind == "categorical":
        return "categorical"
    if kind == "boolean":
        return "boolean"
    return "id"


def table_file(directory, lower):
    """`<table>.csv` in `directory`, its name matched case-insensitively (the pack's
    names are upper-case, a database's files may be `Order Details.csv`)."""
    if not os.path.isdir(directory):
        return None
    for f in os.listdir(directory):
        if f.lower() == f"{lower}.csv":
            return os.path.join(directory, f)
    return None


def load(path, columns):
    """The table at `path` with its columns typed by their sdtype in `columns`."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    df.columns = [c.upper() for c in df.columns]
    for name, meta in columns.items():
        if name not in df:
            continue
        if meta["sdtype"] == "datetime":
            df[name] = pd.to_datetime(df[name], errors="coerce", format="mixed")
        elif meta["sdtype"] == "numerical":
            df[name] = pd.to_numeric(df[name], errors="coerce")
    return df[[c for c in columns if c in df]]


def datetime_format(series):
    """The strftime format of a datetime column's text: a date, or a timestamp."""
    text = series.dropna().astype(str)
    return "%Y-%m-%d %H:%M:%S" if text.str.contains(" ").any() else "%Y-%m-%d"


def main(real_dir, run_dir, pack_dir, evaluation_json):
    from sdmetrics.reports.multi_table import QualityReport

    pack = json.load(open(os.path.join(pack_dir, "modelpack.json")))
    ours = json.load(open(evaluation_json))
    real, synthetic, tables = {}, {}, {}
    for t in pack["tables"]:
        name, lower = t["name"], t["name"].lower()
        real_path = table_file(real_dir, lower)
        syn_path = table_file(os.path.join(run_dir, "oracle"), lower)
        if not (real_path and syn_path):
            continue
        # The kinds bank_synth scored (read from the real rows), else the pack's.
        scored = ours.get("metadata", {}).get("tables", {}).get(name, {}).get("columns")
        columns = scored or {c["name"]: {"sdtype": sdtype(c)} for c in t["columns"]}
        columns = {k: dict(v) for k, v in columns.items()}
        real[name] = load(real_path, columns)
        synthetic[name] = load(syn_path, columns)
        dates = [c for c, meta in columns.items() if meta["sdtype"] == "datetime" and c in real[name]]
        if dates:
            raw = pd.read_csv(real_path, dtype=str, keep_default_na=False, na_values=[""])
            raw.columns = [x.upper() for x in raw.columns]
            for c in dates:
                columns[c]["datetime_format"] = datetime_format(raw[c])
        tables[name] = {"columns": columns}
        if len(t["primary_key"]) == 1:
            tables[name]["primary_key"] = t["primary_key"][0]
    if not tables:
        print("no table of the pack is in both directories", file=sys.stderr)
        return 2
    relationships = []
    for r in pack["relationships"]:
        if r["parent_table"] == r["child_table"] or r["parent_table"] not in tables or r["child_table"] not in tables:
            continue
        one = len(r["parent_columns"]) == 1
        relationships.append({
            "parent_table_name": r["parent_table"],
            "parent_primary_key": r["parent_columns"][0] if one else r["parent_columns"],
            "child_table_name": r["child_table"],
            "child_foreign_key": r["child_columns"][0] if one else r["child_columns"],
        })
    metadata = {"tables": tables, "relationships": relationships}
    report = QualityReport()
    report.generate(real, synthetic, metadata, verbose=False)
    theirs = {row["Property"]: row["Score"] for _, row in report.get_properties().iterrows()}
    ours_by_name = {p["name"]: p["score"] for p in ours["properties"]}
    worst = 0.0
    print(f"{'property':<22} {'bank_synth':>10} {'SDMetrics':>10} {'diff':>7}")
    for name, score in theirs.items():
        mine = ours_by_name.get(name)
        diff = abs(mine - score) if mine is not None and score == score else float("nan")
        worst = max(worst, diff if diff == diff else 0.0)
        print(f"{name:<22} {mine:>10.4f} {score:>10.4f} {diff:>7.4f}")
    print(f"{'overall':<22} {ours['overall']:>10.4f} {report.get_score():>10.4f}")
    return 0 if worst <= 0.02 else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:5]))
