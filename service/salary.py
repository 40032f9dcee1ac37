"""Salary in the normalised text of an ad → from / to / currency / gross / period, with spans.

How it works:
1. phone numbers, dates, clock times and "2/2"-style fractions are masked (same length, so
   offsets stay valid);
2. one bounded regex finds amount expressions: an optional "от"/"до", an optional currency in
   front, a number with an optional multiplier ("тыс", "к", "млн") and currency, optionally a
   range separator and a second amount;
3. every candidate is scored from its context (currency, pay words in front of it such as
   "зарплата"/"оклад", words that make it a price, a plan or a head-count) and checked for a
   plausible magnitude for its currency and period;
4. the earliest accepted candidate that is not a top-performer figure is the offer; a
   "на испытательный срок … после" pair becomes a range; a top-performer figure alone is a `to`.

Every cue list lives in rules/vocab/salary.yaml. Every regex is bounded (no `*`, `+`, `{n,}`
inside repeated groups), so the parser is linear on adversarial input.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .leads import led
from .lowered import lowered
from .yamlfile import read_yaml

VOCAB_DIR = Path(__file__).resolve().parent.parent / "rules" / "vocab"
PERIODS = ("month", "week", "day", "shift", "hour", "year", "project")
ACCEPT = 3  # minimum candidate score: a currency alone, or a pay word with a number
_UNBOUNDED = re.compile(r"(?<!\\)[*+]|\{\d+,\}")


@dataclass(frozen=True, slots=True)
class Salary:
    from_: int | None
    to: int | None
    currency: str
    gross: bool | None
    period: str
    start: int  # the whole expression, in the text given to parse_salary
    end: int
    parts: dict = field(default_factory=dict)  # name -> (start, end): from, to, currency, period, gross
    top_performer: bool = False

    def value(self) -> dict:
        return {"from": self.from_, "to": self.to, "currency": self.currency, "gross": self.gross,
                "period": self.period}


def load_vocab(name: str) -> dict:
    return read_yaml(VOCAB_DIR / name) or {}


def _alt(frags, name: str) -> str:
    frags = [str(f) for f in frags]
    for f in frags:
        if _UNBOUNDED.search(f):
            raise ValueError(f"salary.yaml: unbounded repetition in {name}: {f!r}")
        re.compile(f)
    return "(?:" + "|".join(frags) + ")" if frags else "(?!x)x"


def _max_width(pattern: str) -> int:
    return re._parser.parse(pattern, re.I).getwidth()[1]


_C = re._constants


def _cue(frags, name: str) -> re.Pattern:
    """A cue for search(), led by a look-ahead for the characters a match can start with (service/leads.py)."""
    return led(_alt(frags, name))


def _required_word(fragment: str) -> str:
    """The longest run of literal characters in the fragment's top-level sequence, lowered: every match holds it."""
    runs, run = [], ""
    for op, av in re._parser.parse(fragment, re.I):
        if op is _C.LITERAL:
            run += chr(av)
        else:
            runs.append(run)
            run = ""
    return max([*runs, run], key=len).lower()


class _Context:
    """A cue only asked whether a text has it (the country of an ad). Each of its fragments holds a word, and a text
    without any of them is answered from its lowered form by str.find, without the regex scan."""

    def __init__(self, frags, name: str) -> None:
        self.rx = _cue(frags, name)
        words = [_required_word(str(f)) for f in frags]
        self.words = tuple(dict.fromkeys(words)) if all(words) else None

    def found(self, text: str, low: str | None) -> bool:
        if low is not None and self.words is not None and not any(w in low for w in self.words):
            return False
        return self.rx.search(text) is not None


