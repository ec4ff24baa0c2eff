"""Root URLconf: the API under /v1/, its documentation, the admin, sign-in."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.permissions import AllowAny

from pinsite import errors

# The schema and its documentation pages are public: they authenticate no one
# (a stale key in a browser must not lock a reader out) and spend no budget.
PUBLIC = {"authentication_classes": [], "permission_classes": [AllowAny], "throttle_classes": []}

urlpatterns = [
    path("v1/", include("pins.urls")),
    path("v1/schema", SpectacularAPIView.as_view(**PUBLIC), name="schema"),
    path("v1/docs", SpectacularSwaggerView.as_view(url_name="schema", **PUBLIC), name="swagger-ui"),
    path(
        "v1/redoc",
        SpectacularRedocView.as_view(
            url_name="schema", template_name="pinsite/redoc.html", **PUBLIC
        ),
        name="redoc",
    ),
    # Everything else under /v1/ is a JSON 404, also with DEBUG on.
    re_path(r"^v1(?:/|\Z)", errors.api_not_found),
    path("admin/", admin.site.urls),
    path("api-auth/", include("rest_framework.urls")),
]

if settings.PINS_BENCH_FLOOR:
    from bench.floor import floor

    urlpatterns.insert(0, path("bench/floor", floor))

handler400 = errors.bad_request
handler403 = errors.permission_denied
handler404 = errors.page_not_found
handler500 = errors.server_error
