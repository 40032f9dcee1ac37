"""`vactag report`: the market study's tables for any tagged feed (Markdown + CSV + PNG charts).

Counts are by **company** (deduplicated employers), as the study did, and by ad. Definitions:

* support ad: ``support_type`` is technical, customer or sales_hybrid; errors are left out;
* company: the employer name, normalised (case, ё, quotes, legal form such as ООО/АО/ИП removed);
  ads without an employer count in ad columns but in no company column;
* a group's "companies with salary": companies with at least one ad in the group that states pay;
  a company with ads in several groups counts in each (so company shares may sum past 100 %);
* salary: the feed's structured salary (``source.salary_*``, e.g. hh.ru's) when present, else the
  salary the tagger read from the text (``facts.salary``); one point per ad: the middle of a
  from–to range, else the bound given; monthly (yearly ÷ 12, weekly × 4.33; hourly, daily, per-shift
  and per-project pay are left out); **net where known**: a gross figure is converted with the
  flat income tax of its currency (RUB, BYN 13 %, KZT 10 %), net and unstated figures are kept as
  they are; currencies are never mixed (one row per currency);
* percentiles: linear interpolation between order statistics (numpy's default);
* experience bucket: the tagger's (from the text), else the feed's own ``experience`` field;
* city: the feed's city, else the city the tagger read from the text.
"""
from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

SUPPORT = ("technical", "customer", "sales_hybrid")
TYPES = (*SUPPORT, "not_support")
BUCKETS = {"noExperience": "none", "between1And3": "1–3", "between3And6": "3–6", "moreThan6": "6+"}
BUCKET_ORDER = ("none", "1–3", "3–6", "6+", "unknown")
TIERS = ("entry", "specialist", "senior", "lead")
FORMATS = ("remote", "hybrid", "office", "field")
NET_RATE = {"RUB": 0.87, "BYN": 0.87, "KZT": 0.90}  # 1 − flat personal income tax
CURRENCY = {"RUR": "RUB", "BYR": "BYN"}  # hh.ru codes → ISO 4217
PERIOD_TO_MONTH = {None: 1.0, "month": 1.0, "year": 1 / 12, "week": 4.33}

_LEGAL = re.compile(r"\b(?:ооо|оао|зао|пао|ао|нао|ип|тоо|оуп|чуп|уп|фгуп|гуп|муп|нко|ано|llc|ltd|inc|gmbh|corp|"
                    r"group|групп[аы]?|компания|company)\b\.?", re.IGNORECASE)
_PUNCT = re.compile(r"[\"'«»“”„`()\[\],.]+")
_SPACES = re.compile(r"\s+")


def company_key(name: str | None) -> str | None:
    """One key per employer however it is written: «ООО "Ромашка"» and 'Ромашка, ООО' → 'ромашка'."""
    if not name or not isinstance(name, str):
        return None
    key = name.lower().replace("ё", "е")
    key = _PUNCT.sub(" ", key)
    key = _LEGAL.sub(" ", key)
    key = _SPACES.sub(" ", key).strip()
    return key or name.strip().lower() or None


