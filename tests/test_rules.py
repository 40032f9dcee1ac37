"""Every rule's `match` / `no_match` example is a test case, through the real rule files."""
import pytest

from service.pipeline import default_pipeline
from service.rules import SECTIONS

RULES = default_pipeline().rules.rules


def _fired(text: str, rule_id: str) -> bool:
    # an example with a line break is a description (it starts with its section header); else a title
    title, body = ("", text) if "\n" in text else (text, "")
    _, hits = default_pipeline().hits(title, body)
    return any(h.rule.id == rule_id for h in hits)


def _examples(kind: str):
    for rule in RULES:
        for text in getattr(rule, kind):
            yield pytest.param(rule.id, text, id=f"{rule.id}:{text[:30]}")


@pytest.mark.parametrize("rule_id,text", list(_examples("match")))
def test_rule_matches_its_examples(rule_id, text):
    assert _fired(text, rule_id), f"{rule_id} should fire on {text!r}"


@pytest.mark.parametrize("rule_id,text", list(_examples("no_match")))
def test_rule_does_not_match_its_counter_examples(rule_id, text):
    assert not _fired(text, rule_id), f"{rule_id} should not fire on {text!r}"


def test_every_rule_is_documented_and_has_examples():
    for rule in RULES:
        assert rule.why.strip(), rule.id
        assert rule.match, f"{rule.id} has no match example"
        assert rule.no_match, f"{rule.id} has no no_match example"
        assert rule.sections is None or rule.sections <= set(SECTIONS)


def test_rule_ids_are_unique_and_versioned(pipeline):
    ids = [r.id for r in pipeline.rules.rules]
    assert len(ids) == len(set(ids))
    assert pipeline.rules.version


@pytest.mark.parametrize("text,negated", [
    ("Обязанности:\nконсультирование клиентов без продаж", True),
    ("Обязанности:\nпродажа услуг клиентам", False),
    ("Обязанности:\nпродажи не входят в обязанности. Продажа услуг", False),
])
def test_negation_drops_a_selling_cue(text, negated):
    fired = _fired(text, "st.sell.duty")
    assert fired is not negated
