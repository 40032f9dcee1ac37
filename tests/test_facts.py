"""Facts from lemma vocabularies, and the hh.ru block."""
from __future__ import annotations

import pytest

from service.facts import extract_facts
from service.hh import hh_block
from service.pipeline import default_pipeline

LEMMA = default_pipeline().lemmatizer.lemma


def facts(description: str, title: str = "Специалист поддержки") -> dict:
    return extract_facts(default_pipeline().document(title, description), LEMMA)


def value(description: str, name: str, title: str = "Специалист поддержки"):
    f = facts(description, title)[name]
    return None if f is None else f["value"]


@pytest.mark.parametrize("text,expected", [
    ("График работы 2/2 по 12 часов", "shift"),
    ("Сменный график работы, в том числе ночные смены", "shift"),
    ("Поддержка клиентов 24/7, работа посменно", "shift"),
    ("График работы: 5/2 с 9 до 18", "full_day"),
    ("Полный рабочий день, пятидневка", "full_day"),
    ("Гибкий график работы", "flexible"),
    ("Свободный график, работа из дома", "flexible"),
    ("Дружный коллектив и интересные задачи", None),
])
def test_schedule(text, expected):
    assert value(text, "schedule") == expected


def test_schedule_days_and_spans():
    d = default_pipeline().document("Оператор", "График 2/2 с 9 до 21")
    f = extract_facts(d, LEMMA)["schedule"]
    assert f["days"] == ["2/2"]
    assert any(d.text[s:e] == "2/2" for s, e, _ in f["spans"])


@pytest.mark.parametrize("text,title,expected", [
    ("Полная занятость, офис в центре", "Оператор", "full"),
    ("Частичная занятость, можно совмещать с учебой", "Оператор", "part"),
    ("Подработка по вечерам", "Оператор", "part"),
    ("Проектная работа на 3 месяца", "Аналитик", "project"),
    ("Оплачиваемая стажировка", "Стажер службы поддержки", "internship"),
    ("Стажировка 2 недели перед выходом на линию", "Оператор", None),
    ("Интересные задачи", "Оператор", None),
])
def test_employment(text, title, expected):
    assert value(text, "employment", title) == expected


@pytest.mark.parametrize("text,expected", [
    ("Официальное трудоустройство с первого дня", True),
    ("Оформление по ТК РФ, соцпакет", True),
    ("Белая зарплата 2 раза в месяц", True),
    ("Работа по договору ГПХ", False),
    ("Оформление как самозанятый", False),
    ("Интересные задачи", None),
])
def test_official_employment(text, expected):
    assert value(text, "official_employment") == expected


@pytest.mark.parametrize("text,expected", [
    ("Английский язык на уровне B2", ["en"]),
    ("Знание китайского языка приветствуется, английский — плюс", ["zh", "en"]),
    ("Свободное владение немецким и французским", ["de", "fr"]),
    ("Знание казахского языка", ["kk"]),
    ("Грамотная речь", []),
])
def test_languages(text, expected):
    req = value(text, "requirements")
    assert (req["languages"] if req else []) == expected


@pytest.mark.parametrize("text,expected", [
    ("Знание Linux и Windows Server, понимание TCP/IP", ["linux", "windows", "networks"]),
    ("Опыт работы с 1С:Предприятие и MS SQL", ["1c", "sql"]),
    ("Администрирование Active Directory, групповые политики", ["active_directory"]),
    ("Уверенный пользователь Excel, Word; опыт работы в CRM (Битрикс24)", ["office", "crm"]),
    ("Знание ITIL, опыт работы с Jira", ["itil", "jira"]),
    ("Ремонт оргтехники, замена комплектующих", ["hardware"]),
])
def test_skills(text, expected):
    assert value(text, "requirements")["skills"] == expected


@pytest.mark.parametrize("text,expected", [
    ("Высшее техническое образование", True),
    ("Высшее образование желательно", False),
    ("Среднее специальное или высшее образование", False),
])
def test_higher_education(text, expected):
    assert value(text, "requirements")["higher_education"] is expected


@pytest.mark.parametrize("text,expected", [
    ("Условия:\n- ДМС после испытательного срока\n- Компенсация питания\n- Корпоративный транспорт",
     ["health_insurance", "meals", "transport"]),
    ("Мы предлагаем:\n- Фитнес-зал в офисе; обучение за счет компании", ["fitness", "training"]),
    ("Условия:\n- Предоставляем ноутбук для удалённой работы\n- Квартальные премии", ["remote_equipment", "bonus"]),
    ("Интересные задачи", None),
])
def test_benefits(text, expected):
    assert value(text, "benefits") == expected


@pytest.mark.parametrize("text,expected", [
    ("Офис в г. Москве, м. Бауманская", "Москва"),
    ("Работа в Санкт-Петербурге", "Санкт-Петербург"),
    ("Приглашаем в наш офис в Нижнем Новгороде", "Нижний Новгород"),
    ("Место работы: г. Минск, ул. Притыцкого", "Минск"),
    ("Офис в Алматы", "Алматы"),
    ("Работа удалённо из любой точки", None),
])
def test_city(text, expected):
    assert value(text, "city") == expected


def test_salary_fact_shape_and_spans():
    d = default_pipeline().document("Оператор", "Зарплата от 40 000 до 60 000 руб. на руки")
    f = extract_facts(d, LEMMA)["salary"]
    assert f["value"] == {"from": 40000, "to": 60000, "currency": "RUB", "gross": False, "period": "month"}
    assert 0 < f["confidence"] < 1
    s, e, rule = f["spans"][0]
    assert d.text[s:e] == "от 40 000 до 60 000 руб." and rule == "salary.amount"


