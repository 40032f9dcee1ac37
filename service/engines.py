"""Run ``batch.tag_chunk`` over a stream of chunks, yielding outputs in input order.

* ``run_local``: in this process.
* ``run_pool``: ``jobs`` worker processes (``concurrent.futures.ProcessPoolExecutor``). A bounded
  window of chunks is in flight (``Executor.map`` would read the whole input ahead), so memory stays
  flat however long the feed is. Workers are forked from a forkserver that has already loaded the
  pipeline (``service.tagworker``), so it is loaded once, not once per worker, and its pages are shared.
  The executor rather than ``multiprocessing.Pool``: Pool's worker-handler thread also waits on the
  result pipe and spins while a large result is in it (~0.5 CPU-s of the parent on 14k ads).
* Dask: ``service.dask_engine.run_dask`` (same contract).
"""
from __future__ import annotations

import multiprocessing as mp
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor

from .batch import Chunk, get_pipeline, tag_chunk


def run_local(chunks: Iterable[Chunk]) -> Iterator[tuple]:
    get_pipeline()
    for chunk in chunks:
        yield tag_chunk(chunk)


def _init_worker() -> None:
    get_pipeline()  # already loaded when forked from the preloaded forkserver; spawn loads it here


def _context():
    if "forkserver" not in mp.get_all_start_methods():
        return mp.get_context("spawn")
    ctx = mp.get_context("forkserver")
    # Takes effect when this process first starts its forkserver (later calls change nothing).
    ctx.set_forkserver_preload([f"{__package__}.tagworker"])
    return ctx


def start_workers() -> None:
    """Start the forkserver (and its pipeline load) now, in the background: the caller's own set-up (opening
    files, counting lines for a progress bar, reading the ids done for --resume) then overlaps it."""
    ctx = _context()
    if ctx.get_start_method() == "forkserver":
        from multiprocessing import forkserver
        forkserver.ensure_running()


def run_pool(chunks: Iterable[Chunk], jobs: int, window: int | None = None) -> Iterator[tuple]:
    """Ordered results of ``tag_chunk`` over ``jobs`` processes, at most ``window`` chunks in flight."""
    window = window or jobs * 4
    pool = ProcessPoolExecutor(jobs, mp_context=_context(), initializer=_init_worker)
    pending: deque = deque()
    try:
        for chunk in chunks:
            pending.append(pool.submit(tag_chunk, chunk))
            if len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
