"""Draw the pool for labeled_extra_12 … 15 (hand labels, session 4).

    python data/draw_labels_12.py > /tmp/pool12.jsonl

Ads from vacancies.jsonl / vacancies_extra.jsonl whose id is in no label file and whose description is in no
label file either (reposts), description > 150 chars, drawn by title family with seed 1212: support / service 200,
call-centre / operator / chat 120, client-manager / account 120, sales 100, engineer / administrator / DevOps 100,
lead words 60, other titles 100 (800 in all; a family short of ads gives what it has).
"""
from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

SEED = 1212
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
    rng = random.Random(SEED)
    pick = []
    for family, n, _ in FAMILIES:
        pool = by_family[family]
        pick += rng.sample(pool, min(n, len(pool)))
        print(f"{family}: {len(pool)} in the pool, {min(n, len(pool))} drawn", file=sys.stderr)
    rng.shuffle(pick)
    for r in pick:
        print(json.dumps({"id": r["id"], "title": r["title"], "description": r["description"],
                          "text_kind": r.get("text_kind")}, ensure_ascii=False))


if __name__ == "__main__":
    main()
