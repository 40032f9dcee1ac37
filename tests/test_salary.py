"""Salary parser: a table of real-ad strings → expected parse, and hypothesis properties."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.salary import _MASKS, _mask, parse_salary

R, U, E, K, B, Z = "RUB", "USD", "EUR", "KZT", "BYN", "UZS"

# (text, (from, to, currency, gross, period)) — or None when the text states no salary.
CASES = [
    ("от 40 000 до 60 000 руб. на руки", (40000, 60000, R, False, "month")),
    ("до 60 тыс.", (None, 60000, R, None, "month")),
    ("Зарплата 40–60 т.р.", (40000, 60000, R, None, "month")),
    ("з/п 50к", (50000, None, R, None, "month")),
    ("50 000 ₽", (50000, None, R, None, "month")),
    ("от 1 500 $", (1500, None, U, None, "month")),
    ("$1500", (1500, None, U, None, "month")),
    ("1 500 USD", (1500, None, U, None, "month")),
    ("3000 BYN", (3000, None, B, None, "month")),
    ("Зарплата 1500 BR", (1500, None, B, None, "month")),
    ("200 000 тенге", (200000, None, K, None, "month")),
    ("зарплата 5 000 000 сум", (5000000, None, Z, None, "month")),
    ("доход 5,3 млн руб в год", (5300000, None, R, None, "year")),
    ("Оклад 30 000 + премии", (30000, None, R, None, "month")),
    ("1500 руб. за смену", (1500, None, R, None, "shift")),
    # a lower and an upper bound apart in one clause; a "+ bonus" total is not the upper bound
    ("Оплата почасовая от 220р с нулевыми знаниями до 300р если соответствуете требованиям",
     (220, 300, R, None, "hour")),
    ("заработная плата от 60000 с дальнейшим увеличением до 100000", (60000, 100000, R, None, "month")),
    ("Оплата: от 2000 руб/смена до 2200 руб/смена", (2000, 2200, R, None, "shift")),
    ("заработная плата от 200 000 руб. (оклад) + годовой бонус (совокупно до 350 000 gross)",
     (200000, None, R, True, "month")),
    ("Оплата еженедельная, 2000 рублей на карту", (2000, None, R, None, "week")),
    ("Еженедельные выплаты, оклад 40 000 руб.", (40000, None, R, None, "month")),
    ("ведь потолка по зарплате нет (возможность заработать 100 000 руб. и выше)", (None, 100000, R, None, "month")),
    ("Заработная плата: от 40.000 руб;", (40000, None, R, None, "month")),
    ("Совокупный доход от 100 тыс.руб. (оклад + %).", (100000, None, R, None, "month")),
    ("Оклад от 60.000 (на руки) + 6-7% от продаж", (60000, None, R, False, "month")),
    ("зарабатывать от 200 -300 000 рублей совокупно", (200000, 300000, R, None, "month")),
    ("Почасовая оплата 100р/час", (100, None, R, None, "hour")),
    ("Успешные менеджеры зарабатывают от 200 тыс. руб. и выше", (None, 200000, R, None, "month")),
    ("доход до 180 000 у лучших, оклад 40 000 руб", (40000, None, R, None, "month")),
    ("Зарплата на этой позиции 1300 бел.руб. на период испытательного срока, после испытательного 1400 бел.руб.",
     (1300, 1400, B, None, "month")),
    ("Среднемесячный доход от 500.000тг до 2.000.000 тг — потолка нет.", (500000, 2000000, K, None, "month")),
    ("Оклад: 250 000 – 300 000 (двести пятьдесят – триста тысяч) рублей в месяц (Гросс)",
     (250000, 300000, R, True, "month")),
    ("З/п: от 65000 руб.", (65000, None, R, None, "month")),
    ("- Доход от 53 000 руб", (53000, None, R, None, "month")),
    ("Зарплата 80 000 - 150 000 рублей и выше, оклад 80 000 (фикс+флекс) + % от продаж",
     (80000, 150000, R, None, "month")),
    ("в среднем 80 000-120 000 руб. в месяц, верхний предел не ограничен", (80000, 120000, R, None, "month")),
    ("конкурентоспособная заработная плата от 170 000 до 900 000 тг. в месяц", (170000, 900000, K, None, "month")),
    ("оклад 45 000 рублей на руки (действует начиная с испытательного срока)", (45000, None, R, False, "month")),
    ("Ежемесячный заработок: оклад 45 000 ₽(на руки) + %. После испытательного срока - зарплата 80 000-90 000 ₽",
     (45000, None, R, False, "month")),
    ("Заработная плата 150 000 руб. (оклад + KPI + % от продаж)", (150000, None, R, None, "month")),
    ("выплаты стабильные = 25 000 р. + премии", (25000, None, R, None, "month")),
    ("Полностью официальный доход (оклад 34000 + премии согласно KPI)", (34000, None, R, None, "month")),
    ("Совокупный доход от 22400 до 28000 рублей (фиксированная часть+премия)", (22400, 28000, R, None, "month")),
    ("заработная плата от 60 000 рублей в первый месяц работы", (60000, None, R, None, "month")),
    ("Salary: 2 000 - 3 000 EUR gross per month", (2000, 3000, E, True, "month")),
    ("monthly salary 70 000 RUR gross", (70000, None, R, True, "month")),
    ("ставка 350 руб/час", (350, None, R, None, "hour")),
    ("Оплата 2500 рублей в день", (2500, None, R, None, "day")),
    ("еженедельные выплаты 10-15 т.р./неделю", (10000, 15000, R, None, "week")),
    ("Зарплата от 1000 $ до 2000 $ после вычета налогов", (1000, 2000, U, False, "month")),
    ("€3000 до вычета налогов", (3000, None, E, True, "month")),
    ("доход 120 000 руб. до налогообложения", (120000, None, R, True, "month")),
    ("оплата 5000 руб. за проект", (5000, None, R, None, "project")),
    ("оклад 90 000 чистыми", (90000, None, R, False, "month")),
    ("Заработная плата от 1 200 BYN", (1200, None, B, None, "month")),
    ("Оформление по ТК РБ. Заработная плата 1500 рублей", (1500, None, B, None, "month")),
    ("ЗП 17.000 в месяц", (17000, None, R, None, "month")),
    # a narrow no-break space inside the number becomes two spaces in the normalised text
    ("Стабильный доход, средний уровень которого — около 35  000 рублей (после вычета налога)",
     (35000, None, R, False, "month")),
    # "тыс"/"т.р." after a figure already written out in full
    ("Заработная плата от 50000т.р", (50000, None, R, None, "month")),
    ("средний доход менеджера 50000-350000 тыс руб в месяц", (50000, 350000, R, None, "month")),
    ("до 60 тыс. руб.", (None, 60000, R, None, "month")),
    ("Реферальная программа. Зарплата 60 000 руб.", (60000, None, R, None, "month")),
    # a pay word right after the amount
    ("Мотивация:\n\n250000 база + 2% от валовой прибыли", (250000, None, R, None, "month")),
    ("Условия: 45 000 оклад + премии", (45000, None, R, None, "month")),
    # the pay word on the line above an amount that starts its line
    ("Заработная плата:\n60 000 - 80 000\n", (60000, 80000, R, None, "month")),
    # the price of a shift is pay; "2500 смена" is per shift
    ("Стоимость смены от 6000руб.", (6000, None, R, None, "shift")),
    ("ЗП: 2500 смена", (2500, None, R, None, "shift")),
    # two rates for the same period side by side are a range
    ("Почасовая оплата 100р/час день, и 120р/час в ночь", (100, 120, R, None, "hour")),
    ("Ставка 1500 руб. за смену в будни, 1800 руб. за смену в выходные", (1500, 1800, R, None, "shift")),
    ("Оплата: 200р/час + KPI 35%, далее 250р/час", (200, None, R, None, "hour")),
    # a figure in parentheses restating the one before it is not preferred as "monthly"
    ("Доход — от 130₽ до 170₽/час (до 34 000 рублей в месяц) на руки", (130, 170, R, False, "hour")),
    # abbreviated probation: "на ис/срок … после ис/срока" is a range
    ("- з/пл на ис/срок белая-44500р, на руки за выч. НДФЛ- 38715руб.\n\n"
     "- з/пл после ис/срока белая 56500р, на руки за вычетом НДФЛ - 49155руб", (44500, 56500, R, False, "month")),
    # "первый месяц (стажировка) … второй месяц": the month after the training closes the range
    ("Первый месяц(обучение, стажировка): з/п 15 000р.\nВторой месяц: оклад 25 000р.",
     (15000, 25000, R, None, "month")),
    # the after-probation figure may be a "до" figure
    ("Стабильную выплату ЗП: фиксированный оклад (на стажировке 60 000 рублей, после стажировки оклад + KPI "
     "до 75 000 рублей)", (60000, 75000, R, None, "month")),
    # a pay word in parentheses right after a bare range
    ("- 35000 - 60000 ( оклад + премия+КPI)\n\n- На испытательный срок от 30 до 50 т.р",
     (35000, 60000, R, None, "month")),
    # in a Belarusian ad a bare figure in the hundreds with a pay word is a month's pay
    ("DPD в Беларуси. - Достойная оплата труда: оклад 670 без вычета подоходного + квартальная премия",
     (670, None, B, True, "month")),
    ("Москва. Оклад 670 + премия", None),
    # a total and the base part of it: the base
    ("Стабильный совокупный уровень дохода от 50.000 , из которых окладная часть составляет 30.000, "
     "остальная часть — % от продаж",
     (30000, None, R, None, "month")),
    ("Доход 80 000 руб., в т.ч. оклад 40 000 руб.", (40000, None, R, None, "month")),
    ("- ДМС;\n- Уровень компенсации 250 000 на руки;", (250000, None, R, False, "month")),
    ("- Компенсация питания 5000 рублей;", None),
    ("Доход 80 000 руб., из них 20 000 руб. премия", (80000, None, R, None, "month")),
    # what the candidate may come to earn is not the offer when the ad also states one
    ("При выполнении планов вы быстро сможете выйти на заработок от 70 000 руб. в месяц. "
     "Заработная плата будет складываться из оклада 30 000 руб. + 7% от продаж", (30000, None, R, None, "month")),
    ("Вы готовы быстро учиться, чтобы зарабатывать от 120.000 до 200.000+ руб. в мес.\n"
     "Условия:\n- Уровень заработной платы 60.000 - 200.000 руб.", (60000, 200000, R, None, "month")),
    # a range whose low end is under 1000 is in thousands only when the high end is that large
    ("Middle: 800$-1500$, Senior: 1500$-3000$", (800, 1500, U, None, "month")),
    ("от 800$ до 1500$", (800, 1500, U, None, "month")),
    ("от 50 до 150 000 руб", (50000, 150000, R, None, "month")),
    # pay per shift: "выход", "смены", "за 12-часовую смену составляет"; per day: "1500р. день", "4500 рублей сутки"
    ("Оплата за 12 часовую смену составляет 3000 рублей на руки", (3000, None, R, False, "shift")),
    ("- Выход 1500 руб. + личные чаевые", (1500, None, R, None, "shift")),
    ("Выход на нашей машине: 2300 руб. Выход на своей машине: 3600 руб (ГСМ включен).", (2300, 3600, R, None, "shift")),
    ("Официант 2500₽/выход", (2500, None, R, None, "shift")),
    ("Смены 2000-2500 р.", (2000, 2500, R, None, "shift")),
    ("Оплата фиксированная - 1500р. день + % от продаж", (1500, None, R, None, "day")),
    ("оплата 4500 рублей сутки.", (4500, None, R, None, "day")),
    ("Выход на работу через неделю, зарплата 50 000 руб", (50000, None, R, None, "month")),
    # before tax: "с НДФЛ", "до оплаты налогов", "без вычета подоходного"
    ("Заработная плата от 80 000 руб. в месяц с НДФЛ плюс квартальная премия", (80000, None, R, True, "month")),
    ("Оплата до 60 000 руб. (до оплаты налогов)", (None, 60000, R, True, "month")),
    ("Оклад 1500 руб. без вычета подоходного, Минск", (1500, None, B, True, "month")),
    # not a salary
    ("Звоните: 8 (800) 555-35-35", None),
    ("+7 912 345-67-89, Анна", None),
    ("График работы с 9 до 18", None),
    ("График 5/2 с 09:00 до 18:00", None),
    ("Смены 2/2 по 12 часов", None),
    ("Возраст до 50 лет", None),
    ("Опыт работы от 1 года", None),
    ("В компании более 5000 сотрудников", None),
    ("Знание 1С 8.3", None),
    ("Адрес: ул. Ленина, д. 105, офис 3005, индекс 620014", None),
    ("10% от продаж", None),
    ("Дата публикации 12.03.2024", None),
    ("Стоимость наших услуг от 30 тыс. рублей до 2 млн.", None),
    ("Средний чек 70 000-80 000 руб, планы у наших менеджеров от 500 000 руб", None),
    ("Нам доверяют: 2,2 млн физических лиц и 85 тыс. корпоративных клиентов", None),
    ("около 83 тысяч активных клиентов малого бизнеса", None),
    ("Центр — это более 3,5 тыс. сотрудников", None),
    ("получаем в неделю 4-7 тысяч регистраций", None),
    ("Компания на рынке с 1993 года", None),
    ("Зарплата по результатам собеседования", None),
    ("Своя техника для монтажа видео в 4К", None),
    ("Премия 500 руб. за каждого привлечённого клиента", None),
    ("Приветственный\nбонус новым сотрудникам -\n10 000\nРуб.", None),
    ("Обучение 6 дней (Стипендия 700р/день + бонус за прохождение обучения)", None),
    ("Первые три месяца бесплатно, далее выплачивается стипендия от 200 до 400 долларов.", None),
    ("Действует акция приведи друга 5000 руб. за человека.", None),
    ("Стоимость услуг от 6000 руб.", None),
    ("Клиентская база 5000 + новые контакты", None),
    ("Протоколы: IEEE 802.1BR (Bridge Port Extension)", None),
    # a referral reward, a travel allowance, a sign-on payment; "40k" of something with no pay word
    ("- реферальную программу для сотрудников: можно пригласить в команду знакомых профессионалов и получить "
     "вознаграждение до 100 тыс. рублей;", None),
    ("возможность участия в реферальной программе по поиску данного специалиста (за выход на работу Бэкенд - "
     "разработчика (Python) в отдел проектирования и разработки вознаграждение 140 000 рублей).", None),
    ("Проезд работников оплачивается, но не более 22000 руб.Горячее 3-х разовое питание", None),
    ("- выплата при трудоустройстве новому сотруднику 240 рублей;", None),
    # "ставк" / "фикс" inside another word ("доставки", "префикс") is no pay word
    ("имеет более 16 000 пиццерий и сеть доставки по всему миру", None),
    ("система для расчета и оформления доставки в 40000 населенных пунктов", None),
    # a bare "k" alone does not make a figure money
    ("Welltory — приложение No1 в России про здоровье. 3M+ юзеров, 40k ☆☆☆☆☆ оценок", None),
]


@pytest.mark.parametrize("text,expected", CASES, ids=[c[0][:40] for c in CASES])
def test_salary_table(text, expected):
    got = parse_salary(text)
    if expected is None:
        assert got is None, got
        return
    assert got is not None
    assert (got.from_, got.to, got.currency, got.gross, got.period) == expected
    assert 0 <= got.start < got.end <= len(text)


def test_table_is_large_enough():
    assert len(CASES) >= 60


def test_spans_point_at_the_amount():
    text = "Условия: зарплата от 40 000 до 60 000 руб. на руки"
    s = parse_salary(text)
    assert text[s.start:s.end] == "от 40 000 до 60 000 руб."
    assert text[slice(*s.parts["from"])] == "40 000"
    assert text[slice(*s.parts["to"])] == "60 000"
    assert text[slice(*s.parts["gross"])] == "на руки"


_ALPHABET = st.sampled_from(list("0123456789 .,-–/:+()₽$кkтысрубдоот\n%"))


@settings(max_examples=300, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=_ALPHABET, max_size=400))
def test_never_raises_never_inverted(text):
    s = parse_salary(text)
    if s is not None:
        assert s.from_ is None or s.to is None or s.from_ <= s.to
        assert s.from_ is not None or s.to is not None
        assert 0 <= s.start < s.end <= len(text)


@settings(max_examples=200, deadline=2000)
@given(st.text(max_size=300))
def test_never_raises_on_any_unicode(text):
    s = parse_salary(text)
    assert s is None or s.from_ is None or s.to is None or s.from_ <= s.to


@settings(max_examples=8, deadline=5000, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.sampled_from(["0", "9", " ", ".", ",", "-", "1 000 ", "от ", "до ", "руб ", "5/2 ", "8 (800) ", "1.000,"]),
       st.sampled_from(["", " ", "руб", "тыс", "-"]))
def test_adversarial_100kb_finishes(unit, glue):
    text = (unit * (100_000 // len(unit) + 1))[:100_000] + glue + "9" * 5000
    parse_salary(text)  # the deadline above is the assertion: no catastrophic backtracking


@pytest.mark.parametrize("text,expected", [
    ("Условия:\nОформление по ТК\nот 90 000\n• график 5/2", (90000, None)),
    ("• от 45 000 до 60 000;", (45000, 60000)),
    ("Условия:\n- до 15000\n", (None, 15000)),
    ("Требования:\n- от 10 000 до 20 000 подписчиков", None),
    ("тираж от 50 000", None),
    ("- от 2018 года", None),
])
def test_an_amount_alone_on_its_line_is_pay(text, expected):
    s = parse_salary(text)
    assert (None if s is None else (s.from_, s.to)) == expected


@pytest.mark.parametrize("text,currency", [
    ("Алматы. Зарплата 300 000 на руки", "KZT"),
    ("г. Астана, оклад от 250 000 руб.", "RUB"),   # an explicit currency stays
    ("Москва. Зарплата 300 000 на руки", "RUB"),
    ("Минск. Зарплата 1500 на руки", "BYN"),
    ("Опыт в оформлении СТ-KZ. Схема оплаты: 250000 база + 2% от прибыли", "KZT"),
])
def test_an_amount_without_currency_takes_the_country_of_the_ad(text, currency):
    assert parse_salary(text).currency == currency


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet=st.sampled_from("0189+ -().,:/с1cС٣\n"), max_size=60)
       | st.text(alphabet=_ALPHABET, max_size=200))
def test_mask_tries_only_where_a_form_can_start(text):
    assert _mask(text) == _MASKS.sub(lambda m: "#" * len(m.group()), text)
