"""The installed `vactag` command, run as a user would (subprocess)."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

VACTAG = str(Path(sys.executable).with_name("vactag"))


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([VACTAG, *args], input=stdin, capture_output=True, text=True, encoding="utf-8",
                          timeout=120, check=False)


@pytest.fixture
def ads_jsonl(tmp_path: Path) -> Path:
    rows = [
        {"id": "t1", "title": "Инженер технической поддержки", "description": "Опыт от 3 лет, Linux, сети.",
         "source": "hh", "salary": None},
        {"id": "t2", "title": "Оператор колл-центра", "description": "Без опыта. Приём входящих звонков."},
        {"id": "t3", "title": 7},
        {"id": "t4", "title": "Менеджер по продажам", "description": "План продаж, холодные звонки."},
    ]
    path = tmp_path / "ads.jsonl"
    lines = [json.dumps(r, ensure_ascii=False) for r in rows]
    path.write_text("\n".join(lines[:2] + ["{not json"] + lines[2:]) + "\n\n", encoding="utf-8")
    return path


def test_tag_file_to_file(ads_jsonl: Path, tmp_path: Path):
    out = tmp_path / "out.jsonl"
    proc = run("tag", str(ads_jsonl), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    results = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in results] == ["t1", "t2", None, "t3", "t4"]
    assert results[0]["support_type"]["label"] == "technical"
    assert results[1]["seniority"]["label"] == "entry"
    assert results[2]["error"]["type"].endswith("/malformed-json")
    assert results[3]["error"]["type"].endswith("/validation")
    assert "tagged 3 ads, 2 errors" in proc.stderr


def test_tag_summary_gives_the_rate_after_start_up(ads_jsonl: Path, tmp_path: Path):
    proc = run("tag", str(ads_jsonl), "-o", str(tmp_path / "out.jsonl"), "--chunk-size", "2")
    assert proc.returncode == 0, proc.stderr
    found = re.search(r"tagged 3 ads, 2 errors in [\d.]+s \(\d+ ads/s; first results after [\d.]+s, then (\d+) "
                      r"ads/s\)", proc.stderr)
    assert found and int(found[1]) > 0, proc.stderr


def test_tag_stdin_to_stdout(ads_jsonl: Path):
    proc = run("tag", "-", stdin=ads_jsonl.read_text(encoding="utf-8"))
    assert proc.returncode == 0, proc.stderr
    assert len(proc.stdout.splitlines()) == 5


@pytest.mark.parametrize("stdin,args,label", [
    (json.dumps({"title": "Специалист службы поддержки клиентов",
                 "description": "Консультирование клиентов по заказам и доставке в чате."}), (), "customer"),
    ("Инженер техподдержки. Настройка ПО и сетей, Linux.", (), None),  # no title: label not pinned
    ("Настройка ПО и сетей, Linux, работа с тикетами.", ("--title", "Инженер техподдержки"), "technical"),
])
def test_classify_from_stdin(stdin: str, args: tuple, label: str | None):
    proc = run("classify", *args, stdin=stdin)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["support_type"]["label"] == label or label is None
    if not stdin.startswith("{"):  # plain text: offsets index the text as given
        for ev in result["support_type"]["evidence"] + result["sections"]:
            if ev["field"] == "description":
                assert stdin[ev["start"]:ev["end"]] == ev["text"]


def test_classify_invalid_json_ad_exits_nonzero():
    proc = run("classify", "-", stdin='{"title": ""}')
    assert proc.returncode == 1
    assert json.loads(proc.stdout)["error"]["status"] == 422
