"""The experience requirement: years stated in the text → hh.ru experience id.

Numbers are read with bounded regexes on one line at a time (no catastrophic
backtracking: every repetition is length-capped) and kept only when the line
speaks of experience ("опыт", "стаж", "experience").
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .leads import led
from .lowered import lowered

_NUM_WORDS = {
    "одного": 1, "один": 1, "1-го": 1, "года": 1, "год": 1, "полугода": 0.5, "полутора": 1.5,
    "двух": 2, "два": 2, "трех": 3, "три": 3, "четырех": 4, "пяти": 5, "пять": 5,
    "шести": 6, "шесть": 6, "семи": 7, "десяти": 10,
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
}
_NUM = (r"(\d{1,2}(?:[.,]5)?|одного|один|двух|два|трех|три|четырех|пяти|пять|шести|шесть|семи|десяти"
        r"|полугода|полутора|года|one|two|three|four|five)")
# a case ending may be glued to the figure: "от 3-х", "от 3ех", "от 1го", "от 5-и", "более 3x" (a Latin x)
_CASE_END = r"(?:-?(?:х|x|ти|го|ого|ух|ех|и|ми))?"
_UNIT = _CASE_END + r"\b\s{0,3}(лет|года?|годов|месяц\w{0,3}|мес\.?|years?|yrs?)?"
_LOWER = r"(от|не\s{1,3}менее|более|свыше|больше|минимум|min\.?|at\s{1,3}least|from|over|more\s{1,3}than)"

# "1-3 года", "от 1-3х лет", "от 1 до 3 лет"
_RANGE = re.compile(rf"\b(\d{{1,2}})\s{{0,3}}(?:[-–—]|до)\s{{0,3}}(\d{{1,2}}){_CASE_END}\s{{0,3}}(лет|года?|years?)",
                    re.I)
_BOUND = led(rf"\b{_LOWER}\s{{1,3}}{_NUM}{_UNIT}")
_PLUS = re.compile(r"\b(\d{1,2}(?:[.,]5)?)\s{0,2}\+\s{0,3}(лет|года?|years?)", re.I)
_PLAIN = re.compile(rf"\b(\d{{1,2}})\s{{0,2}}{_CASE_END}\s{{0,2}}(лет|года?|years?)\b", re.I)
_HALF = led(r"\b(полугода|полгода)\b")
_DIGIT = re.compile(r"\d")

# "работа в аналогичной сфере от 1 года", "от 1 года работы на позиции аналитика"
_TOPIC = re.compile(r"опыт|стаж|experience|проработавш"
                    r"|работ[аы]\s{1,3}(?:в|на)\s{1,3}(?:[\w-]{1,20}\s{1,3})?(?:должност|сфер|роли|област|позици)",
                    re.I)
# "без опыта в нашей сфере", "нет опыта в данной системе": one domain is waived, not experience as such
_WAIVED_DOMAIN = r"(?!(?:\s{1,3}работы)?\s{1,3}(?:в|с)\s{1,3}(?:данн|наш|эт[оиу])\w{0,3}\b)"
_NONE = led(
    r"без\s{1,3}опыта" + _WAIVED_DOMAIN + r"|опыт\w{0,4}(?:\s{1,3}[\w/-]{1,20}){0,4}?[\s:–—-]{1,4}"
    r"(?:не\s{1,3}(?:требуется|требуются|требуем|обязателен|нужен|важен|обязательно|является\s{1,3}обязательн\w{1,3})"
    r"|необязателен)"
    r"|не\s{1,3}(?:требуем|требуется)\s{1,3}опыта|опыта\s{1,3}нет"
    r"|no\s{1,3}experience\s{1,3}(?:required|needed)|нет\s{1,3}опыта" + _WAIVED_DOMAIN
    + r"|отсутствие\s{1,3}опыта|без\s{1,3}стажа")
# "будет плюсом", "будет Вашим преимуществом", "будет для вас преимуществом"
_WILL_BE_PLUS = r"будет\s{1,3}(?:\w{1,12}\s{1,3}){0,2}(?:плюсом|преимуществом)"
_IS_PLUS = r"явля\w{1,4}\s{1,3}(?:\w{1,12}\s{1,3})?преимуществом"  # "является / будет являться преимуществом"
_DESIRABLE = led(
    r"приветствуется|желател|" + _WILL_BE_PLUS + r"|плюсом\s{1,3}будет"
    r"|" + _IS_PLUS + r"|преимуществом\s{1,3}будет|nice\s{1,3}to\s{1,3}have"
    r"|is\s{1,3}a\s{1,3}plus"
    r"|как\s{1,3}преимущество|(?:ваше|твое|ваш|твой)\s{1,3}(?:преимущество|плюс)")
# only a verdict on the experience itself: ", желательно в финтехе" qualifies the domain, not the need
_DESIRABLE_AFTER_COMMA = re.compile(r"\s{0,3}[,–—-]\s{0,3}(?:будет\s{1,3}(?:плюсом|преимуществом)"
                                    r"|является\s{1,3}преимуществом|приветствуется)", re.I)
# an abbreviation's full stop ("в тех. поддержке") ends no clause: the next word is in lower case
_NOT_END = r"(?:[^.;\n]|\.(?=\s{0,2}(?-i:[а-яё])))"
_EXPERIENCE_WISHED = led(
    r"опыт\w{0,4}(?!(?:\s{1,3}работы)?\s{1,3}(?:с|со)\s)" + _NOT_END
    + r"{0,80}?(?:приветствуется|желател\w{0,4}|" + _WILL_BE_PLUS
    # a snippet cut after "будет" ("Опыт в продажах будет..") was a wish: nothing else follows "будет" there
    + r"|будет(?:\s{1,3}\w{1,12})?\s{0,2}(?:\.\.|…)"
    r"|как\s{1,3}преимущество|" + _IS_PLUS
    + r"|или\s{1,3}(?:готов\w{0,4}|желание)\s{1,3}(?:[\w-]{1,12}\s{1,3}){0,3}?"
    r"(?:научиться|обучаться|приобрести|получить))"
    r"|(?:желател\w{0,4}|приветствуется)" + _NOT_END + r"{0,30}?опыт\w{0,4}"
    # "Будет плюсом, если у тебя есть опыт …", "здорово, если …", "мы ценим, если …"
    r"|(?:" + _WILL_BE_PLUS + r"|плюсом\s{1,3}будет|здорово|круто|ценим|ценно)"
    r"\s{0,2},?\s{1,3}если" + _NOT_END + r"{0,40}?опыт\w{0,4}")
# Every _TOPIC match starts with one of these words in some case: lowered text finds them with str.find.
TOPIC_STARTS = ("опыт", "стаж", "experience", "проработавш", "работ")
# experience demanded without a figure ("опыт продаж обязателен", "необходим опыт работы", a requirement list item
# "- Опыт администрирования Linux"): a wish for some other experience in the same ad ("опыт с C# будет плюсом") is
# then no "experience not required"
_DEMANDED = led(
    r"опыт\w{0,4}[^.;\n]{0,60}?(?<!не)(?<!не\sявляется)(?:\s|[-–—:(])(?:обязател\w{0,4}|необходим\w{0,2}|требуется)\b"
    r"|(?:обязател\w{0,4}|необходим\w{0,2}|требуется|нужен)(?:\s{1,3}[\w-]{1,20}){0,2}?\s{1,3}опыт")
_DEMANDED_ITEM = re.compile(
    r"(?:[^\W\d]{1,20}\s{0,2}:)?[\s\-–—•*·●▪✓✔>\d.)]{0,6}(?:(?:успешн|уверенн|практическ|коммерческ|реальн|подтвержденн|значительн|релевантн)"
    r"\w{0,4}\s{1,3}|наличие\s{1,3})?опыт(?:а|ом|е|у)?\b", re.I)
# clauses and sentences; "1С 8.3" and "тех. поддержка" stay whole
_CLAUSES = re.compile(r"(?:[^;•.]|\.(?=\S)|\.(?=\s{1,2}[а-яё]))+")
# a header that makes the list under it a wish list: "Будет плюсом:", "Приветствуется:", "Nice to have:"
_WISH_HEADER = re.compile(
    r"(?:[\w-]{1,15}\s{1,3}){0,2}?(?:" + _WILL_BE_PLUS + r"|плюсом\s{1,3}будет"
    r"|преимуществом\s{1,3}будет|приветствуется|желательно|преимущества?|nice\s{1,3}to\s{1,3}have|будет\s{1,3}круто)"
    r"\s{0,3}:?", re.I)
_AGE = led(r"возраст|лет\s{1,3}и\s{1,3}старше|старше|младше|моложе|\bage\b")  # not "manager", "management"
_CLAUSE_END = re.compile(r"[.;,()\u2022]")
_LINE = re.compile(r"[^\n]{1,600}")


@dataclass(frozen=True, slots=True)
class Experience:
    hh_id: str | None  # None: experience is asked for without a figure (no hh.ru bucket; seniority reads it)
    min_years: float | None
    max_years: float | None
    required: bool
    start: int  # in Document.text
    end: int
    text: str


def _num(tok: str) -> float:
    tok = tok.lower().replace(",", ".")
    return _NUM_WORDS[tok] if tok in _NUM_WORDS else float(tok)


def hh_bucket(years: float) -> str:
    if years < 1:
        return "noExperience"
    if years < 3:
        return "between1And3"
    if years < 6:
        return "between3And6"
    return "moreThan6"


def _years_in(line: str) -> list[tuple[float, float | None, int, int]]:
    found: list[tuple[float, float | None, int, int]] = []
    digits = _DIGIT.search(line) is not None  # _RANGE, _PLUS and _PLAIN need one
    for m in _RANGE.finditer(line) if digits else ():
        lo, hi = int(m.group(1)), int(m.group(2))
        if lo < hi <= 15:
            found.append((lo, hi, m.start(), m.end()))
    for m in _BOUND.finditer(line):
        unit = (m.group(3) or "").lower()
        word = m.group(2).lower()
        if not unit and word not in ("года", "полугода", "полутора", "одного"):
            continue
        value = _num(word)
        if unit.startswith("мес"):
            value = value / 12
        found.append((value, None, m.start(), m.end()))
    for m in _PLUS.finditer(line) if digits else ():
        found.append((_num(m.group(1)), None, m.start(), m.end()))
    for m in _HALF.finditer(line):
        found.append((0.5, None, m.start(), m.end()))
    if not found and digits:
        for m in _PLAIN.finditer(line):
            found.append((float(m.group(1)), float(m.group(1)), m.start(), m.end()))
    return found


def _next_topic(text: str, low: str | None, pos: int, ahead: dict[str, int]) -> int:
    """Where the leftmost _TOPIC match at or after pos starts, or -1; low is text.lower() when it may guide.

    `ahead` keeps each start word's next position in `low` between calls: a word is searched again only once
    pos has passed it, and never once it is gone, so a whole text costs one pass per word (a fresh find of
    every word per hint was quadratic on texts full of near misses such as "работы работы ...")."""
    if low is None:
        topic = _TOPIC.search(text, pos)
        return topic.start() if topic else -1
    while True:
        for word, at in ahead.items():
            if at != -1 and at < pos:
                ahead[word] = low.find(word, pos)
        hints = [at for at in ahead.values() if at != -1]
        if not hints:
            return -1
        pos = min(hints)
        if _TOPIC.match(text, pos):
            return pos
        pos += 1


def _topic_lines(text: str, start: int):
    """The lines of text[start:] as _LINE cuts them (600-char pieces of a longer line), skipping those where
    _TOPIC finds nothing: one search over the text leads to the next line worth reading, instead of a
    search per line. A match inside a line is a match in the text, so no such line is skipped."""
    low = lowered(text)
    pos = start
    ahead = {word: low.find(word, start) for word in TOPIC_STARTS} if low is not None else {}
    while (at := _next_topic(text, low, pos, ahead)) != -1:
        line_start = max(start, text.rfind("\n", start, at) + 1)
        lm = _LINE.match(text, line_start + (at - line_start) // 600 * 600)
        yield lm
        pos = lm.end()


def _under_wish_header(text: str, line_start: int, start: int) -> bool:
    """Whether the list this line belongs to sits under a wish header ("Будет плюсом:"), looking a few lines up."""
    pos = line_start
    for _ in range(12):
        if pos <= start:
            return False
        prev_start = max(start, text.rfind("\n", start, pos - 1) + 1)
        prev = text[prev_start:pos - 1].strip()
        if len(prev) <= 60 and _WISH_HEADER.fullmatch(prev):
            return True
        if prev.endswith(":") and len(prev) <= 60:
            return False  # another header ("Требования:"): the list is not a wish list
        pos = prev_start
    return False


def _demanded(line: str) -> re.Match | None:
    """The first clause of the line that asks for experience without a figure and without a wish."""
    for clause in _CLAUSES.finditer(line):
        text = clause.group()
        # the wish is looked for with what ends the clause: "будет.." (a snippet cut after "будет") is one
        if (not _TOPIC.search(text) or _DESIRABLE.search(text) or _NONE.search(text)
                or _EXPERIENCE_WISHED.search(line, clause.start(), clause.end() + 1)):
            continue
        if line.startswith("..", clause.end()) or line.startswith("…", clause.end()):
            continue  # a snippet cut mid-clause ("Опыт работы в..") may go on to a wish
        if _DEMANDED_ITEM.match(text) or _DEMANDED.search(text):
            return clause
    return None


_SENTENCE_END = re.compile(r"[;!?]|\.\s{1,3}[А-ЯA-Z]")  # "тех. поддержки" does not end one


def _near_topic(line: str, s: int) -> bool:
    """A figure at s belongs to an experience word within 80 characters, or within 160 of one earlier in the same
    sentence ("Опыт работы в IT-сфере в качестве системного администратора или ... не менее 1 года")."""
    for t in _TOPIC.finditer(line):
        gap = abs(s - t.end())
        if gap <= 80 or (t.end() <= s and gap <= 160 and not _SENTENCE_END.search(line, t.end(), s)):
            return True
    return False


def find_experience(text: str, start: int = 0) -> Experience | None:
    """The strictest required experience in text[start:], or a 'none/desirable' statement, or (hh_id None) a
    requirement of experience without a figure."""
    required: list[Experience] = []
    soft: list[Experience] = []
    demanded: Experience | None = None
    for lm in _topic_lines(text, start):
        line = lm.group()
        base = lm.start()
        topic = _TOPIC.search(line)
        if not topic:
            continue  # every _NONE phrase names опыт, стаж or experience: no topic, no _NONE either
        none = _NONE.search(line)
        if none:
            soft.append(Experience("noExperience", 0, None, False, base + none.start(), base + none.end(),
                                   none.group()))
        years = _years_in(line)
        if not years:
            # "опыт работы в IT желателен" — experience only wished for, no figure (TAXONOMY §3: noExperience)
            wish = _EXPERIENCE_WISHED.search(line)
            listed_wish = wish is None and _under_wish_header(text, base, start)
            if listed_wish:
                wish = topic
            if wish:
                soft.append(Experience("noExperience", None, None, False, base + wish.start(), base + wish.end(),
                                       wish.group()))
            if demanded is None and not (none or listed_wish) and (ask := _demanded(line)):
                said = ask.group()
                at = base + ask.start() + len(said) - len(said.lstrip())
                demanded = Experience(None, None, None, True, at, at + len(said.strip()), said.strip())
            continue
        for lo, hi, s, e in years:
            if lo > 10 or (hi is not None and hi > 12):
                continue
            window = line[max(0, s - 40):e + 40]
            if _AGE.search(window) and "опыт" not in window.lower():
                continue
            if not _near_topic(line, s):
                continue
            tail = _CLAUSE_END.split(line[e:e + 50], 1)[0]
            head = _CLAUSE_END.split(line[max(0, s - 60):s])[-1]
            desirable = bool(_DESIRABLE.search(tail) or _DESIRABLE.search(head)
                             or _DESIRABLE_AFTER_COMMA.match(line, e))
            exp = Experience(hh_bucket(lo) if not desirable else "noExperience", lo, hi, not desirable,
                             base + s, base + e, line[s:e])
            (soft if desirable else required).append(exp)
    none_stated = [x for x in soft if x.min_years == 0]
    if required and none_stated:
        # "опыт от 1 года … готовы рассмотреть кандидатов без опыта": the figure is not a requirement after all
        return none_stated[0]
    if required:
        return max(required, key=lambda x: (x.min_years, -x.start))
    stated = [x for x in soft if x.min_years is not None]  # a stated "none" or figure beats a bare wish
    if not stated and demanded:
        return demanded
    return (stated or soft or [None])[0]
