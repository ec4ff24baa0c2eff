"""No API key, Authorization header, password or session cookie ever reaches a
log line.

Each test drives the same session (good and bad keys, credentials under the
wrong scheme, a sign-in with a wrong then a right password, requests over the
session with and without the CSRF token, 4xx, 500 and 503 answers) while every
logger writes at DEBUG, then searches everything written for the secrets it
used. In process, with the service's own logging configuration; then through
gunicorn (production: JSON, access log included) and the development server
(readable lines).
"""

import base64
import http.client
import io
import logging
import logging.config
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.test import Client

from members.services import api_key_create, member_create, organization_create
from pins import views
from pinsite.logs import logging_config
from projects.services import project_create
from tests.servers import ROOT, gunicorn_process
from tests.servers import tests_database_url as served_database_url

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="server processes need PostgreSQL"
)
PASSWORD = "correct-horse-battery-2026"
WRONG_PASSWORD = "wrong-horse-battery-2026"


class Caller:
    """What the session needs from a client: send a request, read a cookie."""

    def send(
        self, method: str, path: str, headers: dict[str, str] | None = None, body: str = ""
    ) -> tuple[int, str]:
        raise NotImplementedError

    def cookie(self, name: str) -> str:
        raise NotImplementedError


class DjangoCaller(Caller):
    def __init__(self) -> None:
        self.client = Client(enforce_csrf_checks=True, raise_request_exception=False)

    def send(self, method, path, headers=None, body=""):
        headers = dict(headers or {})
        content_type = headers.pop("Content-Type", "application/octet-stream")
        response = self.client.generic(method, path, body, content_type, headers=headers)
        return response.status_code, response.content.decode(errors="replace")

    def cookie(self, name):
        return self.client.cookies[name].value


class HttpCaller(Caller):
    """A client of a real server that keeps cookies, Secure ones included
    (the test servers speak plain HTTP), and never follows redirects."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.host, self.port = parts.hostname, parts.port
        self.cookies: dict[str, str] = {}

    def send(self, method, path, headers=None, body=""):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn = http.client.HTTPConnection(self.host, self.port, timeout=15)
        try:
            conn.request(method, path, body=body.encode() or None, headers=headers)
            response = conn.getresponse()
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return response.status, response.read().decode(errors="replace")
        finally:
            conn.close()

    def cookie(self, name):
        return self.cookies[name]


def drive(caller: Caller, key: str, cause_500: Callable[[], None], email: str) -> list[str]:
    """The session; returns every secret it sent or received."""
    bad_key = "mvp_" + secrets.token_urlsafe(32)
    basic = base64.b64encode(f"{email}:{PASSWORD}".encode()).decode()
    json_type = {"Content-Type": "application/json"}
    auth = {"Authorization": f"Bearer {key}"}
    pin_body = '{"projectId": "secret-project-1"}'

    statuses = [
        caller.send("GET", "/v1/pinned", auth)[0],
        caller.send("POST", "/v1/pinned", {**auth, **json_type}, pin_body)[0],
        caller.send("POST", "/v1/pinned", {**auth, **json_type}, pin_body)[0],
        caller.send("GET", "/v1/pinned/secret-project-1", auth)[0],
        caller.send("POST", "/v1/pinned", {**auth, **json_type}, '{"projectId": "ABC"}')[0],
        caller.send("POST", "/v1/pinned", {**auth, **json_type}, "{not json")[0],
        caller.send("PUT", "/v1/pinned", {**auth, **json_type}, "{}")[0],
        caller.send("GET", "/v1/unknown", auth)[0],
        caller.send("DELETE", "/v1/pinned/secret-project-1", auth)[0],
        caller.send("DELETE", "/v1/pinned/secret-project-1", auth)[0],
        # Credentials that are refused: unknown, malformed, the right key
        # under the wrong scheme, a password in Basic authentication.
        caller.send("GET", "/v1/pinned", {"Authorization": f"Bearer {bad_key}"})[0],
        caller.send("GET", "/v1/pinned", {"Authorization": f"Bearer {key} {key}"})[0],
        caller.send("GET", "/v1/pinned", {"Authorization": f"Token {key}"})[0],
        caller.send("GET", "/v1/pinned", {"Authorization": f"Basic {basic}"})[0],
    ]
    assert statuses == [200, 201, 200, 200, 400, 400, 405, 404, 204, 404, 401, 401, 401, 401]

    # Sign in: a wrong password, then the right one.
    caller.send("GET", "/api-auth/login/")
    csrf = caller.cookie("csrftoken")
    form = {"Content-Type": "application/x-www-form-urlencoded", "X-CSRFToken": csrf}

    def sign_in(password: str) -> int:
        body = urlencode({"username": email, "password": password, "next": "/v1/pinned"})
        return caller.send("POST", "/api-auth/login/", form, body)[0]

    assert sign_in(WRONG_PASSWORD) == 200
    assert sign_in(PASSWORD) == 302
    session = caller.cookie("sessionid")
    csrf = caller.cookie("csrftoken")
    assert caller.send("GET", "/v1/pinned")[0] == 200
    assert caller.send("POST", "/v1/pinned", json_type, pin_body)[0] == 403
    with_token = {**json_type, "X-CSRFToken": csrf}
    assert caller.send("POST", "/v1/pinned", with_token, pin_body)[0] == 201
    assert caller.send("GET", "/admin/")[0] == 302

    cause_500()
    body = '{"projectId": "secret-project-2"}'
    assert caller.send("POST", "/v1/pinned", {**auth, **json_type}, body)[0] == 500
    assert caller.send("POST", "/v1/pinned", with_token, body)[0] == 500

    return [key, key[12:], bad_key, basic, PASSWORD, WRONG_PASSWORD, session, csrf]


@pytest.fixture
def account(transactional_db):
    organization = organization_create(slug="secrets")
    member = member_create(email="ada@secrets.test", organization=organization, password=PASSWORD)
    for project_id in ("secret-project-1", "secret-project-2"):
        project_create(project_id=project_id, organization=organization)
    _, key = api_key_create(member=member)
    return member, key


def _assert_no_secret_in(output: str, used: list[str]) -> None:
    for secret in used:
        assert secret not in output, f"a secret reached the log: {secret[:6]}..."


@pytest.fixture
def everything_logged_at_debug() -> Iterator[io.StringIO]:
    """The service's logging configuration at DEBUG, in JSON, into a buffer,
    with SQL statements passed to the logging system as with DEBUG on."""
    stream = io.StringIO()
    config = logging_config(log_format="json", level="DEBUG")
    config["handlers"]["console"]["stream"] = stream
    logging.config.dictConfig(config)
    connection.force_debug_cursor = True
    yield stream
    connection.force_debug_cursor = False
    logging.config.dictConfig(settings.LOGGING)


def test_no_secret_reaches_the_log_in_process(account, everything_logged_at_debug, monkeypatch):
    member, key = account

    def cause_500() -> None:
        def explode(**kwargs):
            raise RuntimeError("the pins table caught fire")

        monkeypatch.setattr(views, "pin_create", explode)

    used = drive(DjangoCaller(), key, cause_500, member.email)

    def unavailable(**kwargs):
        raise OperationalError("connection to the database was lost")

    monkeypatch.setattr(views, "pin_list_for_member", unavailable)
    caller = DjangoCaller()
    assert caller.send("GET", "/v1/pinned", {"Authorization": f"Bearer {key}"})[0] == 503

    output = everything_logged_at_debug.getvalue()
    _assert_no_secret_in(output, used)
    # The log did record the session: refusals, writes, failures, request ids.
    for expected in (
        "API key refused: unknown",
        "Sign-in refused: wrong email or password",
        f"Member signed in: member={member.pk}",
        "Pin created: member=",
        "Pin removed: member=",
        "Unauthorized: /v1/pinned",
        "Forbidden: /v1/pinned",
        "Unhandled exception while serving POST /v1/pinned",
        "Database unavailable: OperationalError",
        '"request_id": ',
        '"level": "DEBUG"',
    ):
        assert expected in output


def _fail_inserts() -> None:
    """From now on, inserting a pin fails inside PostgreSQL: an unexpected
    error for the server processes, answered 500."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE OR REPLACE FUNCTION tests_refuse_pins() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'pins are refused'; END $$"
        )
        cursor.execute(
            "CREATE TRIGGER tests_refuse_pins BEFORE INSERT ON pins_pin "
            "FOR EACH ROW EXECUTE FUNCTION tests_refuse_pins()"
        )


