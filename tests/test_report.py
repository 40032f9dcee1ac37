"""`vactag report` on a hand-made tagged file whose every number is worked out by hand below."""
from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from service.report import build, company_key, quantile, read_tagged


def ad(id_, support, tier, fmt, exp=None, source=None, salary=None, city=None):
    facts = {"salary": {"value": salary} if salary else None, "city": {"value": city} if city else None}
    row = {"id": id_, "support_type": {"label": support}, "seniority": {"label": tier},
           "work_format": {"label": fmt}, "experience": {"id": exp} if exp else None, "facts": facts}
    if source:
        row["source"] = source
    return row


ROWS = [
    ad("r1", "technical", "specialist", "office", "between1And3",
       {"employer": 'ООО "Ромашка"', "city": "Москва", "salary_from": 50000, "salary_to": 70000,
        "salary_currency": "RUR", "salary_gross": False, "published_at": "2021-09-30T08:43:42+0300"}),  # 60 000 net
    ad("r2", "technical", "senior", "remote", "between3And6",
       {"employer": "Ромашка, ООО", "city": "Москва", "salary_from": 100000, "salary_currency": "RUR",
        "salary_gross": True}),  # 100 000 gross → 87 000 net
    ad("r3", "customer", "entry", "office", "noExperience", {"employer": "Лютик", "city": "Казань"}),
    ad("r4", "customer", "entry", "remote", "noExperience", {"employer": "Лютик"}, city="Москва"),  # city from text
    ad("r5", "sales_hybrid", "lead", "hybrid", None,  # experience from the feed's field
       {"employer": "АО «Василёк»", "city": "Алматы", "experience": "moreThan6", "salary_from": 2000,
        "salary_currency": "USD", "published_at": "2023-03-01T10:00:00+0300"}),
    ad("r6", "technical", "specialist", "office", "between1And3", {"city": "Казань"},  # no employer
       salary={"from": 300, "to": None, "currency": "RUB", "gross": None, "period": "hour"}),  # pay, not monthly
    ad("r7", "not_support", "specialist", "office", None, {"employer": "Лютик", "city": "Москва"}),
    ad("r8", "technical", "specialist", "office", "between1And3", {"employer": "ромашка", "city": "Москва"},
       salary={"from": 30000, "to": 50000, "currency": "RUB", "gross": None, "period": "month"}),  # 40 000 as stated
    ad("r9", "technical", "specialist", "office", "between1And3",
       {"employer": "Ромашка", "city": "Москва", "salary_from": 45000, "salary_to": 45000,
        "salary_currency": "RUR", "salary_gross": False}),  # 45 000 net
]


