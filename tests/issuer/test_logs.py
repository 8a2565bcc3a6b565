"""The issuer's JSON log lines: their time stamps, and a server process's set-up."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from datetime import UTC, datetime

import pytest

from vc_issuer.logs import JsonFormatter


@pytest.mark.parametrize(
    "created",
    [
        0.0,
        1765141527.0,
        1765141527.9999996,  # rounds up into the next second
        1765141527.0000004,
        1765141527.123456,
        1765141528.5,
        1765141527.9831746,
    ],
)
def test_time_is_utc_to_the_microsecond(created: float) -> None:
    """As ``datetime`` writes it, also when the microseconds round into the next second,
    and after a record of another second (the second's text is reused within a second)."""
    formatter = JsonFormatter()
    record = logging.makeLogRecord({"msg": "event", "created": created})
    expected = datetime.fromtimestamp(created, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    for earlier in (created - 1, created - 0.3, created):
        formatter.format(logging.makeLogRecord({"msg": "event", "created": earlier}))
        assert json.loads(formatter.format(record))["time"] == expected


_SERVER_PROCESS = """
import logging, logging.config
from vc_issuer.logs import LOGGING_CONFIG
logging.config.dictConfig(LOGGING_CONFIG)
logging.getLogger("vc_issuer.web").info("request", extra={"route": "/{source}/token", "ms": 1.5})
logging.getLogger("vc_issuer.web").debug("not at INFO")
logging.getLogger("uvicorn.error").info("not below WARNING")
print(logging._srcfile, logging.logThreads, logging.logProcesses, logging.logMultiprocessing)
"""


def test_a_server_process_writes_one_json_object_per_record() -> None:
    """Through LOGGING_CONFIG: ``event`` and the extra fields, on stderr; and logging
    no longer looks up callers, threads or processes the lines never show."""
    done = subprocess.run(
        [sys.executable, "-c", _SERVER_PROCESS], capture_output=True, text=True, check=True
    )
    (line,) = done.stderr.splitlines()
    entry = json.loads(line)
    assert {k: entry[k] for k in ("level", "logger", "event", "route", "ms")} == {
        "level": "INFO",
        "logger": "vc_issuer.web",
        "event": "request",
        "route": "/{source}/token",
        "ms": 1.5,
    }
    assert done.stdout.split() == ["None", "False", "False", "False"]
