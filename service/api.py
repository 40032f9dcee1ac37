"""HTTP API: FastAPI app, error handling as RFC 9457 problems, request gate.

Two pure ASGI middlewares (not BaseHTTPMiddleware, which costs a task per
request and breaks contextvars):

* ``RequestContext`` (outermost): X-Request-ID, one JSON access-log line,
  and a last-resort 500 problem that never shows a traceback.
* ``Gate``: API key, media type, body size (Content-Length *and* counted
  bytes, since chunked bodies have no length) and UTF-8, before any JSON
  parsing or validation runs.
"""
from __future__ import annotations

import hmac
import logging
import re
import time
import uuid
from contextlib import asynccontextmanager
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

import orjson
from fastapi import Body, FastAPI, Request, Security
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.security import APIKeyHeader
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import FileResponse, Response
from starlette.routing import Match
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import __version__, metrics
from .batch import API_FIELDS
from .batch import classify_batch as run_batch
from .logs import configure_logging, request_id_var
from .pipeline import default_pipeline
from .problems import (
    PROBLEM_MEDIA_TYPE,
    error_list,
    problem,
    problem_for_status,
)
from .rules import RULES_DIR
from .runner import classify_request, too_long
from .schemas import (
    BatchError,
    ClassifyRequest,
    ClassifyResult,
    Health,
    Problem,
    Taxonomy,
    VersionInfo,
)
from .settings import Settings, get_settings
from .stream import NDJSON_MEDIA_TYPE, STREAM_PATH, NDJSONStream, is_ndjson
from .yamlfile import read_yaml

log = logging.getLogger("vactag.api")
TAXONOMY_FILE = Path(__file__).resolve().parent.parent / "rules" / "taxonomy.yaml"
STATIC_DIR = Path(__file__).resolve().parent / "static"
# The web page and its two files hold no data; the API calls the page makes still need a key.
METRIC_ROUTES = frozenset({"/v1/classify", "/v1/classify/batch", "/v1/classify/stream", "/v1/taxonomy", "/v1/rules",
                           "/v1/version", "/healthz", "/readyz", "/metrics", "/"})
PUBLIC_PATHS = frozenset({"/healthz", "/readyz", "/docs", "/docs/oauth2-redirect", "/redoc", "/openapi.json",
                          "/", "/static/app.js", "/static/app.css"})
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:\-]{1,128}")
_JSON_TYPE = re.compile(r"application/(?:[\w.+-]+\+)?json\s*(?:;|$)", re.IGNORECASE)
api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False,
                              description="Required only when the server has API keys configured.")


def problem_response(body: dict, headers: dict[str, str] | None = None) -> Response:
    return Response(orjson.dumps(body), status_code=body["status"], media_type=PROBLEM_MEDIA_TYPE, headers=headers)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return value.decode("latin-1")
    return None


async def _send_problem(send: Send, body: dict, headers: dict[str, str] | None = None) -> None:
    await problem_response(body, headers)({"type": "http"}, _no_receive, send)


async def _no_receive() -> Message:  # pragma: no cover - responses never read the body
    return {"type": "http.disconnect"}


