"""Real server processes for tests that cross process or host boundaries.

These tests start gunicorn serving `pinsite.wsgi` against the test database
that pytest-django created, so data committed by the test (use
`transactional_db`) is visible to the servers and the other way round.
"""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def tests_database_url() -> str:
    """The URL of the database the tests run on (PostgreSQL only)."""
    settings = connection.settings_dict
    assert connection.vendor == "postgresql", "server processes need PostgreSQL"
    user = settings["USER"] or "postgres"
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    host = settings["HOST"] or "127.0.0.1"
    port = settings["PORT"] or 5432
    return f"postgres://{user}{password}@{host}:{port}/{settings['NAME']}"


def _wait_for_port(port: int, process: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn on port {port} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not listen on port {port} within {timeout}s")


def wait_for_lock_waiter(timeout: float = 10) -> int:
    """The pid of the server session waiting on a lock: a request held in flight.

    Asked in autocommit: inside a transaction, pg_stat_activity would keep
    showing its first snapshot.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock'"
            )
            row = cursor.fetchone()
        if row:
            return row[0]
        time.sleep(0.05)
    raise AssertionError("the server's request never waited on the lock")


@dataclass
class GunicornProcess:
    """A running gunicorn: its base URL, its process, and the file holding its
    output (stdout and stderr) when one was asked for."""

    url: str
    process: subprocess.Popen
    output: Path | None

    def read_output(self) -> str:
        return self.output.read_text(errors="replace") if self.output else ""


@contextmanager
def gunicorn_process(
    port: int,
    env: dict[str, str] | None = None,
    *,
    workers: int = 2,
    timeout: float = 30,
    args: Sequence[str] = (),
    log_level: str = "warning",
    output: Path | None = None,
) -> Iterator[GunicornProcess]:
    """Serve the application with gunicorn on 127.0.0.1:`port`.

    gunicorn reads the repository's gunicorn.conf.py; `args` adds command-line
    options, which override it. The server gets the test database and the test
    settings' secret; `env` adds or overrides variables (REDIS_URL, budgets,
    ...). With `output`, its stdout and stderr go to that file. It is stopped
    with SIGTERM, and killed if it has not exited 10 seconds later.
    """
    server_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pinsite.settings",
        "SECRET_KEY": "test-only-secret-key-not-for-production",
        "ALLOWED_HOSTS": "localhost,127.0.0.1",
        "DATABASE_URL": tests_database_url(),
        "DEBUG": "0",
        **(env or {}),
    }
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "pinsite.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--log-level",
        log_level,
        *args,
    ]
    sink = output.open("ab") if output else None
    process = subprocess.Popen(command, cwd=ROOT, env=server_env, stdout=sink, stderr=sink)
    try:
        _wait_for_port(port, process, timeout)
        yield GunicornProcess(f"http://127.0.0.1:{port}", process, output)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if sink:
            sink.close()


@contextmanager
def gunicorn_server(
    port: int,
    env: dict[str, str] | None = None,
    *,
    workers: int = 2,
    timeout: float = 30,
    args: Sequence[str] = (),
    log_level: str = "warning",
) -> Iterator[str]:
    """Like `gunicorn_process`, yielding only the base URL."""
    with gunicorn_process(
        port, env, workers=workers, timeout=timeout, args=args, log_level=log_level
    ) as server:
        yield server.url
