"""Rule hits → one label per field, with confidence and the hits that decided it.

Each decision follows TAXONOMY.md's tie-breaks; the thresholds are weights of
rules/*.yaml (a weight-3 phrase is one clear cue, weight 1 a weak one).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .experience import Experience
from .rules import Hit


@dataclass(slots=True)
class Decision:
    label: str | None
    confidence: float
    hits: list[Hit]
    reason: str
    scores: dict[str, float] = field(default_factory=dict)


class Votes:
    """Hits of one field grouped by label (and by rule id)."""

    def __init__(self, hits: list[Hit]) -> None:
        self.hits = hits
        self.by_label: dict[str, float] = defaultdict(float)
        self.by_rule: dict[str, float] = defaultdict(float)
        for h in hits:
            self.by_label[h.rule.label] += h.rule.weight
            self.by_rule[h.rule.id] += h.rule.weight

    def __getitem__(self, label: str) -> float:
        return self.by_label.get(label, 0.0)

    def rule(self, rule_id: str) -> float:
        return self.by_rule.get(rule_id, 0.0)

    def of(self, *labels: str) -> list[Hit]:
        return [h for h in self.hits if h.rule.label in labels]

    def of_rules(self, *prefixes: str) -> list[Hit]:
        return [h for h in self.hits if h.rule.id.startswith(prefixes)]


def _margin_confidence(best: float, second: float, floor: float = 0.55) -> float:
    if best <= 0:
        return floor
    return round(min(0.97, floor + (1 - floor) * (best - second) / (best + second + 2)), 3)


def support_type(v: Votes) -> Decision:
    tech, cust, generic = v["technical"], v["customer"], v["support"]
    sell, service, not_support = v["selling"], v["service"], v["not_support"]
    support_title = v.rule("st.tech.title") + v.rule("st.cust.title") + v.rule("st.support.generic")
    duties = v.rule("st.tech.body") + v.rule("st.tech.troubleshoot") + v.rule("st.cust.duties")
    scores = {"technical": tech, "customer": cust, "support": generic, "selling": sell,
              "service": service, "not_support": not_support}

    if v.rule("st.not.title") and not support_title:
        return Decision("not_support", _margin_confidence(not_support, duties / 2), v.of("not_support"),
                        "title names a non-support job", scores)
    if sell >= 3:
        sell_duty = v.rule("st.sell.plan")
        service_side = duties + service + support_title
        if sell_duty and service_side >= 4 or (v.rule("st.sell.title") and service >= 3):
            return Decision("sales_hybrid", _margin_confidence(min(sell, service_side), 1), v.of("selling", "service")
                            + v.of("customer", "technical", "support")[:3], "support/service duties plus a selling duty",
                            scores)
        if not support_title or sell_duty >= 6:
            return Decision("not_support", _margin_confidence(sell, service_side), v.of("selling"),
                            "a selling job without post-sale service", scores)
    support = tech + cust + generic
    if support < 2 or not_support > support + 2:
        return Decision("not_support", _margin_confidence(max(not_support, 2), support), v.of("not_support"),
                        "no support duty found", scores)
    if tech >= cust:
        return Decision("technical", _margin_confidence(tech, cust), v.of("technical", "support"),
                        "technical support cues outweigh customer-service ones", scores)
    return Decision("customer", _margin_confidence(cust + generic, tech), v.of("customer", "support"),
                    "customer-service cues outweigh technical ones", scores)


_TIER_BY_LINE = {"1": "entry", "2": "specialist", "3": "senior"}


def seniority(v: Votes, exp: Experience | None, exp_hit: list[Hit], line: str | None, position: str | None,
              stype: str | None) -> Decision:
    scores = dict(v.by_label)
    lead_title = v.rule("sn.lead.title")
    lead_duty = v.rule("sn.lead.duties") + v.rule("sn.lead.requirements")
    if lead_title or lead_duty >= 5:
        return Decision("lead", 0.9 if lead_title else 0.75, v.of("lead"), "manages people", scores)
    if exp is not None:
        if not exp.required:
            tier = "entry"
        else:
            years = exp.min_years or 0
            tier = "entry" if years < 1 else "specialist" if years < 3 else "senior"
        return Decision(tier, 0.85, exp_hit, "experience requirement", scores)
    if line in _TIER_BY_LINE:
        return Decision(_TIER_BY_LINE[line], 0.75, v.of_rules("sn.spec.line2", "sn.senior.line3", "sn.entry.line1")
                        or v.of_rules("sn."), "support line", scores)
    title_senior = v.rule("sn.senior.title")
    title_entry = v.rule("sn.entry.title")
    if title_senior and title_senior >= title_entry:
        return Decision("senior", 0.7, v.of_rules("sn.senior.title"), "title word", scores)
    if v.rule("sn.entry.training") or title_entry:
        return Decision("entry", 0.7, v.of_rules("sn.entry."), "entry cues: title, training, no experience", scores)
    if v.rule("sn.spec.title"):
        return Decision("specialist", 0.65, v.of_rules("sn.spec.title"), "engineer title", scores)
    if v.rule("sn.depth.senior") >= 2:
        return Decision("senior", 0.55, v.of_rules("sn.depth."), "expert-depth requirements", scores)
    if position == "operator" or stype == "customer":
        return Decision("entry", 0.55, [], "default for an operator / customer-service role", scores)
    return Decision("specialist", 0.5, [], "default for a specialist / engineer role", scores)


def work_format(v: Votes) -> Decision:
    scores = dict(v.by_label)
    remote_ruled_out = v.rule("wf.remote.not_context") > 0 or any(h.rule.kind == "exclude" for h in v.of("remote"))
    remote = 0.0 if remote_ruled_out else v["remote"]
    hybrid, fieldw, office = v["hybrid"], v["field"], v["office"]
    if hybrid >= 4:
        return Decision("hybrid", _margin_confidence(hybrid, remote), v.of("hybrid"), "part office, part home", scores)
    if remote >= 3:
        return Decision("remote", _margin_confidence(remote, office + fieldw), [h for h in v.of("remote")
                        if h.rule.kind != "exclude"], "remote work offered", scores)
    if fieldw >= 4:
        return Decision("field", _margin_confidence(fieldw, office), v.of("field"), "travelling to clients or sites",
                        scores)
    conf = 0.9 if office else 0.75
    return Decision("office", conf, v.of("office") + v.of("remote"), "on site (the default)", scores)


def top_label(v: Votes, default: str | None = None) -> Decision:
    if not v.by_label:
        return Decision(default, 0.5 if default else 0.0, [], "no cue; default" if default else "not stated")
    ranked = sorted(v.by_label.items(), key=lambda kv: -kv[1])
    best, score = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    return Decision(best, _margin_confidence(score, second, 0.6), v.of(best), "strongest cue", dict(v.by_label))
