"""Request budgets of the API, counted in the shared cache by django-ratelimit.

Three budgets, each a fixed window (see the README's "Rate limiting"):

- `PINS_RATE_READ` and `PINS_RATE_WRITE`: an authenticated member's reads
  (GET, HEAD, OPTIONS) and writes (every other method), counted per member,
  whatever the key, the session, the worker or the host;
- `PINS_RATE_ANON`: requests refused by authentication, counted per client
  IP, so that guessing API keys is slow.

The counters live in the `default` cache: Redis with `REDIS_URL` (one atomic
INCR per request, shared by every process), else the memory of one process.
`RateLimitMixin` applies the budgets to a DRF view.
"""

import ipaddress
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core import checks
from django.http import HttpRequest
from django_ratelimit.core import get_usage
from redis.exceptions import RedisError
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response

from pinsite.exceptions import RateLimited

logger = logging.getLogger(__name__)

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# The bucket of requests whose address cannot be read (a Unix socket without a
# trusted proxy header): they share one anonymous budget.
UNKNOWN_CLIENT = "unknown"

# An IPv6 client usually holds a whole /64; counting single addresses would
# let it change address on every attempt.
IPV6_PREFIX_LENGTH = 64


@dataclass(frozen=True)
class Usage:
    """Where a request left its budget: the counts behind the RateLimit-* headers."""

    limit: int
    remaining: int
    reset: int
    exceeded: bool

    def headers(self) -> dict[str, str]:
        return {
            "RateLimit-Limit": str(self.limit),
            "RateLimit-Remaining": str(self.remaining),
            "RateLimit-Reset": str(self.reset),
        }


class _CacheOutage:
    """A process's memory of a failing rate-limit cache.

    The budgets fail open: while the cache cannot be reached, requests are
    served without being counted, rather than refused. After a failure the
    cache is left alone for `interval` seconds, so that requests do not each
    wait for a connection timeout, and the warning is logged once per interval.
    """

    interval = 10.0
    timer = time.monotonic

    def __init__(self) -> None:
        self.until = 0.0

    def active(self) -> bool:
        return self.timer() < self.until

    def record(self, exc: Exception) -> None:
        self.until = self.timer() + self.interval
        logger.warning(
            "Rate-limit cache unavailable (%s: %s); serving without budgets for %d s",
            exc.__class__.__name__,
            exc,
            self.interval,
        )

    def reset(self) -> None:
        self.until = 0.0


outage = _CacheOutage()


def client_ip(request: HttpRequest) -> str:
    """The address the anonymous budget is counted by.

    `REMOTE_ADDR`, unless `PINS_TRUSTED_PROXIES` says how many proxies stand in
    front of the service: then the address the outermost of them saw, the Nth
    entry from the right of `X-Forwarded-For`. Entries further left were
    written by the client and are ignored, so that it cannot choose its own
    address. IPv6 addresses count by their /64 network.
    """
    address = request.META.get("REMOTE_ADDR", "")
    proxies = settings.PINS_TRUSTED_PROXIES
    if proxies:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        # Fewer entries than proxies, or an entry that is not an address, means
        # the request did not come through all of them: keep the peer address.
        if len(forwarded) >= proxies and _parse_ip(forwarded[-proxies]) is not None:
            address = forwarded[-proxies]

    ip = _parse_ip(address)
    if ip is None:
        return UNKNOWN_CLIENT
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/{IPV6_PREFIX_LENGTH}", strict=False))
    return str(ip)


def _parse_ip(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def _member_key(group: str, request: HttpRequest) -> str:
    return str(request.user.pk)


def _client_key(group: str, request: HttpRequest) -> str:
    return client_ip(request)


def _budget(request: HttpRequest) -> tuple[str, Callable[[str, HttpRequest], str], str]:
    """The group, key function and rate that count this request."""
    if not request.user.is_authenticated:
        return "pins.anon", _client_key, settings.PINS_RATE_ANON
    if request.method in READ_METHODS:
        return "pins.read", _member_key, settings.PINS_RATE_READ
    return "pins.write", _member_key, settings.PINS_RATE_WRITE


def usage_for(request: HttpRequest, *, count: bool = True) -> Usage | None:
    """Counts the request against its budget (unless `count` is false) and
    says where the budget stands; None when the count is unknown.

    The request's budget follows `request.user`: the member's read or write
    budget once authenticated, else the client IP's anonymous budget. The
    count is unknown while the cache is unavailable (failing open) or when
    django-ratelimit is disabled (`RATELIMIT_ENABLE`).
    """
    if outage.active():
        return None
    group, key, rate = _budget(request)
    try:
        raw = get_usage(request, group=group, key=key, rate=rate, increment=count)
    except (RedisError, OSError) as exc:
        outage.record(exc)
        return None
    if raw is None:
        return None

    limit, used = raw["limit"], raw["count"]
    # The library's window covers whole seconds up to and including its last
    # second, in which it reports 0 seconds left: the window resets one second
    # after `time_left`. Retry-After is at least 1 (RFC 9110, section 10.2.3).
    reset = max(1, raw["time_left"] + 1)
    return Usage(
        limit=limit, remaining=max(0, limit - used), reset=reset, exceeded=raw["should_limit"]
    )


def retry_after_for(request: HttpRequest) -> int:
    """Seconds until the request's budget window resets, without counting it.

    For a 429 raised without its window (django-ratelimit's own `Ratelimited`);
    1 when the count is unknown, since the budgets then fail open.
    """
    usage = usage_for(request, count=False)
    return usage.reset if usage is not None else 1


class RateLimitMixin:
    """Applies the budgets to a DRF view, in the order of the error checks.

    DRF's `initial()` authenticates, checks permissions, then throttles, all
    before the method check and the body parsing: the member's budget is
    charged in `check_throttles`, once the member is known, so that a
    request over budget answers 429 before 405, 400, 413 or 415. A request
    refused by authentication never reaches that point: it is charged to its
    client IP instead, answered 401 (or 403 for a session without its CSRF
    token) while that budget lasts and 429 once it is spent, so that guessing
    keys is slow. Every answer carries the RateLimit-* headers of the budget
    it was counted against.
    """

    rate_usage: Usage | None = None

    def initial(self, request: Request, *args: object, **kwargs: object) -> None:
        try:
            super().initial(request, *args, **kwargs)
        except (
            exceptions.NotAuthenticated,
            exceptions.AuthenticationFailed,
            exceptions.PermissionDenied,
        ):
            if not request.user.is_authenticated:
                self._charge(request)
            raise

    def check_throttles(self, request: Request) -> None:
        super().check_throttles(request)
        self._charge(request)

    def finalize_response(
        self, request: Request, response: Response, *args: object, **kwargs: object
    ) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        if self.rate_usage is not None:
            for name, value in self.rate_usage.headers().items():
                response[name] = value
        return response

    def _charge(self, request: Request) -> None:
        self.rate_usage = usage_for(request)
        if self.rate_usage is not None and self.rate_usage.exceeded:
            raise RateLimited(retry_after=self.rate_usage.reset)


def check_shared_cache(app_configs: object = None, **kwargs: object) -> list[checks.CheckMessage]:
    """Deployment check: budgets need the shared cache to hold across processes."""
    backend = settings.CACHES["default"]["BACKEND"]
    if backend != "django.core.cache.backends.locmem.LocMemCache":
        return []
    return [
        checks.Warning(
            "REDIS_URL is not set: the rate-limit counters live in each process's memory, "
            "so every worker and host counts its own budgets.",
            hint="Set REDIS_URL to the Redis server shared by every process of the service.",
            id="pins.W001",
        )
    ]
