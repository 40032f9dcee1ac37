"""Throughput and peak memory of `vactag tag -j N` on a file, against the in-process single-ad rate.

    .venv/bin/python bench/tag_scale.py ../shared/data/vacancies.jsonl -j 2

Peak memory is the largest sum of RSS over the whole process tree (parent + workers), sampled every
50 ms; PSS (proportional set size) is reported too, since forked/forkserver workers share pages.
"""
from __future__ import annotations

import argparse
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
    started, cpu = time.perf_counter(), time.process_time()
    for r in rows:
        pipeline.classify(r.get("title") or "", r.get("description") or "", id=r.get("id"))
    return len(rows) / (time.perf_counter() - started), len(rows) / (time.process_time() - cpu), len(rows)


def tree_memory(proc: psutil.Process, cpu: dict[int, float]) -> tuple[int, int]:
    """(RSS, PSS) of the process tree; records each process's CPU seconds so far in ``cpu``."""
    rss = pss = 0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            full = p.memory_full_info()
            rss += full.rss
            pss += getattr(full, "pss", full.rss)
            times = p.cpu_times()
            cpu[p.pid] = times.user + times.system
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
        cpu_by_pid: dict[int, float] = {}
        while proc.poll() is None:
            rss, pss = tree_memory(ps, cpu_by_pid)
            peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
            time.sleep(0.05)
        wall = time.perf_counter() - started
        stderr = proc.stderr.read()
        if args.keep:
            shutil.copyfile(out, args.keep)
    cpu = sum(cpu_by_pid.values())  # CPU seconds of parent + workers (last 50 ms sample missing)
    parent_cpu = cpu_by_pid.get(proc.pid, 0.0)
    print(stderr.strip())
    print(f"vactag tag -j {args.jobs}: {n} ads in {wall:.1f}s wall incl. start-up = {n / wall:.0f} ads/s; "
          f"peak RSS of the process tree {peak_rss / 2**20:.0f} MiB (PSS {peak_pss / 2**20:.0f} MiB)")
    rate, cpu_rate, m = in_process_rate(args.file, args.single_limit)
    print(f"in-process single-ad rate: {rate:.0f} ads/s wall, {cpu_rate:.0f} ads per CPU-second, over {m} ads")
    per_core = n / wall / args.jobs
    print(f"per-core rate (wall incl. start-up) {per_core:.0f} ads/s = {per_core / rate:.0%} of in-process wall; "
          f"whole tree (parent + workers, incl. start-up): {n / cpu:.0f} ads per CPU-second "
          f"= {n / cpu / cpu_rate:.0%} of in-process per CPU-second")
    print(f"CPU of the tree {cpu:.1f}s = {cpu / n * 1e3:.2f} ms/ad: parent {parent_cpu:.1f}s, "
          f"other processes (workers, forkserver) {cpu - parent_cpu:.1f}s; in-process {1e3 / cpu_rate:.2f} ms/ad")
    print(f"load average during the run: {psutil.getloadavg()}")


if __name__ == "__main__":
    main()