@pytest.fixture
def refused_pins_cleanup():
    yield
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER IF EXISTS tests_refuse_pins ON pins_pin")
        cursor.execute("DROP FUNCTION IF EXISTS tests_refuse_pins()")


@needs_postgres
def test_no_secret_reaches_the_gunicorn_output(account, refused_pins_cleanup, tmp_path):
    member, key = account
    output = tmp_path / "gunicorn.log"
    env = {"LOG_FORMAT": "json", "LOG_LEVEL": "DEBUG", "STATIC_ROOT": str(tmp_path)}

    with gunicorn_process(18609, env, log_level="debug", output=output) as server:
        used = drive(HttpCaller(server.url), key, _fail_inserts, member.email)
        query = f"/v1/pinned?api_key={key}"
        assert HttpCaller(server.url).send("GET", query)[0] == 401

    text = server.read_output()
    _assert_no_secret_in(text, used)
    assert '"logger": "gunicorn.access"' in text
    assert "API key refused: unknown" in text
    assert "Unhandled exception while serving POST /v1/pinned" in text


@contextmanager
def _development_server(port: int, output: Path) -> Iterator[str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pinsite.settings",
        "DEBUG": "1",
        "SECRET_KEY": "test-only-secret-key-not-for-production",
        "DATABASE_URL": served_database_url(),
        "LOG_FORMAT": "plain",
        "LOG_LEVEL": "DEBUG",
    }
    command = [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"]
    with output.open("ab") as sink:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=sink, stderr=sink)
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, output.read_text()
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "the development server did not start"
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@needs_postgres
def test_no_secret_reaches_the_development_server_output(account, refused_pins_cleanup, tmp_path):
    """DEBUG on: SQL statements reach the logging system here, and must stop there."""
    member, key = account
    output = tmp_path / "runserver.log"

    with _development_server(18610, output) as url:
        used = drive(HttpCaller(url), key, _fail_inserts, member.email)

    text = output.read_text(errors="replace")
    _assert_no_secret_in(text, used)
    assert re.search(r'django\.server \[\w+\] "GET /v1/pinned HTTP/1\.1" 200', text)
    assert "API key refused: unknown" in text
