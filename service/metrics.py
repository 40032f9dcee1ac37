"""Prometheus metrics (prometheus-client): request counts and latency per route, labels returned.

Per process: with several uvicorn workers each worker counts its own requests, and a scrape reaches
whichever worker accepts it; run one worker per container, or scrape each, when totals matter.
"""
from __future__ import annotations

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, Info, generate_latest

REGISTRY = CollectorRegistry()
REQUESTS = Counter("vactag_http_requests", "HTTP requests by route and status", ["method", "route", "status"],
                   registry=REGISTRY)
LATENCY = Histogram("vactag_http_request_seconds", "HTTP request latency by route", ["route"], registry=REGISTRY,
                    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10))
LABELS = Counter("vactag_labels", "Labels returned by field and label", ["field", "label"], registry=REGISTRY)
VERSIONS = Info("vactag_versions", "Service, rules and model versions", registry=REGISTRY)
CONTENT_TYPE = CONTENT_TYPE_LATEST
_FIELDS = ("support_type", "seniority", "work_format")


def observe_request(method: str, route: str, status: int, seconds: float) -> None:
    REQUESTS.labels(method, route, str(status)).inc()
    LATENCY.labels(route).observe(seconds)


_LABEL_CHILDREN: dict[tuple[str, str], Counter] = {}  # labels() takes a lock and builds a key on every call


def observe_result(result: dict) -> None:
    for field in _FIELDS:
        block = result.get(field)
        if isinstance(block, dict) and (label := block.get("label")):
            child = _LABEL_CHILDREN.get((field, label))
            if child is None:
                child = _LABEL_CHILDREN.setdefault((field, label), LABELS.labels(field, label))
            child.inc()


def render() -> bytes:
    return generate_latest(REGISTRY)
