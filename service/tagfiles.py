"""Reading ads and writing results for `vactag tag`: JSONL, CSV, Parquet; files or stdin/stdout; resume.

Everything streams: inputs are read and outputs written chunk by chunk, so a feed of any size runs in
bounded memory. JSONL lines are handed to the workers undecoded (they parse them), which keeps the
parent process (reading, writing, progress) cheap next to the workers.
"""
from __future__ import annotations

import csv
import io
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

import orjson

from .batch import TABLE_COLUMNS, Chunk, FieldMap

FORMATS = ("jsonl", "csv", "parquet")
_EXT = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".csv": "csv", ".parquet": "parquet",
        ".pq": "parquet"}


def guess_format(path: str, given: str | None) -> str:
    if given:
        return given
    if path == "-":
        return "jsonl"
    name = path.lower()
    for ext, fmt in _EXT.items():
        if name.endswith((ext, ext + ".gz")):
            return fmt
    return "jsonl"


def _need_pyarrow():
    try:
        import pyarrow  # noqa: F401
        import pyarrow.parquet as pq
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise SystemExit("Parquet needs pyarrow: pip install 'vactag[parquet]'") from exc
    return pq


@contextmanager
def open_binary(path: str, mode: str) -> Iterator[IO[bytes]]:
    if path == "-":
        yield sys.stdin.buffer if "r" in mode else sys.stdout.buffer
        return
    with open(path, mode) as fh:
        yield fh


# --- input -----------------------------------------------------------------------------------------

def count_records(path: str, fmt: str) -> int | None:
    """How many records a file holds, for the progress bar's ETA (None when unknown or costly)."""
    if path == "-":
        return None
    if fmt == "parquet":
        return _need_pyarrow().ParquetFile(path).metadata.num_rows
    if fmt == "jsonl":
        n = 0
        with open(path, "rb") as fh:
            for line in fh:
                n += bool(line.strip())
        return n
    return None


def read_records(path: str, fmt: str) -> Iterator[tuple[int, Any]]:
    """(1-based line or row number, item): raw bytes for JSONL, dicts for CSV and Parquet."""
    if fmt == "jsonl":
        with open_binary(path, "rb") as fh:
            for number, line in enumerate(fh, 1):
                if line.strip():
                    yield number, line
    elif fmt == "csv":
        with open_binary(path, "rb") as fh:
            text = io.TextIOWrapper(fh, encoding="utf-8-sig", newline="")
            for number, row in enumerate(csv.DictReader(text), 1):
                yield number, {k: (v if v != "" else None) for k, v in row.items() if k is not None}
            text.detach()
    elif fmt == "parquet":
        pq = _need_pyarrow()
        source = sys.stdin.buffer.read() if path == "-" else path
        if isinstance(source, bytes):
            import pyarrow as pa
            source = pa.BufferReader(source)
        number = 0
        for batch in pq.ParquetFile(source).iter_batches(batch_size=1024):
            for row in batch.to_pylist():
                number += 1
                yield number, row
    else:
        raise ValueError(f"unknown input format {fmt}")


def item_id(item: Any, fields: FieldMap) -> str | None:
    """The id of an input item (for --resume); parses a raw line."""
    if isinstance(item, (bytes, str)):
        try:
            item = orjson.loads(item)
        except orjson.JSONDecodeError:
            return None
    if not isinstance(item, dict):
        return None
    value = item.get(fields.id_field)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = fields.request({fields.id_field: value}).get("id")
    return value if isinstance(value, str) else None


def chunked(records: Iterator[tuple[int, Any]], size: int, fields: FieldMap, table: bool) -> Iterator[Chunk]:
    items: list[Any] = []
    first = None
    for number, item in records:
        if first is None:
            first = number
        items.append(item)
        if len(items) >= size:
            yield Chunk(items, first, fields, table)
            items, first = [], None
    if items:
        yield Chunk(items, first, fields, table)


# --- resume ----------------------------------------------------------------------------------------

def done_ids(path: str, fmt: str) -> set[str]:
    """Ids already in an output file. A torn last JSONL line (a crash mid-write) is cut off first."""
    if path == "-" or not os.path.exists(path):
        return set()
    if fmt == "parquet":
        raise SystemExit("--resume cannot append to Parquet; write JSONL or CSV, or a new file")
    ids: set[str] = set()
    if fmt == "jsonl":
        with open(path, "rb+") as fh:
            fh.seek(0, os.SEEK_END)
            size = fh.tell()
            if size:
                fh.seek(max(0, size - 1))
                if fh.read(1) != b"\n":  # torn last line: drop it, it is tagged again
                    fh.seek(0)
                    data = fh.read()
                    fh.truncate(data.rfind(b"\n") + 1)
            fh.seek(0)
            for line in fh:
                try:
                    value = orjson.loads(line).get("id")
                except (orjson.JSONDecodeError, AttributeError):
                    continue
                if isinstance(value, str):
                    ids.add(value)
    else:
        with open(path, encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                if row.get("id"):
                    ids.add(row["id"])
    return ids


# --- output ----------------------------------------------------------------------------------------

class Writer:
    """Writes chunk outputs in order: JSONL bytes as they are, flat rows to CSV or Parquet."""

    def __init__(self, path: str, fmt: str, append: bool = False) -> None:
        self.fmt = fmt
        self.path = path
        exists = append and path != "-" and os.path.exists(path) and os.path.getsize(path) > 0
        self._ctx = open_binary(path, "ab" if append else "wb")
        self.fh = self._ctx.__enter__()
        self._csv = None
        self._pq = None
        if fmt == "csv":
            self.text = io.TextIOWrapper(self.fh, encoding="utf-8", newline="", write_through=True)
            self._csv = csv.DictWriter(self.text, fieldnames=list(TABLE_COLUMNS))
            if not exists:
                self._csv.writeheader()

    def write(self, payload: bytes | list[dict]) -> None:
        if self.fmt == "jsonl":
            self.fh.write(payload)  # type: ignore[arg-type]
        elif self.fmt == "csv":
            self._csv.writerows(payload)  # type: ignore[union-attr]
        else:
            import pyarrow as pa
            table = pa.Table.from_pylist(payload, schema=_parquet_schema())  # type: ignore[arg-type]
            if self._pq is None:
                self._pq = _need_pyarrow().ParquetWriter(self.fh, table.schema)
            self._pq.write_table(table)

    def flush(self) -> None:
        if self.fmt == "csv":
            self.text.flush()
        self.fh.flush()

    def close(self) -> None:
        if self._pq is not None:
            self._pq.close()
        elif self.fmt == "parquet":  # no rows: still a valid, empty file
            import pyarrow as pa
            _need_pyarrow().write_table(pa.Table.from_pylist([], schema=_parquet_schema()), self.fh)
        if self.fmt == "csv":
            self.text.flush()
            self.text.detach()
        self.fh.flush()
        self._ctx.__exit__(None, None, None)


def _parquet_schema():
    import pyarrow as pa

    types = {"support_type_confidence": pa.float64(), "seniority_confidence": pa.float64(),
             "work_format_confidence": pa.float64(), "salary_from": pa.int64(), "salary_to": pa.int64(),
             "salary_gross": pa.bool_()}
    return pa.schema([(name, types.get(name, pa.string())) for name in TABLE_COLUMNS])
