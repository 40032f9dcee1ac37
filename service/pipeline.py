"""The whole reading of one ad: normalise → lemmatise → sections → rules → decisions."""
from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from pathlib import Path

from . import __version__
from .decide import Decision, Votes, seniority, support_type, top_label, work_format
from .document import Document, build_document, split_tokens
from .experience import find_experience
from .facts import extract_facts
from .fuse import fuse
from .hh import hh_block
from .lemma_cache import warm as warm_lemmas
from .lemmas import Lemmatizer
from .model import Model, find_model
from .rules import RULES_DIR, Hit, RuleSet, assign_sections, load_lemma_overrides, load_rules, match

# Letters counted in C: encoding drops what the codec lacks and translate what is not a letter. ASCII keeps a-z A-Z
# among its bytes, cp1251 holds А-я exactly in 0xC0-0xFF (tests/test_pipeline.py checks all of Unicode).
_NOT_LATIN = bytes(b for b in range(128) if not chr(b).isalpha())
_NOT_CYRILLIC = bytes(range(0xC0))


def _letters(sample: str, codec: str, others: bytes) -> int:
    return len(sample.encode(codec, "ignore").translate(None, others))


def detect_language(text: str) -> str:
    sample = text[:4000]
    lat = _letters(sample, "ascii", _NOT_LATIN)
    if lat <= 20:  # most Russian ads: no need to count the Cyrillic letters
        return "ru"
    return "en" if lat > 2 * _letters(sample, "cp1251", _NOT_CYRILLIC) else "ru"


_EXPERIENCE_REASONS = ("experience requirement", "experience only desirable", "experience required, no figure")


class Pipeline:
    def __init__(self, rules_dir: Path = RULES_DIR, model_dir: Path | None = None, tokenizer=split_tokens,
                 use_model: bool = True) -> None:
        overrides, exact = load_lemma_overrides(rules_dir)
        self.lemmatizer = Lemmatizer(overrides, exact)
        warm_lemmas(self.lemmatizer, rules_dir=rules_dir)
        self.rules: RuleSet = load_rules(self.lemmatizer, rules_dir)
        self.tokenizer = tokenizer
        model_dir = model_dir or (find_model() if use_model else None)
        self.model: Model | None = Model.load(model_dir) if model_dir else None

    @property
    def versions(self) -> dict:
        model = f"{self.model.name}-{self.model.version}" if self.model else None
        return {"service": __version__, "rules": self.rules.version, "model": model}

    def document(self, title: str, description: str, fmt: str = "auto") -> Document:
        doc = build_document(title, description, self.lemmatizer, fmt, self.tokenizer)
        assign_sections(doc, self.rules)
        return doc

    def hits(self, title: str, description: str, fmt: str = "auto") -> tuple[Document, list[Hit]]:
        doc = self.document(title, description, fmt)
        return doc, match(doc, self.rules)

    def classify(self, title: str, description: str = "", id: str | None = None, fmt: str = "auto") -> dict:
        return self.classify_with_trace(title, description, id, fmt)[0]

    def classify_with_trace(self, title: str, description: str = "", id: str | None = None,
                            fmt: str = "auto") -> tuple[dict, Document, list[Hit], dict[str, dict]]:
        """The result, and what the model read: the Document, the rule hits and the rules' own decisions."""
        doc, hits = self.hits(title, description, fmt)
        by_field: dict[str, list[Hit]] = defaultdict(list)
        for h in hits:
            by_field[h.rule.field].append(h)
        votes = {f: Votes(by_field.get(f, []))
                 for f in ("support_type", "seniority", "work_format", "line", "position")}

        asked = find_experience(doc.text, doc.title_end)  # also "experience required, no figure", for seniority
        exp = asked if asked is not None and asked.hh_id is not None else None
        line = top_label(votes["line"])
        position = top_label(votes["position"], "other")
        stype = support_type(votes["support_type"])
        tier = seniority(votes["seniority"], asked, [], line.label, position.label, stype.label)
        wf = work_format(votes["work_format"])

        evidence = _Evidence(doc, title, description)
        result = {
            "id": id,
            "language": detect_language(doc.text),
            "support_type": evidence.label(stype),
            "seniority": evidence.label(tier, exp_span=asked if tier.reason in _EXPERIENCE_REASONS else None),
            "experience": evidence.experience(exp),
            "work_format": evidence.label(wf),
            "facts": {
                "line": evidence.fact(line, int),
                "position": evidence.fact(position),
                **{k: evidence.extracted(v) for k, v in extract_facts(doc, self.lemmatizer.lemma).items()},
            },
            "sections": evidence.sections(),
            "versions": self.versions,
        }
        rules = rule_decisions(result)
        audience_opinion = None
        if self.model is not None:
            feats = self.model.features(doc, hits, exp.hh_id if exp else None,
                                        {f: d["label"] for f, d in rules.items()})
            for field, (label, prob, probs, contrib) in self.model.predict(feats).items():
                fm = self.model.fields[field]
                if field == "audience":
                    audience_opinion = (fm, label, prob, probs, contrib)
                    continue
                block = result[field]
                block["rule_label"] = block["label"]
                block["model"] = {"label": label, "confidence": round(prob, 3),
                                  "probabilities": {k: round(v, 3) for k, v in probs.items()},
                                  "top_features": [evidence.feature(name, weight, idx)
                                                   for name, weight, idx in contrib]}
                block["label"], block["confidence"], block["decided_by"] = fuse(field, block, label, prob, probs,
                                                                                fm.strategy, fm.rule_floor)
        facts = result["facts"]
        if result["support_type"]["label"] != "technical":
            facts["vector"] = None  # TAXONOMY.md §5: technical support only
        facts["audience"] = _audience(facts["audience"], rules["audience"], result["support_type"], audience_opinion,
                                      evidence)
        result["hh"] = hh_block({
            "support_type": result["support_type"]["label"], "seniority": result["seniority"]["label"],
            "work_format": result["work_format"]["label"], "experience_id": exp.hh_id if exp else None,
            "position": position.label, "title": title,
            "facts": facts,
        })
        return result, doc, hits, rules


