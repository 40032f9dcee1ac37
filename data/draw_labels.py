"""Draw a pool of ads to hand-label (session 4).

    python data/draw_labels.py > /tmp/pool12.jsonl                     # labeled_extra_12 … 15
    python data/draw_labels.py --seed 1313 --quotas lead=100,support=400,call=150,client=200,sales=0,engineer=150,other=200 > /tmp/pool16.jsonl   # 16 … 21

Ads from vacancies.jsonl / vacancies_extra.jsonl whose id is in no label file and whose description is in no
label file either (reposts: so a draw is reproduced only with the label files of its day), description > 150
chars, drawn by title family (the first family whose pattern
matches the title; a family short of ads gives what it has). Defaults: seed 1212, support / service 200,
call-centre / operator / chat 120, client-manager / account 120, sales 100, engineer / administrator / DevOps 100,
lead words 60, other titles 100.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
FAMILIES = [  # first match wins
    ("lead", 60, r"руковод|начальник|лидер|тимлид|team ?lead|head of|супервайзер|директор"),
    ("support", 200, r"поддержк|support|help ?desk|хелпдеск|service ?desk|сервис|заботы"),
    ("call", 120, r"оператор|call|колл|контакт-?центр|чат"),
    ("client", 120, r"работе с клиент|клиентск|аккаунт|account"),
    ("sales", 100, r"продаж|продав|sales"),
    ("engineer", 100, r"инженер|администратор|devops|engineer|sre\b"),
    ("other", 100, r""),
]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=1212)
    ap.add_argument("--quotas", default="", help="family=n,... (default: the counts in FAMILIES)")
    args = ap.parse_args()
    quotas = {name: n for name, n, _ in FAMILIES}
    quotas.update({k: int(v) for k, v in (q.split("=") for q in args.quotas.split(",") if q)})
    seen, texts = set(), set()
    for p in [SHARED / "labeled_dev.jsonl", *sorted((ROOT / "data").glob("*.jsonl"))]:
        for line in p.open(encoding="utf-8"):
            if line.strip():
                r = json.loads(line)
                seen.add(r["id"])
                texts.add(r.get("description"))
    by_family: dict[str, list[dict]] = {name: [] for name, _, _ in FAMILIES}
    for name in ("vacancies.jsonl", "vacancies_extra.jsonl"):
        for line in (SHARED / name).open(encoding="utf-8"):
            r = json.loads(line)
            text = r.get("description") or ""
            if r["id"] in seen or text in texts or len(text) <= 150:
                continue
            seen.add(r["id"])
            texts.add(text)
            family = next(f for f, _, rx in FAMILIES if re.search(rx, r.get("title") or "", re.I))
            by_family[family].append(r)
    rng = random.Random(args.seed)
    pick = []
    for family, _, _ in FAMILIES:
        pool, n = by_family[family], quotas[family]
        pick += rng.sample(pool, min(n, len(pool)))
        print(f"{family}: {len(pool)} in the pool, {min(n, len(pool))} drawn", file=sys.stderr)
    rng.shuffle(pick)
    for r in pick:
        print(json.dumps({"id": r["id"], "title": r["title"], "description": r["description"],
                          "text_kind": r.get("text_kind")}, ensure_ascii=False))


if __name__ == "__main__":
    main()