class _Grammar:
    def __init__(self, v: dict) -> None:
        self.v = v
        cur_after, cur_before = [], []
        self.cur_after: list[tuple[str, re.Pattern]] = []
        self.cur_before: list[tuple[str, re.Pattern]] = []
        for code, forms in v["currencies"].items():
            a = forms.get("after") or []
            b = forms.get("before") or []
            cur_after += a
            cur_before += b
            self.cur_after.append((code, re.compile(_alt(a, code) + r"\Z", re.I)))
            if b:
                self.cur_before.append((code, re.compile(_alt(b, code) + r"\Z", re.I)))
        self.mults = [(int(k), re.compile(_alt(f, "multipliers") + r"\Z", re.I)) for k, f in v["multipliers"].items()]
        self.implied = [(c, re.compile(_alt(f, "implied_currency") + r"\Z", re.I))
                        for c, f in v["implied_currency"].items()]
        mult_all = _alt([f for fs in v["multipliers"].values() for f in fs], "multipliers")
        ca = _alt(cur_after, "currencies")
        cb = _alt(cur_before, "currencies")
        num = (r"(?<![\d.,])(?:\d{1,3}(?:(?:[ .,']| {2})\d{3}(?!\d)){1,3}|\d{1,9})(?:[.,]\d{1,2}(?!\d))?(?!\d)")
        pre = (r"(?<!\w)(?:от|до|from|up\s{1,2}to|свыше|не\s{1,2}менее|не\s{1,2}меньше|не\s{1,2}ниже|более|больше"
               r"|около|порядка|min\.?|max\.?|starting\s{1,2}(?:at|from))")
        sep = r"(?:-|–|—|до|to|\.\.\.?|…)"

        def amount(i: int) -> str:
            return (rf"(?:(?P<cb{i}>{cb})\s{{0,2}})?(?P<n{i}>{num})\+?(?:\s{{0,2}}(?P<m{i}>{mult_all}))?"
                    rf"(?:\s{{0,2}}(?P<c{i}>{ca}))?\+?")

        # the look-ahead rejects most positions before the optional groups are tried
        lead = rf"(?:(?P<pre>{pre})\s{{1,3}})?"
        self.expr = re.compile(
            rf"(?=\d|{pre}|{cb}){lead}{amount(1)}(?:\s{{0,3}}(?P<sep>{sep})\s{{0,3}}{amount(2)})?", re.I)
        # an amount's first digit is at most this many characters after its start ("не менее $ 500")
        self.lead = _max_width(rf"{lead}(?:{cb}\s{{0,2}})?")
        self.cur_late = re.compile(r"\s{0,2}(?:\([^()\n]{0,60}\)\s{0,2})?(" + ca + ")", re.I)
        self.pay = _cue(v["pay_words"]["strong"], "pay_words")
        self.pay_after = re.compile(r"[\s:–—-]{0,3}(?:\(\s{0,2})?" + _alt(v["pay_words"]["after"], "pay_words.after")
                                    + r"(?=\s{0,2}(?:[+,;.()]|\Z|\n|и\b|плюс\b))", re.I)
        self.not_before = _cue(v["not_pay_before"], "not_pay_before")
        adj = r"(?:[а-яa-z]{2,16}(?:ых|их|ой|ий|ый|ая|ое|ые|ого|ему)\s{1,2})?"  # "83 тысяч активных клиентов"
        self.not_after = re.compile(r"\A[\s.,:)(-]{0,3}" + adj + _alt(v["not_pay_after"], "not_pay_after"), re.I)
        self.bare_follow = re.compile(r"\s{0,2}(?:[^\w\s]|\Z|" + _alt(v["bare_may_follow"], "bare_may_follow") + r")",
                                      re.I)
        self.byn_context = _Context(v["byn_context"], "byn_context")
        self.kzt_context = _Context(v["kzt_context"], "kzt_context")
        self.after_probation = _cue(v["after_probation"], "after_probation")
        self.not_following = _cue(v.get("not_pay_following") or [], "not_pay_following")
        self.referral = _cue(v.get("referral") or [], "referral")
        self.top = _cue(v["top_performer"], "top_performer")
        self.base_part = _cue(v["base_part"], "base_part")
        self.probation = _cue(v["probation"], "probation")
        self.total_between = _cue(v["total_between"], "total_between")
        self.net = _cue(v["gross"]["net"], "gross.net")
        self.gross = _cue(v["gross"]["gross"], "gross.gross")
        self.period_after = [(p, re.compile(r"\A[\s.,)(/]{0,3}" + _alt(f["after"], p), re.I))
                             for p, f in v["periods"].items() if f.get("after")]
        self.period_before = [(p, led(_alt(f["before"], p) + r"[\s:–—-]{0,4}\Z"))
                              for p, f in v["periods"].items() if f.get("before")]
        self.minimum = v["minimum"]
        self.maximum = v["maximum"]


