"""The real app through TestClient (lifespan runs, real pipeline, no mocks)."""
from __future__ import annotations

import json
import typing
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service.api import create_app, load_taxonomy
from service.schemas import (
    BatchError,
    ClassifyResult,
    ExperienceId,
    Seniority,
    SupportType,
    WorkFormat,
)
from service.settings import Settings

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
PROBLEM = "application/problem+json"
TYPE = "https://vactag.dev/problems/"

AD_TITLE = "Специалист технической поддержки (удалённо)"
AD_TEXT = (
    "Компания «СофтЛайн Сервис» ищет специалиста второй линии технической поддержки.\n"
    "Обязанности:\n"
    "- приём и обработка заявок пользователей в Service Desk;\n"
    "- диагностика и устранение неисправностей ПО и оборудования, настройка рабочих мест;\n"
    "- администрирование учётных записей в Active Directory;\n"
    "- работа с инцидентами по ITIL.\n"
    "Требования:\n"
    "- опыт работы в технической поддержке от 1 года;\n"
    "- уверенное знание Windows и Linux, понимание сетей TCP/IP.\n"
    "Условия: удалённая работа, официальное трудоустройство, зарплата от 70 000 руб. на руки."
)
AD_HTML = (
    "<p><strong>Обязанности:</strong></p><ul><li>консультирование пользователей по настройке ПО&nbsp;и сети;</li>"
    "<li>устранение неисправностей оборудования;</li><li>работа с заявками в Jira.</li></ul>"
    "<p><strong>Требования:</strong> опыт работы от 3 лет, знание Linux.</p>"
    "<p>Работа в офисе в Москве, график 5/2.</p>"
)


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(Settings())) as c:
        yield c


def spans(node):
    """Every span anywhere in a result (label and model evidence, facts, sections, …)."""
    if isinstance(node, dict):
        if {"field", "start", "end", "text"} <= node.keys():
            yield node
        for value in node.values():
            yield from spans(value)
    elif isinstance(node, list):
        for value in node:
            yield from spans(value)


def assert_spans_match(result: dict, request: dict) -> int:
    n = 0
    for span in spans(result):
        source = request.get(span["field"], "")
        assert source[span["start"]:span["end"]] == span["text"], span
        n += 1
    return n


def assert_mirrors_schema(result: dict) -> None:
    """The schema describes the result exactly: no undeclared keys, values survive the round trip."""
    parsed = ClassifyResult.model_validate(result)
    assert parsed.model_dump(by_alias=True, exclude_unset=True) == result