class RequestContext:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        given = _header(scope, b"x-request-id")
        rid = given if given and _REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        token = request_id_var.set(rid)
        started = time.perf_counter()
        status = [500, False]  # status code, response started

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[:] = [message["status"], True]
                message["headers"] = [*message.get("headers", []), (b"x-request-id", rid.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            log.exception("unhandled error", extra={"fields": {"path": scope["path"]}})
            if status[1]:
                raise
            await _send_problem(send_with_id, problem("internal", "an unexpected error occurred; quote the "
                                                      f"request id {rid}", scope["path"]))
        finally:
            seconds = time.perf_counter() - started
            path = scope["path"]
            metrics.observe_request(scope["method"], path if path in METRIC_ROUTES else "other", status[0], seconds)
            if log.isEnabledFor(logging.INFO):
                log.info("request", extra={"fields": {
                    "method": scope["method"], "path": path, "status": status[0],
                    "duration_ms": round(seconds * 1000, 2)}})
            request_id_var.reset(token)


class Gate:
    def __init__(self, app: ASGIApp, max_body_bytes: int, api_keys: list[str], routes: list | None = None) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.api_keys = [k.encode() for k in api_keys]
        self.routes = routes  # the app's (live) route list: body checks only where a route takes this method

    def _routed(self, scope: Scope) -> bool:
        """A route takes this method at this path; else the router answers 404/405, not us 415/413."""
        return self.routes is None or any(r.matches(scope)[0] == Match.FULL for r in self.routes)

    def _authorized(self, scope: Scope) -> bool:
        given = (_header(scope, b"x-api-key") or "").encode("latin-1")
        ok = False
        for key in self.api_keys:  # compare with every key: timing does not tell which one matched
            ok |= hmac.compare_digest(given, key)
        return ok

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path = scope["path"]
        if self.api_keys and path not in PUBLIC_PATHS and not self._authorized(scope):
            return await _send_problem(send, problem("unauthorized", "send a valid key in X-API-Key", path),
                                       {"WWW-Authenticate": 'ApiKey header="X-API-Key"'})
        if scope["method"] not in BODY_METHODS or not self._routed(scope):
            return await self.app(scope, receive, send)
        content_type = _header(scope, b"content-type")
        if path == STREAM_PATH:  # read line by line by the endpoint (bounded memory), never buffered here
            if not is_ndjson(content_type):
                return await _send_problem(send, problem("unsupported-media-type", f"send {NDJSON_MEDIA_TYPE}, not "
                                                         f"{content_type or 'nothing'}", path))
            return await self.app(scope, receive, send)
        if not content_type or not _JSON_TYPE.match(content_type):
            return await _send_problem(send, problem("unsupported-media-type",
                                                     f"send application/json, not {content_type or 'nothing'}", path))
        length = _header(scope, b"content-length")
        if length is not None:
            if not length.strip().isdigit():
                return await _send_problem(send, problem("bad-request", "invalid Content-Length", path))
            if int(length) > self.max_body_bytes:
                return await _send_problem(send, self._too_large(path))
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                return await _send_problem(send, self._too_large(path))
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        if not body.strip():
            return await _send_problem(send, problem("malformed-json", "the body is empty", path))
        try:
            body.decode("utf-8")
        except UnicodeDecodeError as exc:
            return await _send_problem(send, problem("invalid-utf8", f"invalid byte at offset {exc.start}", path))
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    def _too_large(self, path: str) -> dict:
        return problem("body-too-large", f"the body may have at most {self.max_body_bytes} bytes", path)


# --- endpoints ---------------------------------------------------------------------------------------

class RuleInfo(BaseModel):
    field: str
    label: str
    kind: str
    weight: float
    why: str


class RuleCatalog(BaseModel):
    version: str
    rules: dict[str, RuleInfo]


def _problem_docs(*statuses: int) -> dict[int | str, dict[str, Any]]:
    ref = {"schema": {"$ref": "#/components/schemas/Problem"}}
    return {status: {"description": problem_for_status(status)["title"], "content": {PROBLEM_MEDIA_TYPE: ref}}
            for status in statuses}


def _json(data: Any) -> Response:
    try:
        body = orjson.dumps(data)
    except orjson.JSONEncodeError:  # a lone surrogate echoed back (a batch item's "id": "\ud800"): not UTF-8
        body = orjson.dumps(_scrub(data))
    return Response(body, media_type="application/json")


def _scrub(data: Any) -> Any:
    if isinstance(data, str):
        return data.encode("utf-8", "replace").decode("utf-8")
    if isinstance(data, dict):
        return {_scrub(k): _scrub(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [_scrub(v) for v in data]
    return data


@lru_cache(maxsize=1)
def load_taxonomy(path: Path = TAXONOMY_FILE) -> dict:
    return Taxonomy.model_validate(read_yaml(path)).model_dump()


@asynccontextmanager
async def lifespan(app: FastAPI):
    settings: Settings = app.state.settings
    configure_logging(settings.log_level)
    app.state.pipeline = None
    started = time.perf_counter()
    app.state.pipeline = default_pipeline()
    load_taxonomy()
    log.info("pipeline loaded", extra={"fields": {"seconds": round(time.perf_counter() - started, 3),
                                                   "versions": app.state.pipeline.versions,
                                                   "rules_dir": str(RULES_DIR)}})
    yield


def create_app(settings: Settings | None = None) -> FastAPI:
    """The app; also uvicorn's ``--factory`` entry point, so settings are read at start, not import."""
    settings = settings or get_settings()
    app = FastAPI(title="vactag", version=__version__, lifespan=lifespan,
                  description="Reads Russian support-job ads and returns support type, seniority, work format "
                              "and facts, each with confidence and evidence spans into the request's text. "
                              "Errors are RFC 9457 problem details (`application/problem+json`).",
                  responses=_problem_docs(401, 500))
    app.state.settings = settings
    app.state.pipeline = None
    _add_handlers(app)
    _add_routes(app, settings)
    _register_problem_schema(app)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_middleware(Gate, max_body_bytes=settings.max_body_bytes, api_keys=settings.keys(),
                       routes=app.router.routes)
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET", "POST"],
                           allow_headers=["Content-Type", "X-API-Key", "X-Request-ID"],
                           expose_headers=["X-Request-ID"])
    app.add_middleware(RequestContext)
    return app


def _add_handlers(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 400 and str(exc.detail).startswith("There was an error parsing the body"):
            # FastAPI's answer when json.loads fails other than by syntax (nesting too deep, huge numbers)
            return problem_response(problem("malformed-json", "cannot parse the body (too deeply nested?)",
                                            request.url.path))
        body = problem_for_status(exc.status_code, None, request.url.path)
        if body["type"] == "about:blank":
            body["detail"] = str(exc.detail)
        return problem_response(body, dict(exc.headers or {}))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        errors = list(exc.errors())
        bad_json = next((e for e in errors if e.get("type") == "json_invalid"), None)
        if bad_json is not None:
            reason = (bad_json.get("ctx") or {}).get("error", "cannot parse the body")
            return problem_response(problem("malformed-json", str(reason), request.url.path))
        details = error_list(errors)
        first = details[0] if details else {"loc": [], "msg": "invalid"}
        where = ".".join(str(p) for p in first["loc"]) or "body"
        return problem_response(problem("validation", f"{where}: {first['msg']}", request.url.path, errors=details))

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> Response:  # last resort; RequestContext first
        return problem_response(problem("internal", "an unexpected error occurred", request.url.path))


def _add_routes(app: FastAPI, settings: Settings) -> None:
    secured = [Security(api_key_header)]

    @app.post("/v1/classify", response_model=ClassifyResult, dependencies=secured, tags=["classify"],
              responses=_problem_docs(400, 413, 415, 422), summary="Classify one ad")
    async def classify(req: ClassifyRequest, request: Request) -> Response:
        error = too_long(req, settings.max_text_chars)
        if error is not None:
            error["instance"] = request.url.path
            return problem_response(error)
        return _json(classify_request(request.app.state.pipeline, req))

    batch_schema = {"type": "array", "items": {"$ref": "#/components/schemas/ClassifyRequest"}}

    @app.post("/v1/classify/batch", response_model=list[ClassifyResult | BatchError], dependencies=secured,
              tags=["classify"], responses=_problem_docs(400, 413, 415, 422), summary="Classify many ads",
              description="Results come in request order. An invalid item yields `{id, error}` with a problem "
                          "for that item; the rest are still classified. At most `VACTAG_BATCH_LIMIT` items "
                          "(default 1000) and `VACTAG_MAX_BODY_BYTES` bytes (default 1 MB) per request.",
              openapi_extra={"requestBody": {"content": {"application/json": {"schema": batch_schema}}}})
    async def classify_batch(request: Request, items: Annotated[list[Any], Body()]) -> Response:
        if len(items) > settings.batch_limit:
            return problem_response(problem(
                "validation", f"the batch has {len(items)} items; at most {settings.batch_limit} are allowed",
                request.url.path, errors=[{"loc": ["body"], "msg": "too many items", "type": "too_long"}]))
        pipeline = request.app.state.pipeline
        # A big batch takes seconds of CPU: off the event loop, so health checks still answer.
        results = await run_in_threadpool(run_batch, items, API_FIELDS, pipeline, settings.max_text_chars)
        return _json(results)

    ndjson_body = {"schema": {"type": "string", "description": "One ClassifyRequest JSON object per line."}}

    @app.post(STREAM_PATH, dependencies=secured, tags=["classify"],
              summary="Classify a feed as NDJSON, streamed",
              description="Send `application/x-ndjson`: one ad (a `ClassifyRequest` object) per line, any number "
                          "of lines. The answer is NDJSON too: one `ClassifyResult` or `{id, line, error}` per "
                          "non-blank input line, in order, sent as the lines arrive; memory is bounded whatever "
                          "the feed size. Each line may have at most `VACTAG_MAX_BODY_BYTES` bytes (a longer one "
                          "gets an error line and the stream goes on). Read the answer while sending.",
              openapi_extra={"requestBody": {"required": True, "content": {NDJSON_MEDIA_TYPE: ndjson_body}}},
              response_class=Response, responses={200: {
                  "description": "NDJSON: one `ClassifyResult` or `{id, line, error}` object per input line",
                  "content": {NDJSON_MEDIA_TYPE: {"schema": {"type": "string"}}}}, **_problem_docs(401, 415)})
    async def classify_stream(request: Request) -> Response:
        return NDJSONStream(request, request.app.state.pipeline, settings.max_text_chars, settings.max_body_bytes)

    @app.get("/v1/taxonomy", response_model=Taxonomy, dependencies=secured, tags=["meta"],
             summary="Every label with its meaning and hh.ru mapping")
    async def taxonomy() -> Response:
        return _json(load_taxonomy())

    @app.get("/v1/rules", response_model=RuleCatalog, dependencies=secured, tags=["meta"],
             summary="Every rule id with what it votes for and why")
    async def rules(request: Request) -> Response:
        ruleset = request.app.state.pipeline.rules
        return _json({"version": ruleset.version, "rules": {
            r.id: {"field": r.field, "label": r.label, "kind": r.kind, "weight": r.weight, "why": r.why}
            for r in ruleset.rules}})

    @app.get("/", include_in_schema=False)
    async def page() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html; charset=utf-8")

    @app.get("/metrics", dependencies=secured, include_in_schema=False)
    async def prometheus_metrics(request: Request) -> Response:
        metrics.VERSIONS.info({k: str(v) for k, v in request.app.state.pipeline.versions.items()})
        return Response(metrics.render(), media_type=metrics.CONTENT_TYPE)

    @app.get("/v1/version", response_model=VersionInfo, dependencies=secured, tags=["meta"])
    async def version(request: Request) -> Response:
        return _json(request.app.state.pipeline.versions)

    @app.get("/healthz", response_model=Health, tags=["ops"], summary="The process is up")
    async def healthz() -> Response:
        return _json({"status": "ok"})

    @app.get("/readyz", response_model=Health, tags=["ops"], responses=_problem_docs(503),
             summary="The pipeline is loaded")
    async def readyz(request: Request) -> Response:
        if getattr(request.app.state, "pipeline", None) is None:
            return problem_response(problem("not-ready", "the pipeline is still loading", "/readyz"))
        return _json({"status": "ok"})

    if settings.bench_endpoints:
        @app.post("/v1/noop", dependencies=secured, include_in_schema=False)
        async def noop(req: ClassifyRequest) -> Response:
            """bench/ only: the same middlewares, parsing and validation as /v1/classify, no pipeline."""
            return _json({"id": req.id})


def _register_problem_schema(app: FastAPI) -> None:
    """Put Problem into components (it is referenced by every error response)."""
    original = app.openapi

    def openapi() -> dict:
        if app.openapi_schema is None:
            schema = original()
            schema.setdefault("components", {}).setdefault("schemas", {})
            problem_schema = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
            for name, sub in problem_schema.pop("$defs", {}).items():
                schema["components"]["schemas"].setdefault(name, sub)
            schema["components"]["schemas"]["Problem"] = problem_schema
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi
