"""RFC 9457 problem details: one stable ``type`` URI per kind of error.

Clients branch on ``type`` (never on ``title`` or ``detail``, which are for
people), so the URIs here are part of the API contract. No web framework here: the
`vactag tag` workers build problems too and never import one (``api.problem_response``
sends them).
"""
from __future__ import annotations

from typing import Any

from pydantic import ValidationError

PROBLEM_BASE = "https://vactag.dev/problems/"
PROBLEM_MEDIA_TYPE = "application/problem+json"

# kind → (status, title)
KINDS: dict[str, tuple[int, str]] = {
    "bad-request": (400, "Bad request"),
    "malformed-json": (400, "Malformed JSON"),
    "invalid-utf8": (400, "Body is not valid UTF-8"),
    "unauthorized": (401, "Missing or invalid API key"),
    "not-found": (404, "Not found"),
    "method-not-allowed": (405, "Method not allowed"),
    "body-too-large": (413, "Request body too large"),
    "unsupported-media-type": (415, "Unsupported media type"),
    "validation": (422, "Request failed validation"),
    "internal": (500, "Internal server error"),
    "not-ready": (503, "Service not ready"),
}
_BY_STATUS = {status: kind for kind, (status, _) in KINDS.items() if kind not in ("invalid-utf8", "malformed-json")}


def problem(kind: str, detail: str | None = None, instance: str | None = None, **extra: Any) -> dict:
    status, title = KINDS[kind]
    body = {"type": PROBLEM_BASE + kind, "title": title, "status": status, "detail": detail, "instance": instance}
    body.update(extra)
    return body


def problem_for_status(status: int, detail: str | None = None, instance: str | None = None) -> dict:
    """A problem for an HTTP status raised by the framework (404, 405, …)."""
    kind = _BY_STATUS.get(status)
    if kind is not None:
        return problem(kind, detail, instance)
    return {"type": "about:blank", "title": detail or f"HTTP {status}", "status": status, "detail": detail,
            "instance": instance}


def error_list(errors: list[dict]) -> list[dict]:
    """Pydantic errors without the echoed input (it may be a whole ad) or doc URLs."""
    return [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")} for e in errors]


def validation_problem(exc: ValidationError, instance: str | None = None) -> dict:
    errors = error_list(exc.errors(include_url=False, include_input=False))
    first = errors[0] if errors else {"loc": [], "msg": "invalid"}
    where = ".".join(str(p) for p in first["loc"]) or "body"
    return problem("validation", f"{where}: {first['msg']}", instance, errors=errors)