@lru_cache(maxsize=1)
def grammar() -> _Grammar:
    return _Grammar(load_vocab("salary.yaml"))


# Things made of digits that are never pay; masked before the amount regex runs.
_MASKS = re.compile(
    r"(?=[\d+])"  # every masked form starts with a digit or "+": one class test rejects other positions
    r"(?:(?:\+\s?\d{1,3}|(?<![\d.,])8)[\s-]{0,2}\(?\d{3,5}\)?"  # phones
    r"[\s-]{0,2}\d{1,3}[\s-]{0,2}\d{2}[\s-]{0,2}\d{2}(?!\d)"
    r"|(?<![\d.,])\d{3}[\s-]\d{2}[\s-]\d{2}(?![\d.,])"  # short phones 555-35-35
    r"|(?<![\d.,])\d{1,2}[./]\d{1,2}[./]\d{2,4}(?!\d)"  # dates
    r"|(?<![\d.,])\d{1,2}:\d{2}(?!\d)"  # times
    r"|(?<![\d.,/])\d{1,2}/\d{1,2}(?![\d/])"  # 2/2, 24/7, 5/2
    r"|(?<!\w)(?:1с|1c)[\s:]{0,2}\d{1,2}(?:\.\d{1,2})?)",  # 1С 8.3
    re.I)


# Where a masked form can start: a "+", or a digit after no digit (every form that starts with a digit forbids one
# in front). A class first lets the engine skip ahead to the next candidate; _MASKS's look-ahead tries every position.
_MASK_START = re.compile(r"[\d+](?<!\d\d)")


def _mask(text: str) -> str:
    """_MASKS.sub(same-length "#" run, text), the match tried only where _MASK_START finds a candidate."""
    out: list[str] = []
    done = pos = 0
    while (start := _MASK_START.search(text, pos)) is not None:
        m = _MASKS.match(text, start.start())
        if m is None:
            pos = start.end()
            continue
        out += (text[done:m.start()], "#" * (m.end() - m.start()))
        done = pos = m.end()
    if not out:
        return text
    out.append(text[done:])
    return "".join(out)


# the regexes of the per-amount checks, compiled once: re.search(pattern, ...) costs a cache look-up each call
_NUMBER = re.compile(r"(\d{1,3}(?:(?:[ .,]| {2})\d{3}){1,3}|\d{1,9})(?:[.,](\d{1,2}))?")
_GROUP_SEPARATORS = re.compile(r"[ .,]")
_DECIMALS = re.compile(r"[.,]\d{1,2}\Z")
_THOUSANDS_TAIL = re.compile(r"[.,]\d{3}\Z")
_WRITTEN_OUT = re.compile(r"\d[ .,']\d{3}\Z")
_CLAUSE_END = re.compile(r"[;•]|\.\s{1,3}[А-ЯA-Z]")
_PERCENT_OF = re.compile(r"%\s{0,2}(?:от\s{1,2})?\Z")
_WORD_FOLLOWS = re.compile(r"\s{0,2}[а-яa-z]", re.I)
_PER_FOLLOWS = re.compile(r"\A[\s.,]{0,3}(?:в|за|/)")
_CLAUSES = re.compile(r"[;,!?•]|\.\s")
_CLAUSES_AFTER = re.compile(r"[;!?•(]|\.\s")


def _number(s: str) -> float | None:
    if s.isdecimal() and len(s) <= 9:  # most amounts: digits alone
        return float(s)
    s = s.replace("'", " ")
    m = _NUMBER.fullmatch(s)
    if not m:
        return None
    whole = _GROUP_SEPARATORS.sub("", m.group(1))
    frac = m.group(2)
    return float(whole + ("." + frac if frac else ""))


