"""A real uvicorn on 127.0.0.1 for tests that need a live socket (contract, web): started, awaited, stopped."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def live_server(env: dict[str, str] | None = None, timeout: float = 60) -> Iterator[str]:
    """Yield the base URL once /readyz answers; settings come only from `env` (no VACTAG_* inherited)."""
    port = free_port()
    with _running([sys.executable, "-m", "uvicorn", "service.api:create_app", "--factory", "--host", "127.0.0.1",
                   "--port", str(port), "--no-access-log"], port, env, timeout) as (url, _):
        yield url


@contextmanager
def live_workers(workers: int, timeout: float = 60) -> Iterator[tuple[str, subprocess.Popen]]:
    """`vactag serve --workers N` as a user starts it: (base URL, the supervisor process)."""
    port = free_port()
    with _running([sys.executable, "-m", "service.cli", "serve", "--workers", str(workers), "--host", "127.0.0.1",
                   "--port", str(port)], port, None, timeout) as running:
        yield running


@contextmanager
def _running(cmd: list[str], port: int, env: dict[str, str] | None, timeout: float):
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("VACTAG_")}
    full_env |= {"VACTAG_LOG_LEVEL": "WARNING", **(env or {})}
    proc = subprocess.Popen(cmd, cwd=ROOT, env=full_env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(url + "/readyz", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"uvicorn did not start: {proc.stderr.read().decode(errors='replace')[-2000:]}")
            time.sleep(0.1)
        yield url, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
