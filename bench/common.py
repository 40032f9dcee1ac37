"""Shared by bench.py and load.py: real ads, machine facts, a uvicorn we start and always stop, wrk runs."""
from __future__ import annotations

import datetime as dt
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
RESULTS = BENCH / "RESULTS.md"
DATA = Path(os.environ.get("VACTAG_SHARED_DATA", ROOT.parent / "shared" / "data")) / "vacancies.jsonl"
PY = sys.executable
LUA = BENCH / "post.lua"


def load_ads(path: Path = DATA) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    return [{"id": r["id"], "title": r.get("title") or "", "description": r.get("description") or ""} for r in rows]


def ad_len(ad: dict) -> int:
    return len(ad["title"]) + len(ad["description"])


def median_ads(ads: list[dict]) -> list[dict]:
    """The ads between the 40th and 60th percentile of length: 'median-length ads'."""
    lengths = sorted(ad_len(a) for a in ads)
    lo, hi = lengths[int(len(lengths) * 0.4)], lengths[int(len(lengths) * 0.6)]
    return [a for a in ads if lo <= ad_len(a) <= hi]


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"date": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"), "nproc": os.cpu_count(),
            "cpu": cpu, "python": platform.python_version(), "platform": platform.platform()}


def rss_mb(pid: int | str = "self") -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def children(pid: int) -> list[int]:
    """Direct children of pid (uvicorn's workers under its supervisor), from /proc."""
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            cmd = (entry / "cmdline").read_bytes()
        except (OSError, ValueError, IndexError):
            continue
        if ppid == pid and b"resource_tracker" not in cmd:
            out.append(int(entry.name))
    return sorted(out)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, timeout: float = 2.0) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status
    except Exception:
        return 0


class Server:
    """`vactag serve` on 127.0.0.1 in its own process group; stop() (or leaving the `with`) ends all of it."""

    def __init__(self, workers: int, env: dict[str, str] | None = None) -> None:
        self.workers = workers
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        # the server writes to it for its whole life; __exit__ removes it
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115
            "w+b", prefix="vactag-serve-", suffix=".log", delete=False)
        full_env = {**os.environ, "VACTAG_BENCH_ENDPOINTS": "true", **(env or {})}
        vactag = str(Path(PY).with_name("vactag"))
        self.proc = subprocess.Popen([vactag, "serve", "--host", "127.0.0.1", "--port", str(self.port),
                                      "--workers", str(workers)], cwd=ROOT, env=full_env,
                                     stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)

    def loaded(self) -> int:
        return Path(self.log.name).read_bytes().count(b'"pipeline loaded"')

    def wait_ready(self, timeout: float = 60.0, loaded: int | None = None) -> None:
        deadline = time.time() + timeout
        want = self.workers if loaded is None else loaded
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {Path(self.log.name).read_text(errors='replace')[-2000:]}")
            if self.loaded() >= want and get(self.url + "/readyz") == 200:
                return
            time.sleep(0.1)
        raise TimeoutError("server not ready")

    def worker_pids(self) -> list[int]:
        return children(self.proc.pid) if self.workers > 1 else [self.proc.pid]

    def stop(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
            except ProcessLookupError:
                pass
        try:  # workers left behind by a killed supervisor share the process group
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass

    def errors_in_log(self) -> list[str]:
        lines = Path(self.log.name).read_text(errors="replace").splitlines()
        return [ln for ln in lines if '"level": "ERROR"' in ln or "Traceback" in ln]

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
        os.unlink(self.log.name)


@contextmanager
def bodies_file(ads: list[dict]):
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as fh:
        for a in ads:
            fh.write(json.dumps(a, ensure_ascii=False) + "\n")
    try:
        yield fh.name
    finally:
        os.unlink(fh.name)


def have_wrk() -> bool:
    return shutil.which("wrk") is not None


def wrk(url: str, bodies: str, connections: int, seconds: float, count_status: bool = False,
        threads: int = 1, timeout_s: int = 5) -> dict:
    """One wrk run posting the ads of `bodies` (one JSON per line) in turn; the Lua script's JSON summary."""
    env = {**os.environ, "BODIES": bodies, **({"COUNT_STATUS": "1"} if count_status else {})}
    cmd = ["wrk", f"-t{min(threads, connections)}", f"-c{connections}", f"-d{max(1, round(seconds))}s",
           f"--timeout={timeout_s}s", "-s", str(LUA), url]
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=seconds + 60)
    for line in out.stdout.splitlines()[::-1]:
        if line.startswith("{"):
            res = json.loads(line)
            res["rps"] = round(res["requests"] / (res["duration_us"] / 1e6), 1)
            res["errors"] = res["connect"] + res["read"] + res["write"] + res["timeout"] + res["status"]
            for k in ("p50", "p90", "p99", "max"):
                res[k + "_ms"] = round(res.pop(k + "_us") / 1000, 2)
            return res
    raise RuntimeError(f"wrk gave no summary: {out.stdout[-1000:]} {out.stderr[-1000:]}")
