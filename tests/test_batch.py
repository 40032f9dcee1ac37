"""The shared batch function and `vactag tag` over formats, processes, resume and field mapping."""
from __future__ import annotations

import csv
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SHARED_DATA

from service.batch import API_FIELDS, FieldMap, classify_batch, source_of

VACTAG = str(Path(sys.executable).with_name("vactag"))
REAL = SHARED_DATA / "vacancies.jsonl"
ADS = [
    {"id": "a1", "title": "Инженер технической поддержки", "description": "Опыт от 3 лет, Linux, сети.",
     "employer": "ООО Ромашка", "city": "Москва", "salary_from": 80000, "salary_currency": "RUR"},
    {"id": "a2", "title": "Оператор колл-центра", "description": "Без опыта. Приём входящих звонков."},
    {"id": "a3", "title": ""},
    {"id": "a4", "title": "Менеджер по продажам", "description": "План продаж, холодные звонки."},
]


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([VACTAG, *args], input=stdin, capture_output=True, text=True, encoding="utf-8",
                          timeout=120, check=False)


def write_jsonl(path: Path, rows: list) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_batch_keeps_order_ids_and_isolates_errors(pipeline):
    out = classify_batch([*ADS, b"{broken", 7], pipeline=pipeline, first_line=1)
    assert [r.get("id") for r in out] == ["a1", "a2", "a3", "a4", None, None]
    assert "error" in out[2] and "error" in out[4] and "error" in out[5]
    assert "line 5" in out[4]["error"]["detail"]
    assert out[0]["source"] == {"employer": "ООО Ромашка", "city": "Москва", "salary_from": 80000,
                                "salary_currency": "RUR"}
    assert "source" not in out[1]


def test_api_fields_are_strict(pipeline):
    out = classify_batch([{"id": "x", "title": "Оператор", "city": "Москва"}], API_FIELDS, pipeline=pipeline)
    assert out[0]["error"]["status"] == 422


def test_hh_api_dump_shape(pipeline):
    hh = {"id": 123, "name": "Специалист технической поддержки",
          "description": "<p>Консультирование пользователей, <b>настройка ПО</b></p>",
          "employer": {"name": "Яндекс"}, "area": {"name": "Санкт-Петербург"},
          "salary": {"from": 50000, "to": None, "currency": "RUR", "gross": True},
          "experience": {"id": "between1And3"}, "work_format": [{"id": "REMOTE"}]}
    fields = FieldMap(title_field="name")
    [result] = classify_batch([hh], fields, pipeline=pipeline)
    assert result["id"] == "123" and result["support_type"]["label"] != "not_support"
    assert source_of(hh) == {"employer": "Яндекс", "city": "Санкт-Петербург", "salary_from": 50000,
                             "salary_currency": "RUR", "salary_gross": True, "experience": "between1And3",
                             "work_format": "REMOTE"}
    for ev in result["support_type"]["evidence"]:
        assert hh[ev["field"] if ev["field"] == "description" else "name"][ev["start"]:ev["end"]] == ev["text"]


def test_tag_cli_field_mapping_for_hh_dump(tmp_path: Path):
    src = write_jsonl(tmp_path / "hh.jsonl", [{"id": 9, "name": "Оператор call-центра",
                                               "description": "<p>Входящие звонки</p>"}])
    proc = run("tag", str(src), "-o", "-", "--title-field", "name")
    assert proc.returncode == 0, proc.stderr
    [result] = [json.loads(line) for line in proc.stdout.splitlines()]
    assert result["id"] == "9" and "error" not in result


def test_parallel_output_equals_single_process(tmp_path: Path):
    rows = [json.loads(line) for line in REAL.read_text(encoding="utf-8").splitlines()[:150]] if REAL.exists() \
        else ADS * 30
    src = write_jsonl(tmp_path / "in.jsonl", rows)
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    assert run("tag", str(src), "-o", str(one)).returncode == 0
    proc = run("tag", str(src), "-o", str(two), "-j", "2", "--chunk-size", "7")
    assert proc.returncode == 0, proc.stderr
    assert one.read_bytes() == two.read_bytes()
    assert "\r" not in proc.stderr  # no progress bar when stderr is not a terminal


