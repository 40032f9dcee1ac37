"""`vactag serve --workers 2`: every worker gets connections; whatever happens to workers (killed, SIGHUP, both at
once), every socket of the group keeps exactly one worker; a taken port fails the start."""
import http.client
import os
import signal
import subprocess
import sys
import time
import urllib.request

import psutil
import pytest
from live import ROOT, free_port, live_workers


def _listening_inodes(proc: psutil.Process, port: int) -> set[str]:
    """The listening sockets (as socket:[inode]) a process holds on the port; none once it is gone."""
    try:
        fds = {c.fd for c in proc.net_connections("tcp") if c.status == psutil.CONN_LISTEN and c.laddr.port == port}
        return {os.readlink(f"/proc/{proc.pid}/fd/{fd}") for fd in fds}
    except (psutil.NoSuchProcess, FileNotFoundError):
        return set()


def _workers(parent: psutil.Process, port: int) -> list[psutil.Process]:
    """Children listening on the port (multiprocessing also starts a resource tracker)."""
    return [child for child in parent.children() if _listening_inodes(child, port)]


def _established_by_worker(parent: psutil.Process, port: int) -> dict[int, int]:
    return {child.pid: sum(1 for c in child.net_connections("tcp")
                           if c.status == psutil.CONN_ESTABLISHED and c.laddr.port == port)
            for child in _workers(parent, port)}


def test_keep_alive_connections_are_spread_over_the_workers():
    with live_workers(2) as (url, proc):
        port = int(url.rsplit(":", 1)[1])
        conns = [http.client.HTTPConnection("127.0.0.1", port, timeout=10) for _ in range(16)]
        try:
            for c in conns:
                c.request("GET", "/healthz")
                assert c.getresponse().read()
            counts = _established_by_worker(psutil.Process(proc.pid), port)
            assert len(counts) == 2 and sum(counts.values()) == 16
            # one shared socket gave all 16 to whichever worker woke first; a socket per worker spreads them
            # (all 16 hashed to one of two sockets: 2 / 2**16)
            assert min(counts.values()) >= 1, counts
        finally:
            for c in conns:
                c.close()


def _one_worker_per_socket(parent: psutil.Process, port: int, victims: set[int] = frozenset(),
                           timeout: float = 40) -> None:
    """Wait until the workers are new where asked and each listens on its own socket of the parent's group."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        workers = _workers(parent, port)
        owned = [_listening_inodes(w, port) for w in workers]
        if (len(workers) == 2 and not victims & {w.pid for w in workers} and all(len(o) == 1 for o in owned)
                and set().union(*owned) == _listening_inodes(parent, port) and len(set().union(*owned)) == 2):
            return
        time.sleep(0.2)
    pytest.fail(f"sockets not one per worker: {[(w.pid, _listening_inodes(w, port)) for w in _workers(parent, port)]}")


def _all_answered(url: str, n: int = 40) -> None:
    for _ in range(n):  # new connections hash over every socket of the group: each must be served
        with urllib.request.urlopen(url + "/readyz", timeout=10) as r:
            assert r.status == 200


@pytest.mark.parametrize("kill,hup", [(True, False), (False, True), (True, True)],
                         ids=["killed", "sighup", "killed-then-sighup"])
def test_every_socket_keeps_one_worker(kill, hup):
    with live_workers(2) as (url, proc):
        parent = psutil.Process(proc.pid)
        port = int(url.rsplit(":", 1)[1])
        before = {w.pid for w in _workers(parent, port)}
        if kill:
            os.kill(max(before), signal.SIGKILL)
        if hup:
            os.kill(proc.pid, signal.SIGHUP)
        _one_worker_per_socket(parent, port, victims=before if hup else {max(before)})
        _all_answered(url)


def test_a_taken_port_fails_the_start():
    port = free_port()
    with __import__("socket").create_server(("127.0.0.1", port), reuse_port=True):  # as another vactag serve
        proc = subprocess.Popen([sys.executable, "-m", "service.cli", "serve", "--workers", "2", "--host", "127.0.0.1",
                                 "--port", str(port)], cwd=ROOT, stderr=subprocess.PIPE, text=True,
                                start_new_session=True)
        try:
            _, err = proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # it started on a taken port: stop it and its workers
            proc.communicate()
            pytest.fail("vactag serve started on a port another server holds")
    assert proc.returncode != 0 and "in use" in err