@pytest.fixture
def tagged(tmp_path: Path) -> Path:
    path = tmp_path / "tagged.jsonl"
    lines = [json.dumps(r, ensure_ascii=False) for r in ROWS]
    lines.insert(3, json.dumps({"id": "bad", "error": {"status": 422}}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def by(rows: list[dict], key: str) -> dict[str, dict]:
    return {r[key]: r for r in rows}


@pytest.mark.parametrize("name,key", [('ООО "Ромашка"', "ромашка"), ("Ромашка, ООО", "ромашка"),
                                      ("АО «Василёк»", "василек"), ("ИП Иванов И.И.", "иванов и и"), (None, None)])
def test_company_key(name, key):
    assert company_key(name) == key


def test_quantile_is_numpys_linear():
    assert quantile([40000, 45000, 60000], 0.1) == 41000
    assert quantile([40000, 45000, 60000], 0.5) == 45000
    assert quantile([40000, 45000, 60000], 0.9) == 57000
    assert quantile([], 0.5) is None


def test_report_numbers_by_hand(tagged: Path):
    ads, errors = read_tagged(tagged)
    rep = build(ads, errors, top_cities=2)
    f = rep.facts
    assert (f["ads"], f["error_lines"], f["companies"], f["ads_without_employer"]) == (9, 1, 3, 1)
    assert (f["support_ads"], f["support_companies"], f["support_companies_with_salary"]) == (8, 3, 2)
    assert f["share_support_companies_with_salary"] == 0.6667
    assert (f["first_date"], f["last_date"]) == ("2021-09-30", "2023-03-01")
    assert (f["remote_share_of_support_ads"], f["remote_share_of_support_companies"]) == (0.25, 0.6667)
    assert (f["sales_hybrid_share_of_support_ads"], f["sales_hybrid_share_of_support_companies"]) == (0.125, 0.3333)
    assert (f["lead_support_ads"], f["lead_support_companies"], f["lead_share_of_support_ads"]) == (1, 1, 0.125)
    assert f["salary_basis"] == {"net": 2, "gross→net": 1, "as stated": 2}

    t = by(rep.tables["by_support_type"], "support_type")
    assert {k: (r["ads"], r["ads_with_salary"], r["companies"], r["companies_with_salary"])
            for k, r in t.items()} == {"technical": (5, 5, 1, 1), "customer": (2, 0, 1, 0),
                                       "sales_hybrid": (1, 1, 1, 1), "not_support": (1, 0, 1, 0)}

    e = by(rep.tables["support_by_experience"], "experience")
    assert {k: (r["ads"], r["companies"], r["companies_with_salary"], r["share_of_companies"])
            for k, r in e.items()} == {"none": (2, 1, 0, 0.3333), "1–3": (4, 1, 1, 0.3333),
                                       "3–6": (1, 1, 1, 0.3333), "6+": (1, 1, 1, 0.3333), "unknown": (0, 0, 0, 0.0)}
    s = {(r["experience"], r["currency"]): (r["ads"], r["p10"], r["median"], r["p90"])
         for r in rep.tables["salary_by_experience"]}
    assert s == {("1–3", "RUB"): (3, 41000, 45000, 57000), ("3–6", "RUB"): (1, 87000, 87000, 87000),
                 ("6+", "USD"): (1, 2000, 2000, 2000)}

    tiers = by(rep.tables["support_by_seniority"], "seniority")
    assert {k: (r["ads"], r["ads_with_salary"], r["companies"]) for k, r in tiers.items()} == {
        "entry": (2, 0, 1), "specialist": (4, 4, 1), "senior": (1, 1, 1), "lead": (1, 1, 1)}
    ts = {(r["seniority"], r["currency"]): r["median"] for r in rep.tables["salary_by_seniority"]}
    assert ts == {("specialist", "RUB"): 45000, ("senior", "RUB"): 87000, ("lead", "USD"): 2000}

    c = rep.tables["support_by_city"]
    assert [(r["city"], r["ads"], r["companies"], r["companies_with_salary"], r["share_ads_with_salary"])
            for r in c] == [("Москва", 5, 2, 1, 0.8), ("Казань", 2, 1, 0, 0.5)]
    w = by(rep.tables["support_by_work_format"], "work_format")
    assert {k: (r["ads"], r["share_of_ads"]) for k, r in w.items()} == {
        "remote": (2, 0.25), "hybrid": (1, 0.125), "office": (5, 0.625), "field": (0, 0.0)}
    lead = by(rep.tables["leadership_by_support_type"], "support_type")
    assert (lead["sales_hybrid"]["lead_ads"], lead["technical"]["lead_ads"]) == (1, 0)


def test_join_with_input_when_tagged_has_no_source(tmp_path: Path):
    tagged = tmp_path / "t.jsonl"
    tagged.write_text(json.dumps(ad("x1", "customer", "entry", "office")) + "\n", encoding="utf-8")
    feed = tmp_path / "in.jsonl"
    feed.write_text(json.dumps({"id": "x1", "title": "t", "employer": "Лютик", "city": "Казань",
                                "salary_from": 10, "salary_currency": "RUR"}, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    [a], _ = read_tagged(tagged, feed)
    assert (a.company, a.city, a.salary, a.currency) == ("лютик", "Казань", 10, "RUB")


def test_report_command_writes_markdown_csv_png(tagged: Path, tmp_path: Path):
    pytest.importorskip("matplotlib")
    out = tmp_path / "rep"
    vactag = str(Path(sys.executable).with_name("vactag"))
    proc = subprocess.run([vactag, "report", str(tagged), "--out", str(out), "--top-cities", "2"],
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "| technical | 5 | 5 | 100.0% | 1 | 1 | 100.0% |" in md
    assert "companies stating a salary: 2 (66.7%)" in md
    with open(out / "salary_by_experience.csv", encoding="utf-8") as fh:
        assert next(csv.DictReader(fh)) == {"experience": "1–3", "currency": "RUB", "ads": "3", "p10": "41000",
                                            "median": "45000", "p90": "57000"}
    for png in ("support_type.png", "experience.png", "seniority.png", "cities.png", "salary_rub_by_seniority.png"):
        assert (out / png).read_bytes()[:4] == b"\x89PNG"
