"""`vactag` command line: serve the API, classify files, evaluate, dump the OpenAPI schema."""
from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import orjson
import typer

from .tagfiles import open_binary as _open  # a binary file, or stdin/stdout for -

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
    config = uvicorn.Config("service.api:create_app", factory=True, host=host or settings.host,
                            port=port or settings.port, workers=workers, access_log=access_log,
                            log_config=logging_config(settings.log_level), proxy_headers=False)
    if workers == 1:
        uvicorn.Server(config).run()
        return
    from .supervisor import PerWorkerSockets

    PerWorkerSockets(config).run()


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


class Engine(str, Enum):
    local = "local"
    dask = "dask"


class FileFormat(str, Enum):
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"


@app.command()
def tag(infile: Annotated[str, typer.Argument(metavar="IN", help="Ads: JSONL, CSV or Parquet (by extension or "
                                                                  "--in-format); - = stdin (JSONL by default).")],
        out: Annotated[str, typer.Option("-o", "--out", help="Results: JSONL (one per line, with the input id), "
                                                             "CSV or Parquet (flat columns + full JSON); "
                                                             "- = stdout.")] = "-",
        in_format: Annotated[FileFormat | None,
                             typer.Option(help="Input format (default: from the extension).")] = None,
        out_format: Annotated[FileFormat | None,
                              typer.Option(help="Output format (default: from the extension).")] = None,
        jobs: Annotated[int, typer.Option("-j", "--jobs", min=0, help="Worker processes (0 = all cores); each loads "
                                                                      "the pipeline once. "
                                                                      "With Dask: local workers.")] = 1,
        chunk_size: Annotated[int, typer.Option(min=1, help="Ads per task sent to a worker.")] = 64,
        resume: Annotated[bool, typer.Option(help="Skip ids already in the output file and append to it.")] = False,
        id_field: Annotated[str, typer.Option(help="Input field holding the ad id.")] = "id",
        title_field: Annotated[str, typer.Option(help="Input field holding the title (hh.ru API: name).")] = "title",
        text_field: Annotated[str, typer.Option(help="Input field holding the text, plain or HTML.")] = "description",
        source: Annotated[bool, typer.Option(help="Carry employer, city, structured salary, experience, work "
                                                  "format and date from the input under `source`.")] = True,
        engine: Annotated[Engine, typer.Option(help="local (this machine) or dask (a dask.distributed cluster).")]
        = Engine.local,
        scheduler: Annotated[str | None, typer.Option(help="Dask scheduler address (tcp://host:8786); default: "
                                                           "a LocalCluster of -j workers.")] = None,
        progress: Annotated[bool | None, typer.Option(help="Progress bar (default: when stderr is a terminal).")]
        = None):
    """Classify every ad of a file. A bad line gives {id, error} instead of stopping."""
    import os
    import time

    from .batch import FieldMap
    from .tagfiles import (
        Writer,
        chunked,
        count_records,
        done_ids,
        guess_format,
        item_id,
        read_records,
    )

    fin, fout = guess_format(infile, in_format and in_format.value), guess_format(out, out_format and out_format.value)
    if fin == "parquet" or fout == "parquet":
        from .tagfiles import _need_pyarrow
        _need_pyarrow()
    if resume and out == "-":
        raise typer.BadParameter("--resume needs an output file", param_hint="--resume")
    jobs = jobs or os.cpu_count() or 1
    if engine is Engine.local and jobs > 1:
        from .engines import start_workers
        start_workers()  # its pipeline load overlaps what follows
    fields = FieldMap(id_field=id_field, title_field=title_field, text_field=text_field, source=source)
    skip = done_ids(out, fout) if resume else set()
    records = read_records(infile, fin)
    if skip:
        records = ((n, item) for n, item in records if item_id(item, fields) not in skip)
    chunks = chunked(records, chunk_size, fields, table=fout != "jsonl")
    if engine is Engine.dask:
        from .dask_engine import run_dask
        outputs = run_dask(chunks, scheduler=scheduler, workers=jobs)
    elif jobs > 1:
        from .engines import run_pool
        outputs = run_pool(chunks, jobs)
    else:
        from .engines import run_local
        outputs = run_local(chunks)

    show = sys.stderr.isatty() if progress is None else progress
    bar = None
    if show:
        from tqdm import tqdm
        total = count_records(infile, fin)
        bar = tqdm(total=(total - len(skip)) if total is not None and total >= len(skip) else total,
                   unit="ad", unit_scale=True, dynamic_ncols=True, smoothing=0.1, file=sys.stderr)
    counts = {"ok": 0, "error": 0}
    started = time.perf_counter()
    first: tuple[float, int] | None = None  # when the first chunk came back, and its size: the start-up cost
    writer = Writer(out, fout, append=resume)
    try:
        for payload, n, errors in outputs:
            if first is None:
                first = (time.perf_counter(), n)
            writer.write(payload)
            counts["ok"] += n - errors
            counts["error"] += errors
            if bar is not None:
                bar.update(n)
        writer.flush()
    finally:
        writer.close()
        if bar is not None:
            bar.close()
    ended = time.perf_counter()
    seconds = ended - started
    done = counts["ok"] + counts["error"]
    skipped = f", {len(skip)} ids already done" if resume else ""
    steady = ""
    if first is not None and done > first[1] and ended > first[0]:
        steady = (f"; first results after {first[0] - started:.1f}s, then "
                  f"{(done - first[1]) / (ended - first[0]):.0f} ads/s")
    typer.echo(f"tagged {counts['ok']} ads, {counts['error']} errors in {seconds:.1f}s "
               f"({done / seconds if seconds > 0 else 0:.0f} ads/s{steady}){skipped}", err=True)


