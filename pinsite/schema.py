"""The API-wide parts of the OpenAPI schema: error bodies, security, the overview.

drf-spectacular builds the schema from the code; this module describes what
the code cannot say by itself: the error format shared by every endpoint, the
Bearer API key scheme and the introduction shown at the top of the docs. The
serializers below exist for the schema only; `pinsite.errors` builds the real
bodies.
"""

from django.conf import settings
from drf_spectacular.extensions import (
    OpenApiAuthenticationExtension,
    OpenApiSerializerExtension,
    OpenApiSerializerFieldExtension,
)
from rest_framework import serializers

from pinsite.exceptions import ERROR_CODES

API_DESCRIPTION = """\
Members of MicroVisualizer pin the projects they use most, so that clients can
show them at the top of project lists. A pin says "this member pinned this
project at this time"; a member pins each project at most once.

## Authentication

Every `/v1/pinned` operation needs an authenticated member, in one of two ways:

- **API key** (`bearerAuth`): `Authorization: Bearer <key>`. A key acts as the
  member who owns it, inside that member's organization. It is shown in full
  once, when it is created; revoked and expired keys are refused like unknown
  ones.
- **Session** (`cookieAuth`): a member signed in at `/api-auth/login/` with
  email and password. Unsafe methods (`POST`, `DELETE`) over a session also
  need Django's CSRF token in an `X-CSRFToken` header.

A request that carries an `Authorization` header is judged by it alone.
Missing, malformed, unknown, revoked or expired credentials are answered `401`
with `WWW-Authenticate: Bearer`.

In Swagger UI, press **Authorize**, paste an API key into `bearerAuth` (the key
alone, without the word `Bearer`), then use **Try it out** on any operation.
Signing in at `/api-auth/login/` in the same browser works too.

## Organizations

A member sees, pins and unpins only projects of their own organization. A
project of another organization is answered exactly like a project that does
not exist (`404 project_not_found`): the answer never reveals that it exists.

## projectId

8 to 60 characters matching `^[a-z0-9][a-z0-9-]*[a-z0-9]$` (lowercase ASCII
letters, digits and hyphens, not starting or ending with a hyphen), in a body
and in a path alike. The value is taken exactly as sent: nothing is trimmed or
converted.

## Rate limits

Each member has a budget of requests per fixed window, one for reads (`GET`,
`HEAD`, `OPTIONS`) and one for writes; requests without valid credentials are
counted per client IP. The budgets are shared by every server of the service.
Every answer of a `/v1/pinned` operation carries `RateLimit-Limit`,
`RateLimit-Remaining` and `RateLimit-Reset`; over budget the answer is `429
rate_limited` with a `Retry-After` header and a `retryAfter` field holding
the same number of seconds. The schema and the documentation pages are not
budgeted.

## Errors

Every error under `/v1/` is JSON with `Content-Type: application/json`:
`{"status", "code", "message", "details"}`, where `status` repeats the HTTP
status, `code` is machine-readable, `message` is fixed per code and `details`
(optional) explains. A validation error (`400 validation_failed`) lists one
violation per broken rule instead; a rate-limit error adds `retryAfter`.

Checks run in this order: authentication (`401`), the rate limit (`429`), the
method (`405 bad_request`, with an `Allow` header), the body and the path
(`400`, `413`, `415`), then the lookups (`404`, `409`). An unknown path under
`/v1/` is `404 not_found` whatever the credentials. A `Host` header the
service does not answer to is `400 bad_request`. When the database cannot be
reached the answer is `503 internal_error` with a `Retry-After` header; any
other unexpected failure is `500 internal_error`, and no stack trace ever
reaches a client.

Request bodies are JSON objects of at most 64 KiB sent as `application/json`.
The `Accept` header never causes an error: every client that does not ask for
HTML gets JSON.
"""


