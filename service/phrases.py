"""Lemma phrases → payloads, found in one pass over a document's lemmas (rules and facts use one each)."""
from __future__ import annotations

from typing import Generic, TypeVar

T = TypeVar("T")


class PhraseTable(Generic[T]):
    """Phrases are grouped by their first lemma and, when longer, by their second: a token costs one or
    two dict look-ups, and only phrases that share its first two lemmas are compared in full.

    At one token, longer phrases come first; phrases of one length keep the order they were added in.
    """

    def __init__(self) -> None:
        self._single: dict[str, list[T]] = {}
        self._multi: dict[str, dict[str, list[tuple[tuple[str, ...], T]]]] = {}
        self._firsts: set[str] = set()  # most tokens start no phrase: one set test skips them

    def add(self, phrase: tuple[str, ...], payload: T) -> None:
        self._firsts.add(phrase[0])
        if len(phrase) == 1:
            self._single.setdefault(phrase[0], []).append(payload)
            return
        entries = self._multi.setdefault(phrase[0], {}).setdefault(phrase[1], [])
        entries.append((phrase, payload))
        entries.sort(key=lambda e: -len(e[0]))  # stable: equal lengths keep their order

    def find(self, lemmas: list[str]) -> list[tuple[int, int, T]]:
        """(first token, number of tokens, payload) of every phrase occurrence, in token order."""
        out: list[tuple[int, int, T]] = []
        single, multi = self._single, self._multi
        last = len(lemmas) - 1
        firsts = self._firsts
        for i in [i for i, lem in enumerate(lemmas) if lem in firsts]:
            lem = lemmas[i]
            by_second = multi.get(lem)
            if by_second is not None and i < last:
                for phrase, payload in by_second.get(lemmas[i + 1], ()):
                    n = len(phrase)
                    if n == 2 or tuple(lemmas[i:i + n]) == phrase:
                        out.append((i, n, payload))
            for payload in single.get(lem, ()):
                out.append((i, 1, payload))
        return out
