"""Our reading of real ads against hh.ru's own structured fields (what the employer filled in).

    python -m service.eval_hh [path] [--limit N] [--labeled path[,path...]] [--parts salary] [--misses N]

Reports:
- salary: exact (from, to, currency) agreement with hh.ru's salary on ads whose text mentions pay
  (a loose "money in the text" regex, independent of the parser), and the false-positive rate on
  ads whose text has no pay; plus a breakdown of the disagreements into error classes;
- experience bucket vs hh.ru's `experience` on ads whose text states one;
- remote vs `schedule == remote` / REMOTE in `work_format`;
- the salary check on the hand labels (labeled_dev, data/labeled_extra_* and data/labeled_salary_* by
  default), per file and all together, train and heldout split apart: exact (from, to, currency), all five
  fields, false positives, and gross / period agreement on the ads where both label and parse have a salary.

Error analysis only ever looks at the `train` split (service.evaluate.split_of): the misses and the
examples listed are those of train-split ads; of heldout ads only the aggregate numbers are reported.
"""
from __future__ import annotations

import argparse
import json
import os
import re
from collections import Counter
from pathlib import Path

from .hh import HH_CURRENCY_TO_ISO
from .salary import parse_salary

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("VACTAG_SHARED_DATA", ROOT.parent / "shared" / "data"))
EXTRA = sorted((ROOT / "data").glob("labeled_extra_*.jsonl"))
SALARY_LABELS = sorted((ROOT / "data").glob("labeled_salary_*.jsonl"))
DEFAULT_LABELED = (DATA / "labeled_dev.jsonl", *EXTRA, *SALARY_LABELS)
# The test set's ads also sit in vacancies.jsonl: never shown as examples, whatever their split.
TEST_IDS = frozenset(json.loads(line)["id"] for p in (ROOT / "data").glob("labeled_test_*.jsonl")
                     for line in p.open(encoding="utf-8") if line.strip())


def _may_show(ad_id: str) -> bool:
    from .evaluate import split_of
    return split_of(ad_id) == "train" and ad_id not in TEST_IDS
# Money in the text, loosely: a number next to a currency or right after a pay word.
_MENTIONS_PAY = re.compile(
    r"\d[\d  .,]{0,12}\s{0,2}(?:тыс\w{0,4}\.?\s{0,2})?"
    r"(?:руб|rur|rub|р\.|₽|\$|€|usd|eur|тенге|тг|₸|kzt|byn|бел\.?\s?р|сум\b|uzs)"
    r"|(?:зарплат\w{0,3}|з/п|\bзп\b|оклад\w{0,3}|доход\w{0,3}|заработ\w{0,6}|salary|ставк\w{0,2}|оплат\w{0,3})[^\n\d]{0,40}\d",
    re.I)