def test_resume_skips_done_ids_and_repairs_a_torn_line(tmp_path: Path):
    src = write_jsonl(tmp_path / "in.jsonl", ADS)
    full = tmp_path / "full.jsonl"
    assert run("tag", str(src), "-o", str(full)).returncode == 0
    lines = full.read_bytes().splitlines(keepends=True)
    part = tmp_path / "part.jsonl"
    part.write_bytes(lines[0] + lines[1] + lines[2][:20])  # crashed while writing the third line
    proc = run("tag", str(src), "-o", str(part), "--resume")
    assert proc.returncode == 0, proc.stderr
    assert "2 ids already done" in proc.stderr
    assert part.read_bytes() == full.read_bytes()


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_tabular_in_and_out(tmp_path: Path, fmt: str):
    rows = [{k: a.get(k) for k in ("id", "title", "description", "employer", "city")} for a in ADS]
    src = tmp_path / f"in.{fmt}"
    if fmt == "csv":
        with open(src, "w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=list(rows[0]))
            w.writeheader()
            w.writerows(rows)
    else:
        pa = pytest.importorskip("pyarrow")
        import pyarrow.parquet as pq
        pq.write_table(pa.Table.from_pylist(rows), src)
    out = tmp_path / f"out.{fmt}"
    proc = run("tag", str(src), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    if fmt == "csv":
        with open(out, encoding="utf-8", newline="") as fh:
            table = list(csv.DictReader(fh))
    else:
        import pyarrow.parquet as pq
        table = pq.read_table(out).to_pylist()
    assert [r["id"] for r in table] == ["a1", "a2", "a3", "a4"]
    assert table[0]["support_type"] == "technical" and table[0]["employer"] == "ООО Ромашка"
    assert table[2]["error"] and not table[2]["support_type"]
    assert json.loads(table[1]["result"])["id"] == "a2"
    # and back to JSONL by flag, from stdin-less file input
    proc = run("tag", str(src), "-o", "-", "--out-format", "jsonl")
    assert [json.loads(line)["id"] for line in proc.stdout.splitlines()] == ["a1", "a2", "a3", "a4"]


# --- the NDJSON streaming endpoint -----------------------------------------------------------------

TITLES = ["Оператор call-центра", "Инженер технической поддержки", "Менеджер по продажам",
          "Специалист службы поддержки клиентов", "Руководитель группы техподдержки"]


def synthetic(n: int) -> Iterator[bytes]:
    for i in range(n):
        yield json.dumps({"id": f"s{i}", "title": TITLES[i % len(TITLES)],
                          "description": f"Работа с обращениями клиентов, график 2/2, задача {i}."},
                         ensure_ascii=False).encode() + b"\n"


@pytest.fixture(scope="module")
def stream_client():
    from fastapi.testclient import TestClient

    from service.api import create_app
    from service.settings import Settings

    with TestClient(create_app(Settings.model_construct(max_body_bytes=2000))) as c:
        yield c


def test_stream_5k_ads_in_order(stream_client):
    def body() -> Iterator[bytes]:  # sent in 16 KB pieces that cut lines anywhere
        buf = b""
        for line in synthetic(5000):
            buf += line
            if len(buf) >= 16384:
                yield buf[:16384]
                buf = buf[16384:]
        yield buf

    r = stream_client.post("/v1/classify/stream", content=body(), headers={"Content-Type": "application/x-ndjson"})
    assert r.status_code == 200 and r.headers["content-type"] == "application/x-ndjson"
    out = [json.loads(line) for line in r.text.splitlines()]
    assert [o["id"] for o in out] == [f"s{i}" for i in range(5000)]
    assert not any("error" in o for o in out)
    assert out[0]["support_type"]["label"] == "customer" and out[1]["support_type"]["label"] == "technical"


def test_stream_bad_and_oversized_lines_get_error_lines(stream_client):
    lines = [b'{"id": "a", "title": "\xd0\x9e\xd0\xbf\xd0\xb5\xd1\x80\xd0\xb0\xd1\x82\xd0\xbe\xd1\x80"}',
             b"", b"{not json", b'{"id": "big", "title": "' + b"x" * 5000 + b'"}', b'{"id": "b", "title": 7}',
             b'{"id": "c", "title": "x", "city": "extra fields are an error, as in /batch"}',
             b'{"id": "d", "title": "\xd0\x98\xd0\xbd\xd0\xb6\xd0\xb5\xd0\xbd\xd0\xb5\xd1\x80"}']  # no final newline
    body = b"\n".join(lines)
    pieces = [body[i:i + 700] for i in range(0, len(body), 700)]
    r = stream_client.post("/v1/classify/stream", content=iter(pieces),
                           headers={"Content-Type": "application/x-ndjson"})
    out = [json.loads(line) for line in r.text.splitlines()]
    assert [(o["id"], o.get("line")) for o in out] == [("a", None), (None, 3), (None, 4), ("b", 5), ("c", 6),
                                                       ("d", None)]
    kinds = [o["error"]["type"].rsplit("/", 1)[1] for o in out if "error" in o]
    assert kinds == ["malformed-json", "body-too-large", "validation", "validation"]


def test_stream_wants_ndjson(stream_client):
    r = stream_client.post("/v1/classify/stream", content=b'{"title": "x"}',
                           headers={"Content-Type": "application/json"})
    assert r.status_code == 415 and r.headers["content-type"] == "application/problem+json"
