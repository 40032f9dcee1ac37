"""End to end: the web page at `/`, driven in headless Chromium against the real service.

The service runs as its own uvicorn process on 127.0.0.1 (a free port), started and stopped here.
The browser is Debian's `chromium` (/usr/bin/chromium, installed by `make test`), driven by Playwright
with no browser download. Set VACTAG_WEB_SCREENSHOTS=docs to (re)write the screenshots in docs/.
"""
from __future__ import annotations

import json
import math
import os
import shutil
from pathlib import Path

import httpx
import pytest
from live import live_server
from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("VACTAG_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                 "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--lang=ru"]
SHOTS = os.environ.get("VACTAG_WEB_SCREENSHOTS")

# A real hh.ru ad (hh:127546478, data/labeled_extra_*.jsonl): field technical support at an ISP.
AD_TITLE = "Специалист технической поддержки"
AD_TEXT = (
    "Обязанности:\n\n• подключение услуг компании (Интернет, цифровое ТВ, IP-телефония, видеонаблюдение)\n\n"
    "• настройка оборудования необходимого для предоставления услуг (MicroTik и прочие роутеры, VoIP-шлюзы, "
    "SIP-телефоны, IP-камеры, IPTV-приставки, Smart TV, DVB-T2 приставки)\n\n"
    "• демонстрация подключенных услуг, подписание документов с абонентом.\n\n"
    "• консультация абонентов по техническим вопросам об услугах которые предоставляет компания;\n\n"
    "• протяжка и укладка UTP-кабеля, оптического волокна;\n\n• сварка оптических волокон;\n\n"
    "• диагностика и устранение неисправностей в сети.\n\nТребования:\n\n"
    "• опыт работы обязателен (хотя бы с ЛВС);\n\n• наличие прав категории \"B\" обязательно;\n\n"
    "• ответственность, самостоятельность, обучаемость, стрессоустойчивость.\n\n"
    "• уверенные знания операционных систем Windows 10, 8/8.1, 7, XP;\n\n"
    "• понимание принципов работы основных сетевых протоколов и служб (TCP/IP, DNS, DHCP, модель OSI), "
    "построения сетей передачи данных и маршрутизации трафика;\n\n• понимание принципов работы VLAN (802.1Q);\n\n"
    "• образование не ниже средне-специального;\n\nУсловия:\n\nОформление согласно Трудового кодекса РФ\n\n"
    "от 90 000\n\n• работа в компании интернет - провайдера\n\n• график работы 5/2.\n\n"
    "• разъездной характер работы (Щелковский район) на автомобиле компании (в зависимости от задач);\n\n"
    "• офис находится в г. Щелково, в шаговой доступности ж/д платформа \"Воронок\"."
)
SUPPORT_TYPES = ["technical", "customer", "sales_hybrid", "not_support"]


@pytest.fixture(scope="module")
def server():
    with live_server() as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    assert Path(CHROMIUM).exists(), (
        f"no Chromium at {CHROMIUM}: `apt-get install -y chromium` (make test does it) or set VACTAG_CHROMIUM")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1366, "height": 900}, locale="ru-RU")
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield pg
    ctx.close()
    assert not errors, f"errors in the page: {errors}"


def _nested(spans: list[tuple[str, int, int]]) -> set[tuple[str, int, int]]:
    """The spans the page can highlight: the same nesting as app.js
    (a span crossing its parent is listed, not marked)."""
    kept = set()
    for field in ("title", "description"):
        stack: list[tuple[str, int, int]] = []
        for s in sorted({s for s in spans if s[0] == field and s[2] > s[1]}, key=lambda s: (s[1], -s[2])):
            while stack and stack[-1][2] <= s[1]:
                stack.pop()
            if stack and s[2] > stack[-1][2]:
                continue
            kept.add(s)
            stack.append(s)
    return kept


def _api_evidence(result: dict) -> list[dict]:
    out = [e for k in ("support_type", "seniority", "work_format") for e in result[k]["evidence"]]
    if result["experience"]:
        out += result["experience"]["evidence"]
    for fact in result["facts"].values():
        if fact:
            out += fact["evidence"]
    return out


def _shot(page: Page, name: str, full: bool = True) -> None:
    if SHOTS:
        out = ROOT / SHOTS
        out.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(out / name), full_page=full)


