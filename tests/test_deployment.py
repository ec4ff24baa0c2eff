"""The deployment files: the image's entry point (run for real), the Dockerfile
and the compose file."""

import os
import re
import runpy
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.servers import ROOT

ENTRYPOINT = ROOT / "docker" / "entrypoint.sh"
REQUIRE_SERVICES = os.environ.get("PINS_REQUIRE_SERVICES") == "1"


def _entrypoint(tmp_path: Path, *command: str, **env: str) -> subprocess.Popen:
    """The entry point with a fake container environment: SQLite and a static
    directory in `tmp_path`, the test's Python as `python`."""
    full_env = {
        "PATH": os.environ["PATH"],
        "PYTHON": sys.executable,
        "DJANGO_SETTINGS_MODULE": "pinsite.settings",
        "SECRET_KEY": "test-only-secret-key-not-for-production",
        "ALLOWED_HOSTS": "pins.example.com",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "static"),
        **env,
    }
    return subprocess.Popen(
        [str(ENTRYPOINT), *command],
        cwd=ROOT,
        env=full_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _tables(database: Path) -> set[str]:
    with sqlite3.connect(database) as db:
        rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    return {name for (name,) in rows}


def test_entrypoint_migrates_collects_static_and_becomes_its_command(tmp_path):
    process = _entrypoint(tmp_path, "sh", "-c", 'echo "pid $$"')
    stdout, stderr = process.communicate(timeout=120)

    assert process.returncode == 0, stderr
    assert {"pins_pin", "members_apikey", "django_migrations"} <= _tables(tmp_path / "db.sqlite3")
    assert (tmp_path / "static" / "admin" / "css" / "base.css").is_file()
    assert (tmp_path / "static" / "drf_spectacular_sidecar" / "swagger-ui-dist").is_dir()
    # exec: the command runs as the entry point's own process, so that it
    # receives the container's signals (SIGTERM on stop) directly.
    assert stdout.splitlines()[-1] == f"pid {process.pid}"


def test_entrypoint_skips_migrations_when_told(tmp_path):
    process = _entrypoint(tmp_path, "true", RUN_MIGRATIONS="0")
    _, stderr = process.communicate(timeout=120)

    assert process.returncode == 0, stderr
    assert "pins_pin" not in _tables(tmp_path / "db.sqlite3")
    assert (tmp_path / "static" / "admin").is_dir()


def test_entrypoint_stops_before_the_command_when_migrations_fail(tmp_path):
    unreachable = "postgres://postgres@127.0.0.1:18649/nothing"
    process = _entrypoint(tmp_path, "sh", "-c", "echo started", DATABASE_URL=unreachable)
    stdout, _ = process.communicate(timeout=120)

    assert process.returncode != 0
    assert "started" not in stdout


# The Dockerfile


def _dockerfile() -> list[tuple[str, str]]:
    lines = (ROOT / "Dockerfile").read_text().replace("\\\n", " ").splitlines()
    return [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1].strip())
        for line in lines
        if line.strip() and not line.lstrip().startswith("#")
    ]


def test_image_is_slim_python_311():
    assert _dockerfile()[0] == ("FROM", "python:3.11-slim")


def test_dependencies_are_installed_in_a_layer_before_the_code():
    steps = _dockerfile()
    copy_requirements = steps.index(("COPY", "requirements.txt ."))
    install = next(i for i, (op, arg) in enumerate(steps) if "pip install" in arg)
    copy_code = steps.index(("COPY", ". ."))

    assert copy_requirements < install < copy_code


def test_image_runs_as_a_non_root_user_through_the_entrypoint():
    steps = _dockerfile()
    users = [arg for op, arg in steps if op == "USER"]
    entry = steps.index(("ENTRYPOINT", '["docker/entrypoint.sh"]'))

    assert users and users[-1] not in ("root", "0")
    assert steps.index(("USER", users[-1])) < entry
    assert steps[-1][0] == "CMD" and "gunicorn.conf.py" in steps[-1][1]