@app.command()
def report(tagged: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="`vactag tag` JSONL output.")],
           out: Annotated[Path, typer.Option("--out", "-o", help="Directory for report.md, CSVs and PNGs.")],
           input_file: Annotated[Path | None, typer.Option("--input", exists=True, dir_okay=False,
                                                           help="The untagged JSONL feed, joined by id for employer, "
                                                                "city and salary when the tagged file lacks `source`.")]
           = None,
           top_cities: Annotated[int, typer.Option(min=1, help="Cities in the city table.")] = 15,
           title: Annotated[str, typer.Option(help="Report title.")] = "Support job market",
           notes: Annotated[Path | None, typer.Option(exists=True, dir_okay=False,
                                                      help="Markdown put under the title (caveats, sources).")] = None,
           charts: Annotated[bool, typer.Option(help="PNG charts (needs matplotlib: vactag[report]).")] = True):
    """Market report by company and by ad: support types, experience, seniority, pay, cities, remote."""
    from .report import build, read_tagged, write

    ads, errors = read_tagged(tagged, input_file)
    rep = build(ads, errors, top_cities=top_cities)
    written = write(rep, out, title=title, notes=notes.read_text(encoding="utf-8") if notes else "",
                    with_charts=charts)
    typer.echo(f"{len(ads)} ads, {rep.facts['support_companies']} support companies: wrote {len(written)} files "
               f"to {out}", err=True)


@app.command("eval")
def evaluate_cmd(gold: Annotated[list[Path], typer.Argument(exists=True, dir_okay=False,
                                                            help="Labeled JSONL file(s), e.g. labeled_dev.jsonl "
                                                                 "data/labeled_extra_*.jsonl.")],
                 split: Annotated[Split, typer.Option(help="Which ids to score.")] = Split.heldout,
                 compare: Annotated[bool, typer.Option(help="Also score rules alone and the model alone.")] = False,
                 as_json: Annotated[bool, typer.Option("--json", help="Machine-readable report.")] = False):
    """Score the pipeline against hand labels: accuracy, macro-F1 and a confusion matrix per field."""
    from .evaluate import compare_modes, evaluate, format_report, read_jsonl, split_of
    from .pipeline import default_pipeline

    rows, seen = [], set()
    for path in gold:
        for r in read_jsonl(path):
            if r["id"] not in seen and (split is Split.all or split_of(r["id"]) == split.value):
                seen.add(r["id"])
                rows.append(r)
    pipeline = default_pipeline()
    results = {r["id"]: pipeline.classify(r.get("title") or "", r.get("description") or "", id=r["id"]) for r in rows}
    report = evaluate(rows, results)
    modes = compare_modes(rows, results) if compare else None
    names = ", ".join(p.name for p in gold)
    if as_json:
        sys.stdout.buffer.write(orjson.dumps({"split": split.value, "n": len(rows), "report": report, "modes": modes},
                                             option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE))
        return
    typer.echo(format_report(report, f"# {names}: split={split.value}, {len(rows)} ads, "
                                     f"versions {pipeline.versions}"))
    if modes:
        typer.echo("\n## rules alone / model alone / final (accuracy, macro-F1)")
        for field, by_mode in modes.items():
            typer.echo(f"{field:<14}" + "".join(f"  {m}: {v['accuracy']:.3f} / {v['macro_f1']:.3f}"
                                               for m, v in by_mode.items()))


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


if __name__ == "__main__":
    app()