def _classify_in_page(page: Page, base: str, title: str, text: str) -> None:
    page.goto(base + "/")
    page.get_by_label("Название вакансии").fill(title)
    page.get_by_label("Текст вакансии").fill(text)
    page.get_by_role("button", name="Разметить", exact=True).click()
    page.wait_for_selector("#result", timeout=20_000)


def test_one_ad_labels_and_highlights_are_the_api_answer(server, page):
    _classify_in_page(page, server, AD_TITLE, AD_TEXT)
    request = {"title": AD_TITLE, "description": AD_TEXT}
    api = httpx.post(f"{server}/v1/classify", json={**request, "format": "auto"}, timeout=30).json()

    for kind in ("support_type", "seniority", "work_format"):
        card = page.locator(f'.label-card[data-kind="{kind}"]')
        assert card.get_attribute("data-label") == api[kind]["label"], kind
        assert card.locator(".decided").get_attribute("data-decided-by") == api[kind]["decided_by"]
        assert float(card.get_attribute("data-confidence")) == api[kind]["confidence"]
        shown = int(card.locator(".conf").inner_text().replace("\u00a0", " ").removesuffix(" %"))
        assert abs(shown - api[kind]["confidence"] * 100) <= 0.5  # Math.round, not Python's banker's round
    assert api["support_type"]["label"] == "technical"
    assert page.locator("#salary-value").count() == (api["facts"]["salary"] is not None)

    marks = page.eval_on_selector_all(
        "mark.ev", "ms => ms.map(m => [m.dataset.field, +m.dataset.start, +m.dataset.end, m.textContent,"
                   " m.dataset.rules])")
    evidence = _api_evidence(api)
    by_span: dict[tuple[str, int, int], set[str]] = {}
    for e in evidence:
        by_span.setdefault((e["field"], e["start"], e["end"]), set()).add(e["rule"])
        assert request[e["field"]][e["start"]:e["end"]] == e["text"]
    shown = {(f, s, e) for f, s, e, _, _ in marks}
    assert len(shown) == len(marks), "one mark per distinct span"
    assert shown == _nested(list(by_span)), "every (nestable) evidence span is highlighted, and nothing else"
    texts = {(e["field"], e["start"], e["end"]): e["text"] for e in evidence}
    for field, start, end, text, rules in marks:
        assert text == texts[(field, start, end)]
        assert set(rules.split()) == by_span[(field, start, end)]
    assert len(marks) >= 10

    # Hover and keyboard focus show the rule id and its `why` from GET /v1/rules.
    catalog = httpx.get(f"{server}/v1/rules", timeout=10).json()["rules"]
    first = page.locator('mark.ev[data-rules~="st.tech.title"]').first
    first.hover()
    tip = page.locator("#tip")
    assert tip.is_visible()
    assert "st.tech.title" in tip.inner_text() and catalog["st.tech.title"]["why"] in tip.inner_text()
    page.mouse.move(0, 0)
    page.locator("mark.ev").nth(1).focus()
    assert tip.is_visible()
    page.keyboard.press("Escape")
    assert not tip.is_visible()
    assert page.locator("#one-result").get_attribute("aria-live") == "polite"
    page.evaluate("document.activeElement.blur()")
    page.locator('mark.ev[data-rules~="st.tech.title"]').first.hover()
    _shot(page, "web-classify.png")


def test_pasted_hh_json_is_read_as_title_and_html_description(server, page):
    page.goto(server + "/")
    vacancy = {"id": "127546478", "name": AD_TITLE,
               "description": "<p><strong>Обязанности:</strong></p><ul><li>консультация абонентов по техническим "
                              "вопросам</li><li>диагностика и устранение неисправностей в сети</li></ul>"
                              "<p>График работы 5/2, от 90 000 руб.</p>"}
    page.get_by_label("Текст вакансии").fill(json.dumps(vacancy, ensure_ascii=False))
    page.get_by_role("button", name="Разметить", exact=True).click()
    page.wait_for_selector("#result", timeout=20_000)
    assert page.get_by_label("Название вакансии").input_value() == AD_TITLE
    text = page.get_by_label("Текст вакансии").input_value()
    assert "<" not in text and "• консультация абонентов" in text
    api = httpx.post(f"{server}/v1/classify", json={"title": AD_TITLE, "description": text}, timeout=30).json()
    card = page.locator('.label-card[data-kind="support_type"]')
    assert card.get_attribute("data-label") == api["support_type"]["label"]
    for field, start, end, shown in page.eval_on_selector_all(
            "mark.ev", "ms => ms.map(m => [m.dataset.field, +m.dataset.start, +m.dataset.end, m.textContent])"):
        assert shown == {"title": AD_TITLE, "description": text}[field][start:end]


