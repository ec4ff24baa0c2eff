"""Request budgets: per member for reads and writes, per client IP without credentials.

The budgets here are tiny (3 reads, 2 writes, 2 anonymous requests a minute)
and the windows' clock is set by the tests: django-ratelimit reads
`time.time()` in its own module, which the `rate_clock` fixture replaces.
"""

import logging
import zlib

import django_ratelimit.core
import pytest
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import RequestFactory
from rest_framework.test import APIClient

from members.services import api_key_create, member_create
from pins import views
from pinsite import ratelimit
from pinsite.env import env_rate

pytestmark = pytest.mark.django_db

READS, WRITES, ANONYMOUS = 3, 2, 2
PERIOD = 60
# Any moment will do; a round one keeps the arithmetic readable.
EPOCH = 1_800_000_000
RATE_LIMITED = {"status": 429, "code": "rate_limited", "message": "Too many requests"}


class RateClock:
    """The time django-ratelimit sees, in seconds since the epoch."""

    def __init__(self) -> None:
        self.now = float(EPOCH)

    def time(self) -> float:
        return self.now


@pytest.fixture(autouse=True)
def budgets(settings) -> None:
    settings.PINS_RATE_READ = f"{READS}/m"
    settings.PINS_RATE_WRITE = f"{WRITES}/m"
    settings.PINS_RATE_ANON = f"{ANONYMOUS}/m"


@pytest.fixture
def rate_clock(monkeypatch) -> RateClock:
    clock = RateClock()
    monkeypatch.setattr(django_ratelimit.core, "time", clock)
    return clock


def window_start(key: str) -> float:
    """A moment at which a fresh one-minute window begins for the budget key.

    Windows are fixed, but django-ratelimit offsets each key's windows by
    crc32(key) % period seconds, so that all budgets do not reset at once:
    a window opens one second after that offset and resets a period later.
    """
    return EPOCH + zlib.crc32(key.encode()) % PERIOD + 1


@pytest.fixture
def at_member_window(rate_clock, member) -> float:
    """Sets the clock to the opening of a window of `member`; returns that moment."""
    rate_clock.now = window_start(str(member.pk))
    return rate_clock.now


@pytest.fixture
def at_ip_window(rate_clock) -> float:
    """Sets the clock to the opening of a window of the test client's IP."""
    rate_clock.now = window_start("127.0.0.1")
    return rate_clock.now


def _headers(response) -> tuple[str, str, str]:
    return (
        response["RateLimit-Limit"],
        response["RateLimit-Remaining"],
        response["RateLimit-Reset"],
    )


def _assert_rate_limited(response, retry_after: int) -> None:
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert response.json() == {**RATE_LIMITED, "retryAfter": retry_after}
    assert response["Retry-After"] == str(retry_after)


def _spend(caller: APIClient, method: str, times: int, path: str = "/v1/pinned") -> None:
    for _ in range(times):
        response = getattr(caller, method.lower())(path)
        assert response.status_code != 429


# Members' budgets


def test_answers_within_the_budget_carry_the_budget_headers(api, at_member_window):
    remaining = [_headers(api.get("/v1/pinned")) for _ in range(READS)]

    assert remaining == [("3", "2", "60"), ("3", "1", "60"), ("3", "0", "60")]


def test_read_over_budget_is_429_with_the_seconds_left_in_the_window(
    api, rate_clock, at_member_window
):
    _spend(api, "GET", READS)
    rate_clock.now = at_member_window + 17.5

    response = api.get("/v1/pinned")

    _assert_rate_limited(response, 43)
    assert _headers(response) == ("3", "0", "43")


def test_retry_after_is_one_second_in_the_last_second_of_the_window(
    api, rate_clock, at_member_window
):
    _spend(api, "GET", READS)
    rate_clock.now = at_member_window + 59.9

    _assert_rate_limited(api.get("/v1/pinned"), 1)


def test_budget_is_whole_again_when_the_window_resets(api, rate_clock, at_member_window):
    _spend(api, "GET", READS)
    assert api.get("/v1/pinned").status_code == 429
    rate_clock.now = at_member_window + PERIOD

    response = api.get("/v1/pinned")

    assert response.status_code == 200
    assert _headers(response) == ("3", "2", "60")


