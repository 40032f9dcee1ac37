"""Declarative rules over lemmas: load rules/*.yaml, match them against a Document.

A rule votes for one label of one field. Its phrases are written as a person
writes them and lemmatised at load with the same lemmatizer as the ads, so
"техническую поддержку" in a rule matches "технической поддержки" in an ad.
"""
from __future__ import annotations

import os
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import chain, repeat
from pathlib import Path
from typing import NamedTuple

from .document import Document, tokenize
from .normalize import normalize
from .phrases import PhraseTable
from .yamlfile import read_yaml

RULES_DIR = Path(os.environ.get("VACTAG_RULES_DIR", Path(__file__).resolve().parent.parent / "rules"))
KINDS = ("hard", "soft", "exclude")
SECTIONS = ("title", "intro", "duties", "requirements", "conditions", "about", "body")
NEGATORS = frozenset({"не", "без", "нет", "ни", "исключить"})
_CLAUSE_BREAKS = frozenset({".", ";", "\n", "!", "?", "•", ":", ",", "(", ")"})


def _read_yaml(name: str, base: Path = RULES_DIR) -> dict:
    return read_yaml(base / name) or {}


def load_lemma_overrides(base: Path = RULES_DIR) -> tuple[dict[str, str], dict[str, str]]:
    data = _read_yaml("lemmas.yaml", base)
    return dict(data.get("overrides") or {}), dict(data.get("exact") or {})


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    field: str
    label: str
    kind: str
    weight: float
    phrases: tuple[tuple[str, ...], ...]
    why: str
    sections: frozenset[str] | None = None
    not_sections: frozenset[str] = frozenset()
    near: tuple[tuple[str, ...], ...] = ()
    window: int = 8
    negatable: bool = True
    match: tuple[str, ...] = ()
    no_match: tuple[str, ...] = ()


class Hit(NamedTuple):  # built by the dozen an ad: a tuple is 3x cheaper to make than a frozen dataclass
    rule: Rule
    start: int  # token index
    end: int
    char_start: int  # in Document.text
    char_end: int
    section: str = "body"


