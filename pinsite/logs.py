"""The service's log output: JSON lines in production, readable lines in development.

`logging_config` builds the one configuration that the settings install
(`LOGGING`); the gunicorn logger reuses its formatters, so that the access log,
gunicorn's own messages and the application's share a format. Besides the
message, a JSON line carries the fields a record was given through `extra`
when they are plain values (strings, numbers, booleans); objects, such as the
request Django attaches to its records, never reach the output, and with them
no header, cookie or body.
"""

import json
import logging
import logging.config
import os
from datetime import UTC, datetime

from django.core.exceptions import ImproperlyConfigured

from pinsite.env import env_bool
from pinsite.health import PROBE_PATHS

LOG_FORMATS = ("json", "plain")

# What every record has; any other attribute came through `extra`.
_RECORD_ATTRIBUTES = frozenset(
    [*vars(logging.LogRecord("", 0, "", 0, "", None, None)), "message", "asctime", "request_id"]
)
_PLAIN_VALUES = (str, int, float, bool)


def log_format_from_env() -> str:
    """LOG_FORMAT, `json` or `plain`; by default `plain` when DEBUG is on, else `json`."""
    debug = env_bool("DEBUG", default=False)
    value = os.environ.get("LOG_FORMAT", "").strip().lower() or ("plain" if debug else "json")
    if value not in LOG_FORMATS:
        raise ImproperlyConfigured(f"LOG_FORMAT must be json or plain, not {value!r}")
    return value


def _utc_timestamp(created: float) -> str:
    moment = datetime.fromtimestamp(created, UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class JSONFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id, the
    record's plain `extra` fields, and the traceback when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": _utc_timestamp(record.created),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None)
        if request_id is not None:
            entry["request_id"] = request_id
        for name, value in vars(record).items():
            if name not in _RECORD_ATTRIBUTES and isinstance(value, _PLAIN_VALUES):
                entry.setdefault(name, value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class PlainFormatter(logging.Formatter):
    """`time LEVEL logger [request id] message`, then the traceback if any."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        if getattr(record, "request_id", None) is None:
            record.request_id = "-"
        return super().format(record)


class QuietProbesFilter(logging.Filter):
    """Puts the development server's lines for successful probes at DEBUG, as
    gunicorn's access log does, so that a probe every second stays quiet."""

    def filter(self, record: logging.LogRecord) -> bool:
        request_line = str(record.args[0]) if record.args else ""
        parts = request_line.split()
        path = parts[1].partition("?")[0] if len(parts) > 1 else ""
        if path not in PROBE_PATHS or getattr(record, "status_code", 500) >= 400:
            return True
        record.levelno, record.levelname = logging.DEBUG, "DEBUG"
        return logging.getLogger(record.name).isEnabledFor(logging.DEBUG)


def formatter_for(log_format: str) -> logging.Formatter:
    return JSONFormatter() if log_format == "json" else PlainFormatter()


def configure(config: dict) -> None:
    """LOGGING_CONFIG: install `config`, and route Python's warnings through it,
    so that they come out in the same format instead of as raw stderr text."""
    logging.config.dictConfig(config)
    logging.captureWarnings(True)


def logging_config(*, log_format: str, level: str) -> dict:
    """The `LOGGING` dictionary: every logger writes to stderr in `log_format`."""
    if log_format not in LOG_FORMATS:
        raise ImproperlyConfigured(f"LOG_FORMAT must be json or plain, not {log_format!r}")
    level = level.upper()
    levels = logging.getLevelNamesMapping()
    if level not in levels:
        raise ImproperlyConfigured(f"LOG_LEVEL must be a logging level name, not {level!r}")
    # Never below INFO, whatever LOG_LEVEL says (see below).
    sql_level = logging.getLevelName(max(levels[level], logging.INFO))
    handler = {"handlers": ["console"], "level": level, "propagate": False}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {"()": "pinsite.request_id.RequestIdFilter"},
            "quiet_probes": {"()": "pinsite.logs.QuietProbesFilter"},
        },
        "formatters": {
            "json": {"()": "pinsite.logs.JSONFormatter"},
            "plain": {"()": "pinsite.logs.PlainFormatter"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": log_format,
                "filters": ["request_id"],
            },
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django": handler,
            # The development server's request lines, in the same format.
            "django.server": {**handler, "filters": ["quiet_probes"]},
            # Django logs each SQL statement with its parameters at DEBUG, and
            # those parameters include session keys: SQL is never logged.
            "django.db.backends": {"level": sql_level},
        },
    }
