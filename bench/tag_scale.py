"""Throughput and peak memory of `vactag tag -j N` on a file, against the in-process single-ad rate.

    .venv/bin/python bench/tag_scale.py ../shared/data/vacancies.jsonl -j 2 --rounds 3

Each round runs `vactag tag -j N` on the file between two runs of the in-process single-ad rate: a
fresh process (import, load, then `Pipeline.classify` on every ad of the file, one at a time), so both
start from the same cold lemma cache and do the same work. The machine is shared and noisy (the same
run varies by ±30% here), so tag is compared with the mean of the in-process runs on either side of
it (a drift of the host during the round cancels out; consecutive rounds share one), and the ratio is
reported per round, as the median over rounds, and best against best.

tag's own summary line gives the time to its first results (pool start-up, pipeline load, first chunk) and the
rate after it; the ratio of that rate per core to the in-process rate (which also starts after loading) is printed
beside the strict one, whose wall includes start-up.

Each round also runs `jobs` lone in-process runs at once, each on every jobs-th ad and with no tag machinery: what
the machine itself gives per core when all its cores are busy (shared caches, memory bandwidth, the hypervisor), the
ceiling `tag -j N` is then compared against as well.

Peak memory is the largest sum of RSS over the whole process tree (parent + workers), sampled every
50 ms; PSS (proportional set size) is reported too, since forked/forkserver workers share pages.
"""
from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson
import psutil


def single(path: Path, limit: int, part: tuple[int, int] = (0, 1)) -> None:
    """In this (fresh) process: load, then classify each ad once (of part (k, n): every n-th ad from the k-th);
    prints {wall, cpu, ads} as JSON."""
    started, cpu = time.perf_counter(), time.process_time()
    from service.pipeline import default_pipeline

    pipeline = default_pipeline()
    load_wall, load_cpu = time.perf_counter() - started, time.process_time() - cpu
    n = seen = 0
    k, of = part
    with open(path, "rb") as fh:
        for line in fh:
            if not line.strip():
                continue
            seen += 1
            if (seen - 1) % of != k:
                continue
            r = orjson.loads(line)
            pipeline.classify(r.get("title") or "", r.get("description") or "", id=r.get("id"))
            n += 1
            if n >= limit:
                break
    print(orjson.dumps({"wall": time.perf_counter() - started, "cpu": time.process_time() - cpu,
                        "load_wall": load_wall, "load_cpu": load_cpu, "ads": n}).decode())


def _single_cmd(path: Path, limit: int, part: str = "0/1") -> list[str]:
    return [sys.executable, __file__, "--single", str(path), "--single-limit", str(limit), "--single-part", part]


def in_process(path: Path, limit: int) -> dict:
    out = subprocess.run(_single_cmd(path, limit), check=True, capture_output=True, text=True)
    return orjson.loads(out.stdout.strip().splitlines()[-1])


def lone_pair(path: Path, jobs: int) -> float:
    """The machine's own ceiling for `jobs` busy cores: `jobs` independent in-process runs at once, each on every
    jobs-th ad; their summed rate after loading, per core."""
    procs = [subprocess.Popen(_single_cmd(path, 10**9, f"{k}/{jobs}"), stdout=subprocess.PIPE, text=True)
             for k in range(jobs)]
    outs = [orjson.loads(p.communicate()[0].strip().splitlines()[-1]) for p in procs]
    return sum(o["ads"] / (o["wall"] - o["load_wall"]) for o in outs) / jobs


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