def _which(patterns, s: str | None):
    if not s:
        return None
    for key, rx in patterns:
        if rx.search(s.strip()):
            return key
    return None


@dataclass(slots=True)
class _Cand:
    start: int
    end: int
    lo: float | None
    hi: float | None
    currency: str | None
    period: str
    gross: bool | None
    score: float
    top: bool
    has_range: bool
    parts: dict
    restates: bool = False  # in parentheses right after the previous amount: the same pay another way


def _amount(g: _Grammar, m: re.Match, i: int, text: str) -> tuple[float | None, int, str | None, bool]:
    """(value, multiplier, currency, decimal) of amount i of a match."""
    v = _number(m.group(f"n{i}"))
    if v is None:
        return None, 1, None, False
    decimal = bool(_DECIMALS.search(m.group(f"n{i}"))) and not _THOUSANDS_TAIL.search(m.group(f"n{i}"))
    mult = 1
    cur = None
    mtxt = m.group(f"m{i}")
    if mtxt:
        glued = m.start(f"m{i}") == m.end(f"n{i}")
        if mtxt.lower() in ("к", "k") and (not glued or v < 10):  # "45 000 к окладу", "видео в 4К"
            mtxt = None  # "45 000 к окладу": a preposition, not a multiplier
        else:
            mult = _which(g.mults, mtxt) or 1
            cur = _which(g.implied, mtxt)
            if mult == 1000 and (v >= 10000 or _WRITTEN_OUT.search(m.group(f"n{i}"))):
                mult = 1  # "1.000т.р.", "50000 тыс руб": already written out in full
    c = m.group(f"c{i}") or m.group(f"cb{i}")
    if c:
        cur = _which(g.cur_after if m.group(f"c{i}") else g.cur_before, c) or cur
    return v * mult, mult, cur, decimal


def _window_before(text: str, s: int, n: int = 90) -> tuple[str, int]:
    """The text in front of s on its line; when nothing but punctuation is there ("Зарплата:\n50 000"),
    the nearest non-blank line above it is read too."""
    b = max(0, s - n)
    w = text[b:s]
    nl = w.rfind("\n")
    if nl != -1:
        if w[nl + 1:].strip(_LINE_PUNCT):
            cut = nl + 1
        else:
            cut = w.rfind("\n", 0, len(w[:nl].rstrip())) + 1
        b += cut
        w = w[cut:]
    return w, b


def _window_after(text: str, e: int, n: int = 70) -> str:
    w = text[e:e + n]
    nl = w.find("\n")
    return w if nl == -1 else w[:nl]


_CLAUSE_BOUND = re.compile(r"[;•\n]|\.\s{1,3}(?=[А-ЯA-Z])")


def _clause_before(text: str, s: int, n: int = 250) -> str:
    """The clause in front of s, at most n characters."""
    w = text[max(0, s - n):s]
    cut = 0
    for m in _CLAUSE_BOUND.finditer(w):
        cut = m.end()
    return w[cut:]


def _clause_after(w: str) -> str:
    m = _CLAUSE_END.search(w)
    return w[:m.start()] if m else w


MAX_NUMBERS = 400
_LINE_PUNCT = " \t•·*-–—;:.,!"


def _alone_on_line(text: str, s: int, e: int) -> bool:
    start = text.rfind("\n", 0, s) + 1
    end = text.find("\n", e)
    end = len(text) if end == -1 else end
    return not text[start:s].strip(_LINE_PUNCT) and not text[e:end].strip(_LINE_PUNCT)


def _amounts(g: _Grammar, masked: str):
    """g.expr.finditer(masked) without trying every position of the text: no amount starts more
    than g.lead characters before the next digit."""
    pos = 0
    while (digit := _DIGIT.search(masked, pos)) is not None:
        m = g.expr.search(masked, max(pos, digit.start() - g.lead))
        if m is None:
            return
        yield m
        pos = m.end()


