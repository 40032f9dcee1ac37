"""What a researcher does: generate a Python client from openapi.yaml, call the live service, get typed results."""
import importlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from live import live_server

ROOT = Path(__file__).resolve().parent.parent
GENERATOR = Path(sys.executable).with_name("openapi-python-client")


@pytest.fixture(scope="module")
def client_package(tmp_path_factory):
    out = tmp_path_factory.mktemp("gen") / "vactag_client"
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    proc = subprocess.run([str(GENERATOR), "generate", "--path", str(ROOT / "openapi.yaml"), "--output-path", str(out),
                           "--meta", "none"], capture_output=True, text=True, timeout=300, env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    sys.path.insert(0, str(out.parent))
    try:
        yield importlib.import_module("vactag_client")
    finally:
        sys.path.remove(str(out.parent))
        shutil.rmtree(out, ignore_errors=True)


def test_generated_client_gets_typed_results(client_package):
    from vactag_client.api.classify import classify_batch_v1_classify_batch_post as batch_op
    from vactag_client.api.classify import classify_v1_classify_post as classify_op
    from vactag_client.api.meta import version_v1_version_get as version_op
    from vactag_client.models import ClassifyRequest, ClassifyResult

    ad = json.loads((ROOT / "docs" / "example-ad.json").read_text(encoding="utf-8"))
    with live_server({"VACTAG_API_KEYS": "research-key"}) as url:
        client = client_package.AuthenticatedClient(base_url=url, token="research-key", prefix="",
                                                    auth_header_name="X-API-Key", raise_on_unexpected_status=True)
        result = classify_op.sync(client=client, body=ClassifyRequest(title=ad["title"], description=ad["description"],
                                                                     id=ad["id"]))
        assert isinstance(result, ClassifyResult)
        assert result.id == ad["id"]
        assert result.support_type.label.value == "technical"
        assert result.facts.salary.value.from_ == 22400
        span = result.support_type.evidence[0]
        assert ad[span.field.value][span.start:span.end] == span.text

        many = batch_op.sync(client=client, body=[ClassifyRequest(title="Оператор call-центра", id="a"),
                                                  ClassifyRequest(title="Python developer", id="b")])
        assert [r.id for r in many] == ["a", "b"]
        assert all(isinstance(r, ClassifyResult) for r in many)

        version = version_op.sync(client=client)
        assert version.rules and version.model
