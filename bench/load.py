"""`make load`: a bounded load test against `vactag serve --workers 2` on 127.0.0.1, then a worker kill.

Phase 1 (steady): wrk at concurrency 32 for --duration seconds (default 60) posting real ads one per request;
must see zero errors; p99 reported; the RSS of each worker sampled every 5 s after a warm-up must grow
less than 10 %.
Phase 2 (fault): the same load for --kill-duration seconds; halfway through one worker gets SIGKILL. uvicorn's
supervisor starts a new one; no request may get a 5xx. Connection errors of the requests that were on the
killed worker are counted separately. The service must answer afterwards with both workers back.

Results go to stdout and are appended to bench/RESULTS.md (replacing an older `make load` section).
Exit status 1 if a check fails.
"""
from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import RESULTS, Server, bodies_file, get, have_wrk, load_ads, machine, median_ads, rss_mb, wrk

MARKER = "<!-- make load -->"


def sample_rss(server: Server, stop: threading.Event, every: float, out: list[dict]) -> None:
    t0 = time.time()
    while not stop.wait(every):
        out.append({"t": round(time.time() - t0), **{str(p): rss_mb(p) for p in server.worker_pids()}})


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--duration", type=float, default=float(os.environ.get("LOAD_SECONDS", "60")))
    ap.add_argument("--kill-duration", type=float, default=20)
    ap.add_argument("--concurrency", type=int, default=32)
    ap.add_argument("--warmup", type=float, default=10)
    ap.add_argument("--out", type=Path, default=RESULTS)
    args = ap.parse_args()
    if not have_wrk():
        print("wrk is not installed (apt-get install -y wrk)")
        return 2
    ads = median_ads(load_ads())
    failures = []
    with bodies_file(ads) as bodies, Server(2) as srv:
        srv.wait_ready()
        print(f"workers {srv.worker_pids()} on {srv.url}; warm-up {args.warmup:.0f} s", flush=True)
        wrk(srv.url + "/v1/classify", bodies, args.concurrency, args.warmup)

        # phase 1: steady load, RSS sampled every 5 s
        samples: list[dict] = []
        stop = threading.Event()
        sampler = threading.Thread(target=sample_rss, args=(srv, stop, 5.0, samples), daemon=True)
        pids0 = srv.worker_pids()
        first = {str(p): rss_mb(p) for p in pids0}
        sampler.start()
        steady = wrk(srv.url + "/v1/classify", bodies, args.concurrency, args.duration, count_status=True)
        stop.set()
        sampler.join()
        last = {str(p): rss_mb(p) for p in pids0}
        growth = {p: (last[p] - first[p]) / first[p] * 100 for p in first if first[p] and last[p]}
        print(f"steady: {steady['requests']} requests, {steady['rps']:.0f} req/s, p50 {steady['p50_ms']} ms, "
              f"p99 {steady['p99_ms']} ms, errors {steady['errors']}, statuses {steady['by_status']}; "
              f"RSS MB {first} -> {last}", flush=True)
        if steady["errors"]:
            failures.append(f"steady load had {steady['errors']} errors")
        if any(g >= 10 for g in growth.values()):
            failures.append(f"RSS grew by {growth}")

        # phase 2: kill one worker halfway through the same load
        victim = srv.worker_pids()[0]
        killed_at = args.kill_duration / 2

        def kill() -> None:
            time.sleep(killed_at)
            os.kill(victim, signal.SIGKILL)

        killer = threading.Thread(target=kill, daemon=True)
        killer.start()
        fault = wrk(srv.url + "/v1/classify", bodies, args.concurrency, args.kill_duration, count_status=True)
        killer.join()
        deadline = time.time() + 60
        while time.time() < deadline and (len(srv.worker_pids()) < 2 or srv.loaded() < 3):
            time.sleep(0.2)
        after = srv.worker_pids()
        answering = get(srv.url + "/readyz") == 200
        five_xx = sum(n for code, n in fault["by_status"].items() if code.startswith("5"))
        conn_errors = fault["connect"] + fault["read"] + fault["write"] + fault["timeout"]
        print(f"fault: killed {victim} at {killed_at:.0f} s; {fault['requests']} requests, {fault['rps']:.0f} req/s, "
              f"p99 {fault['p99_ms']} ms, statuses {fault['by_status']}, connection errors {conn_errors}; "
              f"workers after: {after} (restarted: {victim not in after and len(after) == 2}); "
              f"answering: {answering}", flush=True)
        if five_xx:
            failures.append(f"{five_xx} responses were 5xx during the kill")
        if not answering or len(after) < 2 or victim in after:
            failures.append("the killed worker was not replaced or the service stopped answering")
        srv_errors = [e for e in srv.errors_in_log() if "unhandled error" in e]
        if srv_errors:
            failures.append(f"the app logged {len(srv_errors)} unhandled errors")

    m = machine()
    rss_rows = "\n".join(f"| {s['t']} | " + " | ".join(f"{v}" for k, v in s.items() if k != "t") + " |"
                         for s in samples)
    section = f"""{MARKER}
## Load (`make load`, {m['date']}, {m['nproc']} cores, {m['cpu']}, Python {m['python']})

`vactag serve --workers 2` on 127.0.0.1; wrk (one thread, same machine) posting median-length real ads, one
per request, concurrency {args.concurrency}; {args.warmup:.0f} s warm-up first.

**Steady, {args.duration:.0f} s:** {steady['requests']} requests, **{steady['rps']:.0f} req/s**, p50
{steady['p50_ms']} ms, **p99 {steady['p99_ms']} ms**, max {steady['max_ms']} ms; errors **{steady['errors']}**;
statuses {steady['by_status']}. Worker RSS (MB) from the first sample after warm-up to the end:
{', '.join(f'{first[p]} → {last[p]} ({growth.get(p, 0):+.1f} %)' for p in first)}.

| t (s) | {' | '.join(f'worker {p} RSS MB' for p in first)} |
|---|{'---|' * len(first)}
{rss_rows}

**Worker killed, {args.kill_duration:.0f} s:** SIGKILL to worker {victim} at {killed_at:.0f} s. {fault['requests']}
requests, {fault['rps']:.0f} req/s, p99 {fault['p99_ms']} ms; statuses {fault['by_status']} (5xx: **{five_xx}**);
connection errors on the killed worker's connections (reset/closed, counted apart): {conn_errors}. uvicorn's
supervisor started a new worker: workers after {after}; `/readyz` answering: {answering}.

Checks: {'all passed' if not failures else 'FAILED: ' + '; '.join(failures)}.
"""
    old = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
    if MARKER in old:
        old = old[:old.index(MARKER)].rstrip() + "\n"
    args.out.write_text((old + "\n" if old else "") + section, encoding="utf-8")
    print(section)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
