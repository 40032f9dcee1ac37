"""The experience requirement → hh.ru id, as TAXONOMY.md §3 spells it."""
import pytest

from service.experience import find_experience


@pytest.mark.parametrize("text,hh_id,min_years", [
    ("Требования: опыт работы от 1 года", "between1And3", 1),
    ("опыт работы от года в техподдержке", "between1And3", 1),
    ("опыт от 2 лет", "between1And3", 2),
    ("Опыт работы не менее 3-х лет", "between3And6", 3),
    ("опыт работы от трех лет", "between3And6", 3),
    ("опыт работы более 6 лет", "moreThan6", 6),
    ("опыт работы 3+ года", "between3And6", 3),
    ("опыт работы 1-3 года", "between1And3", 1),
    ("опыт от 6 месяцев", "noExperience", 0.5),
    ("опыт работы от полугода", "noExperience", 0.5),
    ("Опыт работы не требуется", "noExperience", 0),
    ("Можно без опыта", "noExperience", 0),
    ("опыт работы приветствуется", "noExperience", None),
    ("Опыт работы в IT желателен", "noExperience", None),
    ("опыт работы в Help Desk от 1 года, будет преимуществом", "noExperience", 1),
    ("опыт от 1 года; готовы рассмотреть кандидатов без опыта", "noExperience", 0),
    ("опыт работы от 1 года будет плюсом", "noExperience", 1),
    ("at least 3 years of experience", "between3And6", 3),
])
def test_experience(text, hh_id, min_years):
    exp = find_experience(text)
    assert exp is not None and exp.hh_id == hh_id
    assert exp.min_years == min_years
    assert text[exp.start:exp.end] == exp.text


@pytest.mark.parametrize("text", [
    "Возраст от 18 до 45 лет",
    "Компания на рынке более 15 лет",
    "Мы работаем 20 лет",
    "график 5/2 с 9 до 18",
])
def test_not_experience(text):
    assert find_experience(text) is None


def test_strictest_requirement_wins():
    exp = find_experience("опыт работы от 1 года;\nопыт администрирования Linux от 3 лет")
    assert exp.hh_id == "between3And6"


def test_long_adversarial_input_is_fast():
    find_experience("опыт " + "1" * 100_000 + " лет " * 1000)
