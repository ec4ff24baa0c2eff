"""One error format for every failure under /v1/.

`api_exception_handler` shapes the errors raised in DRF views; the Django-level
handlers below (wired in `pinsite.urls` and `CSRF_FAILURE_VIEW`) shape those
raised before a view runs or outside DRF, so that a client always receives

    {"status": ..., "code": ..., "message": ..., "details" | "violations": ...}

as `application/json`. Paths outside /v1/ (the admin, the sign-in pages) keep
Django's own pages.
"""

import logging
import math
import sys
from collections.abc import Mapping

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from django.views.csrf import csrf_failure as django_csrf_failure
from django_ratelimit.exceptions import Ratelimited
from rest_framework import exceptions as drf_exceptions
from rest_framework.response import Response
from rest_framework.views import set_rollback

from pinsite import ratelimit
from pinsite.exceptions import MESSAGES, APIError, RateLimited, Violation

logger = logging.getLogger(__name__)

API_PREFIX = "/v1/"
# Seconds a client should wait before retrying while the database is away
# (RFC 9110, section 10.2.3: a non-negative number of seconds).
DATABASE_RETRY_AFTER_SECONDS = 5


def error_body(status: int, code: str, details: str | None = None, **extra: object) -> dict:
    body: dict[str, object] = {"status": status, "code": code, "message": MESSAGES[code]}
    if details:
        body["details"] = details
    body.update(extra)
    return body


def _is_api_request(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def _violations_from_drf(detail: object, data: object) -> list[Violation]:
    """Violations from a DRF ValidationError raised outside our serializers."""
    if not isinstance(detail, Mapping):
        return [Violation("", str(message), None) for message in _as_list(detail)]
    values = data if isinstance(data, Mapping) else {}
    return [
        Violation(field, str(message), values.get(field))
        for field, messages in detail.items()
        for message in _as_list(messages)
    ]


def _as_list(value: object) -> list:
    return list(value) if isinstance(value, list | tuple) else [value]


def _drf_status_and_code(exc: drf_exceptions.APIException) -> tuple[int, str]:
    if isinstance(exc, drf_exceptions.NotAuthenticated | drf_exceptions.AuthenticationFailed):
        return 401, "unauthorized"
    if isinstance(exc, drf_exceptions.PermissionDenied):
        return 403, "forbidden"
    if isinstance(exc, drf_exceptions.NotFound):
        return 404, "not_found"
    if exc.status_code >= 500:
        return exc.status_code, "internal_error"
    # MethodNotAllowed (405), UnsupportedMediaType (415), ParseError (400) and
    # NotAcceptable (406) are all malformed requests.
    return exc.status_code, "bad_request"


def api_exception_handler(exc: Exception, context: dict) -> Response:
    """DRF exception handler: every exception becomes the standard body.

    Unexpected exceptions are logged once, with their traceback, and answered
    with a bare `internal_error`: nothing of them reaches the client.
    """
    request = context.get("request")
    headers: dict[str, str] = {}
    set_rollback()

    if isinstance(exc, Http404):
        exc = drf_exceptions.NotFound()
    elif isinstance(exc, Ratelimited | drf_exceptions.Throttled):
        exc = _as_rate_limited(exc, request)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = drf_exceptions.PermissionDenied()

    if isinstance(exc, APIError):
        headers.update(exc.headers)
        extra = {"violations": exc.violations} if hasattr(exc, "violations") else {}
        if isinstance(exc, RateLimited):
            extra = {"retryAfter": exc.retry_after}
        body = error_body(exc.status_code, exc.code, exc.details, **extra)
    elif isinstance(exc, drf_exceptions.ValidationError):
        data = getattr(request, "data", None) if request is not None else None
        violations = _violations_from_drf(exc.detail, data)
        body = error_body(400, "validation_failed", violations=violations)
    elif isinstance(exc, drf_exceptions.APIException):
        status, code = _drf_status_and_code(exc)
        if code == "unauthorized":
            headers["WWW-Authenticate"] = "Bearer"
        body = error_body(status, code, str(exc.detail))
    elif isinstance(exc, OperationalError | InterfaceError):
        logger.error("Database unavailable: %s", exc.__class__.__name__, exc_info=exc)
        headers["Retry-After"] = str(DATABASE_RETRY_AFTER_SECONDS)
        body = error_body(503, "internal_error", "The service is temporarily unavailable")
    else:
        # Other database errors land here too: a query that fails while the
        # database answers is a bug, not an outage.
        logger.exception("Unhandled exception while serving %s", _describe(request))
        body = error_body(500, "internal_error")

    return Response(body, status=body["status"], headers=headers)


def _as_rate_limited(exc: Exception, request: HttpRequest | None) -> RateLimited:
    """django-ratelimit's `Ratelimited` and DRF's `Throttled` answer 429 too.

    `Ratelimited` is a PermissionDenied, which would otherwise answer 403. It
    does not carry its window, so the seconds to wait are read from the
    request's own budget.
    """
    wait = getattr(exc, "wait", None)
    if wait is not None:
        return RateLimited(retry_after=math.ceil(wait))
    if request is None:
        return RateLimited(retry_after=1)
    return RateLimited(retry_after=ratelimit.retry_after_for(request))


def _describe(request: object) -> str:
    if request is None:
        return "an unknown request"
    return f"{request.method} {request.path}"


def json_error(
    status: int,
    code: str,
    details: str | None = None,
    *,
    headers: dict[str, str] | None = None,
    **extra: object,
) -> JsonResponse:
    return JsonResponse(
        error_body(status, code, details, **extra),
        status=status,
        headers=headers,
        json_dumps_params={"separators": (",", ":")},
    )


def api_not_found(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    """Any path under /v1/ that no endpoint serves, whatever the credentials."""
    return json_error(404, "not_found", f"No endpoint at {request.path}")


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api_request(request):
        return json_error(400, "bad_request")
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api_request(request) and isinstance(exception, Ratelimited):
        retry_after = ratelimit.retry_after_for(request)
        return json_error(
            429, "rate_limited", headers={"Retry-After": str(retry_after)}, retryAfter=retry_after
        )
    if _is_api_request(request):
        return json_error(403, "forbidden")
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api_request(request):
        return api_not_found(request)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's 500 handler: an exception outside a DRF view (a middleware's).

    Django calls it while the exception is being handled, so `sys.exc_info()`
    tells a database outage, answered 503 like in the views, from a bug.
    """
    if _is_api_request(request):
        if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
            return json_error(
                503,
                "internal_error",
                "The service is temporarily unavailable",
                headers={"Retry-After": str(DATABASE_RETRY_AFTER_SECONDS)},
            )
        return json_error(500, "internal_error")
    return defaults.server_error(request)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    if _is_api_request(request):
        return json_error(403, "forbidden", f"CSRF verification failed: {reason}")
    return django_csrf_failure(request, reason)
