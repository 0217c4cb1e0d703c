#!/usr/bin/env python3
"""Split a database of CSV files into two extracts of whole families.

Usage: split_extracts.py DATASET_DIR ROOT_TABLE OUT_A OUT_B [--config DIR]

DATASET_DIR holds one `<table>.csv` per table (header row, standard quoting; file names
are matched to table names case-insensitively, as bank_synth does). The foreign keys come
from DIR/relationships.yaml (default: DATASET_DIR/relationships.yaml) and the root's
primary key from DIR/tables.yaml when it is there.

* A root row goes to side A or B by the sha256 of its primary key's text (the key's
  columns joined by U+001F): even first byte -> A, odd -> B.
* A table reachable from the root along foreign keys (parent -> child) is a descendant:
  each of its rows follows its parent row, through the first relationship listed whose
  parent is the root or another descendant. A self-reference inside the family (a row
  pointing at an earlier row of the same table) makes the row follow that row too.
* Every other table (lookups, catalogues, ancestors of the family's rows, unrelated
  tables) is copied whole into both halves.

Rows are copied byte for byte (the record's raw text, quoting and line ends as in the
source), so the halves differ from the source only in which rows they hold. Python 3
standard library only; PyYAML is used when installed, otherwise a small parser of the
relationships.yaml / tables.yaml subset bank_synth's configs use.
"""

import argparse
import csv
import hashlib
import os
import sys
from collections import defaultdict, deque


def canonical(name):
    return name.replace("\ufeff", "").strip().upper()


# --- a tiny YAML subset parser (mappings, block and flow sequences, scalars) ----------

def _scalar(text):
    text = text.strip()
    if not text:
        return None
    if text[0] in "\"'" and text[-1] == text[0] and len(text) >= 2:
        return text[1:-1]
    if text.startswith("[") and text.endswith("]"):
        inner = text[1:-1].strip()
        if not inner:
            return []
        return [_scalar(p) for p in next(csv.reader([inner], skipinitialspace=True))]
    if text.startswith("{") and text.endswith("}"):
        out = {}
        inner = text[1:-1].strip()
        for part in next(csv.reader([inner], skipinitialspace=True)) if inner else []:
            k, _, v = part.partition(":")
            out[_scalar(k)] = _scalar(v)
        return out
    return text


def _strip_comment(line):
    out, quote = [], None
    for ch in line:
        if quote:
            if ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
        elif ch == "#" and (not out or out[-1] in " \t"):
            break
        out.append(ch)
    return "".join(out).rstrip()


def tiny_yaml(text):
    lines = []
    for raw in text.splitlines():
        line = _strip_comment(raw)
        if line.strip():
            lines.append((len(line) - len(line.lstrip(" ")), line.strip()))

    def block(i, indent):
        # Parses the block starting at lines[i] whose indentation is `indent`.
        if lines[i][1].startswith("- ") or lines[i][1] == "-":
            seq = []
            while i < len(lines) and lines[i][0] == indent and lines[i][1].startswith("-"):
                rest = lines[i][1][1:].strip()
                if not rest:
                    value, i = block(i + 1, lines[i + 1][0])
                elif ":" in rest and not rest.startswith(("[", "{", "\"", "'")):
                    # "- key: value" starts a mapping indented by the dash's width.
                    sub_indent = indent + 2
                    lines[i] = (sub_indent, rest)
                    value, i = block(i, sub_indent)
                else:
                    value, i = _scalar(rest), i + 1
                seq.append(value)
            return seq, i
        mapping = {}
        while i < len(lines) and lines[i][0] == indent and not lines[i][1].startswith("- "):
            key, _, rest = lines[i][1].partition(":")
            key = _scalar(key)
            if rest.strip():
                mapping[key], i = _scalar(rest), i + 1
            elif i + 1 < len(lines) and (lines[i + 1][0] > indent or
                                         (lines[i + 1][0] == indent and lines[i + 1][1].startswith("-"))):
                mapping[key], i = block(i + 1, lines[i + 1][0])
            else:
                mapping[key], i = None, i + 1
        return mapping, i

    if not lines:
        return {}
    value, _ = block(0, lines[0][0])
    return value


