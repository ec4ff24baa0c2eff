"""The benchmark's floor: a plain Django view returning a constant JSON body.

It measures what the framework, gunicorn and the machine cost before any of
the service's own work; `pinsite.urls` mounts it only when PINS_BENCH_FLOOR=1.
"""

from django.http import HttpRequest, HttpResponse

_BODY = b'[{"projectId":"floor-project-0001","pinnedAt":"2026-12-03T17:56:36.123Z"}]'


def floor(request: HttpRequest) -> HttpResponse:
    return HttpResponse(_BODY, content_type="application/json")