def _rows(path, limit=None):
    with open(path, encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if limit is not None and i >= limit:
                break
            if line.strip():
                yield json.loads(line)


def _salary_class(got, want) -> str:
    if got is None:
        return "missed"
    if got[2] != want[2]:
        return "currency"
    if got[:2] == (want[1], None) or got[:2] == (None, want[0]):
        return "bound side (from vs to)"
    if (got[0], got[1]) == (want[0], None) or (got[0], got[1]) == (None, want[1]):
        return "half of a range"
    if want[0] and got[0] and want[1] is None and got[1] is None:
        return "other figure (single)"
    return "other figure / range"


def salary_vs_hh(rows, pipeline, n_examples: int = 3) -> dict:
    agree = total = fp = neg = 0
    errors: Counter = Counter()
    examples: dict[str, list] = {}
    for r in rows:
        doc = pipeline.document(r.get("title") or "", r.get("description") or "")
        text = doc.text
        got = parse_salary(text)
        hh_has = r.get("salary_from") is not None or r.get("salary_to") is not None
        mentions = bool(_MENTIONS_PAY.search(text))
        if mentions and hh_has:
            total += 1
            want = (r.get("salary_from"), r.get("salary_to"), HH_CURRENCY_TO_ISO.get(r.get("salary_currency"),
                                                                                      r.get("salary_currency")))
            g = (got.from_, got.to, got.currency) if got else None
            if want[0] is not None and want[0] == want[1]:
                want = (want[0], None, want[2])  # hh.ru writes a single figure as from == to; we write from only
            if g == want:
                agree += 1
            else:
                cls = _salary_class(g, want)
                errors[cls] += 1
                ex = examples.setdefault(cls, [])
                if len(ex) < n_examples and _may_show(r["id"]):
                    snippet = text[max(0, got.start - 50):got.end + 30] if got else ""
                    ex.append({"id": r["id"], "hh": want, "got": g, "text": snippet.replace("\n", " ")})
        elif not mentions:
            neg += 1
            if got is not None:
                fp += 1
                ex = examples.setdefault("false positive", [])
                if len(ex) < max(5, n_examples) and _may_show(r["id"]):
                    ex.append({"id": r["id"], "got": got.value(),
                               "text": text[max(0, got.start - 60):got.end + 30].replace("\n", " ")})
    return {"pay_in_text_and_hh": total, "exact": round(agree / total, 3) if total else None,
            "no_pay_in_text": neg, "false_positive_rate": round(fp / neg, 4) if neg else None,
            "errors": dict(errors.most_common()), "examples": examples}


def experience_vs_hh(rows, pipeline) -> dict:
    n = agree = 0
    conf: Counter = Counter()
    for r in rows:
        if not r.get("experience"):
            continue
        res = pipeline.classify(r.get("title") or "", r.get("description") or "")
        exp = res.get("experience")
        if not exp:
            continue
        n += 1
        ok = exp["id"] == r["experience"]
        agree += ok
        if not ok:
            conf[(r["experience"], exp["id"])] += 1
    return {"stated_in_text": n, "agreement": round(agree / n, 3) if n else None,
            "top_confusions (hh, ours)": [(f"{a}->{b}", c) for (a, b), c in conf.most_common(6)]}


def remote_vs_hh(rows, pipeline) -> dict:
    tp = fp = fn = tn = 0
    for r in rows:
        wf = r.get("work_format") or []
        if r.get("schedule") is None and not wf:
            continue
        hh_remote = r.get("schedule") == "remote" or "REMOTE" in wf
        res = pipeline.classify(r.get("title") or "", r.get("description") or "")
        ours = (res.get("work_format") or {}).get("label") == "remote"
        tp += ours and hh_remote
        fp += ours and not hh_remote
        fn += hh_remote and not ours
        tn += not ours and not hh_remote
    n = tp + fp + fn + tn
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    return {"n": n, "agreement": round((tp + tn) / n, 3) if n else None, "remote_precision": round(prec, 3),
            "remote_recall": round(rec, 3), "tp": tp, "fp": fp, "fn": fn}


def salary_vs_labels(paths, pipeline) -> dict:
    """Per split; `misses` (id, gold, ours) are kept for the train split only."""
    from .evaluate import split_of
    out: dict = {}
    for r in (r for p in paths for r in _rows(p)):
        split = split_of(r["id"])
        s = out.setdefault(split, {"with_salary": 0, "exact": 0, "exact_all5": 0, "without_salary": 0, "fp": 0,
                                   "both": 0, "gross_ok": 0, "period_ok": 0, "misses": []})
        got = parse_salary(pipeline.document(r["title"], r["description"]).text)
        gold = r.get("salary")
        if gold:
            s["with_salary"] += 1
            g = (got.from_, got.to, got.currency) if got else None
            if got is not None:
                s["both"] += 1
                s["gross_ok"] += got.gross == gold.get("gross")
                s["period_ok"] += got.period == gold.get("period")
                if split == "train" and (got.gross, got.period) != (gold.get("gross"), gold.get("period")):
                    s.setdefault("gross_period_misses", []).append(
                        (r["id"], (gold.get("gross"), gold.get("period")), (got.gross, got.period)))
            if g == (gold["from"], gold["to"], gold["currency"]):
                s["exact"] += 1
                s["exact_all5"] += got.value() == gold
            elif split == "train":
                s["misses"].append((r["id"], (gold["from"], gold["to"], gold["currency"]), g))
        else:
            s["without_salary"] += 1
            s["fp"] += got is not None
            if got is not None and split == "train":
                s["misses"].append((r["id"], None, (got.from_, got.to, got.currency)))
    for s in out.values():
        s["exact_rate"] = round(s["exact"] / s["with_salary"], 3) if s["with_salary"] else None
        s["exact_all5_rate"] = round(s["exact_all5"] / s["with_salary"], 3) if s["with_salary"] else None
        s["fp_rate"] = round(s["fp"] / s["without_salary"], 4) if s["without_salary"] else None
        s["gross_acc"] = round(s["gross_ok"] / s["both"], 3) if s["both"] else None
        s["period_acc"] = round(s["period_ok"] / s["both"], 3) if s["both"] else None
    return out


def main(path: str | Path = DATA / "vacancies.jsonl", limit: int | None = None,
         labeled=DEFAULT_LABELED, parts=("salary", "experience", "remote"), n_examples: int = 3) -> dict:
    from .pipeline import default_pipeline
    pipeline = default_pipeline()
    rows = list(_rows(path, limit))
    report: dict = {"ads": len(rows)}
    if "salary" in parts:
        report["salary_vs_hh"] = salary_vs_hh(rows, pipeline, n_examples)
    if "experience" in parts:
        report["experience_vs_hh"] = experience_vs_hh(rows, pipeline)
    if "remote" in parts:
        report["remote_vs_hh"] = remote_vs_hh(rows, pipeline)
    if labeled:
        labeled = [Path(p) for p in labeled]
        report["salary_vs_labels"] = salary_vs_labels(labeled, pipeline)
        if len(labeled) > 1:
            report["salary_vs_labels_per_file"] = {
                p.name: {k: {x: y for x, y in v.items() if not x.endswith("misses")}
                         for k, v in salary_vs_labels([p], pipeline).items()}
                for p in labeled}
    print(json.dumps(report, ensure_ascii=False, indent=1, default=str))
    return report


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("path", nargs="?", default=str(DATA / "vacancies.jsonl"))
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--labeled", default=",".join(map(str, DEFAULT_LABELED)),
                    help="comma-separated label files (default: labeled_dev, data/labeled_extra_*, "
                         "data/labeled_salary_*); '' for none")
    ap.add_argument("--parts", default="salary,experience,remote")
    ap.add_argument("--misses", type=int, default=3, help="examples per hh.ru error class (train-split ads only)")
    a = ap.parse_args()
    main(a.path, a.limit, a.labeled.split(",") if a.labeled else None, tuple(a.parts.split(",")), a.misses)
