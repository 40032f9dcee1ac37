from pathlib import Path

from service.cli import openapi_yaml

COMMITTED = Path(__file__).resolve().parents[1] / "openapi.yaml"


def test_committed_openapi_matches_the_app():
    assert COMMITTED.read_text(encoding="utf-8") == openapi_yaml(), (
        "openapi.yaml is out of date: regenerate it with `make openapi` "
        "(= .venv/bin/vactag openapi -o openapi.yaml) and commit it")
