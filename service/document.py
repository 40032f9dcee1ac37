"""An ad as the rules see it: normalised text, tokens, lemmas and sections."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .lemmas import Lemmatizer
from .normalize import Normalized, normalize

# Hyphenated words and schedules stay whole ("IT-специалист", "e-mail", "2/2", "24/7", "9.00");
# a slash between words splits ("поддержки/HelpDesk"), so phrases never straddle it.
_TOKEN = re.compile(r"\d+(?:/\d+)+|\w+(?:[-+]\w+|[.:](?=[\da-z])\w+)*|[^\w\s]")
SEPARATOR = "\n\n"


@dataclass(slots=True)
class Token:
    text: str
    start: int  # in Document.text
    end: int
    lemma: str
    section: str = "body"


@dataclass(slots=True)
class Document:
    text: str
    tokens: list[Token]
    title: Normalized
    description: Normalized
    lemmas: list[str] = field(default_factory=list)

    @property
    def title_end(self) -> int:
        return len(self.title.text)

    def source_span(self, start: int, end: int) -> tuple[str, int, int]:
        """Map a [start, end) of Document.text to (field, start, end) in the caller's text."""
        if start < self.title_end:
            s, e = self.title.span(start, min(end, self.title_end))
            return "title", s, e
        off = self.title_end + len(SEPARATOR)
        s, e = self.description.span(max(start - off, 0), max(end - off, 0))
        return "description", s, e


def tokenize(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def build_document(title: str, description: str, lemmatizer: Lemmatizer, fmt: str = "auto",
                   tokenizer=tokenize) -> Document:
    nt = normalize(title or "", "text")
    nd = normalize(description or "", fmt)
    text = nt.text + SEPARATOR + nd.text
    lemma = lemmatizer.lemma
    raw = lemmatizer.raw
    tokens = []
    lemmas = []
    for t, s, e in tokenizer(text):
        lem = raw.get(t) or lemma(t)
        tokens.append(Token(t, s, e, lem))
        lemmas.append(lem)
    doc = Document(text, tokens, nt, nd, lemmas)
    return doc