def quantile(values: list[float], q: float) -> float | None:
    """Linear interpolation between order statistics (numpy.percentile's default)."""
    if not values:
        return None
    xs = sorted(values)
    pos = (len(xs) - 1) * q
    lo = int(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


@dataclass
class Ad:
    id: str | None
    company: str | None
    employer: str | None
    city: str | None
    support_type: str
    seniority: str | None
    work_format: str | None
    bucket: str
    has_salary: bool
    salary: float | None = None  # monthly, net where known
    currency: str | None = None
    salary_basis: str | None = None  # "net", "gross→net", "as stated"
    published: str | None = None


def _salary(result: dict, source: dict) -> tuple[bool, float | None, str | None, str | None]:
    """(states pay, monthly point value, currency, basis)."""
    lo, hi = source.get("salary_from"), source.get("salary_to")
    currency, gross, period = source.get("salary_currency"), source.get("salary_gross"), None
    if lo is None and hi is None:
        fact = ((result.get("facts") or {}).get("salary") or {}).get("value") or {}
        lo, hi = fact.get("from"), fact.get("to")
        currency, gross, period = fact.get("currency"), fact.get("gross"), fact.get("period")
    lo = lo if isinstance(lo, (int, float)) and lo > 0 else None
    hi = hi if isinstance(hi, (int, float)) and hi > 0 else None
    if lo is None and hi is None:
        return False, None, None, None
    if period not in PERIOD_TO_MONTH or not currency:
        return True, None, None, None  # states pay, but not monthly or in no known currency
    point = (lo + hi) / 2 if lo is not None and hi is not None else (lo if lo is not None else hi)
    currency = CURRENCY.get(currency.upper(), currency.upper())
    point *= PERIOD_TO_MONTH[period]
    basis = "net" if gross is False else "as stated"
    if gross is True:
        if currency in NET_RATE:
            point, basis = point * NET_RATE[currency], "gross→net"
        else:
            basis = "gross"
    return True, round(point, 2), currency, basis


def ad_of(result: dict, extra: dict | None = None) -> Ad | None:
    """The report's view of one tagged line (None for an error line)."""
    if "error" in result or not result.get("support_type"):
        return None
    source = {**(extra or {}), **(result.get("source") or {})}
    experience = (result.get("experience") or {}).get("id") or source.get("experience")
    facts = result.get("facts") or {}
    city = source.get("city") or ((facts.get("city") or {}).get("value"))
    has, point, currency, basis = _salary(result, source)
    return Ad(id=result.get("id"), company=company_key(source.get("employer")), employer=source.get("employer"),
              city=city, support_type=result["support_type"]["label"],
              seniority=(result.get("seniority") or {}).get("label"),
              work_format=(result.get("work_format") or {}).get("label"),
              bucket=BUCKETS.get(experience, "unknown"), has_salary=has, salary=point, currency=currency,
              salary_basis=basis, published=source.get("published_at"))


def read_tagged(path: Path, input_path: Path | None = None) -> tuple[list[Ad], int]:
    """(ads, error lines). ``input_path``: the untagged feed, joined by id for employer/city/salary."""
    extra: dict[str, dict] = {}
    if input_path is not None:
        from .batch import source_of
        with open(input_path, "rb") as fh:
            for line in fh:
                if line.strip():
                    row = orjson.loads(line)
                    if isinstance(row, dict) and row.get("id") is not None:
                        extra[str(row["id"])] = source_of(row) or {}
    ads, errors = [], 0
    with open(path, "rb") as fh:
        for line in fh:
            if not line.strip():
                continue
            result = orjson.loads(line)
            ad = ad_of(result, extra.get(str(result.get("id"))))
            if ad is None:
                errors += 1
            else:
                ads.append(ad)
    return ads, errors


# --- tables -----------------------------------------------------------------------------------------

def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _companies(ads: Iterable[Ad]) -> set[str]:
    return {a.company for a in ads if a.company}


def _group_row(name: str, value: str, ads: list[Ad], all_companies: int | None = None) -> dict:
    companies = _companies(ads)
    paid = _companies(a for a in ads if a.has_salary)
    row = {name: value, "ads": len(ads), "ads_with_salary": sum(a.has_salary for a in ads),
           "share_ads_with_salary": _share(sum(a.has_salary for a in ads), len(ads)),
           "companies": len(companies), "companies_with_salary": len(paid),
           "share_companies_with_salary": _share(len(paid), len(companies))}
    if all_companies is not None:
        row["share_of_companies"] = _share(len(companies), all_companies)
    return row


def _salary_rows(name: str, groups: dict[str, list[Ad]]) -> list[dict]:
    rows = []
    for value, ads in groups.items():
        by_currency: dict[str, list[float]] = defaultdict(list)
        for a in ads:
            if a.salary is not None:
                by_currency[a.currency].append(a.salary)
        for currency, xs in sorted(by_currency.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            rows.append({name: value, "currency": currency, "ads": len(xs),
                         "p10": _round(quantile(xs, 0.1)), "median": _round(quantile(xs, 0.5)),
                         "p90": _round(quantile(xs, 0.9))})
    return rows


def _round(x: float | None) -> float | None:
    return None if x is None else round(x)


@dataclass
class Report:
    tables: dict[str, list[dict]] = field(default_factory=dict)
    facts: dict[str, Any] = field(default_factory=dict)


def build(ads: list[Ad], errors: int = 0, top_cities: int = 15) -> Report:
    rep = Report()
    support = [a for a in ads if a.support_type in SUPPORT]
    support_companies = len(_companies(support))
    dates = sorted(a.published[:10] for a in ads if isinstance(a.published, str) and len(a.published) >= 10)
    rep.facts = {
        "ads": len(ads), "error_lines": errors, "companies": len(_companies(ads)),
        "ads_without_employer": sum(a.company is None for a in ads),
        "support_ads": len(support), "support_companies": support_companies,
        "support_companies_with_salary": len(_companies(a for a in support if a.has_salary)),
        "first_date": dates[0] if dates else None, "last_date": dates[-1] if dates else None,
    }
    rep.facts["share_support_companies_with_salary"] = _share(rep.facts["support_companies_with_salary"],
                                                               support_companies)
    by_type = {t: [a for a in ads if a.support_type == t] for t in TYPES}
    rep.tables["by_support_type"] = [_group_row("support_type", t, by_type[t]) for t in TYPES]

    by_bucket = {b: [a for a in support if a.bucket == b] for b in BUCKET_ORDER}
    rep.tables["support_by_experience"] = [_group_row("experience", b, g, support_companies)
                                           for b, g in by_bucket.items()]
    rep.tables["salary_by_experience"] = _salary_rows("experience", by_bucket)
    by_tier = {t: [a for a in support if a.seniority == t] for t in TIERS}
    rep.tables["support_by_seniority"] = [_group_row("seniority", t, g, support_companies)
                                          for t, g in by_tier.items()]
    rep.tables["salary_by_seniority"] = _salary_rows("seniority", by_tier)

    cities = Counter(a.city for a in support if a.city)
    by_city = {c: [a for a in support if a.city == c] for c, _ in cities.most_common(top_cities)}
    rep.tables["support_by_city"] = [_group_row("city", c, g, support_companies) for c, g in by_city.items()]
    rep.tables["salary_by_city"] = [r for r in _salary_rows("city", by_city) if r["currency"] in ("RUB", "KZT", "BYN")]
    by_format = {f: [a for a in support if a.work_format == f] for f in FORMATS}
    rep.tables["support_by_work_format"] = [{**_group_row("work_format", f, g, support_companies),
                                             "share_of_ads": _share(len(g), len(support))}
                                            for f, g in by_format.items()]
    remote = by_format["remote"]
    hybrid_sales = by_type["sales_hybrid"]
    leads = [a for a in support if a.seniority == "lead"]
    rep.facts.update({
        "remote_share_of_support_ads": _share(len(remote), len(support)),
        "remote_share_of_support_companies": _share(len(_companies(remote)), support_companies),
        "sales_hybrid_share_of_support_ads": _share(len(hybrid_sales), len(support)),
        "sales_hybrid_share_of_support_companies": _share(len(_companies(hybrid_sales)), support_companies),
        "lead_support_ads": len(leads), "lead_support_companies": len(_companies(leads)),
        "lead_share_of_support_ads": _share(len(leads), len(support)),
    })
    rep.tables["leadership_by_support_type"] = [
        {"support_type": t, "lead_ads": sum(a.seniority == "lead" for a in by_type[t]),
         "lead_companies": len(_companies(a for a in by_type[t] if a.seniority == "lead")),
         "share_of_type_ads": _share(sum(a.seniority == "lead" for a in by_type[t]), len(by_type[t]))}
        for t in SUPPORT]
    basis = Counter(a.salary_basis for a in support if a.salary is not None)
    rep.facts["salary_basis"] = dict(basis)
    return rep


# --- output -----------------------------------------------------------------------------------------

def _fmt(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.1%}" if value <= 1 else f"{value:,.0f}".replace(",", " ")
    if isinstance(value, int):
        return f"{value:,}".replace(",", " ")
    return str(value)


def markdown_table(rows: list[dict]) -> str:
    if not rows:
        return "_(no rows)_\n"
    cols = list(rows[0])
    out = ["| " + " | ".join(cols) + " |", "|" + "|".join("---" if i == 0 else "---:" for i in range(len(cols))) + "|"]
    for r in rows:
        out.append("| " + " | ".join(_fmt(r[c]) for c in cols) + " |")
    return "\n".join(out) + "\n"


def write_csv(path: Path, rows: list[dict]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        if rows:
            w = csv.DictWriter(fh, fieldnames=list(rows[0]))
            w.writeheader()
            w.writerows(rows)


SECTIONS = [
    ("by_support_type", "Support type: ads, companies, share stating salary (all ads)"),
    ("support_by_experience", "Support ads by experience required"),
    ("salary_by_experience", "Salary by experience (support ads; monthly, net where known)"),
    ("support_by_seniority", "Support ads by seniority tier"),
    ("salary_by_seniority", "Salary by seniority tier (support ads; monthly, net where known)"),
    ("support_by_city", "Support ads by city (top)"),
    ("salary_by_city", "Salary by city (support ads; RUB/KZT/BYN)"),
    ("support_by_work_format", "Support ads by work format"),
    ("leadership_by_support_type", "Leadership posts among support ads"),
]


def charts(rep: Report, out: Path) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    made = []

    def bar(name: str, rows: list[dict], key: str, title: str, values=("companies", "companies_with_salary")):
        fig, ax = plt.subplots(figsize=(7, 3.6))
        labels = [str(r[key]) for r in rows]
        width = 0.8 / len(values)
        for i, v in enumerate(values):
            ax.bar([x + i * width for x in range(len(rows))], [r[v] for r in rows], width, label=v.replace("_", " "))
        ax.set_xticks([x + width * (len(values) - 1) / 2 for x in range(len(rows))], labels,
                      rotation=30 if len(rows) > 6 else 0, ha="right" if len(rows) > 6 else "center")
        ax.set_title(title)
        ax.legend()
        fig.tight_layout()
        fig.savefig(out / f"{name}.png", dpi=110)
        plt.close(fig)
        made.append(f"{name}.png")

    bar("support_type", rep.tables["by_support_type"], "support_type", "Companies by support type")
    bar("experience", rep.tables["support_by_experience"], "experience", "Support: companies by experience")
    bar("seniority", rep.tables["support_by_seniority"], "seniority", "Support: companies by seniority tier")
    bar("cities", rep.tables["support_by_city"], "city", "Support: companies by city (top)")
    rub = [r for r in rep.tables["salary_by_seniority"] if r["currency"] == "RUB"]
    if rub:
        fig, ax = plt.subplots(figsize=(7, 3.6))
        xs = range(len(rub))
        ax.errorbar(xs, [r["median"] for r in rub], yerr=[[r["median"] - r["p10"] for r in rub],
                                                        [r["p90"] - r["median"] for r in rub]], fmt="o", capsize=6)
        ax.set_xticks(list(xs), [f"{r['seniority']}\n(n={r['ads']})" for r in rub])
        ax.set_ylabel("RUB per month")
        ax.set_title("Support pay by tier: median, p10–p90 (RUB, net where known)")
        fig.tight_layout()
        fig.savefig(out / "salary_rub_by_seniority.png", dpi=110)
        plt.close(fig)
        made.append("salary_rub_by_seniority.png")
    return made


def write(rep: Report, out: Path, title: str = "Support job market", notes: str = "",
          with_charts: bool = True) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, rows in rep.tables.items():
        write_csv(out / f"{name}.csv", rows)
        written.append(out / f"{name}.csv")
    write_csv(out / "summary.csv", [{"metric": k, "value": v if not isinstance(v, dict) else orjson.dumps(v).decode()}
                                    for k, v in rep.facts.items()])
    written.append(out / "summary.csv")
    images = charts(rep, out) if with_charts else []
    f = rep.facts
    lines = [f"# {title}", ""]
    if notes:
        lines += [notes.strip(), ""]
    lines += [
        "## Overview", "",
        (f"- Ads tagged: {_fmt(f['ads'])} ({_fmt(f['error_lines'])} error lines left out); "
        f"companies (deduplicated employers): {_fmt(f['companies'])}; ads without employer: "
        f"{_fmt(f['ads_without_employer'])}."),
        f"- Dates of the ads: {f['first_date'] or '?'} … {f['last_date'] or '?'} (where the feed has them).",
        (f"- Support ads (technical, customer, sales hybrid): {_fmt(f['support_ads'])} from "
        f"{_fmt(f['support_companies'])} companies; companies stating a salary: "
        f"{_fmt(f['support_companies_with_salary'])} ({_fmt(f['share_support_companies_with_salary'])})."),
        (f"- Remote: {_fmt(f['remote_share_of_support_ads'])} of support ads, "
        f"{_fmt(f['remote_share_of_support_companies'])} of support companies."),
        (f"- Support + sales hybrid: {_fmt(f['sales_hybrid_share_of_support_ads'])} of support ads, "
        f"{_fmt(f['sales_hybrid_share_of_support_companies'])} of support companies."),
        (f"- Leadership posts among support ads: {_fmt(f['lead_support_ads'])} ads "
        f"({_fmt(f['lead_share_of_support_ads'])}) from {_fmt(f['lead_support_companies'])} companies."),
        f"- Salary points by basis (support ads): {', '.join(f'{k}: {v}' for k, v in f['salary_basis'].items())}.",
        "",
    ]
    for name, heading in SECTIONS:
        lines += [f"## {heading}", "", markdown_table(rep.tables[name])]
        png = {"by_support_type": "support_type.png", "support_by_experience": "experience.png",
               "support_by_seniority": "seniority.png", "support_by_city": "cities.png",
               "salary_by_seniority": "salary_rub_by_seniority.png"}.get(name)
        if png in images:
            lines += [f"![{heading}]({png})", ""]
    definitions = (__doc__ or "").split("Definitions:", 1)[-1].strip().replace("``", "`")
    lines += ["## Definitions", "", definitions, ""]
    (out / "report.md").write_text("\n".join(lines), encoding="utf-8")
    written.append(out / "report.md")
    return written + [out / p for p in images]