def assert_problem(response, status: int, kind: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["type"] == TYPE + kind
    assert body["status"] == status and body["title"]
    assert "Traceback" not in response.text
    return body


def test_classify_tech_support_ad(client):
    request = {"title": AD_TITLE, "description": AD_TEXT, "id": "ad-1"}
    r = client.post("/v1/classify", json=request, headers={"X-Request-ID": "req-123"})
    assert r.status_code == 200, r.text
    assert r.headers["x-request-id"] == "req-123"
    result = r.json()
    assert_mirrors_schema(result)
    assert result["id"] == "ad-1"
    assert result["support_type"]["label"] == "technical"
    assert result["seniority"]["label"] == "specialist"
    assert result["work_format"]["label"] == "remote"
    assert result["experience"]["id"] == "between1And3"
    assert result["facts"]["line"]["value"] == 2
    assert assert_spans_match(result, request) >= 5


def test_html_spans_point_into_the_html(client):
    request = {"title": "Инженер технической поддержки", "description": AD_HTML, "format": "html"}
    result = client.post("/v1/classify", json=request).json()
    assert_mirrors_schema(result)
    assert result["support_type"]["label"] == "technical"
    assert result["experience"]["id"] == "between3And6"
    assert assert_spans_match(result, request)
    described = [s for s in spans(result) if s["field"] == "description"]
    assert any(s["start"] > AD_HTML.index("</ul>") for s in described)


def test_auto_format_detects_html(client):
    auto = client.post("/v1/classify", json={"title": "Инженер", "description": AD_HTML}).json()
    html = client.post("/v1/classify", json={"title": "Инженер", "description": AD_HTML, "format": "html"}).json()
    assert auto == html


def test_control_characters_are_accepted(client):
    request = {"title": "Оператор\x00 колл-центра", "description": "Приём\x07 входящих звонков\x1f, без опыта"}
    r = client.post("/v1/classify", json=request)
    assert r.status_code == 200, r.text
    assert_spans_match(r.json(), request)


def test_batch_keeps_order_and_isolates_a_bad_item(client):
    items = [{"id": "a", "title": AD_TITLE, "description": AD_TEXT},
             {"id": "b", "description": "нет заголовка"},
             "not an object",
             {"id": "d", "title": "Оператор чата", "description": "Отвечать клиентам о доставке заказов"}]
    r = client.post("/v1/classify/batch", json=items)
    assert r.status_code == 200, r.text
    out = r.json()
    assert [x["id"] for x in out] == ["a", "b", None, "d"]
    assert_mirrors_schema(out[0])
    assert_mirrors_schema(out[3])
    for bad in out[1:3]:
        err = BatchError.model_validate(bad).error
        assert (err.type, err.status) == (TYPE + "validation", 422)
    assert out[0]["support_type"]["label"] == "technical"


@pytest.mark.skipif(not (SHARED_DATA / "labeled_dev.jsonl").exists(), reason="shared data not present")
def test_real_ads_mirror_the_schema_and_spans(client):
    with open(SHARED_DATA / "labeled_dev.jsonl", encoding="utf-8") as fh:
        ads = [{k: row[k] for k in ("id", "title", "description")} for row in map(json.loads, fh)][:200]
    for i in range(0, len(ads), 40):
        chunk = ads[i:i + 40]
        out = client.post("/v1/classify/batch", json=chunk).json()
        assert [r["id"] for r in out] == [a["id"] for a in chunk]
        for ad, result in zip(chunk, out):
            assert_mirrors_schema(result)
            assert_spans_match(result, ad)


def test_empty_batch(client):
    assert client.post("/v1/classify/batch", json=[]).json() == []


JSON = {"content-type": "application/json"}


@pytest.mark.parametrize("method,path,kwargs,status,kind", [
    ("post", "/v1/classify", {"content": b'{"title": "x"', "headers": JSON}, 400, "malformed-json"),
    ("post", "/v1/classify", {"content": b"", "headers": JSON}, 400, "malformed-json"),
    ("post", "/v1/classify", {"content": b'{"title": "\xff\xfe"}', "headers": JSON}, 400, "invalid-utf8"),
    ("post", "/v1/classify", {"content": b"title=x", "headers": {"content-type": "text/plain"}}, 415,
     "unsupported-media-type"),
    ("post", "/v1/classify", {"data": {"title": "x"}}, 415, "unsupported-media-type"),
    ("post", "/v1/classify", {"json": {"title": "   ", "description": "\n\t "}}, 422, "validation"),
    ("post", "/v1/classify", {"json": {"title": "", "description": "текст"}}, 422, "validation"),
    ("post", "/v1/classify", {"json": {"description": "без заголовка"}}, 422, "validation"),
    ("post", "/v1/classify", {"json": {"title": 42}}, 422, "validation"),
    ("post", "/v1/classify", {"json": {"title": "x", "descripton": "typo"}}, 422, "validation"),
    ("post", "/v1/classify", {"json": {"title": "x", "format": "pdf"}}, 422, "validation"),
    ("post", "/v1/classify", {"json": {"title": "x" * 1001}}, 422, "validation"),
    ("post", "/v1/classify", {"json": ["title"]}, 422, "validation"),
    ("post", "/v1/classify/batch", {"json": {"title": "x"}}, 422, "validation"),
    ("post", "/v1/classify", {"content": b"{}" + b" " * 1_000_000, "headers": JSON}, 413, "body-too-large"),
    ("get", "/v1/nothing-here", {}, 404, "not-found"),
    ("get", "/v1/classify", {}, 405, "method-not-allowed"),
    ("delete", "/v1/taxonomy", {}, 405, "method-not-allowed"),
])
def test_bad_input_is_a_problem(client, method, path, kwargs, status, kind):
    body = assert_problem(client.request(method.upper(), path, **kwargs), status, kind)
    if kind == "validation" and path == "/v1/classify":
        assert body["errors"] and all({"loc", "msg", "type"} <= e.keys() for e in body["errors"])


def test_streamed_body_is_counted_without_content_length():
    def chunks():
        yield b'{"title": "'
        for _ in range(20):
            yield b"x" * 100
        yield b'"}'

    with TestClient(create_app(Settings(max_body_bytes=1000))) as c:
        r = c.post("/v1/classify", content=chunks(), headers=JSON)
        assert "content-length" not in r.request.headers
        assert_problem(r, 413, "body-too-large")
        assert c.post("/v1/classify", json={"title": "Инженер"}).status_code == 200


def test_limits_from_settings():
    with TestClient(create_app(Settings(max_text_chars=50, batch_limit=2))) as c:
        body = assert_problem(c.post("/v1/classify", json={"title": "x", "description": "а" * 51}), 422, "validation")
        assert body["errors"][0]["loc"] == ["description"]
        assert_problem(c.post("/v1/classify/batch", json=[{"title": "x"}] * 3), 422, "validation")
        out = c.post("/v1/classify/batch", json=[{"id": "1", "title": "x", "description": "а" * 51}]).json()
        assert out[0]["error"]["type"] == TYPE + "validation"


@pytest.mark.parametrize("headers,status", [({}, 401), ({"X-API-Key": "wrong"}, 401),
                                             ({"X-API-Key": "k2"}, 200), ({"X-API-Key": "k1"}, 200)])
def test_api_key(headers, status, tmp_path):
    keys_file = tmp_path / "keys"
    keys_file.write_text("# one per line\nk2\n")
    with TestClient(create_app(Settings(api_keys="k1", api_keys_file=keys_file))) as c:
        r = c.post("/v1/classify", json={"title": "Инженер поддержки"}, headers=headers)
        assert r.status_code == status
        if status == 401:
            assert_problem(r, 401, "unauthorized")
        assert c.get("/healthz").status_code == 200
        assert c.get("/readyz").status_code == 200


def test_readyz_is_503_until_the_pipeline_is_loaded():
    app = create_app(Settings())
    assert_problem(TestClient(app).get("/readyz"), 503, "not-ready")  # no `with`: lifespan has not run
    with TestClient(app) as c:
        assert c.get("/readyz").json() == {"status": "ok"}
        assert c.get("/healthz").json() == {"status": "ok"}


def test_internal_error_never_leaks_a_traceback():
    app = create_app(Settings())

    @app.get("/v1/boom")
    async def boom():
        raise RuntimeError("secret internals")

    with TestClient(app) as c:
        r = c.get("/v1/boom")
    body = assert_problem(r, 500, "internal")
    assert "secret" not in r.text and r.headers["x-request-id"] in body["detail"]


@pytest.mark.parametrize("origins,expected", [("https://hr.example", "https://hr.example"), ("", None)])
def test_cors_only_when_configured(origins, expected):
    with TestClient(create_app(Settings(cors_origins=origins))) as c:
        r = c.get("/healthz", headers={"Origin": "https://hr.example"})
        assert r.headers.get("access-control-allow-origin") == expected


def test_request_id_is_generated_when_missing_or_unsafe(client):
    for headers in ({}, {"X-Request-ID": "bad id\nwith newline"}):
        rid = client.get("/healthz", headers=headers).headers["x-request-id"]
        assert len(rid) == 32 and rid.isalnum()


def test_version_is_the_pipelines(client):
    from service.pipeline import default_pipeline

    assert client.get("/v1/version").json() == default_pipeline().versions


@pytest.mark.parametrize("field,labels", [("support_type", SupportType), ("seniority", Seniority),
                                          ("work_format", WorkFormat), ("experience", ExperienceId)])
def test_taxonomy_lists_exactly_the_labels_the_api_returns(client, field, labels):
    served = client.get("/v1/taxonomy").json()
    assert served == load_taxonomy()
    assert [x["value"] for x in served[field]] == list(typing.get_args(labels))
    assert all(x["ru"] and x["en"] for x in served[field])


def test_metrics_count_requests_and_labels(client):
    client.post("/v1/classify", json={"title": "Инженер технической поддержки", "description": "настройка ПО"})
    r = client.get("/metrics")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    body = r.text
    assert 'vactag_http_requests_total{method="POST",route="/v1/classify",status="200"}' in body
    assert 'vactag_labels_total{field="support_type",label="technical"}' in body
    assert "vactag_versions_info" in body
