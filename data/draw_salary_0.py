"""Draw the pool for labeled_salary_0.jsonl (salary hand labels, session 3).

    python data/draw_salary_0.py > /tmp/pool.jsonl

Ads from vacancies.jsonl / vacancies_extra.jsonl whose id is in no label file (labeled_dev, data/labeled_*),
description > 150 chars; 150 with a money-looking mention (a number near a currency / multiplier or a pay
word near a number), 50 random others. Seed 9191. Independent of the parser (plain regex below).
"""
from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

SEED = 9191
N_MONEY, N_OTHER = 150, 50
ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
MONEY = re.compile(
    r"\d[\d\s.,]{0,10}\s{0,2}(?:руб|₽|р\.|тыс|т\.р|тр\b|к\b|k\b|\$|usd|eur|€|тенге|тг\b|byn)"
    r"|(?:\$|€)\s{0,2}\d"
    r"|(?:зарплат|оклад|доход|ставк|з/п|\bзп\b)[^\n]{0,40}\d",
    re.I)


def main() -> None:
    seen = set()
    for p in [SHARED / "labeled_dev.jsonl", *sorted((ROOT / "data").glob("labeled_*.jsonl"))]:
        seen |= {json.loads(line)["id"] for line in p.open(encoding="utf-8") if line.strip()}
    pool, ids = [], set()
    for name in ("vacancies.jsonl", "vacancies_extra.jsonl"):
        for line in (SHARED / name).open(encoding="utf-8"):
            r = json.loads(line)
            if r["id"] in seen or r["id"] in ids or len(r.get("description") or "") <= 150:
                continue
            ids.add(r["id"])
            pool.append(r)
    money = [r for r in pool if MONEY.search((r.get("title") or "") + "\n" + r["description"])]
    other = [r for r in pool if not MONEY.search((r.get("title") or "") + "\n" + r["description"])]
    rng = random.Random(SEED)
    pick = rng.sample(money, N_MONEY) + rng.sample(other, N_OTHER)
    rng.shuffle(pick)
    print(f"pool {len(pool)}: money {len(money)}, other {len(other)}", file=sys.stderr)
    for r in pick:
        print(json.dumps({"id": r["id"], "title": r["title"], "description": r["description"],
                          "text_kind": r.get("text_kind")}, ensure_ascii=False))


if __name__ == "__main__":
    main()