def tag_run(path: Path, jobs: int, keep: Path | None) -> dict:
    vactag = str(Path(sys.executable).with_name("vactag"))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.jsonl"
        started = time.perf_counter()
        proc = subprocess.Popen([vactag, "tag", str(path), "-o", str(out), "-j", str(jobs)],
                                stderr=subprocess.PIPE, text=True)
        ps = psutil.Process(proc.pid)
        peak_rss = peak_pss = 0
        cpu_by_pid: dict[int, float] = {}
        while proc.poll() is None:
            rss, pss = tree_memory(ps, cpu_by_pid)
            peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
            time.sleep(0.05)
        wall = time.perf_counter() - started
        if proc.returncode:
            sys.exit(f"vactag tag failed: {proc.stderr.read()}")
        if keep:
            shutil.copyfile(out, keep)
    stderr = proc.stderr.read().strip()
    after = re.search(r"first results after ([\d.]+)s, then (\d+) ads/s", stderr)
    return {"wall": wall, "cpu": sum(cpu_by_pid.values()), "parent_cpu": cpu_by_pid.get(proc.pid, 0.0),
            "rss": peak_rss, "pss": peak_pss, "stderr": stderr,
            "start_up": float(after[1]) if after else None, "steady": float(after[2]) if after else None}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("file", type=Path)
    ap.add_argument("-j", "--jobs", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=3,
                    help="rounds of (tag, lone runs, in-process) after a first in-process run")
    ap.add_argument("--keep", type=Path, help="also copy the last tagged output here")
    ap.add_argument("--single-limit", type=int, default=10**9, help=argparse.SUPPRESS)
    ap.add_argument("--single", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--single-part", default="0/1", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.single:
        k, of = (int(x) for x in args.single_part.split("/"))
        return single(args.file, args.single_limit, (k, of))
    with open(args.file, "rb") as fh:
        n = sum(1 for line in fh if line.strip())
    ratios, tag_rates, single_rates, machine, steady = [], [], [], [], []
    before = in_process(args.file, n)
    for i in range(1, args.rounds + 1):
        t = tag_run(args.file, args.jobs, args.keep)
        pair = lone_pair(args.file, args.jobs)
        after = in_process(args.file, n)
        # the in-process runs on either side of this round's tag and pair: linear drift of the host cancels out
        rate = statistics.mean(s["ads"] / (s["wall"] - s["load_wall"]) for s in (before, after))
        # the stricter comparison: tag's wall includes its start-up, the in-process rate excludes loading
        per_core = n / t["wall"] / args.jobs
        ratios.append(per_core / rate)
        # the like-for-like comparison: from tag's first results on, as the in-process rate is from its first ad on
        steady.append(t["steady"] / args.jobs / rate if t["steady"] else float("nan"))
        tag_rates.append(n / t["wall"])
        single_rates.append(rate)
        machine.append(pair / rate)
        print(f"round {i}: vactag tag -j {args.jobs}: {n} ads in {t['wall']:.1f}s wall incl. start-up = "
              f"{n / t['wall']:.0f} ads/s ({per_core:.0f} per core); peak RSS of the tree {t['rss'] / 2**20:.0f} MiB "
              f"(PSS {t['pss'] / 2**20:.0f} MiB); CPU {t['cpu'] / n * 1e3:.2f} ms/ad "
              f"(parent {t['parent_cpu']:.1f}s of {t['cpu']:.1f}s)")
        print(f"         in-process, fresh process, before and after: {rate:.0f} ads/s after loading (mean of "
              f"{before['ads'] / (before['wall'] - before['load_wall']):.0f} and "
              f"{after['ads'] / (after['wall'] - after['load_wall']):.0f}; loading {after['load_wall']:.2f}s); "
              f"per-core / in-process = {ratios[-1]:.0%}; after tag's start-up ({t['start_up']}s): {steady[-1]:.0%}")
        print(f"         {args.jobs} lone in-process runs at once (no tag, each on 1/{args.jobs} of the ads): "
              f"{pair:.0f} ads/s per core = {machine[-1]:.0%} of one alone: the machine's own ceiling for tag")
        before = after
    best = max(tag_rates) / args.jobs / max(single_rates)
    print(f"per-core rate of tag -j {args.jobs} / in-process single-ad rate: median {statistics.median(ratios):.0%} "
          f"over {args.rounds} rounds ({', '.join(f'{r:.0%}' for r in ratios)}); best against best {best:.0%} "
          f"({max(tag_rates):.0f} ads/s over {args.jobs} cores vs {max(single_rates):.0f} ads/s on one)")
    print(f"the same after tag's start-up (from its first results on, as the in-process rate is after loading): "
          f"median {statistics.median(steady):.0%} ({', '.join(f'{r:.0%}' for r in steady)})")
    print(f"{args.jobs} lone runs at once / one alone (the ceiling on this machine): median "
          f"{statistics.median(machine):.0%} ({', '.join(f'{r:.0%}' for r in machine)}); tag -j {args.jobs} against "
          f"that ceiling: median {statistics.median(r / m for r, m in zip(ratios, machine)):.0%}")
    print(f"load average at the end: {psutil.getloadavg()}")


if __name__ == "__main__":
    main()
