"""Server memory while streaming N synthetic ads through POST /v1/classify/stream (default 100k).

    .venv/bin/python bench/stream_rss.py -n 100000

Starts `vactag serve` on 127.0.0.1, sends the feed as one chunked request from a writer thread
while a reader thread consumes the NDJSON answer (a full-duplex client, as the endpoint expects),
and samples the server's RSS every 0.2 s. Prints RSS after warm-up, at each 10% of the answer, the
peak, and the throughput.
"""
from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil

TITLES = ["Оператор call-центра", "Инженер технической поддержки", "Менеджер по продажам",
          "Специалист службы поддержки клиентов", "Руководитель группы техподдержки"]


def feed(n: int):
    for i in range(n):
        yield (json.dumps({"id": f"s{i}", "title": TITLES[i % 5],
                           "description": f"Работа с обращениями клиентов, график 2/2, задача {i}."},
                          ensure_ascii=False) + "\n").encode()


def wait_ready(port: int) -> None:
    for _ in range(200):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                s.sendall(b"GET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                if b" 200 " in s.recv(100):
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("server did not start")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=100_000)
    ap.add_argument("--port", type=int, default=8765)
    args = ap.parse_args()
    vactag = str(Path(sys.executable).with_name("vactag"))
    env = {**os.environ, "VACTAG_LOG_LEVEL": "WARNING"}
    server = subprocess.Popen([vactag, "serve", "--port", str(args.port)], env=env)
    try:
        wait_ready(args.port)
        proc = psutil.Process(server.pid)
        base = proc.memory_info().rss
        samples: list[tuple[float, int]] = []
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                samples.append((time.perf_counter(), proc.memory_info().rss))
                time.sleep(0.2)

        sock = socket.create_connection(("127.0.0.1", args.port))
        sock.sendall(b"POST /v1/classify/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     b"Content-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\n\r\n")
        sent_bytes = [0]

        def write() -> None:
            buf = b""
            for line in feed(args.n):
                buf += line
                if len(buf) >= 32768:
                    sock.sendall(b"%x\r\n%s\r\n" % (len(buf), buf))
                    sent_bytes[0] += len(buf)
                    buf = b""
            sock.sendall(b"%x\r\n%s\r\n0\r\n\r\n" % (len(buf), buf))
            sent_bytes[0] += len(buf)

        marks: list[tuple[int, int]] = []
        lines = [0]
        out_bytes = [0]

        def read() -> None:
            step = args.n // 10
            pending = b""
            while True:
                data = sock.recv(1 << 16)
                if not data:
                    break
                out_bytes[0] += len(data)
                pending += data
                count = pending.count(b"\"language\":")
                if count:
                    before = lines[0]
                    lines[0] += count
                    pending = pending[pending.rfind(b"\"language\":") + 1:]
                    if lines[0] // step > before // step:
                        marks.append((lines[0], proc.memory_info().rss))
                if pending.endswith(b"0\r\n\r\n") and lines[0] >= args.n:
                    break

        threads = [threading.Thread(target=f) for f in (sample, write, read)]
        started = time.perf_counter()
        for t in threads:
            t.start()
        threads[1].join()
        threads[2].join()
        wall = time.perf_counter() - started
        done.set()
        threads[0].join()
        sock.close()
        peak = max(rss for _, rss in samples)
        mib = 2 ** 20
        print(f"streamed {args.n} ads ({sent_bytes[0] / mib:.1f} MiB in, {out_bytes[0] / mib:.0f} MiB out) "
              f"in {wall:.1f}s = {args.n / wall:.0f} ads/s; results seen: {lines[0]}")
        print(f"server RSS: {base / mib:.0f} MiB ready, peak {peak / mib:.0f} MiB")
        print("RSS at each 10%: " + ", ".join(f"{n // 1000}k:{rss / mib:.0f}" for n, rss in marks) + " MiB")
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
