"""Preloaded by the forkserver of `vactag tag -j N` (``engines.run_pool``); never imported elsewhere.

Importing it loads the pipeline once in the forkserver, so every worker forked from it starts with the
pipeline loaded (no per-worker load time) and shares its memory pages. ``gc.freeze`` moves the loaded
objects out of the collector's reach, so the workers' collections neither scan them nor copy their pages.
"""
import gc

from .batch import get_pipeline

get_pipeline()
gc.freeze()
