"""Our labels and facts → an hh.ru-compatible block (hh.ru's ids; tables in rules/vocab/hh.yaml).

Input (`result_like`): support_type, seniority, work_format (label strings), experience_id,
position, facts (the values of service.facts.extract_facts) and optionally title.
"""
from __future__ import annotations

from functools import lru_cache

from .salary import load_vocab


@lru_cache(maxsize=1)
def tables() -> dict:
    return load_vocab("hh.yaml")


HH_CURRENCY_TO_ISO = {v: k for k, v in load_vocab("hh.yaml")["currency"].items()}


def _value(facts: dict, name: str):
    f = (facts or {}).get(name)
    if isinstance(f, dict) and "value" in f:
        return f["value"]
    return f


def _label(x):
    return x.get("label") if isinstance(x, dict) else x


def salary_range(salary: dict | None) -> dict | None:
    if not salary or (salary.get("from") is None and salary.get("to") is None):
        return None
    t = tables()
    return {"from": salary.get("from"), "to": salary.get("to"),
            "currency": t["currency"].get(salary.get("currency"), salary.get("currency")),
            "gross": salary.get("gross"),
            "mode": {"id": t["salary_mode"].get(salary.get("period") or "month", "MONTH")}}


def professional_roles(support_type, seniority, position, title: str = "") -> list[dict]:
    t = tables()
    have = {"support_type": support_type, "seniority": seniority, "position": position or "other"}
    low = (title or "").lower()
    for rule in t["professional_roles"]:
        ok = True
        for key, allowed in rule["when"].items():
            if key == "title_has":
                ok = any(a in low for a in allowed)
            else:
                ok = have.get(key) in allowed
            if not ok:
                break
        if ok:
            rid = str(rule["id"])
            return [{"id": rid, "name": t["role_names"].get(rid)}]
    return []


def hh_block(result_like: dict) -> dict:
    t = tables()
    facts = result_like.get("facts") or {}
    wf = _label(result_like.get("work_format"))
    schedule = _value(facts, "schedule")
    employment = _value(facts, "employment")
    days = (facts.get("schedule") or {}).get("days") if isinstance(facts.get("schedule"), dict) else None
    stype = _label(result_like.get("support_type"))
    return {
        "experience": {"id": result_like["experience_id"]} if result_like.get("experience_id") else None,
        "work_format": [{"id": i} for i in t["work_format"].get(wf, [])] if wf else [],
        "employment_form": {"id": t["employment_form"][employment]} if employment in t["employment_form"] else None,
        "work_schedule_by_days": [{"id": t["work_schedule_by_days"][d]} for d in (days or [])
                                  if d in t["work_schedule_by_days"]] or None,
        "schedule": {"id": {"full_day": "fullDay", "shift": "shift", "flexible": "flexible"}[schedule]}
        if schedule in ("full_day", "shift", "flexible") else ({"id": "remote"} if wf == "remote" else None),
        "salary_range": salary_range(_value(facts, "salary")),
        "professional_roles": professional_roles(stype, _label(result_like.get("seniority")),
                                                 _value(facts, "position") or _label(result_like.get("position")),
                                                 result_like.get("title") or ""),
    }