def rule_decisions(result: dict) -> dict[str, dict]:
    """The rules' own decision per field (label, confidence, reason), taken before any model decision: the model
    reads the labels as features, and fusion weighs the model against these."""
    rules = {f: {k: result[f][k] for k in ("label", "confidence", "reason")}
             for f in ("support_type", "seniority", "work_format")}
    audience = result["facts"]["audience"]
    rules["audience"] = {"label": audience["value"], "confidence": audience["confidence"], "reason": None} \
        if audience else {"label": "none", "confidence": 0.5, "reason": None}
    return rules


def _audience(rule_fact: dict | None, rule: dict, stype: dict, opinion, evidence: _Evidence) -> dict | None:
    """Whom the support serves (TAXONOMY.md §5). No support, no audience; customer service and selling serve the
    company's clients by definition (§1); technical support may serve either, and there the model (trained on
    technical ads) is fused with the audience cues."""
    label = stype["label"]
    if label == "not_support":
        return None
    if label in ("customer", "sales_hybrid"):
        if rule_fact is not None and rule_fact["value"] == "external":
            return rule_fact
        return {"value": "external", "confidence": 0.6, "evidence": [
            {"rule": "audience.customer_support", "field": e["field"], "start": e["start"], "end": e["end"],
             "text": e["text"]} for e in stype["evidence"][:1]]}
    if opinion is None:
        return rule_fact
    fm, model_label, prob, probs, contrib = opinion
    value, confidence, decided_by = fuse("audience", rule, model_label, prob, probs, fm.strategy, fm.rule_floor)
    if value == "none":
        return None
    if decided_by != "model" and rule_fact is not None:
        return {**rule_fact, "confidence": confidence}
    # prepositions carry weight in a bag of lemmas but tell a reader nothing: evidence shows words of 3+ letters
    tokens = {}  # first feature per token: two features of one word would show the same span twice
    for name, _, idx in contrib:
        for i in idx[:1]:
            if evidence.doc.ends[i] - evidence.doc.starts[i] >= 3:
                tokens.setdefault(i, name)
    spans = [{"rule": f"model.audience:{name}", **evidence.span(evidence.doc.starts[i], evidence.doc.ends[i])}
             for i, name in tokens.items()]
    return {"value": value, "confidence": confidence, "evidence": spans[:5]}


class _Evidence:
    """Turns hits and spans of Document.text into evidence on the caller's text."""

    def __init__(self, doc: Document, title: str, description: str) -> None:
        self.doc = doc
        self.src = {"title": title or "", "description": description or ""}

    def span(self, start: int, end: int, **extra) -> dict:
        field, s, e = self.doc.source_span(start, end)
        return {**extra, "field": field, "start": s, "end": e, "text": self.src[field][s:e]}

    def hit(self, h: Hit) -> dict:
        return self.span(h.char_start, h.char_end, rule=h.rule.id, label=h.rule.label, weight=h.rule.weight)

    def label(self, d: Decision, exp_span=None) -> dict:
        ev = [self.hit(h) for h in d.hits[:12]]
        if exp_span is not None:
            ev.insert(0, self.span(exp_span.start, exp_span.end, rule="experience.years", label=d.label, weight=None))
        return {"label": d.label, "confidence": d.confidence, "decided_by": "rule", "reason": d.reason,
                "evidence": ev, "scores": {k: round(v, 3) for k, v in d.scores.items()}}

    def feature(self, name: str, weight: float, token_idx: list[int]) -> dict:
        spans = []
        for i in token_idx[:3]:
            spans.append(self.span(self.doc.starts[i], self.doc.ends[i]))
        return {"feature": name, "weight": round(weight, 3), "spans": spans}

    def extracted(self, fact: dict | None) -> dict | None:
        """A fact of service/facts.py with its Document.text spans mapped to the caller's text."""
        if fact is None:
            return None
        out = {k: v for k, v in fact.items() if k != "spans"}
        out["evidence"] = [self.span(s, e, rule=rid) for s, e, rid in fact["spans"][:8]]
        return out

    def fact(self, d: Decision, cast=str) -> dict | None:
        if d.label is None:
            return None
        return {"value": cast(d.label), "confidence": d.confidence, "evidence": [self.hit(h) for h in d.hits[:5]]}

    def experience(self, exp) -> dict | None:
        if exp is None:
            return None
        return {"id": exp.hh_id, "min_years": exp.min_years, "max_years": exp.max_years, "required": exp.required,
                "evidence": [self.span(exp.start, exp.end, rule="experience.years", label=exp.hh_id, weight=None)]}

    def sections(self) -> list[dict]:
        """The section runs after the title, as spans from a run's first token to its last."""
        doc = self.doc
        n_title = doc.n_title
        return [self.span(doc.starts[start], doc.ends[end - 1], name=name) for name, start, end in doc.runs
                if start >= n_title]


@lru_cache(maxsize=1)
def default_pipeline() -> Pipeline:
    return Pipeline()
