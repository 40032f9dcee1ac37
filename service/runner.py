"""Classify one request item: the part the batch endpoint and `vactag tag` share.

A bad item becomes ``{"id": ..., "error": <problem>}`` instead of an exception,
so one broken ad never sinks a batch or a file.
"""
from __future__ import annotations

import logging
from typing import Any

from pydantic import ValidationError

from . import metrics
from .pipeline import Pipeline
from .problems import problem, validation_problem
from .schemas import ClassifyRequest

log = logging.getLogger("vactag.runner")
REQUEST_FIELDS = tuple(ClassifyRequest.model_fields)


def too_long(req: ClassifyRequest, max_chars: int) -> dict | None:
    """A 422 problem when the description exceeds the configured limit, else None."""
    if len(req.description) <= max_chars:
        return None
    msg = f"String should have at most {max_chars} characters"
    return problem("validation", f"description: {msg}",
                   errors=[{"loc": ["description"], "msg": msg, "type": "string_too_long"}])


def classify_request(pipeline: Pipeline, req: ClassifyRequest) -> dict:
    result = pipeline.classify(req.title, req.description, id=req.id, fmt=req.format)
    metrics.observe_result(result)
    return result


def id_of(raw: Any) -> str | None:
    value = raw.get("id") if isinstance(raw, dict) else None
    return value if isinstance(value, str) else None


def classify_raw(pipeline: Pipeline, raw: Any, max_chars: int, ignore_extra: bool = False) -> dict:
    """The result for one decoded JSON item, or an error object for it."""
    if ignore_extra and isinstance(raw, dict):
        raw = {k: raw[k] for k in REQUEST_FIELDS if k in raw}
    try:
        req = ClassifyRequest.model_validate(raw)
    except ValidationError as exc:
        return {"id": id_of(raw), "error": validation_problem(exc)}
    error = too_long(req, max_chars)
    if error is not None:
        return {"id": req.id, "error": error}
    try:
        return classify_request(pipeline, req)
    except Exception:  # one item's crash must not sink the others; logged without the ad text
        log.exception("pipeline failed on item", extra={"fields": {"item_id": req.id}})
        return {"id": req.id, "error": problem("internal", "the classifier failed on this item")}
