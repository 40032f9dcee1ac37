"""An ad as the rules see it: normalised text, tokens, lemmas and sections."""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from itertools import accumulate

from .lemmas import Lemmatizer
from .normalize import Normalized, normalize

# Hyphenated words and schedules stay whole ("IT-специалист", "e-mail", "2/2", "24/7", "9.00");
# a slash between words splits ("поддержки/HelpDesk"), so phrases never straddle it.
# The look-ahead for a non-space and the possessive repeats change no token (none starts with a space, and what follows
# a word part never begins with a word character) but take a third off the scan: no backtracking state is kept.
_TOKEN = re.compile(r"(?=\S)(?:\d+(?:/\d+)+|\w++(?:[-+]\w++|[.:](?=[\da-z])\w++)*+|[^\w\s])")
_PIECES = re.compile(f"({_TOKEN.pattern})")  # its one group keeps the tokens in re.split's list
SEPARATOR = "\n\n"


@dataclass(slots=True)
class Document:
    """Token i is words[i] at text[starts[i]:ends[i]] with lemmas[i] and sections[i]: parallel lists,
    because an ad has thousands of tokens and one object per token costs more than reading it."""

    text: str
    title: Normalized
    description: Normalized
    words: list[str]
    starts: list[int]  # in Document.text
    ends: list[int]
    lemmas: list[str]
    sections: list[str] = field(default_factory=list)  # filled by rules.assign_sections
    runs: list[tuple[str, int, int]] = field(default_factory=list)  # (section, first token, end): sections as runs

    @property
    def title_end(self) -> int:
        return len(self.title.text)

    @property
    def n_title(self) -> int:
        """How many tokens are in the title (they come first)."""
        return bisect_left(self.starts, self.title_end)

    def source_span(self, start: int, end: int) -> tuple[str, int, int]:
        """Map a [start, end) of Document.text to (field, start, end) in the caller's text."""
        title_end = len(self.title.text)
        if start < title_end:
            s, e = self.title.span(start, min(end, title_end))
            return "title", s, e
        off = title_end + len(SEPARATOR)
        s, e = self.description.span(max(start - off, 0), max(end - off, 0))
        return "description", s, e


def tokenize(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def split_tokens(text: str) -> tuple[list[str], list[int], list[int]]:
    """The tokens of text as parallel lists: texts, starts, ends. re.split gives the gaps and the tokens in turn
    (gap, token, …, token, gap) and their running lengths are the offsets: no Python step per token."""
    pieces = _PIECES.split(text)
    offsets = list(accumulate(map(len, pieces), initial=0))
    return pieces[1::2], offsets[1:-1:2], offsets[2::2]


def build_document(title: str, description: str, lemmatizer: Lemmatizer, fmt: str = "auto",
                   tokenizer=split_tokens) -> Document:
    nt = normalize(title or "", "text")
    nd = normalize(description or "", fmt)
    text = nt.text + SEPARATOR + nd.text
    words, starts, ends = tokenizer(text)
    raw = lemmatizer.raw
    try:  # nearly every word is known: one C-level pass, and no second one to look for the unknown
        lemmas = list(map(raw.__getitem__, words))
    except KeyError:  # learn the few unknown words, then the same pass; lemma() keeps them unless raw is full
        learnt = {w: lemmatizer.lemma(w) for w in set(words).difference(raw)}
        lemmas = [learnt[w] if w in learnt else raw[w] for w in words]
    return Document(text, nt, nd, words, starts, ends, lemmas)
