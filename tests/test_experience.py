"""The experience requirement → hh.ru id, as TAXONOMY.md §3 spells it."""
import time

import pytest

from service.experience import _TOPIC, TOPIC_STARTS, find_experience


@pytest.mark.parametrize("text,hh_id,min_years", [
    ("Требования: опыт работы от 1 года", "between1And3", 1),
    ("опыт работы от года в техподдержке", "between1And3", 1),
    ("опыт от 2 лет", "between1And3", 2),
    ("Опыт работы не менее 3-х лет", "between3And6", 3),
    ("опыт работы от трех лет", "between3And6", 3),
    ("опыт работы более 6 лет", "moreThan6", 6),
    ("опыт работы 3+ года", "between3And6", 3),
    ("опыт работы 1-3 года", "between1And3", 1),
    ("Коммерческий опыт работы от 1-3х лет", "between1And3", 1),
    ("Опыт работы по поддержке пользователей не менее 1-3-х лет", "between1And3", 1),
    ("опыт работы от 1 до 3 лет", "between1And3", 1),
    ("0.5+ year experience in Support", "noExperience", 0.5),
    # a case ending glued to the figure; "age" inside "manager" is no age
    ("Опыт работы на аналогичной должности от 3ех лет", "between3And6", 3),
    ("Опыт работы в аналогичной должности от 1го года.", "between1And3", 1),
    ("Опыт работы с Python более 3x лет,", "between3And6", 3),
    ("опыт работы персональным водителем от 5-и лет", "between3And6", 5),
    ("Опыт работы Product manager / Product Owner / Project manager от 5-ти лет в ИТ-проектах", "between3And6", 5),
    ("1+ years of Account Management experience.", "between1And3", 1),
    ("2-3 years of account management or business development experience.", "between1And3", 2),
    # the figure far from "опыт" but in the same sentence ("тех. поддержки" ends none)
    ("Опыт работы в IT-сфере в качестве системного администратора или сотрудника тех. поддержки не менее 1 года.",
     "between1And3", 1),
    ("Требования: опыт продаж от 1 года.\nГотовы рассмотреть кандидатов без опыта в нашей сфере.", "between1And3", 1),
    ("Опыт продаж от 2 лет. Если нет опыта в данной системе, научим.", "between1And3", 2),
    ("Рассматриваем кандидатов без опыта в продажах", "noExperience", 0),
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
    ("опыт работы в технической поддержке будет вашим преимуществом", "noExperience", None),
    ("опыт работы в поддержке как преимущество", "noExperience", None),
    ("желателен (но не обязателен) опыт работы в call-центре", "noExperience", None),
    ("опыт работы оператором или готов научиться этой профессии", "noExperience", None),
    ("опыт работы в техподдержке или желание такой опыт приобрести", "noExperience", None),
    ("опыт в продажах необязателен", "noExperience", 0),
    ("Опыт работы не требуем, всему обучим", "noExperience", 0),
    ("если опыта нет — научим", "noExperience", 0),
    ("Опыт работы: не требуется", "noExperience", 0),
    ("Опыт работы по направлению – не требуется", "noExperience", 0),
    ("Опыт работы в продажах не является обязательным.\nОпыт в CRM приветствуется", "noExperience", 0),
    ("Опыт желателен, но не обязателен", "noExperience", None),
    # a list under a wish header is a wish list
    ("Требования:\n- грамотная речь\n\nБудет плюсом:\n\n- Опыт работы в технической поддержке\n- английский",
     "noExperience", None),
    ("Приветствуется:\nОпыт работы менеджером по продажам", "noExperience", None),
    # work in a field or a post, with no word for experience
    ("Работа в аналогичной сфере от 1 года. Грамотная речь.", "between1And3", 1),
    ("- От 1 года работы на позиции аналитика", "between1And3", 1),
    ("Experience of at least one year in this line of work.", "between1And3", 1),
    # an abbreviation's full stop ends no clause
    ("Опыт работы в тех. поддержке будет Вашим преимуществом.", "noExperience", None),
    ("Опыт работы в солл-центре/тех.поддержке приветствуется.", "noExperience", None),
    # a snippet cut after "будет" was a wish; "будет для вас преимуществом" too
    ("Опыт в продажах будет..", "noExperience", None),
    ("опыт на аналогичной должности будет для вас преимуществом", "noExperience", None),
    ("Опыт работы в телефонных продажах не обязателен, но будет вашим..", "noExperience", 0),
    # the wish comes first
    ("Будет плюсом, если у тебя есть опыт обслуживания клиентов", "noExperience", None),
    ("Здорово, если у тебя есть опыт в телефонных продажах (но не обязательно)", "noExperience", None),
    ("Для нас ценно, если у вас есть опыт работы в контактном центре", "noExperience", None),
])
def test_experience(text, hh_id, min_years):
    exp = find_experience(text)
    assert exp is not None and exp.hh_id == hh_id
    assert exp.min_years == min_years
    assert text[exp.start:exp.end] == exp.text


