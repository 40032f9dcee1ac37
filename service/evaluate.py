"""Scores predictions against hand labels (the format of labeled_dev.jsonl).

The split is fixed by a hash of the ad id, so it is the same on every machine
and needs no stored file: ~30% of ids are `heldout`, never used to tune rules
or train models; the rest is `train`.
"""
from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

FIELDS = ("support_type", "seniority", "experience", "work_format")
HELDOUT_SHARE = 30  # percent
SPLIT_SALT = "vactag-split-v1"


def split_of(ad_id: str) -> str:
    digest = hashlib.sha1(f"{SPLIT_SALT}:{ad_id}".encode()).digest()
    return "heldout" if int.from_bytes(digest[:4], "big") % 100 < HELDOUT_SHARE else "train"


def read_jsonl(path: str | Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def predicted(result: dict, field: str) -> str | None:
    value = result.get(field)
    if field == "experience":
        return value["id"] if value else None
    return value["label"] if isinstance(value, dict) else value


def scores(gold: list[str | None], pred: list[str | None]) -> dict:
    labels = sorted({str(x) for x in gold} | {str(x) for x in pred})
    g = [str(x) for x in gold]
    p = [str(x) for x in pred]
    confusion: dict[str, Counter] = defaultdict(Counter)
    for a, b in zip(g, p):
        confusion[a][b] += 1
    per_label = {}
    for lab in labels:
        tp = confusion[lab][lab]
        fp = sum(confusion[o][lab] for o in labels if o != lab)
        fn = sum(confusion[lab][o] for o in labels if o != lab)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        per_label[lab] = {"precision": round(prec, 3), "recall": round(rec, 3), "f1": round(f1, 3),
                          "support": tp + fn}
    gold_labels = [lab for lab in labels if per_label[lab]["support"]]
    macro = sum(per_label[lab]["f1"] for lab in gold_labels) / len(gold_labels) if gold_labels else 0.0
    acc = sum(a == b for a, b in zip(g, p)) / len(g) if g else 0.0
    return {"n": len(g), "accuracy": round(acc, 3), "macro_f1": round(macro, 3), "per_label": per_label,
            "confusion": {a: dict(confusion[a]) for a in labels}}


def evaluate(gold_rows: Iterable[dict], results: dict[str, dict], fields=FIELDS) -> dict:
    rows = [r for r in gold_rows if r["id"] in results]
    return {f: scores([r.get(f) for r in rows], [predicted(results[r["id"]], f) for r in rows]) for f in fields}


def format_report(report: dict, title: str = "") -> str:
    out = [title] if title else []
    for field, s in report.items():
        out.append(f"\n## {field}: n={s['n']} accuracy={s['accuracy']:.3f} macro-F1={s['macro_f1']:.3f}")
        labels = list(s["per_label"])
        width = max(12, *(len(x) for x in labels))
        out.append(" " * (width + 2) + "".join(f"{lab[:10]:>11}" for lab in labels) + "   P     R     F1")
        for a in labels:
            row = s["confusion"].get(a, {})
            pl = s["per_label"][a]
            out.append(f"{a:<{width}}  " + "".join(f"{row.get(b, 0):>11}" for b in labels)
                       + f"  {pl['precision']:.2f}  {pl['recall']:.2f}  {pl['f1']:.2f}")
    return "\n".join(out)


def compare_modes(gold_rows: list[dict], results: dict[str, dict]) -> dict:
    """Accuracy and macro-F1 of the rules alone, the model alone and the final label, per field."""
    out = {}
    for field in ("support_type", "seniority"):
        rows = [r for r in gold_rows if r["id"] in results]
        gold = [r.get(field) for r in rows]
        blocks = [results[r["id"]][field] for r in rows]
        modes = {"rules": [b.get("rule_label") or b["label"] for b in blocks],
                 "model": [(b.get("model") or {}).get("label") for b in blocks],
                 "final": [b["label"] for b in blocks]}
        out[field] = {m: {k: scores(gold, pred)[k] for k in ("accuracy", "macro_f1")}
                      for m, pred in modes.items() if all(pred)}
    return out
