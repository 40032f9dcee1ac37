"""Several uvicorn workers, each on its own SO_REUSEPORT socket, so the kernel spreads connections over them.

With uvicorn's one shared listening socket, the worker that wakes first accepts a whole burst of new
connections (asyncio accepts up to the backlog per wake-up) and, with keep-alive clients, keeps them: measured
at concurrency 16, two workers served 844 req/s, as many as one. With a socket per worker the kernel hashes
each new connection to one of them. Where SO_REUSEPORT does not exist the shared socket is kept.

A socket of the group with no worker would still be handed connections that nobody accepts, so slot i is
always served by exactly one worker started on socket i: the three places where uvicorn's supervisor starts a
worker (start, replacing a dead one, SIGHUP) are overridden to say which slot, and the worker count is fixed
(SIGTTIN / SIGTTOU are refused).
"""
from __future__ import annotations

import logging
import socket
import sys

from uvicorn import Config
from uvicorn.supervisors.multiprocess import STARTUP_FAILURE, Multiprocess, Process

logger = logging.getLogger("uvicorn.error")


def _listening_socket(config: Config, reuse_port: bool) -> socket.socket:
    family = socket.AF_INET6 if config.host and ":" in config.host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuse_port:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    # accepted sockets inherit it: without it every keep-alive response waited ~40 ms on the client's delayed ACK
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((config.host, config.port))
    sock.listen(config.backlog)
    sock.set_inheritable(True)
    return sock


def _bind_slots(config: Config) -> list[socket.socket]:
    reuse = hasattr(socket, "SO_REUSEPORT")
    try:
        if reuse:
            # SO_REUSEPORT would let this group join another server already on the port and split its traffic;
            # a plain bind first fails the way uvicorn does when the port is taken.
            _listening_socket(config, reuse_port=False).close()
        return [_listening_socket(config, reuse) for _ in range(config.workers if reuse else 1)]
    except OSError as exc:
        logger.error(exc)
        sys.exit(STARTUP_FAILURE)


class PerWorkerSockets(Multiprocess):
    """uvicorn's supervisor (health checks, restarts, signals) with worker slot i always on socket i."""

    def __init__(self, config: Config) -> None:
        self._slots = _bind_slots(config)
        super().__init__(config, sockets=self._slots)

    def _start(self, slot: int) -> Process:
        process = Process(self.config, [self._slots[slot]] if len(self._slots) > 1 else self._slots)
        process.start()
        return process

    def init_processes(self) -> None:
        self.processes = [self._start(slot) for slot in range(self.processes_num)]

    def keep_subprocess_alive(self) -> None:
        for slot, process in enumerate(self.processes):
            if self.should_exit.is_set():
                return
            if process.is_alive(timeout=self.config.timeout_worker_healthcheck):
                continue
            process.kill()  # hung or dead
            process.join()
            if process.exitcode == STARTUP_FAILURE:  # broken app or settings: it would fail the same way again
                logger.error(f"Child process [{process.pid}] failed to start, stopping the parent process.")
                self.should_exit.set()
                return
            logger.info(f"Child process [{process.pid}] died")
            self.processes[slot] = self._start(slot)

    def restart_all(self) -> None:
        """SIGHUP: each slot's replacement serves before its old worker stops; a failed start keeps the rest."""
        for slot, old in enumerate(self.processes):
            if self.should_exit.is_set():
                return
            new = self._start(slot)
            if not new.wait_until_ready(self.config.timeout_worker_healthcheck, self.should_exit):
                new.kill()
                new.join()
                if not self.should_exit.is_set():
                    logger.error(f"New child process [{new.pid}] was not ready in time; "
                                 f"keeping worker [{old.pid}] and aborting the restart.")
                return
            old.terminate()
            old.join()
            self.processes[slot] = new

    def handle_ttin(self) -> None:
        logger.info("Received SIGTTIN: the worker count is fixed here (one socket per worker); restart to change it.")

    def handle_ttou(self) -> None:
        logger.info("Received SIGTTOU: the worker count is fixed here (one socket per worker); restart to change it.")
