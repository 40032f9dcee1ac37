"""A shipped word → lemma table, so a fresh process starts with a warm lemma cache.

pymorphy3 costs ~30 µs per unseen word; on a feed of new ads those misses were the largest single
cost per ad. The table holds the lowercase word forms seen at least twice in the shared ads, with
the lemma our Lemmatizer gives them, and a signature (pymorphy3 and dictionary versions, a hash of
rules/lemmas.yaml, the lemma logic version). A table whose signature does not match is ignored, so
it can never change a lemma; `python -m service.lemma_cache` (make lemmas) rebuilds it.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import logging
from collections import Counter
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import orjson

from .lemmas import LOGIC_VERSION, Lemmatizer
from .rules import RULES_DIR

CACHE_FILE = Path(__file__).resolve().parent.parent / "models" / "lemma-cache.json"
log = logging.getLogger("vactag.lemmas")


def _version(package: str) -> str | None:
    try:
        return version(package)
    except PackageNotFoundError:
        return None


def signature(rules_dir: Path = RULES_DIR) -> dict:
    overrides = (rules_dir / "lemmas.yaml").read_bytes()
    return {"pymorphy3": _version("pymorphy3"), "pymorphy3-dicts-ru": _version("pymorphy3-dicts-ru"),
            "lemmas.yaml": hashlib.sha256(overrides).hexdigest()[:16], "logic": LOGIC_VERSION}


def warm(lemmatizer: Lemmatizer, path: Path = CACHE_FILE, rules_dir: Path = RULES_DIR) -> int:
    """Load the table into the lemmatizer's cache when its signature matches; the number of words loaded."""
    if not path.exists():
        return 0
    data = orjson.loads(path.read_bytes())
    if data.get("signature") != signature(rules_dir):
        log.warning("lemma cache %s was built for %s, not %s: ignored", path, data.get("signature"),
                    signature(rules_dir))
        return 0
    table: dict[str, str] = data["lemmas"]
    # overrides already in the cache win over the table
    lemmatizer.cache = {**table, **lemmatizer.cache}
    return len(table)


def build(corpus: list[Path], out: Path = CACHE_FILE, min_count: int = 2) -> dict:
    from .evaluate import read_jsonl
    from .pipeline import Pipeline

    pipeline = Pipeline(use_model=False)
    counts: Counter = Counter()
    for path in corpus:
        for row in read_jsonl(path):
            doc = pipeline.document(row.get("title") or "", row.get("description") or "")
            counts.update(w.lower() for w in doc.words if any("а" <= c <= "я" for c in w.lower()))
    fresh = Lemmatizer(*_overrides())
    words = sorted(w for w, c in counts.items() if c >= min_count)
    table = {w: fresh.lemma(w) for w in words}
    data = {"signature": signature(), "min_count": min_count, "corpus": [p.name for p in corpus], "lemmas": table}
    with open(out, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return {"words": len(table), "bytes": out.stat().st_size}


def _overrides():
    from .rules import load_lemma_overrides

    return load_lemma_overrides()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("corpus", nargs="*", type=Path,
                    default=[Path(__file__).resolve().parents[2] / "shared" / "data" / "vacancies.jsonl"])
    ap.add_argument("--out", type=Path, default=CACHE_FILE)
    ap.add_argument("--min-count", type=int, default=2)
    args = ap.parse_args(argv)
    print(json.dumps(build(args.corpus, args.out, args.min_count)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