_DIGIT = re.compile(r"\d")
_RESTATES = re.compile(r"[^\n()\d]{0,12}\(\s{0,2}(?:[а-яa-z~≈]{1,9}\.?\s{1,2})?")
# two rates for the same period side by side ("100р/час днём, 120р/час ночью") make a range
_RATES_BETWEEN = re.compile(r"[^\n\d]{0,30}")


def _candidates(text: str, belarus: bool = False) -> list[_Cand]:
    """belarus: the ad is from Belarus, where a month's pay is a bare figure in the hundreds ("оклад 670")."""
    g = grammar()
    masked = _mask(text)
    bare_min = 100 if belarus else 1000
    out: list[_Cand] = []
    for n_seen, m in enumerate(_amounts(g, masked)):
        if n_seen >= MAX_NUMBERS:
            break  # a real ad has a few dozen numbers; digit soup must not cost seconds
        v1, mult1, cur1, dec1 = _amount(g, m, 1, masked)
        if v1 is None:
            continue
        has2 = m.group("n2") is not None
        v2, mult2, cur2, _ = _amount(g, m, 2, masked) if has2 else (None, 1, None, False)
        s, e = m.start(), m.end()
        # drop a trailing "к" that was refused as a multiplier from the span
        if has2 and v2 is not None:
            # "от 50 до 150 000": the low end is in thousands; "800$-1500$" is not (50 000 ≤ 150 000, 800 000 > 1 500)
            if v1 < 1000 <= v2 and mult1 == 1 and not dec1 and (mult2 > 1 or v1 * 1000 <= v2):
                v1 *= mult2 if mult2 > 1 else 1000
            if v2 < v1:
                has2 = False  # "18-00", a sequence, not a range
                e = m.end("c1") if m.group("c1") else (m.end("m1") if m.group("m1") else m.end("n1"))
        currency = cur1 or (cur2 if has2 else None)
        if not currency:  # "250 000 – 300 000 (двести пятьдесят – триста тысяч) рублей"
            late = g.cur_late.match(masked, e, min(len(masked), e + 80))
            if late:
                currency = _which(g.cur_after, late.group(1))
                e = late.end()
        pre = (m.group("pre") or "").lower()
        # "от 90 000" alone on its line (a bullet of the conditions) is how many ads state pay
        alone = (pre in ("от", "до") or has2) and v1 >= 10000 and _alone_on_line(masked, s, e)
        pay_follows = bool(g.pay_after.match(masked, e, min(len(masked), e + 40)))
        if (not currency and mult1 == 1 and mult2 == 1 and not alone and not pay_follows
                and not g.pay.search(masked, max(0, s - 90), s)):
            continue  # a bare number with no pay word in front is never a salary: skip the costly checks
        if has2:
            lo, hi = v1, v2
        elif pre in ("до", "max", "max.") or pre.startswith("up"):
            lo, hi = None, v1
        else:
            lo, hi = v1, None
        before, bstart = _window_before(masked, s)
        after = _window_after(masked, e)
        clause = _clause_after(after)

        score = 0.0
        if currency or alone:
            score += 3
        pay_at = -1
        for pm in g.pay.finditer(before):
            pay_at = pm.end()
        if pay_follows and pay_at < 0:
            pay_at = len(before)
        if pay_at >= 0:
            dist = len(before) - pay_at
            score += 4 if dist <= 30 else 2
        bad_at = -1
        for bm in g.not_before.finditer(before):
            if _PERCENT_OF.search(before[:bm.start()]):
                continue  # "% от оборота": a bonus formula, the amount can still be pay
            bad_at = bm.end()
        if bad_at >= 0 and bad_at > pay_at:
            score -= 6
        if g.not_following.search(clause[:30]):
            score -= 6
        if pre:
            score += 1
        if has2:
            score += 1
        if mult1 > 1 or mult2 > 1:
            score += 1
        mtxt = ((m.group("m2") if has2 and mult2 > 1 else m.group("m1")) or "").lower()
        if (not currency and pay_at < 0 and 1000 in (mult1, mult2) and mtxt not in ("k", "к")
                and not _WORD_FOLLOWS.match(after)):
            score += 2  # "до 60 тыс.": thousands in a job ad are money unless a noun follows ("40k ☆ оценок" is not)
            pay_at = 0
        if g.referral.search(_clause_before(masked, s)):
            continue  # "реферальная программа: ... вознаграждение до 100 тыс. рублей" is never the salary
        if not currency and g.not_after.search(after):
            continue
        if not currency and (mult1 > 1 or mult2 > 1) and not g.bare_follow.match(after):
            continue  # "4-7 тысяч регистраций": a bare count of something
        if currency and g.not_after.search(after) and not _PER_FOLLOWS.match(after):
            score -= 3
        if (dec1 and mult1 == 1 and not currency):
            continue
        own = _CLAUSES.split(before[-90:])[-1]  # the clause in front of the amount
        top = bool(g.top.search(own) or g.top.search(_CLAUSES_AFTER.split(clause)[0][:40]))
        period = "month"
        parts: dict = {}
        for p, rx in g.period_after:
            pm = rx.search(after[:40])
            if pm:
                period = p
                parts["period"] = (e + pm.start(), e + pm.end())
                break
        else:
            for p, rx in g.period_before:
                pm = rx.search(before[-45:])
                if pm:
                    period = p
                    off = bstart + len(before) - len(before[-45:])
                    parts["period"] = (off + pm.start(), off + pm.end())
                    break
        gross = None
        for val, rx in ((False, g.net), (True, g.gross)):
            gm = rx.search(clause) or rx.search(before[-40:])
            if gm:
                gross = val
                if rx.search(clause):
                    gm = rx.search(clause)
                    parts["gross"] = (e + gm.start(), e + gm.end())
                else:
                    off = bstart + len(before) - len(before[-40:])
                    parts["gross"] = (off + gm.start(), off + gm.end())
                break
        parts["from" if lo is not None else "to"] = (m.start("n1"), m.end("n1"))
        if has2:
            parts["to"] = (m.start("n2"), m.end("n2"))
        for k in ("c1", "cb1", "c2", "cb2"):
            if m.group(k) and (k.endswith("1") or has2):
                parts["currency"] = (m.start(k), m.end(k))
                break
        if not currency and not alone and (pay_at < 0 or (max(x for x in (lo, hi) if x is not None) < bare_min
                                           and mult1 == mult2 == 1)):
            continue  # a bare number needs a pay word and a salary-like size
        restates = bool(out) and bool(_RESTATES.fullmatch(masked, out[-1].end, s))
        out.append(_Cand(s, e, lo, hi, currency, period, gross, score, top, has2, parts, restates))
    return out


