"""Throughput and peak memory of `vactag tag -j N` on a file, against the in-process single-ad rate.

    .venv/bin/python bench/tag_scale.py ../shared/data/vacancies.jsonl -j 2

Peak memory is the largest sum of RSS over the whole process tree (parent + workers), sampled every
50 ms; PSS (proportional set size) is reported too, since forked/forkserver workers share pages.
"""
from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson
import psutil


def in_process_rate(path: Path, limit: int) -> tuple[float, int]:
    from service.pipeline import default_pipeline

    pipeline = default_pipeline()
    rows = []
    with open(path, "rb") as fh:
        for line in fh:
            rows.append(orjson.loads(line))
            if len(rows) >= limit:
                break
    pipeline.classify(rows[0].get("title") or "", rows[0].get("description") or "")
    started = time.perf_counter()
    for r in rows:
        pipeline.classify(r.get("title") or "", r.get("description") or "", id=r.get("id"))
    return len(rows) / (time.perf_counter() - started), len(rows)


def tree_memory(proc: psutil.Process) -> tuple[int, int]:
    rss = pss = 0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            full = p.memory_full_info()
            rss += full.rss
            pss += getattr(full, "pss", full.rss)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return rss, pss


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("file", type=Path)
    ap.add_argument("-j", "--jobs", type=int, default=2)
    ap.add_argument("--keep", type=Path, help="also copy the tagged output here")
    ap.add_argument("--single-limit", type=int, default=100_000, help="ads for the in-process rate")
    args = ap.parse_args()
    with open(args.file, "rb") as fh:
        n = sum(1 for line in fh if line.strip())
    vactag = str(Path(sys.executable).with_name("vactag"))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.jsonl"
        started = time.perf_counter()
        proc = subprocess.Popen([vactag, "tag", str(args.file), "-o", str(out), "-j", str(args.jobs)],
                                stderr=subprocess.PIPE, text=True)
        ps = psutil.Process(proc.pid)
        peak_rss = peak_pss = 0
        while proc.poll() is None:
            rss, pss = tree_memory(ps)
            peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
            time.sleep(0.05)
        wall = time.perf_counter() - started
        stderr = proc.stderr.read()
        if args.keep:
            shutil.copyfile(out, args.keep)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # the tree's CPU, as far as it was reaped
    cpu = usage.ru_utime + usage.ru_stime
    print(stderr.strip())
    print(f"vactag tag -j {args.jobs}: {n} ads in {wall:.1f}s wall incl. start-up = {n / wall:.0f} ads/s; "
          f"peak RSS of the process tree {peak_rss / 2**20:.0f} MiB (PSS {peak_pss / 2**20:.0f} MiB)")
    rate, m = in_process_rate(args.file, args.single_limit)
    print(f"in-process single-ad rate: {rate:.0f} ads/s over {m} ads")
    per_core = n / wall / args.jobs
    print(f"per-core rate (wall incl. start-up) {per_core:.0f} ads/s = {per_core / rate:.0%} of in-process; "
          f"per CPU-second (reaped children) {n / cpu:.0f} ads/s = {n / cpu / rate:.0%}")
    print(f"load average during the run: {psutil.getloadavg()}")


if __name__ == "__main__":
    main()
