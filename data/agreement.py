"""How far a second, independent reader agrees with the hand labels, beside how far vactag does, on the same ads.

    .venv/bin/python data/agreement.py data/second_reader_test.jsonl data/labeled_test_*.jsonl
    .venv/bin/python data/agreement.py data/second_reader_dev_heldout.jsonl ../shared/data/labeled_dev.jsonl
    .venv/bin/python data/agreement.py data/second_reader_salary_dev.jsonl ../shared/data/labeled_dev.jsonl

The first file holds the second reader's labels (id and any of support_type, seniority, experience, work_format,
salary), the others the reference labels; only ads in both, and only the fields the second reader gave, are scored.
Salary is scored as the issue does: exact (from, to, currency) on the ads whose reference has a salary, and how
often a salary is read where the reference has none. The second reader's agreement is the ceiling a
system can be expected to reach against these labels: where two careful readers differ, so will any model.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from service.evaluate import FIELDS, predicted, read_jsonl, scores
from service.pipeline import default_pipeline


def _money(salary: dict | None) -> tuple | None:
    return salary and (salary.get("from"), salary.get("to"), salary.get("currency"))


def _salary(gold: list[dict], second: dict, results: dict) -> None:
    def theirs(r: dict) -> tuple | None:
        return _money(second[r["id"]].get("salary"))

    def ours(r: dict) -> tuple | None:
        return _money((results[r["id"]]["facts"]["salary"] or {}).get("value"))

    paid = [r for r in gold if r.get("salary")]
    unpaid = [r for r in gold if not r.get("salary")]
    if not paid:
        return
    agreed = [r for r in paid if theirs(r) == _money(r["salary"])]
    ours_right = sum(ours(r) == _money(r["salary"]) for r in paid)
    print(f"salary, exact (from, to, currency) on {len(paid)} ads with a reference salary: second reader "
          f"{len(agreed) / len(paid):.3f} ({len(agreed)}/{len(paid)}), vactag {ours_right / len(paid):.3f} "
          f"({ours_right}/{len(paid)}); vactag on the {len(agreed)} where both readers agree: "
          f"{sum(ours(r) == _money(r['salary']) for r in agreed)}/{len(agreed)}")
    print(f"salary read where the reference has none ({len(unpaid)} ads): second reader "
          f"{sum(theirs(r) is not None for r in unpaid)}, vactag {sum(ours(r) is not None for r in unpaid)}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("second", type=Path)
    ap.add_argument("reference", type=Path, nargs="+")
    args = ap.parse_args()
    second = {r["id"]: r for r in read_jsonl(args.second)}
    gold = [r for path in args.reference for r in read_jsonl(path) if r["id"] in second]
    pipeline = default_pipeline()
    results = {r["id"]: pipeline.classify(r["title"], r["description"], id=r["id"]) for r in gold}
    given = set().union(*(r.keys() for r in second.values()))
    print(f"{len(gold)} ads; accuracy / macro-F1 against the reference labels")
    if "salary" in given:
        _salary(gold, second, results)
    fields = [f for f in FIELDS if f in given]
    if fields:
        print(f"{'field':<14}{'second reader':>18}{'vactag':>18}   per-label F1 of the second reader")
    for field in fields:
        ref = [r.get(field) for r in gold]
        other = scores(ref, [second[r["id"]].get(field) for r in gold])
        ours = scores(ref, [predicted(results[r["id"]], field) for r in gold])
        per_label = ", ".join(f"{k} {v['f1']:.2f}" for k, v in sorted(other["per_label"].items(), key=str))
        print(f"{field:<14}{other['accuracy']:>9.3f} / {other['macro_f1']:.3f}{ours['accuracy']:>9.3f} / "
              f"{ours['macro_f1']:.3f}   {per_label}")


if __name__ == "__main__":
    main()