def _plausible(c: _Cand, currency: str) -> bool:
    g = grammar()
    table = g.minimum["month" if c.period in ("month", "year", "project") else "other"]
    lo = table.get(currency, 0)
    hi = g.maximum.get(currency, 10 ** 9)
    if c.period == "year":
        lo *= 10
    vals = [x for x in (c.lo, c.hi) if x is not None]
    return all(lo <= x <= hi for x in vals)


def _two_rates(best: _Cand, ok: list[_Cand], text: str, parts: dict):
    """"100р/час днём, 120р/час ночью": the next amount on the line, at the same period and currency,
    with no other figure in between, is the other end of the rate → (lo, hi, end, parts)."""
    i = ok.index(best)
    nxt = ok[i + 1] if i + 1 < len(ok) else None
    start = max(best.end, parts.get("period", (0, 0))[1])
    if (nxt is None or nxt.has_range or nxt.lo is None or nxt.period != best.period or nxt.currency != best.currency
            or nxt.lo == best.lo or nxt.start < start or not _RATES_BETWEEN.fullmatch(text, start, nxt.start)):
        return best.lo, None, best.end, parts
    parts = dict(parts)
    if nxt.lo > best.lo:
        parts["to"] = nxt.parts.get("from")
        return best.lo, nxt.lo, nxt.end, parts
    parts["to"], parts["from"] = parts.get("from"), nxt.parts.get("from")
    return nxt.lo, best.lo, nxt.end, parts