@pytest.mark.parametrize("method", ["GET", "HEAD", "OPTIONS"])
def test_get_head_and_options_spend_the_read_budget(api, project, at_member_window, method):
    _spend(api, method, READS)

    _assert_rate_limited(api.get("/v1/pinned"), 60)
    response = api.post("/v1/pinned", {"projectId": project.project_id}, format="json")
    assert response.status_code == 201


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_other_methods_spend_the_write_budget(api, project, at_member_window, method):
    path = "/v1/pinned" if method in ("POST", "PUT", "PATCH") else "/v1/pinned/no-such-project"
    _spend(api, method, WRITES, path)

    response = api.post("/v1/pinned", {"projectId": project.project_id}, format="json")
    _assert_rate_limited(response, 60)
    assert api.get("/v1/pinned").status_code == 200


def test_reads_stay_available_while_writes_are_exhausted(api, project, at_member_window):
    for _ in range(WRITES):
        api.post("/v1/pinned", {"projectId": project.project_id}, format="json")

    assert api.delete(f"/v1/pinned/{project.project_id}").status_code == 429
    response = api.get(f"/v1/pinned/{project.project_id}")
    assert response.status_code == 200
    assert _headers(response) == ("3", "2", "60")


def test_budget_is_per_member_whatever_the_key(member, organization, at_member_window):
    keys = [api_key_create(member=member, name=name)[1] for name in ("laptop", "ci")]
    callers = []
    for key in keys:
        caller = APIClient()
        caller.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
        callers.append(caller)

    statuses = [callers[i % 2].get("/v1/pinned").status_code for i in range(READS + 1)]

    assert statuses == [200, 200, 200, 429]
    other = member_create(email="grace@acme.test", organization=organization)
    other_caller = APIClient()
    other_caller.credentials(HTTP_AUTHORIZATION=f"Bearer {api_key_create(member=other)[1]}")
    assert other_caller.get("/v1/pinned").status_code == 200


def test_session_and_api_key_share_the_members_budget(api, member, at_member_window):
    browser = APIClient()
    browser.force_login(member)
    _spend(api, "GET", 2)
    assert browser.get("/v1/pinned").status_code == 200

    assert browser.get("/v1/pinned").status_code == 429
    assert api.get("/v1/pinned").status_code == 429


@pytest.mark.parametrize(
    ("method", "path", "body", "content_type", "status_within_budget"),
    [
        ("put", "/v1/pinned", "{}", "application/json", 405),
        ("post", "/v1/pinned", "{", "application/json", 400),
        ("post", "/v1/pinned", "projectId=x", "text/plain", 415),
        ("post", "/v1/pinned", '{"projectId": "ABC"}', "application/json", 400),
        ("post", "/v1/pinned", '{"projectId": "no-such-project"}', "application/json", 404),
        ("delete", "/v1/pinned/ABC", "", "application/json", 400),
        ("delete", "/v1/pinned/no-such-project", "", "application/json", 404),
    ],
)
def test_rate_limit_is_checked_before_method_body_path_and_lookups(
    api, at_member_window, method, path, body, content_type, status_within_budget
):
    send = getattr(api, method)
    for _ in range(WRITES):
        response = send(path, body, content_type=content_type)
        assert response.status_code == status_within_budget
        assert response["RateLimit-Limit"] == str(WRITES)

    _assert_rate_limited(send(path, body, content_type=content_type), 60)


@pytest.mark.parametrize(
    ("path", "status"),
    [("/v1/pinned/no-such-project", 404), ("/v1/pinned/ABC", 400), ("/v1/pinned", 200)],
)
def test_error_answers_of_members_carry_the_budget_headers(api, at_member_window, path, status):
    response = api.get(path)

    assert response.status_code == status
    assert _headers(response) == ("3", "2", "60")


def test_server_errors_carry_the_budget_headers(api, at_member_window, monkeypatch):
    def explode(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views, "pin_list_for_member", explode)

    response = api.get("/v1/pinned")

    assert response.status_code == 500
    assert _headers(response) == ("3", "2", "60")


def test_documentation_and_unknown_paths_spend_no_budget(api, at_member_window):
    for path in ("/v1/schema", "/v1/nothing", "/v1/pinned/a/b", "/v1/schema", "/v1/nothing"):
        response = api.get(path)
        assert response.status_code in (200, 404)
        assert "RateLimit-Limit" not in response

    _spend(api, "GET", READS)


