"""Structured logs (one JSON object per line) without personal data.

Log calls pass only non-personal fields through ``extra`` (source, event,
counts, route templates, credential or deferred ids); never a BSN, name, IP
address, token, code or offer id. :class:`JsonFormatter` writes the message as
``event`` plus those fields.
"""

from __future__ import annotations

import json
import logging
import logging.config
from datetime import UTC, datetime
from typing import Any

__all__ = ["LOGGING_CONFIG", "JsonFormatter", "configure_logging"]

_STANDARD = frozenset(vars(logging.makeLogRecord({})).keys()) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """Formats a record as ``{"time", "level", "logger", "event", ...extra fields}``."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "level": record.levelname,
            "logger": record.name,
            "event": record.getMessage(),
        }
        for name, value in vars(record).items():
            if name not in _STANDARD and not name.startswith("_"):
                entry[name] = value
        if record.exc_info and record.exc_info[0] is not None:
            entry["error"] = record.exc_info[0].__name__
        return json.dumps(entry, default=str)


LOGGING_CONFIG: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": JsonFormatter}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json"}},
    "loggers": {
        "vc_issuer": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "uvicorn": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
    },
}
"""A ``logging.config.dictConfig`` set-up: ``vc_issuer`` at INFO and uvicorn at WARNING, as JSON."""


def configure_logging() -> None:
    """Apply :data:`LOGGING_CONFIG` in this process."""
    logging.config.dictConfig(LOGGING_CONFIG)
