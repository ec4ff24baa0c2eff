"""Liveness and readiness probes: /healthz and /readyz.

They are answered by a middleware near the top of the stack rather than by
URL patterns, so that a load balancer or an orchestrator can call them:

- whatever Host header it sends (they run before Django validates the host
  against ALLOWED_HOSTS, and probes usually address a host by its IP);
- over plain HTTP from inside the network (before SECURE_SSL_REDIRECT);
- cheaply: no session, no authentication, no rate limit, no URL resolution.

/healthz touches nothing: it answers while the process can serve. /readyz
runs one query on the database and one write on the cache, and names the
part that failed. Neither is logged when it succeeds (the access log puts
successful probes at DEBUG); a failing check is logged as a warning.
"""

import logging
from collections.abc import Callable

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse

from pinsite.exceptions import MESSAGES

logger = logging.getLogger(__name__)

HEALTHZ_PATH = "/healthz"
READYZ_PATH = "/readyz"
PROBE_PATHS = frozenset({HEALTHZ_PATH, READYZ_PATH})

_CACHE_PROBE_KEY = "readyz"
_CACHE_PROBE_TIMEOUT = 60


def _json(body: dict, status: int = 200) -> JsonResponse:
    response = JsonResponse(body, status=status, json_dumps_params={"separators": (",", ":")})
    response["Cache-Control"] = "no-store"
    return response


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_cache() -> None:
    # A write, not a read: the rate-limit counters need a cache that accepts
    # writes (a Redis replica in read-only mode answers reads but not these).
    cache.set(_CACHE_PROBE_KEY, "ok", timeout=_CACHE_PROBE_TIMEOUT)


CHECKS: dict[str, Callable[[], None]] = {"database": _check_database, "cache": _check_cache}


def healthz(request: HttpRequest) -> HttpResponse:
    return _json({"status": 200})


def readyz(request: HttpRequest) -> HttpResponse:
    """200 when every check passes; else 503 in the API's error format, with
    the failing parts named in `details` and each check's result in `checks`."""
    results: dict[str, str] = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as exc:
            # Any failure means "not ready"; the probe itself must not fail.
            logger.warning("Not ready: %s unavailable (%s: %s)", name, type(exc).__name__, exc)
            results[name] = "unavailable"
        else:
            results[name] = "ok"

    failing = [name for name, result in results.items() if result != "ok"]
    if not failing:
        return _json({"status": 200, "checks": results})
    body = {
        "status": 503,
        "code": "internal_error",
        "message": MESSAGES["internal_error"],
        "details": f"Not ready: {' and '.join(failing)} unavailable",
        "checks": results,
    }
    return _json(body, status=503)


PROBES: dict[str, Callable[[HttpRequest], HttpResponse]] = {
    HEALTHZ_PATH: healthz,
    READYZ_PATH: readyz,
}


class ProbeMiddleware:
    """Answers GET and HEAD on the probe paths; passes everything else on."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        probe = PROBES.get(request.path_info)
        if probe is None or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        return probe(request)
