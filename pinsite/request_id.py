"""A request id for every request, echoed to the client and put on every log line.

The id comes from the client's (or the load balancer's) `X-Request-ID` header
when it is a sane value, so that one id follows a request across hosts; any
other value is replaced by a fresh one, so that a client cannot inject text
into the logs through it.
"""

import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.core.signals import request_finished
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

REQUEST_ID_HEADER = "X-Request-ID"
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,200}")

# Each request runs in its own thread (or its own process), and a context
# variable is per thread, so concurrent requests never see each other's id.
request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)


def request_id_from(header: str | None) -> str:
    """The client's id when it is 1 to 200 characters of [A-Za-z0-9._-], else a new one."""
    if header is not None and _SANE_REQUEST_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Sets the request id first, so that every later log line carries it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))
        request.request_id = request_id
        request_id_var.set(request_id)
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request_id
        return response


@receiver(request_finished, dispatch_uid="pinsite.request_id.clear")
def _clear_request_id(**kwargs: object) -> None:
    # The id stays set until the response is closed, after the middleware has
    # returned: Django logs 4xx and 5xx answers (`django.request`) only then.
    request_id_var.set(None)


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to each record: the current request's, or None outside one.

    A record that already carries one (the access log passes the id it read
    from the response) keeps it.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = request_id_var.get()
        return True
