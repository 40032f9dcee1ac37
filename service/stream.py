"""``POST /v1/classify/stream``: NDJSON in, NDJSON out, one line at a time, memory bounded.

The body is never read whole: lines are cut from the chunks as they arrive (``request.stream()``),
each received chunk's complete lines are classified off the event loop with the shared batch
function, and their results are sent before the next chunk is read. So the server holds at most
one chunk, one partial line (at most ``max_line_bytes``) and that chunk's results, whatever the feed
size; uvicorn's flow control pauses reading while the client is not reading the answer.

Contract: one output line per non-blank input line, in order. A line that is not JSON, fails
validation or is longer than the per-line limit yields ``{"id", "error": <problem>}`` (with
``line``, the 1-based input line number) and the stream goes on. Clients must read the answer
while they send (curl does; a client that first uploads everything and only then reads will stall
once the kernel buffers fill).

Not a ``StreamingResponse``: under ASGI spec < 2.4 (uvicorn says 2.3) it listens for disconnects by
calling ``receive()`` concurrently, which would steal body chunks from ``request.stream()``.
"""
from __future__ import annotations

import re

import orjson
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from .batch import API_FIELDS, classify_one
from .problems import problem

STREAM_PATH = "/v1/classify/stream"
NDJSON_MEDIA_TYPE = "application/x-ndjson"
_NDJSON_TYPE = re.compile(r"application/(?:x-ndjson|ndjson|jsonl|x-jsonlines|jsonlines)\s*(?:;|$)", re.IGNORECASE)


def is_ndjson(content_type: str | None) -> bool:
    return bool(content_type and _NDJSON_TYPE.match(content_type))


def _line(result: dict) -> bytes:
    try:
        return orjson.dumps(result, option=orjson.OPT_APPEND_NEWLINE)
    except orjson.JSONEncodeError:  # a lone surrogate echoed back in an id
        return orjson.dumps({"id": None, "line": result.get("line"),
                             "error": problem("validation", "the id is not valid Unicode")},
                            option=orjson.OPT_APPEND_NEWLINE)


class NDJSONStream(Response):
    """Reads the request body line by line and answers one NDJSON line per input line."""

    media_type = NDJSON_MEDIA_TYPE

    def __init__(self, request: Request, pipeline, max_chars: int, max_line_bytes: int) -> None:
        super().__init__(media_type=NDJSON_MEDIA_TYPE)
        self.request = request
        self.pipeline = pipeline
        self.max_chars = max_chars
        self.max_line_bytes = max_line_bytes

    def _classify(self, lines: list[tuple[int, bytes | None]]) -> bytes:
        """Output lines for (number, line) pairs; a None line was over the limit."""
        out = []
        for number, line in lines:
            if line is None:
                out.append(self._too_long(number))
                continue
            result = classify_one(line, API_FIELDS, self.pipeline, self.max_chars, number)
            if "error" in result:
                result["line"] = number
            out.append(_line(result))
        return b"".join(out)

    def _too_long(self, number: int) -> bytes:
        return _line({"id": None, "line": number, "error": problem(
            "body-too-large", f"line {number} is longer than {self.max_line_bytes} bytes; skipped")})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = [(b"content-type", NDJSON_MEDIA_TYPE.encode()), (b"cache-control", b"no-store")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        buf = bytearray()
        number = 0          # input lines seen (blank ones included, so numbers match an editor's)
        skipping = False    # inside an over-long line: drop bytes until its newline
        try:
            async for chunk in self.request.stream():
                lines: list[tuple[int, bytes | None]] = []
                start = 0
                while True:
                    end = chunk.find(b"\n", start)
                    if end < 0:
                        break
                    piece = chunk[start:end]
                    start = end + 1
                    number += 1
                    if skipping:
                        skipping = False
                        buf.clear()
                        continue
                    if len(buf) + len(piece) > self.max_line_bytes:
                        buf.clear()
                        lines.append((number, None))
                        continue
                    line = bytes(buf + piece) if buf else piece
                    buf.clear()
                    if line.strip():
                        lines.append((number, line))
                rest = chunk[start:]
                if not skipping and rest:
                    if len(buf) + len(rest) > self.max_line_bytes:
                        lines.append((number + 1, None))
                        buf.clear()
                        skipping = True
                    else:
                        buf += rest
                if lines:
                    out = await run_in_threadpool(self._classify, lines)
                    await send({"type": "http.response.body", "body": out, "more_body": True})
        except ClientDisconnect:
            return
        tail = b""
        if buf.strip() and not skipping:
            tail = await run_in_threadpool(self._classify, [(number + 1, bytes(buf))])
        await send({"type": "http.response.body", "body": tail, "more_body": False})