def load_yaml(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    try:
        import yaml  # noqa: PLC0415
        return yaml.safe_load(text) or {}
    except ImportError:
        return tiny_yaml(text)


# --- CSV with the raw text of every record -------------------------------------------

class Table:
    def __init__(self, name, path):
        self.name, self.path = name, path
        self.header_raw, self.columns, self.rows, self.raw = "", [], [], []
        with open(path, encoding="utf-8", newline="") as f:
            consumed = []

            def lines():
                for line in f:
                    consumed.append(line)
                    yield line

            reader = csv.reader(lines())
            try:
                self.columns = [canonical(c) for c in next(reader)]
            except StopIteration:
                return
            self.header_raw = "".join(consumed)
            consumed.clear()
            for record in reader:
                text = "".join(consumed)
                consumed.clear()
                if not record:  # a blank line
                    continue
                self.rows.append(record)
                self.raw.append(text)
        eol = "\r\n" if self.header_raw.endswith("\r\n") else "\n"
        if not self.header_raw.endswith("\n"):
            self.header_raw += eol
        self.raw = [r if r.endswith(("\n", "\r")) else r + eol for r in self.raw]

    def index(self, cols):
        missing = [c for c in cols if canonical(c) not in self.columns]
        if missing:
            sys.exit(f"error: table {self.name} ({self.path}) has no column {', '.join(missing)}; "
                     f"its columns are {', '.join(self.columns)}")
        return [self.columns.index(canonical(c)) for c in cols]

    def key(self, row, idx):
        values = tuple(row[i] for i in idx)
        return None if any(v == "" for v in values) else values

    def write(self, path, keep):
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(self.header_raw)
            for i in keep:
                f.write(self.raw[i])


def side_of(key):
    digest = hashlib.sha256("\x1f".join(key).encode("utf-8")).digest()
    return "A" if digest[0] % 2 == 0 else "B"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dataset_dir")
    ap.add_argument("root_table")
    ap.add_argument("out_a")
    ap.add_argument("out_b")
    ap.add_argument("--config", help="directory with relationships.yaml (and tables.yaml)")
    args = ap.parse_args()

    config = args.config or args.dataset_dir
    rel_path = os.path.join(config, "relationships.yaml")
    if not os.path.exists(rel_path):
        sys.exit(f"error: {rel_path} not found; pass --config DIR with the relationships.yaml")
    rels = []
    for r in (load_yaml(rel_path) or {}).get("relationships") or []:
        rels.append({
            "name": r.get("name") or f"{r['child_table']}->{r['parent_table']}",
            "parent": canonical(r["parent_table"]),
            "pcols": [canonical(c) for c in r["parent_columns"]],
            "child": canonical(r["child_table"]),
            "ccols": [canonical(c) for c in r["child_columns"]],
        })
    primary_keys = {}
    tables_path = os.path.join(config, "tables.yaml")
    if os.path.exists(tables_path):
        for t, cfg in ((load_yaml(tables_path) or {}).get("table_config") or {}).items():
            if cfg and cfg.get("primary_key"):
                primary_keys[canonical(t)] = [canonical(c) for c in cfg["primary_key"]]

    tables = {}
    for entry in sorted(os.listdir(args.dataset_dir)):
        stem, ext = os.path.splitext(entry)
        if ext.lower() == ".csv":
            name = canonical(stem)
            if name in tables:
                sys.exit(f"error: table {name} has two files ({tables[name].path}, {entry})")
            tables[name] = Table(name, os.path.join(args.dataset_dir, entry))
    root = canonical(args.root_table)
    if root not in tables:
        sys.exit(f"error: no file for root table {args.root_table} in {args.dataset_dir} "
                 f"(tables: {', '.join(sorted(tables))})")
    for r in rels:
        for t in (r["parent"], r["child"]):
            if t not in tables:
                sys.exit(f"error: relationship {r['name']} names table {t}, which has no file in {args.dataset_dir}")

    # The family: the root and every table reachable from it, parent -> child.
    children = defaultdict(list)
    for r in rels:
        if r["parent"] != r["child"]:
            children[r["parent"]].append(r["child"])
    family, queue = {root}, deque([root])
    while queue:
        for c in children[queue.popleft()]:
            if c not in family:
                family.add(c)
                queue.append(c)
    # Parent-before-child order inside the family (Kahn on the family's own edges).
    indeg = {t: 0 for t in family}
    for r in rels:
        if r["parent"] in family and r["child"] in family and r["parent"] != r["child"]:
            indeg[r["child"]] += 1
    order, ready = [], deque(sorted(t for t, d in indeg.items() if d == 0))
    while ready:
        t = ready.popleft()
        order.append(t)
        for r in rels:
            if r["parent"] == t and r["child"] in family and r["child"] != t:
                indeg[r["child"]] -= 1
                if indeg[r["child"]] == 0:
                    ready.append(r["child"])
    if len(order) != len(family) or order[0] != root:
        sys.exit(f"error: the foreign keys below {root} form a cycle or a second root: {order}")

    sides = {}        # table -> list of "A"/"B" per row
    lookups = {}      # (table, cols) -> {key: side}
    warnings = []

    def lookup(table, cols):
        k = (table, tuple(cols))
        if k not in lookups:
            t = tables[table]
            idx = t.index(cols)
            lookups[k] = {t.key(row, idx): s for row, s in zip(t.rows, sides[table]) if t.key(row, idx)}
        return lookups[k]

    for name in order:
        t = tables[name]
        if name == root:
            pk = primary_keys.get(name) or next((r["pcols"] for r in rels if r["parent"] == name), None) \
                or [t.columns[0]]
            idx = t.index(pk)
            side = [side_of(tuple(row[i] for i in idx)) for row in t.rows]
        else:
            family_fks = [r for r in rels if r["child"] == name and r["parent"] in family and r["parent"] != name]
            side, unresolved = [], 0
            fk_maps = [(t.index(r["ccols"]), lookup(r["parent"], r["pcols"])) for r in family_fks]
            for row, raw in zip(t.rows, t.raw):
                s = None
                for idx, parent_side in fk_maps:
                    key = t.key(row, idx)
                    if key is not None and key in parent_side:
                        s = parent_side[key]
                        break
                if s is None:
                    unresolved += 1
                    s = side_of((raw,))
                side.append(s)
            if unresolved:
                warnings.append(f"{name}: {unresolved} rows have no parent in the family; split by their own hash")
            for r in family_fks[1:]:
                parent_side = lookup(r["parent"], r["pcols"])
                idx = t.index(r["ccols"])
                split = sum(1 for row, s in zip(t.rows, side)
                            if t.key(row, idx) in parent_side and parent_side[t.key(row, idx)] != s)
                if split:
                    warnings.append(f"{name}: {split} rows reference a {r['parent']} row of the other side "
                                    f"through {r['name']} (orphans in that extract)")
        # A self-reference: a row follows the row it points at, up to the top.
        for r in rels:
            if r["child"] == name and r["parent"] == name:
                pidx, cidx = t.index(r["pcols"]), t.index(r["ccols"])
                pos = {t.key(row, pidx): i for i, row in enumerate(t.rows)}
                done = {}

                def top(i, seen):
                    if i in done:
                        return done[i]
                    k = t.key(t.rows[i], cidx)
                    j = pos.get(k) if k is not None else None
                    if j is None or j in seen:
                        done[i] = side[i]
                    else:
                        seen.add(i)
                        done[i] = top(j, seen)
                    return done[i]

                sys.setrecursionlimit(max(10000, 2 * len(t.rows) + 100))
                side = [top(i, set()) for i in range(len(t.rows))]
        sides[name] = side

    for out in (args.out_a, args.out_b):
        os.makedirs(out, exist_ok=True)
    print(f"{'table':<24} {'rows':>7} {'A':>7} {'B':>7}")
    for name in sorted(tables):
        t = tables[name]
        base = os.path.basename(t.path)
        if name in sides:
            keep_a = [i for i, s in enumerate(sides[name]) if s == "A"]
            keep_b = [i for i, s in enumerate(sides[name]) if s == "B"]
            note = "root" if name == root else "family"
        else:
            keep_a = keep_b = list(range(len(t.rows)))
            note = "both"
        t.write(os.path.join(args.out_a, base), keep_a)
        t.write(os.path.join(args.out_b, base), keep_b)
        print(f"{name:<24} {len(t.rows):>7} {len(keep_a):>7} {len(keep_b):>7}  {note}")
    for w in warnings:
        print(f"warning: {w}", file=sys.stderr)


if __name__ == "__main__":
    main()
