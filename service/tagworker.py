"""Preloaded by the forkserver of `vactag tag -j N` (``engines.run_pool``); never imported elsewhere.

Importing it loads the pipeline, and imports what ``batch.tag_chunk`` imports on first use, once in the
forkserver, so every worker forked from it starts warm (no per-worker import and load time) and shares
those memory pages. ``gc.freeze`` moves the loaded objects out of the collector's reach, so the workers'
collections neither scan them nor copy their pages.
"""
import gc

from . import problems, runner  # noqa: F401  (imported lazily by batch; here, once for all workers)
from .batch import default_max_chars, get_pipeline

get_pipeline()
default_max_chars()
gc.freeze()
