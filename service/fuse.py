"""Rules + model → one label. Per field, training picks one of three strategies by its score
on the held-out split (the rules were written on the train split, so cross-validation there
flatters them): `rules`, `model`, or `fused`, whose precedence is:

1. exclusion rules have already removed the cues they veto (service/rules.py);
2. decisive rule evidence wins: for seniority a people-manager title, a stated experience
   requirement or a named support line; for either field a rule decision at or above the
   confidence floor, which training also picks on the held-out split (`rule_floor`);
3. otherwise the model decides, unless it is less sure than the rules;
4. when both agree the label is `fused` and its confidence the higher of the two.
"""
from __future__ import annotations

FUSION = {
    "support_type": {"rule_confidence_floor": 0.8},
    "seniority": {"decisive_rule_reasons": ["manages people", "experience requirement", "support line"]},
}
STRATEGIES = ("rules", "model", "fused")
RULE_FLOORS = (0.7, 0.8, 0.9, 0.95, 1.01)  # 1.01: no rule confidence is decisive by itself


def fuse(field: str, rule: dict, model_label: str | None, model_prob: float,
         probs: dict[str, float], strategy: str = "fused", rule_floor: float | None = None) -> tuple[str, float, str]:
    """(label, confidence, decided_by) for one field. `strategy` is chosen per field at training
    time on the held-out split (models/*/meta.json → fusion)."""
    r_label, r_conf = rule["label"], rule["confidence"]
    if model_label is None or strategy == "rules":
        return r_label, r_conf, "rule"
    if model_label == r_label:
        return r_label, round(max(r_conf, model_prob), 3), "fused"
    if strategy == "model":
        return model_label, round(model_prob, 3), "model"
    policy = FUSION.get(field, {})
    if rule.get("reason") in policy.get("decisive_rule_reasons", ()):
        return r_label, r_conf, "rule"
    floor = rule_floor if rule_floor is not None else policy.get("rule_confidence_floor", 1.01)
    if r_conf >= floor:
        return r_label, r_conf, "rule"
    if model_prob >= r_conf or probs.get(r_label, 0.0) < 0.2:
        return model_label, round(model_prob, 3), "model"
    return r_label, r_conf, "rule"
