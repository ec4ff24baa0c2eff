"""Production settings: what DEBUG off turns on, what the environment changes,
and the security headers on the answers."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

from tests.servers import ROOT

pytestmark = pytest.mark.django_db

# What an operator sets in production (the README's "Deploying" section).
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "x7Gq2-" + "kP9vLm4RtW8zYc3NbQ6sDf1HjA5uE0iXoT" * 2,
    "ALLOWED_HOSTS": "pins.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://pins.example.com",
    "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto",
    "SECURE_SSL_REDIRECT": "1",
    "REDIS_URL": "redis://redis.example.com:6379/0",
}
SETTINGS_READ = [
    "DEBUG",
    "ALLOWED_HOSTS",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "CSRF_TRUSTED_ORIGINS",
    "LOG_FORMAT",
    "STATIC_ROOT",
    "DATABASES",
]


def _run(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """Python in a fresh process with only `env` (and PATH) as its environment."""
    clean = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "pinsite.settings", **env}
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True
    )


def _settings_with(env: dict[str, str]) -> dict:
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n, None) for n in {SETTINGS_READ!r}}}, "
        "default=str))"
    )
    result = _run(code, env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_allowed_hosts_defaults_to_this_machine_and_fails_the_deploy_check():
    env = {"SECRET_KEY": "x7Gq2-" + "kP9vLm4RtW8zYc3NbQ6sDf1HjA5uE0iXoT" * 2, "DEBUG": "0"}
    result = _run(
        "import django, sys; django.setup(); from django.core.management import call_command; "
        "call_command('check', deploy=True, tags=['security'], fail_level='WARNING')",
        env,
    )

    assert result.returncode != 0
    assert "pins.W002" in result.stderr
    assert _settings_with(env)["ALLOWED_HOSTS"] == ["localhost", "127.0.0.1"]


def test_local_run_defaults_to_this_machine():
    values = _settings_with({"SECRET_KEY": "k", "DEBUG": "1"})

    assert values["ALLOWED_HOSTS"] == ["localhost", "127.0.0.1"]
    assert values["LOG_FORMAT"] == "plain"
    assert values["SESSION_COOKIE_SECURE"] is False
    assert values["SECURE_HSTS_SECONDS"] == 0


def test_debug_off_turns_on_secure_cookies_hsts_and_json_logs():
    values = _settings_with({"SECRET_KEY": "k", "ALLOWED_HOSTS": "pins.example.com"})

    assert values["DEBUG"] is False
    assert values["ALLOWED_HOSTS"] == ["pins.example.com"]
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_HSTS_SECONDS"] == 31536000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_HSTS_PRELOAD"] is False
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SECURE_PROXY_SSL_HEADER"] is None
    assert values["CSRF_TRUSTED_ORIGINS"] == []
    assert values["LOG_FORMAT"] == "json"


def test_environment_sets_proxy_header_redirect_hsts_and_trusted_origins():
    values = _settings_with(
        {
            **PRODUCTION,
            "SECURE_HSTS_SECONDS": "600",
            "SECURE_HSTS_PRELOAD": "1",
            "STATIC_ROOT": "/srv/static",
        }
    )

    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] == 600
    assert values["SECURE_HSTS_PRELOAD"] is True
    assert values["CSRF_TRUSTED_ORIGINS"] == ["https://pins.example.com"]
    assert values["STATIC_ROOT"] == "/srv/static"


def test_postgresql_connections_time_out():
    values = _settings_with({**PRODUCTION, "DATABASE_URL": "postgres://u@db:5432/pins"})

    assert values["DATABASES"]["default"]["OPTIONS"]["connect_timeout"] == 5
    assert values["DATABASES"]["default"]["CONN_HEALTH_CHECKS"] is True


def _deploy_check(env: dict[str, str]) -> subprocess.CompletedProcess:
    code = (
        "import sys; from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])"
    )
    return _run(code, env)


def test_deploy_check_is_clean_with_production_variables():
    result = _deploy_check(PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("change", "warning"),
    [
        ({"SECURE_SSL_REDIRECT": "0"}, "security.W008"),
        ({"SECURE_HSTS_SECONDS": "0"}, "security.W004"),
        ({"SECRET_KEY": "short"}, "security.W009"),
    ],
)
def test_deploy_check_flags_a_weakened_production(change, warning):
    result = _deploy_check({**PRODUCTION, **change})

    assert result.returncode != 0
    assert warning in result.stderr


def test_python_warnings_come_out_in_the_log_format():
    code = "import django, warnings; django.setup(); warnings.warn('mind the gap')"
    result = _run(code, {**PRODUCTION, "PYTHONWARNINGS": "always"})

    [line] = [json.loads(line) for line in result.stderr.splitlines()]
    assert line["logger"] == "py.warnings"
    assert "mind the gap" in line["message"]


# The answers (in process: the test settings keep DEBUG off)


def test_answers_carry_the_security_headers(api):
    response = api.get("/v1/pinned")

    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response


def test_https_answers_carry_hsts(api):
    response = api.get("/v1/pinned", secure=True)

    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_https_seen_through_the_proxy_header_only_when_configured(api):
    forwarded = {"HTTP_X_FORWARDED_PROTO": "https"}

    assert "Strict-Transport-Security" not in api.get("/v1/pinned", **forwarded)
    with override_settings(SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https")):
        assert "Strict-Transport-Security" in api.get("/v1/pinned", **forwarded)


def test_https_redirect_when_enabled(api):
    with override_settings(SECURE_SSL_REDIRECT=True):
        response = api.get("/v1/pinned")

    assert response.status_code == 301
    assert response["Location"] == "https://testserver/v1/pinned"


def test_static_files_are_served_by_the_service_after_collectstatic(tmp_path):
    """DEBUG off: the admin's and the documentation UI's files, from STATIC_ROOT."""
    with override_settings(STATIC_ROOT=str(tmp_path)):
        call_command("collectstatic", interactive=False, verbosity=0)
        assert (Path(tmp_path) / "admin" / "css" / "base.css").is_file()
        # A new client builds the middleware anew, which scans STATIC_ROOT.
        client = Client()
        admin_css = client.get("/static/admin/css/base.css")
        swagger = client.get("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")

    assert admin_css.status_code == 200
    assert admin_css["Content-Type"].startswith("text/css")
    assert swagger.status_code == 200
    assert b"".join(swagger.streaming_content)
