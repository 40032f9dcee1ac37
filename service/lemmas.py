"""Word → lemma with pymorphy3, one analyzer and one cache per process.

spaCy's blank Russian pipeline has no tagger, so its pymorphy3 lemmatizer leaves
ambiguous words alone. We pick the best-scored pymorphy3 parse ourselves and
break ties towards nouns/adjectives (a job ad is mostly noun phrases): that keeps
"удалённая" → "удаленный" rather than the participle's verb "удалить".
Domain overrides live in rules/lemmas.yaml, loaded as data.
"""
from __future__ import annotations

import sys

import pymorphy3

# Bump when _analyse changes how a lemma is chosen: it invalidates the shipped lemma table (lemma_cache.py).
LOGIC_VERSION = 1
_POS_PREFERENCE = {"NOUN": 0, "ADJF": 1, "ADJS": 2, "ADVB": 3, "INFN": 4, "VERB": 5, "PRTF": 6, "PRTS": 7}


class Lemmatizer:
    def __init__(self, overrides: dict[str, str] | None = None, exact: dict[str, str] | None = None) -> None:
        self.morph = pymorphy3.MorphAnalyzer()
        self.cache: dict[str, str] = {k.lower().replace("ё", "е"): v.replace("ё", "е")
                                      for k, v in (overrides or {}).items()}
        self.exact = dict(exact or {})
        # word as written → lemma: the hot path is one dict hit. Lemmas are interned, one object per lemma, so
        # tables keyed by lemma (model features, phrases) match on identity without comparing the strings.
        self.raw: dict[str, str] = {w: sys.intern(lem) for w, lem in self.exact.items()}

    def _analyse(self, word: str) -> str:
        if not any(c.isalpha() for c in word) or not any("а" <= c <= "я" for c in word):
            return word
        parses = self.morph.parse(word)
        top = parses[0].score
        best = min(
            (p for p in parses if p.score >= top - 0.011),
            key=lambda p: _POS_PREFERENCE.get(p.tag.POS, 9),
        )
        return best.normal_form.replace("ё", "е")

    def lemma(self, word: str) -> str:
        hit = self.raw.get(word)
        if hit is not None:
            return hit
        low = word.lower()
        lemma = self.cache.get(low)
        if lemma is None:
            lemma = self._analyse(low)
            if len(self.cache) < 500_000:
                self.cache[low] = lemma
        lemma = sys.intern(lemma)
        if len(self.raw) < 500_000:
            self.raw[word] = lemma
        return lemma