# The compose file


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_runs_postgresql_16_redis_7_and_the_web_image(compose):
    services = compose["services"]

    assert services["db"]["image"] == "postgres:16"
    assert services["redis"]["image"] == "redis:7"
    assert services["web"]["build"] == "."
    assert services["web"]["env_file"] == ".env"


def test_compose_keeps_the_database_in_a_named_volume(compose):
    assert "pgdata" in compose["volumes"]
    assert "pgdata:/var/lib/postgresql/data" in compose["services"]["db"]["volumes"]


def test_compose_migrates_once_before_the_web_starts(compose):
    services = compose["services"]

    assert services["migrate"]["entrypoint"] == ["python", "manage.py", "migrate", "--noinput"]
    assert services["web"]["depends_on"] == {
        "migrate": {"condition": "service_completed_successfully"},
        "db": {"condition": "service_healthy"},
        "redis": {"condition": "service_healthy"},
    }
    assert services["web"]["environment"]["RUN_MIGRATIONS"] == "0"


def test_compose_health_checks_use_readyz(compose):
    services = compose["services"]

    assert "http://127.0.0.1:8000/readyz" in " ".join(services["web"]["healthcheck"]["test"])
    assert "pg_isready" in " ".join(services["db"]["healthcheck"]["test"])
    assert services["redis"]["healthcheck"]["test"] == ["CMD", "redis-cli", "ping"]


def test_compose_commits_no_secret():
    text = (ROOT / "docker-compose.yml").read_text()
    example = dict(
        line.split("=", 1)
        for line in (ROOT / ".env.example").read_text().splitlines()
        if line and not line.startswith("#")
    )

    assert re.findall(r"(?m)POSTGRES_PASSWORD: (.+)$", text) == [
        "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}"
    ]
    assert example["SECRET_KEY"] == ""
    assert example["POSTGRES_PASSWORD"] == ""
    assert "/.env" in (ROOT / ".gitignore").read_text().splitlines()


def test_compose_file_is_valid_for_docker_compose(tmp_path):
    """`docker-compose config` validates against the compose format's schema."""
    binary = shutil.which("docker-compose")
    if binary is None:
        if REQUIRE_SERVICES:
            pytest.fail("docker-compose is required here (.ci/run installs it)")
        pytest.skip("docker-compose is not installed")
    shutil.copy(ROOT / "docker-compose.yml", tmp_path)
    env_file = (ROOT / ".env.example").read_text()
    env_file = re.sub(r"(?m)^(SECRET_KEY|POSTGRES_PASSWORD)=$", r"\1=throwaway", env_file)
    (tmp_path / ".env").write_text(env_file)

    result = subprocess.run(
        [binary, "config", "-q"], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )

    assert result.returncode == 0, result.stderr


def _gunicorn_settings(monkeypatch, **env: str) -> dict:
    names = ("GUNICORN_BIND", "PORT", "WEB_CONCURRENCY", "GUNICORN_THREADS")
    for name in (*names, "GUNICORN_WORKER_CONNECTIONS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "gunicorn.conf.py"))


def test_gunicorn_defaults_serve_every_interface_with_two_workers_of_four_threads(monkeypatch):
    values = _gunicorn_settings(monkeypatch)

    assert values["bind"] == ["0.0.0.0:8000"]
    assert (values["worker_class"], values["workers"], values["threads"]) == ("gthread", 2, 4)
    assert values["worker_connections"] == 1000


def test_gunicorn_sizes_come_from_the_environment(monkeypatch):
    values = _gunicorn_settings(
        monkeypatch,
        WEB_CONCURRENCY="3",
        GUNICORN_THREADS="8",
        GUNICORN_WORKER_CONNECTIONS="12",
        GUNICORN_BIND="127.0.0.1:9000",
    )

    assert values["bind"] == ["127.0.0.1:9000"]
    assert (values["workers"], values["threads"], values["worker_connections"]) == (3, 8, 12)


def test_gunicorn_refuses_a_worker_connection_limit_below_one(monkeypatch):
    with pytest.raises(ValueError, match="GUNICORN_WORKER_CONNECTIONS must be at least 1"):
        _gunicorn_settings(monkeypatch, GUNICORN_WORKER_CONNECTIONS="0")
