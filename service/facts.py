"""Facts of an ad (TAXONOMY §5) from a Document, with spans in Document.text.

Each fact is None when the text is silent, else {"value", "confidence", "spans": [(start, end, rule_id)]}.
Vocabularies are data: rules/vocab/facts.yaml (schedule, employment, official employment, audience,
vector, education, languages, skills, benefits) and rules/vocab/cities.yaml; phrases are matched on
token lemmas, so one written form finds the others.
"""
from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from typing import NamedTuple

from .document import Document
from .phrases import PhraseTable
from .rules import lemmatize_phrase
from .salary import load_vocab, parse_salary

BENEFIT_SECTIONS = ("conditions", "about", "intro")
_SCHEDULE_PRIORITY = {"shift": 3, "flexible": 2, "full_day": 1}
_DAYS = {"2/2", "3/3", "1/3", "2/1", "4/4", "1/2", "7/7", "15/15", "3/2", "4/2", "5/2", "6/1", "4/3"}


class Match(NamedTuple):  # built by the dozen an ad: a tuple is 3x cheaper to make than a frozen dataclass
    fact: str
    id: str
    start: int  # chars in Document.text
    end: int
    tok: int  # first token index
    ntok: int
    section: str


class PhraseIndex:
    """Lemma-sequence phrases → (fact, id); finds all matches in a document in one pass."""

    def __init__(self, lemma) -> None:
        self.lemma = lemma
        self.table: PhraseTable[tuple[str, str, tuple | None]] = PhraseTable()

    def add(self, fact: str, id_: str, phrase: str, sections=None) -> None:
        lemmas = lemmatize_phrase(str(phrase), self.lemma)
        if lemmas:
            self.table.add(lemmas, (fact, str(id_), tuple(sections) if sections else None))

    def find(self, doc: Document) -> list[Match]:
        out: list[Match] = []
        sections, starts, ends = doc.sections, doc.starts, doc.ends
        for i, k, (fact, id_, phrase_sections) in self.table.find(doc.lemmas):
            if phrase_sections and sections[i] not in phrase_sections:
                continue
            out.append(Match(fact, id_, starts[i], ends[i + k - 1], i, k, sections[i]))
        return out


@lru_cache(maxsize=1)
def _vocab() -> tuple[dict, dict]:
    return load_vocab("facts.yaml"), load_vocab("cities.yaml")


@lru_cache(maxsize=4)
def _index(lemma) -> PhraseIndex:
    facts, cities = _vocab()
    idx = PhraseIndex(lemma)
    for fact in ("schedule", "employment", "official_employment", "audience", "vector", "languages", "skills",
                 "benefits"):
        for e in facts[fact]:
            for p in e["phrases"]:
                idx.add(fact, e["id"], p, e.get("sections"))
    for p in facts["higher_education"]["required"]:
        idx.add("higher_education", "required", p)
    for e in cities["cities"]:
        for p in e["phrases"]:
            idx.add("city", e["id"], p)
    idx.optional_cues = {cue for p in facts["higher_education"]["optional_cues"] if (cue := lemmatize_phrase(p, lemma))}
    idx.city_cues = {w for c in cities.get("cues", []) for w in lemmatize_phrase(c, lemma)}
    return idx


def _fact(value, confidence: float, spans) -> dict:
    return {"value": value, "confidence": round(min(max(confidence, 0.0), 0.99), 2), "spans": list(spans)}


def _span(m: Match) -> tuple[int, int, str]:
    return (m.start, m.end, f"{m.fact}.{m.id}")


def _dedupe(matches: list[Match]) -> list[Match]:
    """Drop matches overlapping an earlier (longer) match of the same fact
    ("высшее техническое образование" ⊃ "образование")."""
    out = []
    for m in sorted(matches, key=lambda x: (x.start, -(x.end - x.start))):
        if out and out[-1].fact == m.fact and m.start < out[-1].end:
            continue
        out.append(m)
    return out


def _vote(matches: list[Match], priority: dict | None = None, margin: float = 0.0):
    counts: dict[str, list[Match]] = defaultdict(list)
    for m in matches:
        counts[m.id].append(m)
    if not counts:
        return None, []
    ranked = sorted(counts, key=lambda k: (len(counts[k]), (priority or {}).get(k, 0)), reverse=True)
    best = ranked[0]
    if len(ranked) > 1 and len(counts[best]) - len(counts[ranked[1]]) < margin:
        return None, []
    return best, counts[best]


def salary_fact(doc: Document) -> dict | None:
    s = parse_salary(doc.text)
    if s is None:
        return None
    spans = [(s.start, s.end, "salary.amount")]
    spans += [(a, b, f"salary.{k}") for k, (a, b) in s.parts.items() if k in ("currency", "period", "gross")]
    conf = 0.9 if "currency" in s.parts else 0.75
    if s.top_performer:
        conf -= 0.2
    return _fact(s.value(), conf, spans)


