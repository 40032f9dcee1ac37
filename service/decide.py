"""Rule hits → one label per field, with confidence and the hits that decided it.

Each decision follows TAXONOMY.md's tie-breaks; the thresholds are weights of
rules/*.yaml (a weight-3 phrase is one clear cue, weight 1 a weak one).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .experience import Experience
from .rules import Hit

_TITLE_ONLY = frozenset({"title"})


@dataclass(slots=True)
class Decision:
    label: str | None
    confidence: float
    hits: list[Hit]
    reason: str
    scores: dict[str, float] = field(default_factory=dict)


class Votes:
    """Hits of one field grouped by label (and by rule id).

    A rule counts once in the title and at most three times in the text, so a title
    that repeats itself ("Оператор call-центра / колл-центра") does not outvote the duties.
    """

    def __init__(self, hits: list[Hit]) -> None:
        self.hits = hits
        self.by_label: dict[str, float] = defaultdict(float)
        self.by_rule: dict[str, float] = defaultdict(float)
        counts: dict[str, int] = defaultdict(int)
        for h in hits:
            if h.rule.kind == "exclude":
                continue
            cap = 1 if h.rule.sections == _TITLE_ONLY else 3
            if counts[h.rule.id] < cap:
                counts[h.rule.id] += 1
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
    """TAXONOMY.md §1: duties beat the title; measured selling on a support job → sales_hybrid;
    a selling job becomes sales_hybrid only with post-sale care of existing clients."""
    tech, cust = v["technical"], v["customer"]
    support_title = (v.rule("st.tech.title") + v.rule("st.cust.title") + v.rule("st.support.generic")
                     + v.rule("st.cust.no_sales_title"))
    if v.rule("st.tech.sysadmin_title") and (support_title or v.rule("st.tech.user_duties")):
        support_title += v.rule("st.tech.sysadmin_title")  # admin work that serves users is support
    weak_title = v.rule("st.cust.title_weak")
    tech_duty = (v.rule("st.tech.body") + v.rule("st.tech.troubleshoot") + v.rule("st.tech.questions")
                 + v.rule("st.tech.user_duties"))
    cust_duty = v.rule("st.cust.duties") + v.rule("st.support.channels")  # channels: support of either kind
    measured, sell_duty, sell_title = v.rule("st.sell.measured"), v.rule("st.sell.duty"), v.rule("st.sell.title")
    service = v["service"]
    care = cust_duty + tech_duty + service - v.rule("st.service.weak")  # service duties, weak cues left out
    scores = {"technical": tech, "customer": cust, "support": v["support"], "selling": v["selling"],
              "service": service, "not_support": v["not_support"]}
    # the duties decide the kind when they say enough; the title otherwise
    if tech_duty + v.rule("st.cust.duties") >= 1:
        kind = "technical" if tech_duty >= v.rule("st.cust.duties") else "customer"
    else:
        kind = "technical" if tech >= cust and tech > 0 else "customer"
    support_hits = v.of("technical", "customer", "support")

    if v.rule("st.tech.sysadmin_title") and not support_title:
        return Decision("not_support", _margin_confidence(2 + v["not_support"], tech), v.of("technical", "not_support"),
                        "admin work with no user-facing support duty", scores)
    if support_title and v.rule("st.not.title") and tech_duty + v.rule("st.tech.stack") + cust_duty < 3:
        return Decision("not_support", _margin_confidence(v["not_support"], support_title), v.of("not_support"),
                        "title names a non-support job; support is only a department name", scores)
    if support_title and not sell_title:
        if (measured >= 3 and (kind == "customer" or measured >= 6 or sell_duty >= 2)) or (
                kind == "customer" and sell_duty >= 4 and not v.rule("st.tech.title")):
            return Decision("sales_hybrid", _margin_confidence(measured + sell_duty, 2),
                            v.of("selling") + support_hits[:4],
                            "a support job with a measured selling duty", scores)
        if sell_duty + measured >= 2 and care == 0 and not v.rule("st.tech.title"):
            return Decision("not_support", _margin_confidence(sell_duty + measured, 0), v.of("selling"),
                            "a call-centre title over a selling job: no service duty", scores)
        return Decision(kind, _margin_confidence(max(tech, cust), min(tech, cust)), support_hits,
                        f"{kind} support title; duties agree or are silent", scores)
    if v.rule("st.not.title"):
        return Decision("not_support", _margin_confidence(v["not_support"], (tech_duty + cust_duty) / 2),
                        v.of("not_support"), "title names a non-support job", scores)
    selling = measured + sell_duty + sell_title
    if selling >= 3:
        all_care = service + cust_duty + tech_duty
        if service >= 3 or (service >= 1.5 and cust_duty + tech_duty >= 1.5) or (
                weak_title and measured >= 3 and all_care >= 1.5) or v.rule("st.service.title"):
            return Decision("sales_hybrid", _margin_confidence(all_care, selling / 2), v.of("selling", "service")
                            + support_hits[:4], "selling plus post-sale care of clients", scores)
        return Decision("not_support", _margin_confidence(selling, all_care), v.of("selling"),
                        "a selling job without post-sale care", scores)
    if weak_title and care >= 1.5:
        return Decision(kind, _margin_confidence(max(tech, cust), min(tech, cust)), support_hits,
                        "client-facing title with service duties", scores)
    duty_support = v.rule("st.tech.body") + cust_duty
    hands_on = sum(h.rule.weight for h in v.of_rules("st.tech.troubleshoot")
                   if h.section in ("duties", "intro", "body"))
    if duty_support >= 3 or hands_on >= 3:
        return Decision(kind, _margin_confidence(max(tech, cust), min(tech, cust)), support_hits,
                        "support duties in the text", scores)
    # the cues that were found but fell short are the evidence a reader needs here
    return Decision("not_support", _margin_confidence(2 + v["not_support"], tech + cust), v.of("not_support") or v.hits,
                    "no support duty found", scores)


_TIER_BY_LINE = {"1": "entry", "2": "specialist", "3": "senior"}


def seniority(v: Votes, exp: Experience | None, exp_hit: list[Hit], line: str | None, position: str | None,
              stype: str | None) -> Decision:
    scores = dict(v.by_label)
    lead_title = v.rule("sn.lead.title")
    lead_duty = v.rule("sn.lead.duties") + v.rule("sn.lead.requirements")
    if lead_title or lead_duty >= 5:
        return Decision("lead", 0.9 if lead_title else 0.75, v.of("lead"), "manages people", scores)
    asked = exp is not None and exp.hh_id is None  # experience required, no figure: not by itself a tier
    wished_only = exp is not None and exp.min_years is None and not asked  # "опыт желателен": a weaker cue
    if exp is not None and not (wished_only or asked):
        if not exp.required:
            tier = "entry"
        else:
            years = exp.min_years or 0
            tier = "entry" if years < 1 else "specialist" if years < 3 else "senior"
        return Decision(tier, 0.85, exp_hit, "experience requirement", scores)
    if wished_only:
        return Decision("entry", 0.6, exp_hit, "experience only desirable", scores)
    if line in _TIER_BY_LINE:
        return Decision(_TIER_BY_LINE[line], 0.75, v.of_rules("sn.spec.line2", "sn.senior.line3", "sn.entry.line1")
                        or v.of_rules("sn."), "support line", scores)
    title_senior = v.rule("sn.senior.title")
    title_entry = v.rule("sn.entry.title")
    if title_senior and title_senior >= title_entry:
        return Decision("senior", 0.7, v.of_rules("sn.senior.title"), "title word", scores)
    # experience asked for without a figure outranks "научим" / "студентам", not an entry title word
    if asked and not title_entry and stype != "customer" and position != "operator":
        return Decision("specialist", 0.55, exp_hit, "experience required, no figure", scores)
    if v.rule("sn.entry.training") or title_entry:
        return Decision("entry", 0.7, v.of_rules("sn.entry."), "entry cues: title, training, no experience", scores)
    if v.rule("sn.spec.title"):
        return Decision("specialist", 0.65, v.of_rules("sn.spec.title"), "engineer title", scores)
    if v.rule("sn.depth.specialist") >= 1:
        return Decision("specialist", 0.55, v.of_rules("sn.depth.specialist"), "specialised requirements", scores)
    if v.rule("sn.depth.senior") >= 2:
        return Decision("senior", 0.55, v.of_rules("sn.depth."), "expert-depth requirements", scores)
    if position not in ("engineer", "manager"):
        return Decision("entry", 0.55, [], "no signal: a role that is not an engineer's or a manager's starts at entry",
                        scores)
    return Decision("specialist", 0.5, [], "no signal: an engineer's or a manager's role defaults to specialist",
                    scores)


def work_format(v: Votes) -> Decision:
    scores = dict(v.by_label)
    remote = v["remote"]
    hybrid, fieldw, office = v["hybrid"], v["field"], v["office"]
    # "удалённо, гибрид или офис — на выбор": fully remote is offered, so remote (TAXONOMY.md §4);
    # "удалённо с визитами в офис" / "1 день удалённо" is hybrid whatever else the ad says
    if v.rule("wf.hybrid.partial") or v.rule("wf.hybrid.days") or (hybrid >= 4 and remote < 3):
        return Decision("hybrid", _margin_confidence(hybrid, remote), v.of("hybrid"), "part office, part home", scores)
    if remote >= 3:
        return Decision("remote", _margin_confidence(remote, office + fieldw), v.of("remote"), "remote work offered",
                        scores)
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