# Requests without valid credentials


def test_requests_without_credentials_are_401_then_429_per_client_ip(client, at_ip_window):
    first, second = client.get("/v1/pinned"), client.put("/v1/pinned/my-project-a1b2c")

    for response, remaining in ((first, "1"), (second, "0")):
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Bearer"
        assert _headers(response) == ("2", remaining, "60")
    third = client.post("/v1/pinned", "{}", content_type="application/json")
    _assert_rate_limited(third, 60)
    assert _headers(third) == ("2", "0", "60")
    assert "WWW-Authenticate" not in third


@pytest.mark.parametrize(
    "authorization", ["Bearer mvp_" + "x" * 43, "Bearer", "Basic dXNlcjpwYXNz", "Bearer a b"]
)
def test_failed_authentication_spends_the_budget_of_the_client_ip(at_ip_window, authorization):
    guesser = APIClient()
    guesser.credentials(HTTP_AUTHORIZATION=authorization)
    _spend(guesser, "GET", ANONYMOUS)

    _assert_rate_limited(guesser.get("/v1/pinned"), 60)
    assert APIClient().get("/v1/pinned").status_code == 429


def test_a_valid_key_is_served_from_an_ip_that_spent_its_anonymous_budget(api, at_ip_window):
    guesser = APIClient()
    guesser.credentials(HTTP_AUTHORIZATION="Bearer mvp_" + "x" * 43)
    _spend(guesser, "GET", ANONYMOUS)
    assert guesser.get("/v1/pinned").status_code == 429

    assert api.get("/v1/pinned").status_code == 200


def test_anonymous_budget_is_counted_per_client_ip(client, at_ip_window):
    _spend(client, "GET", ANONYMOUS)
    assert client.get("/v1/pinned").status_code == 429

    assert client.get("/v1/pinned", REMOTE_ADDR="198.51.100.7").status_code == 401


def test_session_without_csrf_token_spends_the_budget_of_the_client_ip(
    member, project, at_ip_window
):
    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(member)
    body = {"projectId": project.project_id}

    first = browser.post("/v1/pinned", body, format="json")
    assert first.status_code == 403
    assert _headers(first) == ("2", "1", "60")
    assert browser.post("/v1/pinned", body, format="json").status_code == 403

    _assert_rate_limited(browser.post("/v1/pinned", body, format="json"), 60)


# The client's IP


def test_forwarded_for_is_ignored_without_trusted_proxies(client, at_ip_window):
    for index in range(ANONYMOUS):
        client.get("/v1/pinned", HTTP_X_FORWARDED_FOR=f"203.0.113.{index}")

    response = client.get("/v1/pinned", HTTP_X_FORWARDED_FOR="203.0.113.99")

    _assert_rate_limited(response, 60)


def test_behind_a_trusted_proxy_the_client_cannot_choose_its_address(client, settings, rate_clock):
    settings.PINS_TRUSTED_PROXIES = 1
    rate_clock.now = window_start("203.0.113.7")
    for index in range(ANONYMOUS):
        response = client.get("/v1/pinned", HTTP_X_FORWARDED_FOR=f"10.9.9.{index}, 203.0.113.7")
        assert response.status_code == 401

    spoofed = client.get("/v1/pinned", HTTP_X_FORWARDED_FOR="10.9.9.99, 203.0.113.7")
    _assert_rate_limited(spoofed, 60)
    assert client.get("/v1/pinned", HTTP_X_FORWARDED_FOR="203.0.113.8").status_code == 401


@pytest.mark.parametrize(
    ("proxies", "remote_addr", "forwarded_for", "expected"),
    [
        (0, "192.0.2.1", "", "192.0.2.1"),
        (0, "192.0.2.1", "203.0.113.7", "192.0.2.1"),
        (1, "192.0.2.1", "203.0.113.7", "203.0.113.7"),
        (1, "192.0.2.1", "10.0.0.1, 203.0.113.7", "203.0.113.7"),
        (2, "192.0.2.1", "10.0.0.1, 203.0.113.7, 192.0.2.9", "203.0.113.7"),
        (2, "192.0.2.1", "203.0.113.7", "192.0.2.1"),
        (1, "192.0.2.1", "", "192.0.2.1"),
        (1, "192.0.2.1", "not-an-address", "192.0.2.1"),
        (0, "2001:db8:1:2:3:4:5:6", "", "2001:db8:1:2::/64"),
        (1, "192.0.2.1", "2001:db8:1:2::9", "2001:db8:1:2::/64"),
        (0, "", "", "unknown"),
    ],
)
def test_client_ip(settings, proxies, remote_addr, forwarded_for, expected):
    settings.PINS_TRUSTED_PROXIES = proxies
    request = RequestFactory().get(
        "/v1/pinned", REMOTE_ADDR=remote_addr, HTTP_X_FORWARDED_FOR=forwarded_for
    )

    assert ratelimit.client_ip(request) == expected


