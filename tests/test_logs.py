"""The log format: JSON lines or readable lines, and gunicorn's access log."""

import io
import json
import logging
import sys
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.exceptions import ImproperlyConfigured
from gunicorn.config import Config

from pinsite.gunicorn_logging import GunicornLogger
from pinsite.logs import (
    JSONFormatter,
    PlainFormatter,
    QuietProbesFilter,
    log_format_from_env,
    logging_config,
)


def _record(message: str = "Pin created: member=%s", args: tuple = (7,), **attrs: object):
    record = logging.LogRecord("pins.services", logging.INFO, __file__, 1, message, args, None)
    record.created = 1796320596.123456
    for name, value in attrs.items():
        setattr(record, name, value)
    return record


def test_json_line_has_time_level_logger_message_and_request_id():
    line = JSONFormatter().format(_record(request_id="req-1"))

    assert json.loads(line) == {
        "time": "2026-12-03T17:56:36.123Z",
        "level": "INFO",
        "logger": "pins.services",
        "message": "Pin created: member=7",
        "request_id": "req-1",
    }


def test_json_line_carries_plain_extra_fields_and_no_objects():
    """Django attaches the request to its records: it must not reach the output."""
    request = SimpleNamespace(META={"HTTP_AUTHORIZATION": "Bearer mvp_secret"})
    record = _record(status_code=401, scope="read", limited=True, request=request)

    line = JSONFormatter().format(record)

    entry = json.loads(line)
    assert (entry["status_code"], entry["scope"], entry["limited"]) == (401, "read", True)
    assert "request" not in entry
    assert "mvp_secret" not in line


def test_json_line_carries_the_traceback():
    try:
        raise ValueError("broken")
    except ValueError:
        record = _record(exc_info=sys.exc_info())

    entry = json.loads(JSONFormatter().format(record))
    assert entry["exception"].startswith("Traceback (most recent call last):")
    assert entry["exception"].endswith("ValueError: broken")


def test_json_line_is_one_line_whatever_the_message():
    line = JSONFormatter().format(_record('line one\nline "two"', ()))

    assert "\n" not in line
    assert json.loads(line)["message"] == 'line one\nline "two"'


def test_plain_line_is_readable():
    line = PlainFormatter().format(_record(request_id="req-1"))

    assert line.endswith(" INFO pins.services [req-1] Pin created: member=7")


def test_plain_line_without_a_request_shows_a_dash():
    assert " [-] " in PlainFormatter().format(_record())


@pytest.mark.parametrize(
    ("debug", "log_format", "expected"),
    [("0", "", "json"), ("1", "", "plain"), ("1", "json", "json"), ("0", "PLAIN", "plain")],
)
def test_log_format_defaults_to_json_unless_debug(monkeypatch, debug, log_format, expected):
    monkeypatch.setenv("DEBUG", debug)
    monkeypatch.setenv("LOG_FORMAT", log_format)

    assert log_format_from_env() == expected


def test_unknown_log_format_is_refused(monkeypatch):
    monkeypatch.setenv("LOG_FORMAT", "xml")

    with pytest.raises(ImproperlyConfigured, match="LOG_FORMAT must be json or plain"):
        log_format_from_env()


def test_unknown_log_level_is_refused():
    with pytest.raises(ImproperlyConfigured, match="LOG_LEVEL"):
        logging_config(log_format="json", level="LOUD")


@pytest.mark.parametrize("level", ["DEBUG", "INFO", "WARNING"])
def test_sql_is_never_logged_whatever_the_level(level):
    """SQL parameters include session keys."""
    config = logging_config(log_format="json", level=level)

    sql_level = logging.getLevelName(config["loggers"]["django.db.backends"]["level"])
    assert sql_level >= max(logging.INFO, logging.getLevelName(level))


# gunicorn's access log


@pytest.fixture
def access_log(monkeypatch):
    """A GunicornLogger writing its access log to a buffer; returns (logger, lines)."""
    monkeypatch.setenv("LOG_FORMAT", "json")
    stream = io.StringIO()
    monkeypatch.setattr(sys, "stdout", stream)
    config = Config()
    config.set("accesslog", "-")
    logger = GunicornLogger(config)
    yield logger, lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    for handler in list(logger.access_log.handlers) + list(logger.error_log.handlers):
        handler.close()


def _access(logger, path="/v1/pinned", status="200 OK", **environ):
    response = SimpleNamespace(
        status=status,
        sent=57,
        headers=[("Content-Type", "application/json"), ("X-Request-ID", "rid")],
    )
    base = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "REMOTE_ADDR": "10.0.0.9",
        "HTTP_USER_AGENT": "curl/8",
        "RAW_URI": path,
        "SERVER_PROTOCOL": "HTTP/1.1",
    }
    logger.access(
        response, SimpleNamespace(headers=[]), {**base, **environ}, timedelta(milliseconds=4.25)
    )


def test_access_line_is_json_with_the_request_fields(access_log):
    logger, lines = access_log

    _access(logger)

    [line] = lines()
    assert line["time"].endswith("Z")
    del line["time"]
    assert line == {
        "level": "INFO",
        "logger": "gunicorn.access",
        "message": "GET /v1/pinned 200",
        "request_id": "rid",
        "method": "GET",
        "path": "/v1/pinned",
        "status": 200,
        "bytes": 57,
        "duration_ms": 4.2,
        "remote_addr": "10.0.0.9",
        "user_agent": "curl/8",
    }


def test_access_line_has_no_credentials_cookies_or_query_string(access_log):
    logger, lines = access_log

    _access(
        logger,
        HTTP_AUTHORIZATION="Basic YWRhOnMzY3JldA==",
        HTTP_COOKIE="sessionid=s3ssion",
        QUERY_STRING="key=mvp_inquery",
        RAW_URI="/v1/pinned?key=mvp_inquery",
    )

    [line] = lines()
    text = json.dumps(line)
    for secret in ("YWRhOnMzY3JldA", "ada", "s3ssion", "mvp_inquery"):
        assert secret not in text


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_successful_probes_stay_out_of_the_access_log(access_log, path):
    logger, lines = access_log

    _access(logger, path=path)

    assert lines() == []


def test_failing_probes_are_in_the_access_log(access_log):
    logger, lines = access_log

    _access(logger, path="/readyz", status="503 Service Unavailable")

    assert [line["status"] for line in lines()] == [503]


def _server_line(path: str, status: int) -> logging.LogRecord:
    record = logging.LogRecord(
        "django.server",
        logging.INFO,
        __file__,
        1,
        '"%s" %s %s',
        (f"GET {path} HTTP/1.1", status, 9),
        None,
    )
    record.status_code = status
    return record


@pytest.mark.parametrize(
    ("path", "status", "kept"),
    [
        ("/healthz", 200, False),
        ("/readyz?x=1", 200, False),
        ("/readyz", 503, True),
        ("/v1/pinned", 200, True),
    ],
)
def test_development_server_keeps_successful_probes_out_of_info(path, status, kept):
    assert QuietProbesFilter().filter(_server_line(path, status)) is kept