def schedule_fact(doc: Document, ms: list[Match]) -> dict | None:
    best, hits = _vote(ms, _SCHEDULE_PRIORITY)
    if best is None:
        return None
    days = []
    for m in ms:
        t = doc.text[m.start:m.end].replace("\\", "/")
        if t in _DAYS and t not in days:
            days.append(t)
    f = _fact(best, 0.6 + 0.1 * min(len(hits), 3), [_span(m) for m in hits[:5]])
    if days:
        f["days"] = days
    return f


def official_fact(ms: list[Match]) -> dict | None:
    yes = [m for m in ms if m.id == "true"]
    no = [m for m in ms if m.id == "false"]
    if yes and len(yes) >= len(no):
        return _fact(True, 0.7 + 0.1 * min(len(yes), 2), [_span(m) for m in yes[:5]])
    if no:
        return _fact(False, 0.7, [_span(m) for m in no[:5]])
    return None


def education_fact(doc: Document, ms: list[Match], idx: PhraseIndex) -> tuple[bool | None, list]:
    if not ms:
        return None, []
    optional = idx.optional_cues
    lem = doc.lemmas
    for m in ms:
        # the clause around the phrase: up to 8 tokens either side, cut at ; • and newlines
        lo, hi = max(0, m.tok - 6), min(len(lem), m.tok + m.ntok + 8)
        window = lem[lo:hi]
        soft = any(window[i] == o[0] and tuple(window[i:i + len(o)]) == o
                   for o in optional for i in range(len(window)))
        if not soft:
            return True, [_span(m)]
    return False, [_span(ms[0])]


def city_fact(doc: Document, ms: list[Match], idx: PhraseIndex) -> dict | None:
    if not ms:
        return None
    cues = idx.city_cues
    lem = doc.lemmas
    best = None
    for m in ms:
        score = 1.0
        if m.section == "title":
            score += 2
        if any(lem[j] in cues for j in range(max(0, m.tok - 3), m.tok)):
            score += 2
        if best is None or score > best[0]:
            best = (score, m)
    score, m = best
    return _fact(m.id, 0.5 + 0.1 * score, [_span(m)])


def _list_fact(ms: list[Match], conf: float = 0.8) -> dict | None:
    if not ms:
        return None
    ids: list[str] = []
    spans = []
    for m in ms:
        if m.id not in ids:
            ids.append(m.id)
            spans.append(_span(m))
    return _fact(ids, conf, spans)


def extract_facts(doc: Document, lemma) -> dict:
    """All TAXONOMY §5 facts of a Document except line/position (decided by the rules)."""
    idx = _index(lemma)
    by: dict[str, list[Match]] = defaultdict(list)
    for m in _dedupe(idx.find(doc)):
        by[m.fact].append(m)

    # an ad that offers both full and part time is a full-time job that also takes part-timers
    employment, emp_hits = _vote(by["employment"], {"internship": 4, "full": 3, "part": 2, "project": 1})
    audience, aud_hits = _vote(by["audience"], margin=2)
    vector, vec_hits = _vote(by["vector"], margin=2)

    if "conditions" in doc.sections:
        benefits = [m for m in by["benefits"] if m.section in BENEFIT_SECTIONS]
    else:  # no "Условия" header: benefits may be anywhere but the title
        benefits = [m for m in by["benefits"] if m.section != "title"]
    higher, edu_spans = education_fact(doc, by["higher_education"], idx)
    langs = _list_fact(by["languages"])
    skills = _list_fact(by["skills"])
    requirements = None
    if higher is not None or langs or skills:
        spans = edu_spans + (langs["spans"] if langs else []) + (skills["spans"] if skills else [])
        requirements = _fact({"higher_education": higher, "languages": langs["value"] if langs else [],
                              "skills": skills["value"] if skills else []}, 0.8, spans)
    return {
        "salary": salary_fact(doc),
        "schedule": schedule_fact(doc, by["schedule"]),
        "employment": _fact(employment, 0.6 + 0.1 * min(len(emp_hits), 3), [_span(m) for m in emp_hits[:5]])
        if employment else None,
        "official_employment": official_fact(by["official_employment"]),
        "audience": _fact(audience, 0.55 + 0.05 * min(len(aud_hits), 6), [_span(m) for m in aud_hits[:5]])
        if audience else None,
        "vector": _fact(vector, 0.55 + 0.05 * min(len(vec_hits), 6), [_span(m) for m in vec_hits[:5]])
        if vector else None,
        "requirements": requirements,
        "benefits": _list_fact(benefits, 0.75),
        "city": city_fact(doc, by["city"], idx),
    }