# django-ratelimit's own exception


@pytest.mark.urls("tests.ratelimit_urls")
@pytest.mark.parametrize("path", ["/v1/limited-api", "/v1/limited-django"])
def test_the_librarys_ratelimited_is_a_429_with_the_window_not_a_403(
    client, rate_clock, at_ip_window, path
):
    rate_clock.now = at_ip_window + 5

    _assert_rate_limited(client.get(path), 55)


# The cache unavailable


@pytest.fixture
def redis_down(settings) -> None:
    """Points the cache at a port where no Redis listens."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }


def test_without_the_cache_requests_are_served_uncounted(api, client, redis_down, caplog):
    with caplog.at_level(logging.WARNING, logger="pinsite.ratelimit"):
        responses = [api.get("/v1/pinned") for _ in range(READS + 2)]
        responses += [client.get("/v1/pinned") for _ in range(ANONYMOUS + 2)]

    assert [r.status_code for r in responses] == [200] * (READS + 2) + [401] * (ANONYMOUS + 2)
    assert all("RateLimit-Limit" not in r for r in responses)
    warnings = [r for r in caplog.records if r.name == "pinsite.ratelimit"]
    assert len(warnings) == 1
    assert warnings[0].levelno == logging.WARNING
    assert warnings[0].getMessage().startswith("Rate-limit cache unavailable (ConnectionError")


def test_without_the_cache_the_warning_repeats_once_per_interval(
    api, redis_down, monkeypatch, caplog
):
    now = [1000.0]
    monkeypatch.setattr(ratelimit.outage, "timer", lambda: now[0])

    with caplog.at_level(logging.WARNING, logger="pinsite.ratelimit"):
        api.get("/v1/pinned")
        now[0] += ratelimit.outage.interval - 0.1
        api.get("/v1/pinned")
        now[0] += 0.1
        api.get("/v1/pinned")

    assert len([r for r in caplog.records if r.name == "pinsite.ratelimit"]) == 2


def test_the_librarys_count_failure_fails_open(api, at_member_window, monkeypatch):
    """django-ratelimit answers "no count" when an increment finds no key."""
    monkeypatch.setattr(django_ratelimit.core.caches["default"], "add", lambda *a, **k: False)
    monkeypatch.setattr(django_ratelimit.core.caches["default"], "incr", _raise_value_error)

    response = api.get("/v1/pinned")

    assert response.status_code == 200
    assert "RateLimit-Limit" not in response


def _raise_value_error(*args, **kwargs):
    raise ValueError("Key not found")


# Settings and checks


@pytest.mark.parametrize("value", ["600/m", "1/s", "100/5m", "10/h", "5000/d"])
def test_budget_settings_accept_rates(monkeypatch, value):
    monkeypatch.setenv("PINS_RATE_READ", value)

    assert env_rate("PINS_RATE_READ", "600/m") == value


@pytest.mark.parametrize("value", ["600", "600/minute", "0/m", "10/0m", "-1/m", "m/600", "6 0/m"])
def test_budget_settings_refuse_anything_else(monkeypatch, value):
    monkeypatch.setenv("PINS_RATE_READ", value)

    with pytest.raises(ImproperlyConfigured, match="PINS_RATE_READ must be a budget"):
        env_rate("PINS_RATE_READ", "600/m")


def test_system_checks_pass_with_the_configured_cache():
    call_command("check", fail_level="WARNING")


def test_deployment_check_warns_when_counters_are_per_process(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

    messages = checks.run_checks(include_deployment_checks=True, tags=[checks.Tags.caches])

    assert "pins.W001" in [message.id for message in messages]


def test_deployment_check_is_quiet_with_redis(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache"}}

    assert ratelimit.check_shared_cache() == []