class ErrorCodeField(serializers.ChoiceField):
    """The machine-readable `code` of an error, one of ERROR_CODES."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(choices=ERROR_CODES, **kwargs)


class ErrorCodeFieldSchema(OpenApiSerializerFieldExtension):
    target_class = ErrorCodeField

    def get_name(self) -> str:
        return "ErrorCode"

    def map_serializer_field(self, auto_schema, direction):
        return {
            "type": "string",
            "enum": list(ERROR_CODES),
            "description": "Every code a client of the MicroVisualizer API may meet. The "
            "pinned-projects service answers with bad_request, unauthorized, forbidden, "
            "not_found, project_not_found, conflict, rate_limited, internal_error and "
            "validation_failed.",
        }


class ConstantField(serializers.CharField):
    """A string field whose only value is `value` (a fixed error code)."""

    def __init__(self, value: str, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.value = value


class ConstantFieldSchema(OpenApiSerializerFieldExtension):
    target_class = ConstantField

    def map_serializer_field(self, auto_schema, direction):
        return {"type": "string", "enum": [self.target.value]}


class ErrorSerializer(serializers.Serializer):
    """The standard error body."""

    status = serializers.IntegerField(
        min_value=400, max_value=599, help_text="The HTTP status of the answer, repeated."
    )
    code = ErrorCodeField(help_text="Machine-readable: what went wrong.")
    message = serializers.CharField(
        help_text="Short and human, fixed per code (`Not found`, `Project not found`, ...)."
    )
    details = serializers.CharField(
        required=False, help_text="The specifics, when there is more to say."
    )


class ViolationSerializer(serializers.Serializer):
    """One broken field rule."""

    field = serializers.CharField(help_text="The API's (camelCase) name of the field.")
    message = serializers.CharField(
        help_text="The rule that was broken, e.g. `size must be between 8 and 60`."
    )
    rejectedValue = serializers.JSONField(
        allow_null=True,
        help_text="The value exactly as sent, of any JSON type; `null` when it was missing.",
    )


class ValidationErrorSerializer(serializers.Serializer):
    """A request whose body or path breaks a field rule: one violation per broken rule.

    A missing, `null` or empty value breaks only its first rule; otherwise a value
    may break several rules at once.
    """

    status = serializers.IntegerField(min_value=400, max_value=400, help_text="Always 400.")
    code = ConstantField("validation_failed")
    message = ConstantField("Validation failed")
    violations = ViolationSerializer(many=True)


class RateLimitErrorSerializer(serializers.Serializer):
    """Over budget: retry after `retryAfter` seconds, also sent as `Retry-After`."""

    status = serializers.IntegerField(min_value=429, max_value=429, help_text="Always 429.")
    code = ConstantField("rate_limited")
    message = ConstantField("Too many requests")
    details = serializers.CharField(required=False)
    retryAfter = serializers.IntegerField(
        min_value=1,
        help_text="Whole seconds until the window that refused the request resets; "
        "the same number as the `Retry-After` header.",
    )


class AnyOf(serializers.Serializer):
    """A body matching at least one of several serializers (OpenAPI `anyOf`).

    `oneOf` would be wrong for error bodies: a validation error is also a valid
    standard error, so it would match two alternatives.
    """

    def __init__(self, component_name: str, serializers: list[type[serializers.Serializer]]):
        super().__init__()
        self.component_name = component_name
        self.alternatives = serializers


class AnyOfSchema(OpenApiSerializerExtension):
    target_class = AnyOf

    def get_name(self, auto_schema, direction):
        return self.target.component_name

    def map_serializer(self, auto_schema, direction):
        refs = [
            auto_schema.resolve_serializer(alternative, direction).ref
            for alternative in self.target.alternatives
        ]
        return {"anyOf": refs}


class APIKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    """`Authorization: Bearer <key>` with a member's API key."""

    target_class = "members.authentication.APIKeyAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "API key",
            "description": "A member's API key: `Authorization: Bearer mvp_...`. In Swagger UI, "
            "paste the key alone.",
        }


class SessionAuthenticationScheme(OpenApiAuthenticationExtension):
    """Django's session cookie, as drf-spectacular names it, with a description."""

    target_class = "rest_framework.authentication.SessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": settings.SESSION_COOKIE_NAME,
            "description": "A member signed in at `/api-auth/login/`. `POST` and `DELETE` also "
            "need the CSRF token in an `X-CSRFToken` header.",
        }


def add_api_description(result: dict, generator: object, request: object, public: bool) -> dict:
    """drf-spectacular post-processing hook: the overview at the top of the docs."""
    result["info"]["description"] = API_DESCRIPTION
    return result