_SPLIT_BETWEEN = re.compile(r"[^\n\d;.!?+()]{1,60}")


def _split_range(best: _Cand, cands: list[_Cand], text: str):
    """"от 220р с нулевыми знаниями до 300р": a lower and an upper bound apart in one clause → (hi, end, span)."""
    if text[best.start:best.start + 2].lower() != "от":
        return None
    nxt = next((c for c in cands if c.start >= best.end), None)
    if (nxt is None or nxt.lo is not None or nxt.hi is None or nxt.currency not in (None, best.currency)
            or not best.lo < nxt.hi <= 5 * best.lo or not _SPLIT_BETWEEN.fullmatch(text, best.end, nxt.start)
            or grammar().total_between.search(text, best.end, nxt.start)):
        return None
    return nxt.hi, nxt.end, nxt.parts.get("to")


def parse_salary(text: str) -> Salary | None:
    """The offered salary stated in text, or None."""
    if not text or not _DIGIT.search(text):
        return None
    low = lowered(text)
    belarus = grammar().byn_context.found(text, low)
    cands = _candidates(text, belarus)
    if not cands:
        return None
    seen = Counter(c.currency for c in cands if c.currency and c.score >= ACCEPT)
    doc_currency = seen.most_common(1)[0][0] if seen else (
        "KZT" if grammar().kzt_context.found(text, low) else "RUB")
    ok = []
    for c in cands:
        cur = c.currency or doc_currency
        if cur == "RUB" and belarus and "₽" not in text[c.start:c.end]:
            cur = "BYN"
        if c.score >= ACCEPT and _plausible(c, cur):
            c.currency = cur
            ok.append(c)
    if not ok:
        return None
    offers = [c for c in ok if not c.top]
    if offers:
        monthly = [c for c in offers if c.period == "month" and not c.restates]
        best = (monthly or offers)[0]
        i = offers.index(best)
        if i + 1 < len(offers) and offers[i + 1].start - best.end <= 80 and grammar().base_part.search(
                text, best.end, offers[i + 1].start) and "\n" not in text[best.end:offers[i + 1].start]:
            best = offers[i + 1]  # "доход от 50 000, из которых оклад 30 000": the base
        lo, hi = best.lo, best.hi
        end = best.end
        parts = dict(best.parts)
        if not best.has_range and lo is not None and best.period not in ("month", "year", "project"):
            lo, hi, end, parts = _two_rates(best, ok, text, parts)
        if not best.has_range and lo is not None and hi is None and (split := _split_range(best, cands, text)):
            hi, end, parts["to"] = split
        # "1300 на испытательный срок, после испытательного 1400" → a range
        if not best.has_range and lo is not None and hi is None:
            near = text[max(0, best.start - 80):best.end + 120]
            if grammar().probation.search(near):
                for nxt in cands:
                    if nxt.start < best.end:
                        continue
                    if nxt.start - best.end > 150:
                        break
                    between = text[best.end:nxt.start]
                    nv = nxt.lo if nxt.lo is not None else nxt.hi  # "после стажировки ... до 75 000"
                    if (not nxt.has_range and nv is not None and nxt.currency in (None, best.currency)
                            and lo < nv < 3 * lo
                            and grammar().after_probation.search(between + text[nxt.end:nxt.end + 30])):
                        hi = nv
                        end = nxt.end
                        parts["to"] = nxt.parts.get("from") or nxt.parts.get("to")
                        break
    else:
        best = ok[0]
        lo, hi = None, max(x for x in (best.lo, best.hi) if x is not None)
        end = best.end
        parts = dict(best.parts)
        parts.pop("from", None)
    lo_i = int(round(lo)) if lo is not None else None
    hi_i = int(round(hi)) if hi is not None else None
    if lo_i is not None and hi_i is not None and lo_i > hi_i:
        lo_i, hi_i = hi_i, lo_i
    return Salary(lo_i, hi_i, best.currency or "RUB", best.gross, best.period, best.start, end,
                  {k: v for k, v in parts.items() if v}, best.top and not offers)