@dataclass(slots=True)
class RuleSet:
    version: str
    rules: list[Rule]
    headers: list[tuple[tuple[str, ...], str]]
    index: PhraseTable[Rule] = field(default_factory=PhraseTable)
    header_index: dict[str, list[tuple[tuple[str, ...], str]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for phrase, section in self.headers:
            self.header_index.setdefault(phrase[0], []).append((phrase, section))
        for rule in self.rules:
            for phrase in rule.phrases:
                self.index.add(phrase, rule)

def lemmatize_phrase(phrase: str, lemma) -> tuple[str, ...]:
    """A phrase as people write it → the lemmas an ad's tokens get (same normalisation, tokenizer, lemmatizer)."""
    return tuple(lemma(tok) for tok, _, _ in tokenize(normalize(phrase, "text").text))


def _phrase_list(raw: Iterable[str], lemma, where: str) -> tuple[tuple[str, ...], ...]:
    out = []
    for p in raw:
        lem = lemmatize_phrase(str(p), lemma)
        if not lem:
            raise ValueError(f"{where}: phrase {p!r} has no tokens")
        out.append(lem)
    return tuple(out)


def _rule_from(d: dict, lemma, source: str) -> Rule:
    where = f"{source}:{d.get('id')}"
    missing = {"id", "field", "label", "phrases", "why"} - d.keys()
    if missing:
        raise ValueError(f"{where}: missing {sorted(missing)}")
    kind = d.get("kind", "soft")
    if kind not in KINDS:
        raise ValueError(f"{where}: kind {kind!r} not in {KINDS}")
    for key in ("sections", "not_sections"):
        bad = set(d.get(key) or ()) - set(SECTIONS)
        if bad:
            raise ValueError(f"{where}: unknown sections {sorted(bad)}")
    return Rule(
        id=d["id"], field=d["field"], label=str(d["label"]), kind=kind,
        weight=float(d.get("weight", 1.0)),
        phrases=_phrase_list(d["phrases"], lemma, where),
        why=d["why"],
        sections=frozenset(d["sections"]) if d.get("sections") else None,
        not_sections=frozenset(d.get("not_sections") or ()),
        near=_phrase_list(d.get("near") or (), lemma, where),
        window=int(d.get("window", 8)),
        negatable=bool(d.get("negatable", True)),
        match=tuple(d.get("match") or ()),
        no_match=tuple(d.get("no_match") or ()),
    )


def load_rules(lemmatizer, base: Path = RULES_DIR) -> RuleSet:
    meta = _read_yaml("ruleset.yaml", base)
    lemma = lemmatizer.lemma
    rules: list[Rule] = []
    for name in meta["files"]:
        data = _read_yaml(name, base)
        for d in data.get("rules") or ():
            rules.append(_rule_from(d, lemma, name))
    ids = [r.id for r in rules]
    dupes = {i for i in ids if ids.count(i) > 1}
    if dupes:
        raise ValueError(f"duplicate rule ids: {sorted(dupes)}")
    headers = []
    for section, phrases in (_read_yaml("sections.yaml", base).get("headers") or {}).items():
        if section not in SECTIONS:
            raise ValueError(f"sections.yaml: unknown section {section!r}")
        headers.extend((p, section) for p in _phrase_list(phrases, lemma, "sections.yaml"))
    headers.sort(key=lambda h: -len(h[0]))
    return RuleSet(str(meta["version"]), rules, headers)


def assign_sections(doc: Document, rules: RuleSet) -> None:
    """Tag tokens with title / duties / requirements / conditions / about / intro."""
    words, starts, ends, lemmas, text = doc.words, doc.starts, doc.ends, doc.lemmas, doc.text
    header_index = rules.header_index
    n_title = doc.n_title or _first_line_as_title(doc, header_index)
    runs: list[tuple[str, int, int]] = []
    _add_run(runs, "title", 0, n_title)
    current, run_start = "intro", n_title
    for i in [i for i in range(n_title, len(lemmas)) if lemmas[i] in header_index]:
        prev_end, prev_text = (ends[i - 1], words[i - 1]) if i else (0, "")
        if text.find("\n", prev_end, starts[i]) != -1 or prev_text in (":", "•"):
            found = _header_at(doc, i, header_index[lemmas[i]])
            if found:
                _add_run(runs, current, run_start, i)
                current, run_start = found, i
    _add_run(runs, current, run_start, len(lemmas))
    doc.runs = runs
    doc.sections = list(chain.from_iterable(repeat(name, end - start) for name, start, end in runs))


def _add_run(runs: list[tuple[str, int, int]], name: str, start: int, end: int) -> None:
    """Append tokens [start, end) of a section: an empty run is dropped, one that goes on the last is merged."""
    if start == end:
        return
    if runs and runs[-1][0] == name:
        start = runs.pop()[1]
    runs.append((name, start, end))


FIRST_LINE_TITLE_MAX = 120


def _first_line_as_title(doc: Document, header_index: dict) -> int:
    """Tokens of the description's first line when no title was sent and that line is short enough to be
    one ("Инженер техподдержки" on top of a pasted ad): a title-less ad keeps its title cues. A section
    header ("Обязанности:") is never taken for a title."""
    begin = doc.title_end + 2
    while begin < len(doc.text) and doc.text[begin].isspace():
        begin += 1
    end = doc.text.find("\n", begin)
    end = len(doc.text) if end == -1 else end
    if not 0 < end - begin <= FIRST_LINE_TITLE_MAX or end == len(doc.text):
        return 0
    first = bisect_left(doc.starts, begin)
    candidates = header_index.get(doc.lemmas[first]) if first < len(doc.lemmas) else None
    if candidates and _header_at(doc, first, candidates):
        return 0
    return bisect_left(doc.starts, end)


def _header_at(doc: Document, i: int, headers) -> str | None:
    """A header is a known phrase that starts a line and ends it or is followed by ':'."""
    words, starts, ends, lemmas, text = doc.words, doc.starts, doc.ends, doc.lemmas, doc.text
    n_tok = len(words)
    for phrase, section in headers:
        n = len(phrase)
        if tuple(lemmas[i:i + n]) != phrase:
            continue
        j = i + n
        # allow a few more words on a short header line ("Требования к кандидату:")
        k = j
        while k < n_tok and k - i < 8 and "\n" not in text[ends[k - 1]:starts[k]]:
            if words[k] == ":":
                return section
            k += 1
        if k >= n_tok or "\n" in text[ends[k - 1]:starts[k]]:
            return section
        if j < n_tok and words[j] in ":-—":
            return section
    return None


def _negated(doc: Document, i: int) -> bool:
    words, starts, ends, lemmas = doc.words, doc.starts, doc.ends, doc.lemmas
    for k in range(i - 1, max(i - 4, -1), -1):
        if words[k] in _CLAUSE_BREAKS or "\n" in doc.text[ends[k]:starts[k + 1]]:
            return False
        if lemmas[k] in NEGATORS:
            return True
    return False


def _near(doc: Document, rule: Rule, start: int, end: int) -> bool:
    lemmas = doc.lemmas
    lo = max(0, start - rule.window)
    hi = min(len(lemmas), end + rule.window)
    window = set(lemmas[lo:hi])  # most cue phrases have no first lemma there: skip them without a scan
    for phrase in rule.near:
        if phrase and phrase[0] not in window:
            continue
        n = len(phrase)
        for k in range(lo, hi - n + 1):
            if tuple(lemmas[k:k + n]) == phrase and (k + n <= start or k >= end):
                return True
    return False


def match(doc: Document, rules: RuleSet, fields: frozenset[str] | None = None) -> list[Hit]:
    """All rule hits in document order. Hits voting for the same field and label never
    overlap: the earliest, then longest, phrase keeps the tokens."""
    hits: list[Hit] = []
    covered: dict[tuple[str, str], int] = {}
    sections, starts, ends = doc.sections, doc.starts, doc.ends
    seen_at, seen = -1, set()  # rule ids that already hit at token seen_at
    for i, n, rule in rules.index.find(doc.lemmas):
        if i != seen_at:
            seen_at, seen = i, set()
        if rule.id in seen or (fields is not None and rule.field not in fields):
            continue
        section = sections[i]
        if rule.sections is not None and section not in rule.sections:
            continue
        if section in rule.not_sections:
            continue
        if rule.negatable and _negated(doc, i):
            continue
        if rule.near and not _near(doc, rule, i, i + n):
            continue
        if rule.kind != "exclude":  # a mask must apply whatever cue took the tokens first
            key = (rule.field, rule.label)
            if covered.get(key, 0) > i:
                continue
            covered[key] = i + n
        seen.add(rule.id)
        hits.append(Hit(rule, i, i + n, starts[i], ends[i + n - 1], section))
    return _apply_excludes(hits)


def _apply_excludes(hits: list[Hit]) -> list[Hit]:
    """An `exclude` hit says its phrase is not a cue for its label ("помощник руководителя"
    is no manager, "удалённая работа невозможна" no remote work): overlapping cues go."""
    masks = [h for h in hits if h.rule.kind == "exclude"]
    if not masks:
        return hits
    return [h for h in hits if h.rule.kind == "exclude" or not any(
        m.rule.field == h.rule.field and m.rule.label == h.rule.label and m.start < h.end and h.start < m.end
        for m in masks)]
