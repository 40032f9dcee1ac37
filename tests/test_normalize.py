"""Normalisation keeps a map back to the caller's text; every span must round-trip."""
import unicodedata

import pytest

from service.normalize import _MAY_CHANGE, looks_like_html, normalize


def _roundtrip(src: str, needle: str, fmt: str = "auto") -> str:
    norm = normalize(src, fmt)
    i = norm.text.index(needle)
    s, e = norm.span(i, i + len(needle))
    return src[s:e]


@pytest.mark.parametrize("src,needle,expected", [
    ("Инженер техподдержки", "техподдержки", "техподдержки"),
    ("<p>Обязанности:</p><ul><li>настройка&nbsp;ПО</li></ul>", "настройка ПО", "настройка&nbsp;ПО"),
    ("<p>Зарплата &laquo;на руки&raquo;</p>", "«на руки»", "&laquo;на руки&raquo;"),
    ("тех\u200bподдержка", "техподдержка", "тех\u200bподдержка"),
    ("Ёлка и ещё", "еще", "ещё"),
    ("опыт&#160;от 1 года", "опыт от 1 года", "опыт&#160;от 1 года"),
    ("Полный деньРазъездного характера", "Разъездного характера", "Разъездного характера"),
    ("<li>поддержкиЗнание&nbsp;1С</li>", "Знание 1С", "Знание&nbsp;1С"),
])
def test_span_maps_back_to_the_original(src, needle, expected):
    assert _roundtrip(src, needle) == expected


@pytest.mark.parametrize("src,expected", [
    ("тexподдержка", "техподдержка"),          # Latin e and x inside a Russian word
    ("Oператор", "Оператор"),                  # Latin O
    ("Linux и Windows", "Linux и Windows"),    # real Latin words stay
    ("CRMсистема", "CRMсистема"),              # R has no Cyrillic twin: left alone
    ("ﬁle", "file"),                           # NFKC
    ("a\x00b\x07c", "a b c"),                  # control characters become spaces
    ("Полный рабочий деньРазъездного характера", "Полный рабочий день\nРазъездного характера"),  # a lost break
    ("поддержкиЗнание 1С", "поддержки\nЗнание 1С"),
    ("ОбязанностиТребования:", "Обязанности\nТребования:"),
    ("КИПиА, 10кВ, СНиП", "КИПиА, 10кВ, СНиП"),  # abbreviations: no lower-case run before the capital
    ("iPhone и HelpDesk", "iPhone и HelpDesk"),  # Latin camel case stays
])
def test_character_normalisation(src, expected):
    assert normalize(src, "text").text == expected


def test_html_keeps_paragraphs_and_drops_scripts():
    src = "<div><b>Требования</b><br>знание Linux<script>alert(1)</script><ul><li>SQL</li></ul></div>"
    text = normalize(src).text
    assert "alert" not in text
    assert "Требования\nзнание Linux" in text
    assert "\nSQL" in text


def test_deeply_nested_html_does_not_recurse():
    src = "<div>" * 20000 + "текст" + "</div>" * 20000
    assert normalize(src).text.strip() == "текст"


@pytest.mark.parametrize("src,is_html", [
    ("<p>текст</p>", True),
    ("зарплата <50 000 и >30 000", False),
    ("a<br/>b", True),
])
def test_html_detection(src, is_html):
    assert looks_like_html(src) is is_html


def test_a_lost_line_break_ends_a_section_and_a_phrase():
    from service.pipeline import default_pipeline

    result = default_pipeline().classify("Системный администратор",
                                         "Оформление по ТК РФ. Полный рабочий деньРазъездного характера")
    assert result["work_format"]["label"] == "field"
    [ev] = [e for e in result["work_format"]["evidence"] if e["label"] == "field"]
    assert ev["text"].startswith("Разъездного")


def test_nfkc_only_changes_the_characters_looked_at():
    """_clean_pieces applies NFKC one character at a time, only to those _MAY_CHANGE finds."""
    every = (chr(c) for c in range(0x10000) if not 0xD800 <= c <= 0xDFFF)
    assert all(unicodedata.normalize("NFKC", c) == c for c in every if not _MAY_CHANGE.match(c))