@pytest.mark.parametrize("text", [
    "Опыт работы с OpenShift приветствуется",  # a wish for a tool, not for work experience: the text is silent
    "опыт работы с CRM системами приветствуется",
    "- опыт работы с англоговорящими клиентами будет являться преимуществом",  # a wish, never a demand
    "Возраст от 18 до 45 лет",
    "Опыт работы: возраст от 25 лет",
    "Опыт нашей компании. Мы на рынке уже 12 лет, и за эти годы открыли 40 филиалов по всей стране",
    "Компания на рынке более 15 лет",
    "Мы работаем 20 лет",
    "Компания работает в сфере IT 15 лет",
    "Experience with at least one of the following: Python, Go",
    "график 5/2 с 9 до 18",
])
def test_not_experience(text):
    assert find_experience(text) is None


# experience asked for without a figure: no hh.ru bucket (hh_id None), and a wish for some other experience in the
# same ad does not make it optional
@pytest.mark.parametrize("text,asked", [
    ("Опыт разработки на Python - обязательно.\nОпыт разработки на C# будет плюсом.",
     "Опыт разработки на Python - обязательно"),
    ("Необходим опыт продаж.\nОпыт работы в CRM Битрикс приветствуется", "Необходим опыт продаж"),
    ("Требования:\n- Опыт администрирования Linux\n- Опыт работы с Docker\n- Желателен опыт работы с Apache Kafka",
     "- Опыт администрирования Linux"),
    ("Требования: опыт ИТ-поддержки пользователей. Желателен опыт работы в банке.",
     "Требования: опыт ИТ-поддержки пользователей"),
    ("Требования:\n- опыт продаж\n\nБудет плюсом:\n- опыт работы в CRM", "- опыт продаж"),
    ("Опыт работы в тех. поддержке обязателен.", "Опыт работы в тех. поддержке обязателен"),
    ("Опыт работы с клиентами..", "Опыт работы с клиентами."),  # a snippet cut after a demand is still one
])
def test_experience_asked_without_figure(text, asked):
    exp = find_experience(text)
    assert exp is not None and exp.hh_id is None and exp.required and exp.min_years is None
    assert text[exp.start:exp.end] == exp.text == asked


def test_strictest_requirement_wins():
    exp = find_experience("опыт работы от 1 года;\nопыт администрирования Linux от 3 лет")
    assert exp.hh_id == "between3And6"


@pytest.mark.parametrize("text", [
    "опыт " + "1" * 100_000 + " лет " * 1000,
    "опыт\n" * 40_000,  # 40,000 lines that speak of experience
    "работы " * 30_000,  # a start word at every step that never makes a topic
])
def test_long_adversarial_input_is_fast(text):
    """Linear in the text: 200 KB (the API's limit) takes ~0.1 s; the quadratic scan this guards against took
    ~9 s. The bound is loose on purpose (a noisy machine must not fail it, a quadratic scan must)."""
    started = time.process_time()
    find_experience(text)
    assert time.process_time() - started < 2.0


def test_every_topic_starts_with_a_topic_start():
    """find_experience looks for TOPIC_STARTS with str.find in the lowered text (tests/test_lowered.py)."""
    alternatives, depth, begin = [], 0, 0  # _TOPIC's top-level alternatives must each start with a TOPIC_STARTS word
    for i, ch in enumerate(_TOPIC.pattern + "|"):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if ch == "|" and depth == 0:
            alternatives.append(_TOPIC.pattern[begin:i])
            begin = i + 1
    assert all(a.startswith(TOPIC_STARTS) for a in alternatives), alternatives


@pytest.mark.parametrize("text", ["ОПЫТ работы от 2 лет", "EXPERIENCE: 3+ years", "ᲂпыт от 2 лет",
                                  "experİence 3+ years", "работы в должности от 2 лет", "Стаж работы не менее 3 лет"])
def test_topic_in_any_case(text):
    assert find_experience(text) is not None
