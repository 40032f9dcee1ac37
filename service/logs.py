"""Structured JSON logs with stdlib logging (no extra dependency).

One JSON object per line; the current request id is added to every record
logged while a request is handled. Ad text is never logged at INFO.
"""
from __future__ import annotations

import json
import logging
import logging.config
from contextvars import ContextVar

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out = {"ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"), "level": record.levelname,
               "logger": record.name, "msg": record.getMessage()}
        rid = request_id_var.get()
        if rid is not None:
            out["request_id"] = rid
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            out.update(fields)
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False, default=str)


def logging_config(level: str = "INFO") -> dict:
    """A dictConfig for our loggers and uvicorn's (uvicorn takes it as ``log_config``)."""
    handler = {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}
    loggers = {name: {"handlers": ["json"], "level": level, "propagate": False}
               for name in ("vactag", "uvicorn", "uvicorn.error", "uvicorn.access")}
    return {"version": 1, "disable_existing_loggers": False,
            "formatters": {"json": {"()": JsonFormatter}}, "handlers": {"json": handler}, "loggers": loggers}


def configure_logging(level: str = "INFO") -> None:
    """Set up JSON logging unless something (uvicorn via ``log_config``) already did."""
    logger = logging.getLogger("vactag")
    if not logger.handlers:
        logging.config.dictConfig(logging_config(level))
    logger.setLevel(level)
