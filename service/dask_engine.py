"""Dask (``dask.distributed``) engine: the same ``batch.tag_chunk`` mapped over partitions of a feed.

Two entry points:

* ``run_dask(chunks, scheduler=...)``: what ``vactag tag --engine dask`` uses. The client reads the
  file and submits chunks (a bounded window in flight, results in input order), so stdin and every
  input format work and the output is byte-identical to a single-process run.
* ``tag_bag(bag)``: for data already in a cluster, e.g. ``db.read_text("s3://feed/*.jsonl")``; maps
  ``classify_batch`` over the bag's partitions and returns a bag of results (dicts).

Each worker loads the pipeline once: ``PipelineOnWorker`` (a worker plugin) warms it at worker start
and ``batch.get_pipeline`` keeps it module-level, so tasks reuse it. Workers need ``vactag``
installed (same version as the client: the plugin and task functions are pickled by reference).
"""
from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from distributed import Client, LocalCluster
from distributed.diagnostics.plugin import WorkerPlugin

from .batch import (
    DEFAULT_FIELDS,
    Chunk,
    FieldMap,
    classify_batch,
    get_pipeline,
    tag_chunk,
)


class PipelineOnWorker(WorkerPlugin):
    """Loads the pipeline when a worker starts (and on workers that join later)."""

    name = "vactag-pipeline"

    def setup(self, worker: Any) -> None:
        get_pipeline()


@contextmanager
def client_for(scheduler: str | None = None, workers: int = 2) -> Iterator[Client]:
    """A client of ``scheduler`` (``tcp://host:8786``), or of a LocalCluster of ``workers`` processes."""
    if scheduler:
        client = Client(scheduler)
        cluster = None
    else:
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                               host="127.0.0.1")
        client = Client(cluster)
    try:
        client.register_plugin(PipelineOnWorker())
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def run_dask(chunks: Iterable[Chunk], scheduler: str | None = None, workers: int = 2,
             window: int | None = None, client: Client | None = None) -> Iterator[tuple]:
    """Ordered ``tag_chunk`` outputs computed on a Dask cluster, at most ``window`` chunks in flight."""
    if client is None:
        with client_for(scheduler, workers) as own:
            yield from run_dask(chunks, window=window, client=own)
        return
    window = window or max(4, 4 * sum(client.nthreads().values()))
    pending: deque = deque()
    for chunk in chunks:
        pending.append(client.submit(tag_chunk, chunk, pure=False))
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def _partition(items: Iterable[Any], fields: FieldMap) -> list[dict]:
    return classify_batch(list(items), fields)


def tag_bag(bag: Any, fields: FieldMap = DEFAULT_FIELDS) -> Any:
    """A Dask bag of ads (dicts or raw JSON lines) → a bag of results, partition by partition."""
    return bag.map_partitions(_partition, fields)
