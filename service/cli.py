"""`vactag` command line: serve the API, classify files, evaluate, dump the OpenAPI schema."""
from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import IO, Annotated

import orjson
import typer

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Reads Russian support-job ads: support type, seniority, work format, facts.")


class Format(str, Enum):
    auto = "auto"
    text = "text"
    html = "html"


class Split(str, Enum):
    train = "train"
    heldout = "heldout"
    all = "all"


@contextmanager
def _open(path: str, mode: str) -> Iterator[IO[bytes]]:
    """A binary file, or stdin/stdout for ``-``."""
    if path == "-":
        yield sys.stdin.buffer if "r" in mode else sys.stdout.buffer
        return
    with open(path, mode) as fh:
        yield fh


def _dump(obj: object) -> bytes:
    return orjson.dumps(obj, option=orjson.OPT_APPEND_NEWLINE)


@app.command()
def serve(host: Annotated[str | None, typer.Option(help="Default: VACTAG_HOST or 127.0.0.1.")] = None,
          port: Annotated[int | None, typer.Option(help="Default: VACTAG_PORT or 8000.")] = None,
          workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
          access_log: Annotated[bool, typer.Option(help="uvicorn's access log (the app logs requests).")] = False):
    """Run the HTTP API with uvicorn."""
    import uvicorn

    from .logs import logging_config
    from .settings import get_settings

    settings = get_settings()
    uvicorn.run("service.api:create_app", factory=True, host=host or settings.host, port=port or settings.port,
                workers=workers, access_log=access_log, log_config=logging_config(settings.log_level),
                proxy_headers=False)


@app.command()
def classify(file: Annotated[str, typer.Argument(help="JSON {title, description} or plain text; - = stdin.")] = "-",
             title: Annotated[str | None, typer.Option(help="Title for a plain-text ad (default: empty).")] = None,
             fmt: Annotated[Format, typer.Option("--format", help="How to read plain text.")] = Format.auto):
    """Classify one ad; prints the result as JSON.

    Plain text is taken whole as the description, so evidence offsets index the file's text.
    """
    from .pipeline import default_pipeline
    from .runner import classify_raw
    from .settings import get_settings

    with _open(file, "rb") as fh:
        raw = fh.read().decode("utf-8")
    try:
        ad = orjson.loads(raw)
    except orjson.JSONDecodeError:
        ad = None
    if isinstance(ad, dict) and "title" in ad:
        result = classify_raw(default_pipeline(), ad, get_settings().max_text_chars, ignore_extra=True)
    else:  # a local file: no title needed and no size limit, unlike the API
        result = default_pipeline().classify(title or "", raw, fmt=fmt.value)
    sys.stdout.buffer.write(orjson.dumps(result, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE))
    if "error" in result:
        raise typer.Exit(1)


@app.command()
def tag(infile: Annotated[str, typer.Argument(metavar="IN.jsonl", help="JSONL: id, title, description; - = stdin.")],
        out: Annotated[str, typer.Option("-o", "--out", help="Output JSON lines; - for stdout.")] = "-"):
    """Classify every line of a JSONL file. A bad line gives {id, error} instead of stopping."""
    from .pipeline import default_pipeline
    from .problems import problem
    from .runner import classify_raw
    from .settings import get_settings

    pipeline, max_chars = default_pipeline(), get_settings().max_text_chars
    counts = {"ok": 0, "error": 0}
    with _open(infile, "rb") as src, _open(out, "wb") as dst:
        for number, line in enumerate(src, 1):
            if not line.strip():
                continue
            try:
                row = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                result = {"id": None, "error": problem("malformed-json", f"line {number}: {exc}")}
            else:
                result = classify_raw(pipeline, row, max_chars, ignore_extra=True)
            counts["error" if "error" in result else "ok"] += 1
            dst.write(_dump(result))
    typer.echo(f"tagged {counts['ok']} ads, {counts['error']} errors", err=True)


@app.command("eval")
def evaluate_cmd(gold: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="Labeled JSONL.")],
                 split: Annotated[Split, typer.Option(help="Which ids to score.")] = Split.heldout,
                 as_json: Annotated[bool, typer.Option("--json", help="Machine-readable report.")] = False):
    """Score the pipeline against hand labels."""
    from .evaluate import evaluate, format_report, read_jsonl, split_of
    from .pipeline import default_pipeline

    rows = [r for r in read_jsonl(gold) if split is Split.all or split_of(r["id"]) == split.value]
    pipeline = default_pipeline()
    results = {r["id"]: pipeline.classify(r.get("title") or "", r.get("description") or "", id=r["id"]) for r in rows}
    report = evaluate(rows, results)
    if as_json:
        sys.stdout.buffer.write(orjson.dumps({"split": split.value, "n": len(rows), "report": report},
                                             option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE))
    else:
        typer.echo(format_report(report, f"# {gold.name}: split={split.value}, {len(rows)} ads"))


def openapi_yaml() -> str:
    """The app's OpenAPI schema as YAML, keys in the order FastAPI emits them."""
    import yaml

    from .api import create_app
    from .settings import Settings

    schema = create_app(Settings.model_construct()).openapi()  # defaults, not this shell's env
    return yaml.safe_dump(schema, sort_keys=False, allow_unicode=True, width=100)


@app.command()
def openapi(out: Annotated[str, typer.Option("-o", "--out", help="Where to write; - for stdout.")] = "-"):
    """Write the OpenAPI schema as YAML (the committed openapi.yaml comes from here)."""
    with _open(out, "wb") as fh:
        fh.write(openapi_yaml().encode("utf-8"))
