"""Run ``batch.tag_chunk`` over a stream of chunks, yielding outputs in input order.

* ``run_local``: in this process.
* ``run_pool``: ``jobs`` worker processes, each loading the pipeline once (pool initializer). A
  bounded window of chunks is in flight (``Pool.imap`` would read the whole input ahead), so memory
  stays flat however long the feed is.
* Dask: ``service.dask_engine.run_dask`` (same contract).
"""
from __future__ import annotations

import multiprocessing as mp
from collections import deque
from collections.abc import Iterable, Iterator

from .batch import Chunk, get_pipeline, tag_chunk


def run_local(chunks: Iterable[Chunk]) -> Iterator[tuple]:
    get_pipeline()
    for chunk in chunks:
        yield tag_chunk(chunk)


def _init_worker() -> None:
    get_pipeline()


def run_pool(chunks: Iterable[Chunk], jobs: int, window: int | None = None) -> Iterator[tuple]:
    """Ordered results of ``tag_chunk`` over ``jobs`` processes, at most ``window`` chunks in flight."""
    window = window or jobs * 4
    method = "forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn"
    with mp.get_context(method).Pool(jobs, initializer=_init_worker) as pool:
        pending: deque = deque()
        for chunk in chunks:
            pending.append(pool.apply_async(tag_chunk, (chunk,)))
            if len(pending) >= window:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()