def test_silent_ad_has_no_facts():
    f = facts("Интересные задачи")
    assert all(f[k] is None for k in ("salary", "schedule", "employment", "official_employment", "benefits", "city"))


def _fact(v, **extra):
    return {"value": v, "confidence": 0.8, "spans": [], **extra}


@pytest.mark.parametrize("inp,key,expected", [
    ({"work_format": "remote"}, "work_format", [{"id": "REMOTE"}]),
    ({"work_format": "office"}, "work_format", [{"id": "ON_SITE"}]),
    ({"work_format": "hybrid"}, "work_format", [{"id": "HYBRID"}]),
    ({"work_format": "field"}, "work_format", [{"id": "FIELD_WORK"}]),
    ({"experience_id": "between1And3"}, "experience", {"id": "between1And3"}),
    ({"experience_id": None}, "experience", None),
    ({"facts": {"employment": _fact("part")}}, "employment_form", {"id": "PART"}),
    ({"facts": {"employment": _fact("full")}}, "employment_form", {"id": "FULL"}),
    ({"facts": {"schedule": _fact("shift", days=["2/2"])}}, "work_schedule_by_days", [{"id": "TWO_ON_TWO_OFF"}]),
    ({"facts": {"schedule": _fact("full_day", days=["5/2"])}}, "work_schedule_by_days", [{"id": "FIVE_ON_TWO_OFF"}]),
    ({"facts": {"salary": _fact({"from": 40000, "to": None, "currency": "RUB", "gross": False, "period": "month"})}},
     "salary_range", {"from": 40000, "to": None, "currency": "RUR", "gross": False, "mode": {"id": "MONTH"}}),
    ({"facts": {"salary": _fact({"from": 1200, "to": 1500, "currency": "BYN", "gross": None, "period": "shift"})}},
     "salary_range", {"from": 1200, "to": 1500, "currency": "BYR", "gross": None, "mode": {"id": "SHIFT"}}),
    ({"facts": {"salary": _fact({"from": 300, "to": None, "currency": "USD", "gross": True, "period": "hour"})}},
     "salary_range", {"from": 300, "to": None, "currency": "USD", "gross": True, "mode": {"id": "HOUR"}}),
    ({"facts": {"salary": None}}, "salary_range", None),
])
def test_hh_block_mapping(inp, key, expected):
    assert hh_block(inp)[key] == expected


@pytest.mark.parametrize("stype,tier,position,title,role", [
    ("technical", "entry", "specialist", "Специалист техподдержки", "121"),
    ("technical", "specialist", "engineer", "Системный администратор", "113"),
    ("customer", "entry", "operator", "Оператор call-центра", "83"),
    ("customer", "specialist", "specialist", "Менеджер по работе с клиентами", "70"),
    ("sales_hybrid", "specialist", "specialist", "Менеджер по продажам", "70"),
    ("customer", "lead", "manager", "Руководитель службы поддержки", "105"),
    ("sales_hybrid", "lead", "manager", "Руководитель отдела продаж", "106"),
])
def test_hh_professional_roles(stype, tier, position, title, role):
    block = hh_block({"support_type": stype, "seniority": tier, "position": position, "title": title})
    assert [r["id"] for r in block["professional_roles"]] == [role]


def test_hh_roles_empty_for_not_support():
    assert hh_block({"support_type": "not_support", "seniority": "senior"})["professional_roles"] == []


@pytest.mark.parametrize("text,expected", [
    ("Условия:\nполная занятость, при частичной занятости обсуждается", "full"),
    ("Ищем инженера на проект крупного банка. Полная занятость", "full"),
    ("Условия:\nпроектная работа, оплата за задачу", "project"),
    ("Условия:\nчастичная занятость, 4 часа в день", "part"),
])
def test_employment_prefers_full_time_when_both_are_offered(pipeline, text, expected):
    fact = pipeline.classify("Специалист поддержки", text)["facts"]["employment"]
    assert fact is not None and fact["value"] == expected


@pytest.mark.parametrize("title,description,position,audience", [
    ("Менеджер по работе с клиентами", "Обязанности:\nконсультирование по заказам и доставке", "other", "external"),
    ("Оператор call-центра", "Обязанности:\nприем звонков, оформление заказов и доставки", "operator", "external"),
    ("Менеджер по продажам", "Обязанности:\nхолодные звонки, выполнение плана продаж", "other", None),
    ("Руководитель отдела продаж", "Обязанности:\nуправление командой, выполнение плана продаж", "manager", None),
    ("Специалист технической поддержки", "Обязанности:\nподдержка сотрудников компании", "specialist", "internal"),
])
def test_position_and_audience_in_the_result(title, description, position, audience):
    """A manager who manages no one is `other`; customer service serves clients (external) even when the text
    does not say so; a job that is no support has no audience. Every stated audience carries a span."""
    result = default_pipeline().classify(title, description)
    assert result["facts"]["position"]["value"] == position
    got = result["facts"]["audience"]
    assert (got and got["value"]) == audience
    sent = {"title": title, "description": description}
    for ev in (got or {}).get("evidence", []):
        assert sent[ev["field"]][ev["start"]:ev["end"]] == ev["text"]
