"""Golden output and warm CPU cost of the full pipeline, for optimisations that must not change a byte.

    python bench/golden.py dump /tmp/golden_before.jsonl   # classify a fixed set of ads, one result a line
    python bench/golden.py time [--repeat 3]                # warm CPU ms per ad (time.process_time)
    python bench/golden.py profile                          # cProfile of the timed pass, top functions

The dumped set: the first 3,000 ads of vacancies.jsonl, every ad of tests/fixtures/real_ads.jsonl and a
few adversarial texts (HTML entities, homoglyphs, zero-width characters, English), each in fmt auto,
plus the adversarial ones as fmt text and html. Compare two dumps with `cmp`.
"""
from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import sys
import time
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import DATA, ROOT

from service.pipeline import Pipeline

FIXTURES = ROOT / "tests" / "fixtures" / "real_ads.jsonl"
ADVERSARIAL = [
    ("Специалист тexподдержки",
     "Обязанности: консультирование клиентов по телефону.\nОпыт от 1 года. З/п от 60 000 руб."),
    ("<b>Оператор&nbsp;call-центра</b>", "<p>Требования:</p><ul><li>опыт&nbsp;работы от 2&ndash;3 лет</li>"
     "<li>знание ПК&#160;&amp; 1С</li></ul><p>Условия: удал&#x0451;нная работа, &laquo;белая&raquo; з/п "
     "от&nbsp;45&nbsp;000&nbsp;&#8381;</p><script>var x = '<li>не текст</li>';</script>"),
    ("Инженер\u200bпо\u00adподдержке", "Опыт\u200b работы\ufeff от 3 лет.\u2028Зарплата 120\u202f000 ₽ на руки."
     "\nГрафик 2/2, с 9:00 до 21:00, тел. +7 (495) 123-45-67"),
    ("Support Engineer (L2)", "We are looking for a support engineer with at least 3 years of experience. "
     "Remote work, salary from $2,000 per month. Duties: troubleshooting, Linux, SQL, tickets."),
    ("Менеджер ПО РАБОТЕ С КЛИЕНТАМИ", "ТРЕБОВАНИЯ:\n• без опыта\n• грамотная речь\nУСЛОВИЯ:\n• гибрид\n• ДМС"),
    ("Ｆｕｌｌ－ｗｉｄｔｈ ｔｅｘｔ ﬁ",
     "Ｏｐｙｔ ２ ｇｏｄａ; ﬁle ½ ставки, ３ года опыта работы, оклад ５０ ０００ руб."),
    ("", ""),
    ("   ", "&amp;&lt;&gt; <br/> <not a tag> 5 < 6 & 7 > 3"),
    ("Кассир", "Опыт работы: не требуется. Возраст от 18 лет. Оплата 2500 руб./смена"),
]


def _load(path: Path, limit: int | None = None) -> list[tuple[str, str]]:
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            r = json.loads(line)
            out.append((r.get("title") or "", r.get("description") or ""))
            if limit is not None and len(out) >= limit:
                break
    return out


def golden_inputs() -> list[tuple[str, str, str]]:
    ads = [(t, d, "auto") for t, d in _load(DATA, 3000) + _load(FIXTURES) + ADVERSARIAL]
    ads += [(t, d, fmt) for t, d in ADVERSARIAL for fmt in ("text", "html")]
    return ads


def dump(path: str) -> None:
    pipe = Pipeline()
    with open(path, "wb") as fh:
        for n, (title, desc, fmt) in enumerate(golden_inputs()):
            result = pipe.classify(title, desc, id=str(n), fmt=fmt)
            fh.write(orjson.dumps(result, option=orjson.OPT_SORT_KEYS) + b"\n")


def _warm_and_timed() -> tuple[Pipeline, list[tuple[str, str]]]:
    ads = _load(DATA, 7000)
    pipe = Pipeline()
    for title, desc in ads[:4000]:
        pipe.classify(title, desc)
    return pipe, ads[4000:7000]


def _pass(pipe: Pipeline, ads: list[tuple[str, str]]) -> float:
    t0 = time.process_time()
    for title, desc in ads:
        pipe.classify(title, desc)
    return (time.process_time() - t0) / len(ads) * 1000


def time_it(repeat: int) -> None:
    pipe, ads = _warm_and_timed()
    runs = [_pass(pipe, ads) for _ in range(repeat)]
    best = min(runs)
    print(f"warm CPU ms/ad: best {best:.3f}, runs {', '.join(f'{r:.3f}' for r in runs)}; "
          f"{1000 / best:.0f} ads/s per core")


def profile(top: int) -> None:
    pipe, ads = _warm_and_timed()
    prof = cProfile.Profile()
    prof.runcall(_pass, pipe, ads)
    pstats.Stats(prof).sort_stats("tottime").print_stats(top)


def main() -> None:
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("dump").add_argument("path")
    sub.add_parser("time").add_argument("--repeat", type=int, default=3)
    sub.add_parser("profile").add_argument("--top", type=int, default=40)
    args = ap.parse_args()
    if args.cmd == "dump":
        dump(args.path)
    elif args.cmd == "time":
        time_it(args.repeat)
    else:
        profile(args.top)


if __name__ == "__main__":
    main()
