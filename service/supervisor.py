"""Several uvicorn workers, each on its own SO_REUSEPORT socket, so the kernel spreads connections over them.

With uvicorn's one shared listening socket, the worker that wakes first accepts a whole burst of new
connections (asyncio accepts up to the backlog per wake-up) and, with keep-alive clients, keeps them: measured
at concurrency 16, two workers served 829 req/s, as many as one. With a socket per worker the kernel hashes
each new connection to one of them. Where SO_REUSEPORT does not exist the shared socket is kept.
"""
from __future__ import annotations

import socket

from uvicorn import Config
from uvicorn.supervisors import Multiprocess


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


class PerWorkerSockets(Multiprocess):
    """uvicorn's supervisor (restarts, health checks, signals) with worker slot i always given socket i.

    uvicorn creates a worker with `Process(config, self.sockets)` when it starts the workers (in order), when it
    replaces a dead one (already joined, so not alive) and on SIGHUP (a new worker per slot, in order, before
    the old one stops); `sockets` answers with the socket of the slot being filled."""

    def __init__(self, config: Config) -> None:
        reuse = hasattr(socket, "SO_REUSEPORT")
        self._slots = [_listening_socket(config, reuse) for _ in range(config.workers if reuse else 1)]
        self._hup_next = 0
        super().__init__(config, sockets=self._slots)

    @property
    def sockets(self) -> list[socket.socket]:
        if len(self._slots) == 1:
            return self._slots
        if len(self.processes) < len(self._slots):
            return [self._slots[len(self.processes)]]
        for i, p in enumerate(self.processes):
            if not p.process.is_alive():
                return [self._slots[i]]
        i, self._hup_next = self._hup_next, (self._hup_next + 1) % len(self._slots)
        return [self._slots[i]]

    @sockets.setter
    def sockets(self, value: list[socket.socket]) -> None:  # Multiprocess.__init__ assigns it
        pass

    def handle_hup(self) -> None:
        self._hup_next = 0
        super().handle_hup()
