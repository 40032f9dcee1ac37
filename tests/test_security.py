"""Security settings beyond tests/test_api.py: key handling edge cases, logs without ad text, CORS
preflight, bench-only endpoints off by default, and the deployment files (non-root image, healthcheck,
CI installing from the lock file)."""
from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service.api import create_app
from service.logs import JsonFormatter
from service.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
TYPE = "https://vactag.dev/problems/"
SECRET_AD = "Уникальнаяфразаобъявления приём звонков клиентов"


class Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []
        self.formatter = JsonFormatter()

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def logs():
    handler = Capture()
    logger = logging.getLogger("vactag")
    logger.addHandler(handler)
    try:
        yield handler.lines
    finally:
        logger.removeHandler(handler)


def test_request_logs_are_json_with_the_request_id_and_no_ad_text(logs):
    with TestClient(create_app(Settings(log_level="INFO"))) as c:
        c.post("/v1/classify", json={"title": "Оператор", "description": SECRET_AD}, headers={"X-Request-ID": "r-1"})
        c.post("/v1/classify", json={"title": "x", "description": SECRET_AD, "format": "pdf"})  # 422
        c.post("/v1/classify/batch", json=[{"title": SECRET_AD, "bogus": 1}, {"title": "Оператор"}])
    records = [json.loads(line) for line in logs]
    requests = [r for r in records if r["msg"] == "request"]
    assert len(requests) == 3
    assert requests[0]["request_id"] == "r-1" and requests[0]["status"] == 200
    assert all({"ts", "level", "method", "path", "status", "duration_ms", "request_id"} <= r.keys() for r in requests)
    assert not any("Уникальнаяфразаобъявления" in line for line in logs)


def test_ad_text_is_not_in_validation_problems():
    with TestClient(create_app(Settings())) as c:
        r = c.post("/v1/classify", json={"title": 5, "description": SECRET_AD})
    assert r.status_code == 422 and "Уникальнаяфразаобъявления" not in r.text


def test_non_ascii_api_key_is_401_not_500():
    with TestClient(create_app(Settings(api_keys="k1"))) as c:
        r = c.post("/v1/classify", json={"title": "x"}, headers={"X-API-Key": "ключ".encode()})
        assert r.status_code == 401 and r.json()["type"] == TYPE + "unauthorized"
        assert r.headers["www-authenticate"].startswith("ApiKey")
        assert c.post("/v1/classify", json={"title": "x"}, headers={"X-API-Key": "k1 "}).status_code == 401


def test_api_keys_protect_every_api_route_but_not_health():
    with TestClient(create_app(Settings(api_keys="k1"))) as c:
        for method, path in [("GET", "/v1/taxonomy"), ("GET", "/v1/version"), ("POST", "/v1/classify/batch")]:
            assert c.request(method, path, json=[]).status_code == 401, path
        assert c.get("/healthz").status_code == 200


def test_an_empty_key_file_fails_closed(tmp_path):
    keys = tmp_path / "keys"
    keys.write_text("# nothing yet\n\n")
    with pytest.raises(ValueError, match="holds no keys"):
        create_app(Settings(api_keys_file=keys))


def test_keys_from_the_environment(monkeypatch):
    monkeypatch.setenv("VACTAG_API_KEYS", "a1, b2")
    monkeypatch.setenv("VACTAG_API_KEYS_FILE", "")  # set but empty: no file, not the current directory
    assert Settings().keys() == ["a1", "b2"]


def test_keys_are_compared_in_constant_time():
    source = (ROOT / "service" / "api.py").read_text()
    assert "hmac.compare_digest" in source


def test_cors_preflight():
    with TestClient(create_app(Settings())) as c:  # closed by default
        r = c.options("/v1/classify", headers={"Origin": "https://evil.example",
                                               "Access-Control-Request-Method": "POST"})
        assert "access-control-allow-origin" not in r.headers
    with TestClient(create_app(Settings(cors_origins="https://hr.example"))) as c:
        pre = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type,x-api-key"}
        good = c.options("/v1/classify", headers={"Origin": "https://hr.example", **pre})
        assert good.status_code == 200 and good.headers["access-control-allow-origin"] == "https://hr.example"
        bad = c.options("/v1/classify", headers={"Origin": "https://evil.example", **pre})
        assert "access-control-allow-origin" not in bad.headers


def test_bench_endpoint_is_off_by_default():
    with TestClient(create_app(Settings())) as c:
        assert c.post("/v1/noop", json={"title": "x"}).status_code == 404
    app = create_app(Settings(bench_endpoints=True))
    with TestClient(app) as c:
        assert c.post("/v1/noop", json={"title": "x", "id": "7"}).json() == {"id": "7"}
        assert c.post("/v1/noop", json={"title": 1}).status_code == 422
    assert not any(r.path == "/v1/noop" and r.include_in_schema for r in app.routes)


def test_dockerfile_runs_as_non_root_with_a_healthcheck_from_the_lock():
    text = (ROOT / "Dockerfile").read_text()
    user = re.findall(r"^USER\s+(\S+)", text, re.MULTILINE)
    assert user and user[-1] not in ("root", "0")
    assert re.search(r"^HEALTHCHECK .*\n?.*healthz", text, re.MULTILINE)
    # runtime dependencies only, every version pinned by the lock the tests ran with
    assert "pip install -c requirements.lock" in text


def test_ci_installs_from_the_pinned_lock():
    lock = [ln for ln in (ROOT / "requirements.lock").read_text().splitlines() if ln and not ln.startswith("#")]
    assert lock and all(re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[^\s=]+", ln) for ln in lock), lock
    names = {ln.split("==")[0].lower() for ln in lock}
    assert {"fastapi", "uvicorn", "pymorphy3", "dawg2", "orjson"} <= names
    makefile = (ROOT / "Makefile").read_text()
    assert "-r requirements.lock" in makefile and "make test" in (ROOT / ".ci" / "run").read_text()
