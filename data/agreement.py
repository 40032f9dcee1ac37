"""How far a second, independent reader agrees with the hand labels, beside how far vactag does, on the same ads.

    .venv/bin/python data/agreement.py data/second_reader_test.jsonl data/labeled_test_*.jsonl
    .venv/bin/python data/agreement.py data/second_reader_dev_heldout.jsonl ../shared/data/labeled_dev.jsonl

The first file holds the second reader's labels (id, support_type, seniority, experience, work_format), the
others the reference labels; only ads in both are scored. The second reader's agreement is the ceiling a
system can be expected to reach against these labels: where two careful readers differ, so will any model.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from service.evaluate import FIELDS, predicted, read_jsonl, scores
from service.pipeline import default_pipeline


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("second", type=Path)
    ap.add_argument("reference", type=Path, nargs="+")
    args = ap.parse_args()
    second = {r["id"]: r for r in read_jsonl(args.second)}
    gold = [r for path in args.reference for r in read_jsonl(path) if r["id"] in second]
    pipeline = default_pipeline()
    results = {r["id"]: pipeline.classify(r["title"], r["description"], id=r["id"]) for r in gold}
    print(f"{len(gold)} ads; accuracy / macro-F1 against the reference labels")
    print(f"{'field':<14}{'second reader':>18}{'vactag':>18}   per-label F1 of the second reader")
    for field in FIELDS:
        ref = [r.get(field) for r in gold]
        other = scores(ref, [second[r["id"]].get(field) for r in gold])
        ours = scores(ref, [predicted(results[r["id"]], field) for r in gold])
        per_label = ", ".join(f"{k} {v['f1']:.2f}" for k, v in sorted(other["per_label"].items(), key=str))
        print(f"{field:<14}{other['accuracy']:>9.3f} / {other['macro_f1']:.3f}{ours['accuracy']:>9.3f} / "
              f"{ours['macro_f1']:.3f}   {per_label}")


if __name__ == "__main__":
    main()