def _batch_file(tmp_path: Path) -> tuple[Path, list[dict]]:
    rows = [json.loads(line) for line in (ROOT / "data" / "labeled_extra_0.jsonl").read_text(encoding="utf-8")
            .splitlines()[:23]]
    items = [{"id": r["id"], "title": r["title"], "description": r["description"]} for r in rows]
    items.append({"id": "empty", "title": "", "description": ""})  # an invalid item: an error row, not a failure
    path = tmp_path / "ads.jsonl"
    path.write_text("\n".join(json.dumps(i, ensure_ascii=False) for i in items) + "\n", encoding="utf-8")
    return path, items


def test_batch_file_summary_matches_the_batch_api(server, page, tmp_path):
    path, items = _batch_file(tmp_path)
    expected = httpx.post(f"{server}/v1/classify/batch", json=[{**i, "format": "auto"} for i in items],
                          timeout=60).json()
    ok = [r for r in expected if "error" not in r]
    assert len(ok) == len(items) - 1

    page.goto(server + "/")
    page.get_by_role("tab", name="Файл с вакансиями").click()
    page.get_by_label("Файл JSONL или CSV").set_input_files(str(path))
    page.get_by_role("button", name="Разметить файл").click()
    page.wait_for_selector("#summary", timeout=60_000)

    assert page.locator("#stat-total").inner_text() == str(len(items))
    assert page.locator("#stat-errors").inner_text() == "1"
    for label in SUPPORT_TYPES:
        want = sum(r["support_type"]["label"] == label for r in ok)
        assert page.locator(f'#support-table tr[data-label="{label}"] .count').inner_text() == str(want), label
    with_salary = sum(r["facts"]["salary"] is not None for r in ok)
    assert page.locator("#stat-salary-share").inner_text().replace("\u00a0", " ") == \
        f"{math.floor(100 * with_salary / len(ok) + 0.5)} %"  # Math.round
    for tier in ("entry", "specialist", "senior", "lead"):
        want = sum(r["seniority"]["label"] == tier for r in ok)
        assert page.locator(f'#salary-table tr[data-label="{tier}"] .count').inner_text() == str(want), tier
    assert page.locator(".chart svg rect").count() == 4

    with page.expect_download() as info:
        page.locator("#batch-download").click()
    lines = Path(info.value.path()).read_text(encoding="utf-8").splitlines()
    assert [json.loads(line).get("id") for line in lines] == [i["id"] for i in items]
    _shot(page, "web-batch.png")


def test_csv_upload(server, page, tmp_path):
    path = tmp_path / "ads.csv"
    path.write_text('id,title,description\n1,Инженер технической поддержки,"Обязанности:\n'
                    'настройка ПО, Windows, ""сеть"""\n2,Менеджер по продажам,План продаж\n', encoding="utf-8")
    page.goto(server + "/#batch")
    page.get_by_label("Файл JSONL или CSV").set_input_files(str(path))
    page.get_by_role("button", name="Разметить файл").click()
    page.wait_for_selector("#summary", timeout=30_000)
    assert page.locator("#stat-total").inner_text() == "2"
    assert page.locator("#stat-errors").inner_text() == "0"


def test_phone_width_has_no_sideways_scrolling(server, browser, tmp_path):
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                              has_touch=True, locale="ru-RU")
    page = ctx.new_page()
    try:
        _classify_in_page(page, server, AD_TITLE, AD_TEXT)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, "no sideways scrolling on a phone"
        page.locator("#h-text").evaluate("e => e.scrollIntoView()")
        _shot(page, "web-classify-phone.png", full=False)
        path, _ = _batch_file(tmp_path)
        page.get_by_role("tab", name="Файл с вакансиями").click()
        page.get_by_label("Файл JSONL или CSV").set_input_files(str(path))
        page.get_by_role("button", name="Разметить файл").click()
        page.wait_for_selector("#summary", timeout=60_000)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.locator("#summary").scroll_into_view_if_needed()
        _shot(page, "web-batch-phone.png", full=False)
    finally:
        ctx.close()
