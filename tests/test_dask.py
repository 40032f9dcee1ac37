"""Dask engine: a LocalCluster of 2 worker processes gives byte-identical output to one process."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SHARED_DATA

pytest.importorskip("distributed")

from service.batch import DEFAULT_FIELDS
from service.dask_engine import client_for, run_dask, tag_bag
from service.engines import run_local
from service.tagfiles import chunked, read_records

REAL = SHARED_DATA / "vacancies.jsonl"


@pytest.fixture(scope="module")
def real_file(tmp_path_factory) -> Path:
    if not REAL.exists():
        pytest.skip("shared data not present")
    lines = REAL.read_bytes().splitlines(keepends=True)
    path = tmp_path_factory.mktemp("dask") / "ads.jsonl"
    path.write_bytes(b"".join(lines[::70][:200]) + b"{not json\n")  # 200 real ads across sources + a bad line
    return path


def _chunks(path: Path, size: int):
    return chunked(read_records(str(path), "jsonl"), size, DEFAULT_FIELDS, table=False)


def test_dask_local_cluster_output_identical_to_single_process(real_file: Path):
    single = b"".join(payload for payload, _, _ in run_local(_chunks(real_file, 64)))
    with client_for(None, workers=2) as client:
        assert len(client.nthreads()) == 2
        distributed = b"".join(payload for payload, _, _ in run_dask(_chunks(real_file, 16), client=client))
        pids = set(client.run(lambda: __import__("os").getpid()).values())
        loaded = client.run(lambda: __import__("service.batch", fromlist=["x"])._PIPELINE is not None)
        bag = __import__("dask.bag", fromlist=["x"]).from_sequence(
            [json.loads(line) for line in real_file.read_text(encoding="utf-8").splitlines()[:20]], npartitions=3)
        via_bag = tag_bag(bag).compute()
    assert distributed == single
    assert len(single.splitlines()) == 201
    assert len(pids) == 2 and all(loaded.values())  # each worker process holds its own loaded pipeline
    assert [r["id"] for r in via_bag] == [json.loads(line)["id"] for line in single.splitlines()[:20]]
