"""The OpenAPI description of the pins endpoints.

Each `*_schema` decorator below documents one operation of `pins.views`:
every status it answers with, the body and headers of each, and what the
operation does. The views stay free of documentation.
"""

from drf_spectacular.extensions import OpenApiSerializerExtension, OpenApiSerializerFieldExtension
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema

from pins.serializers import PinInputSerializer, PinOutputSerializer
from pinsite.schema import (
    AnyOf,
    ErrorSerializer,
    RateLimitErrorSerializer,
    ValidationErrorSerializer,
)
from projects.validators import PROJECT_ID_MAX_LENGTH, PROJECT_ID_MIN_LENGTH, PROJECT_ID_PATTERN

# A projectId that the examples of the docs use; the fuzzing test creates a
# project with this id so that the examples can succeed.
EXAMPLE_PROJECT_ID = "my-project-a1b2c"

# The RateLimit-* headers are optional in the schema, though every counted
# answer carries them: while Redis is unreachable requests are served uncounted
# and without them (the limiter fails open), and a 503 given because the
# database could not check the credentials belongs to no budget.
RATE_LIMIT_HEADERS_REQUIRED = False

PROJECT_ID_SCHEMA = {
    "type": "string",
    "minLength": PROJECT_ID_MIN_LENGTH,
    "maxLength": PROJECT_ID_MAX_LENGTH,
    "pattern": PROJECT_ID_PATTERN,
    "example": EXAMPLE_PROJECT_ID,
}

TAG = "pins"


class ProjectIdFieldSchema(OpenApiSerializerFieldExtension):
    target_class = "pins.serializers.ProjectIdField"

    def map_serializer_field(self, auto_schema, direction):
        return dict(PROJECT_ID_SCHEMA)


class PinnedAtFieldSchema(OpenApiSerializerFieldExtension):
    target_class = "pins.serializers.PinnedAtField"

    def map_serializer_field(self, auto_schema, direction):
        example = (
            "2026-11-30T09:15:00+01:00" if direction == "request" else "2026-12-03T17:56:36.123Z"
        )
        return {"type": "string", "format": "date-time", "example": example}


class PinRequestSchema(OpenApiSerializerExtension):
    target_class = "pins.serializers.PinInputSerializer"

    def get_name(self, auto_schema, direction):
        return "PinRequest"


class PinSchema(OpenApiSerializerExtension):
    target_class = "pins.serializers.PinOutputSerializer"

    def get_name(self, auto_schema, direction):
        return "Pin"


def _header(
    name: str, schema: dict, statuses: list[int] | bool, description: str, *, required: bool = True
) -> OpenApiParameter:
    return OpenApiParameter(
        name,
        type=schema,
        location=OpenApiParameter.HEADER,
        response=statuses,
        required=required,
        description=description,
    )


RATE_LIMIT_HEADERS = [
    _header(
        "RateLimit-Limit",
        {"type": "integer", "minimum": 1},
        True,
        "The budget of the current window: how many requests of this kind (reads or writes) "
        "it allows.",
        required=RATE_LIMIT_HEADERS_REQUIRED,
    ),
    _header(
        "RateLimit-Remaining",
        {"type": "integer", "minimum": 0},
        True,
        "What is left of the budget in the current window, never below 0.",
        required=RATE_LIMIT_HEADERS_REQUIRED,
    ),
    _header(
        "RateLimit-Reset",
        {"type": "integer", "minimum": 0},
        True,
        "Whole seconds until the current window resets.",
        required=RATE_LIMIT_HEADERS_REQUIRED,
    ),
]
RETRY_AFTER = _header(
    "Retry-After",
    {"type": "integer", "minimum": 1},
    [429, 503],
    "Whole seconds to wait before retrying (RFC 9110, section 10.2.3).",
)
WWW_AUTHENTICATE = _header(
    "WWW-Authenticate",
    {"type": "string", "example": "Bearer"},
    [401],
    "The scheme to authenticate with: `Bearer`.",
)
LOCATION = _header(
    "Location",
    {"type": "string", "example": f"/v1/pinned/{EXAMPLE_PROJECT_ID}"},
    [201],
    "The path of the new pin: `/v1/pinned/{projectId}`.",
)

PROJECT_ID_PATH = OpenApiParameter(
    "projectId",
    type=PROJECT_ID_SCHEMA,
    location=OpenApiParameter.PATH,
    description=f"The pinned project: {PROJECT_ID_MIN_LENGTH} to {PROJECT_ID_MAX_LENGTH} "
    f"characters matching `{PROJECT_ID_PATTERN}`. A value that breaks the rule is answered "
    "400 `validation_failed`.",
)


def _error(description: str, *examples: OpenApiExample) -> OpenApiResponse:
    return OpenApiResponse(ErrorSerializer, description=description, examples=list(examples))


def _example(name: str, body: dict) -> OpenApiExample:
    return OpenApiExample(name, value=body, response_only=True, status_codes=[body["status"]])


def _error_example(
    name: str, status: int, code: str, message: str, details: str | None = None
) -> OpenApiExample:
    body = {"status": status, "code": code, "message": message}
    if details:
        body["details"] = details
    return _example(name, body)


# Answers every operation may give.
COMMON_RESPONSES = {
    401: _error(
        "Missing, malformed, unknown, revoked or expired credentials, or a deactivated "
        "member: `unauthorized`.",
        _error_example(
            "unauthorized", 401, "unauthorized", "Authentication required", "Invalid API key"
        ),
    ),
    429: OpenApiResponse(
        RateLimitErrorSerializer,
        description="Over the member's budget for this kind of request (or, without valid "
        "credentials, the client IP's): `rate_limited`.",
        examples=[
            _example(
                "rate_limited",
                {
                    "status": 429,
                    "code": "rate_limited",
                    "message": "Too many requests",
                    "retryAfter": 42,
                },
            )
        ],
    ),
    500: _error(
        "An unexpected failure: `internal_error`. It is logged; nothing of it is shown.",
        _error_example("internal_error", 500, "internal_error", "Internal server error"),
    ),
    503: _error(
        "The database cannot be reached: `internal_error`, with `Retry-After`.",
        _error_example(
            "unavailable",
            503,
            "internal_error",
            "Internal server error",
            "The service is temporarily unavailable",
        ),
    ),
}

CSRF_RESPONSE = _error(
    "Over a signed-in session, the CSRF token is missing or wrong: `forbidden`.",
    _error_example(
        "forbidden", 403, "forbidden", "Forbidden", "CSRF verification failed: CSRF token missing."
    ),
)

PATH_VALIDATION_RESPONSE = OpenApiResponse(
    ValidationErrorSerializer,
    description="The projectId in the path breaks the rule: `validation_failed`.",
    examples=[
        _example(
            "invalid projectId",
            {
                "status": 400,
                "code": "validation_failed",
                "message": "Validation failed",
                "violations": [
                    {
                        "field": "projectId",
                        "message": "size must be between 8 and 60",
                        "rejectedValue": "ABC",
                    },
                    {
                        "field": "projectId",
                        "message": f'must match "{PROJECT_ID_PATTERN}"',
                        "rejectedValue": "ABC",
                    },
                ],
            },
        )
    ],
)

PROJECT_NOT_FOUND_EXAMPLE = _error_example(
    "project_not_found",
    404,
    "project_not_found",
    "Project not found",
    f"No project '{EXAMPLE_PROJECT_ID}' in your organization",
)
NOT_PINNED_EXAMPLE = _error_example(
    "not_found",
    404,
    "not_found",
    "Not found",
    f"You have not pinned project '{EXAMPLE_PROJECT_ID}'",
)

HEADERS = [*RATE_LIMIT_HEADERS, RETRY_AFTER, WWW_AUTHENTICATE]

create_pinned_schema = extend_schema(
    operation_id="createPinned",
    summary="Pin a project",
    description="Pins a project for the calling member. Pinning is idempotent: `201 Created` "
    "with a `Location` header when the pin is new, `200 OK` with the existing pin, unchanged "
    "(its original `pinnedAt` kept), when the member had already pinned the project. Two "
    "identical requests racing each other end with one pin, one `201` and one `200`.\n\n"
    "A member holds at most `PINS_MAX_PER_MEMBER` pins (1000 unless the service is "
    "configured otherwise); pinning one more is `409 conflict`, with the limit in `details`. "
    "Re-pinning an already pinned project still answers `200` at the limit.\n\n"
    "Only projects of the member's organization can be pinned; any other projectId, "
    "including one of another organization, is `404 project_not_found`.\n\n"
    "The body is a JSON object of at most 64 KiB sent as `application/json`; unknown "
    "fields are ignored.",
    tags=[TAG],
    request=PinInputSerializer,
    parameters=[*HEADERS, LOCATION],
    examples=[
        OpenApiExample(
            "pin now",
            value={"projectId": EXAMPLE_PROJECT_ID},
            request_only=True,
        ),
        OpenApiExample(
            "pin at a given time",
            value={"projectId": EXAMPLE_PROJECT_ID, "pinnedAt": "2026-11-30T09:15:00+01:00"},
            request_only=True,
        ),
    ],
    responses={
        201: OpenApiResponse(PinOutputSerializer, description="The project is now pinned."),
        200: OpenApiResponse(
            PinOutputSerializer,
            description="The member had already pinned the project; nothing changed.",
        ),
        400: OpenApiResponse(
            AnyOf("BadRequestError", [ValidationErrorSerializer, ErrorSerializer]),
            description="`validation_failed`: a field breaks a rule, one violation per broken "
            "rule. `bad_request`: the body is empty, not JSON, or not a JSON object.",
            examples=[
                _example(
                    "validation_failed",
                    {
                        "status": 400,
                        "code": "validation_failed",
                        "message": "Validation failed",
                        "violations": [
                            {
                                "field": "projectId",
                                "message": "must not be blank",
                                "rejectedValue": None,
                            },
                            {
                                "field": "pinnedAt",
                                "message": "must not be in the future",
                                "rejectedValue": "2999-01-01T00:00:00Z",
                            },
                        ],
                    },
                ),
                _error_example(
                    "bad_request",
                    400,
                    "bad_request",
                    "Bad request",
                    "The request body must be a JSON object, not list",
                ),
            ],
        ),
        401: COMMON_RESPONSES[401],
        403: CSRF_RESPONSE,
        404: _error(
            "No project with this projectId in the member's organization: `project_not_found`.",
            PROJECT_NOT_FOUND_EXAMPLE,
        ),
        409: _error(
            "The member already holds the most pins allowed: `conflict`.",
            _error_example(
                "conflict",
                409,
                "conflict",
                "Conflict",
                "You can pin at most 1000 projects; unpin one first",
            ),
        ),
        413: _error(
            "The body is larger than 64 KiB: `bad_request`.",
            _error_example(
                "too large",
                413,
                "bad_request",
                "Bad request",
                "The request body must not exceed 65536 bytes",
            ),
        ),
        415: _error(
            "The body is not sent as `application/json`: `bad_request`.",
            _error_example(
                "unsupported media type",
                415,
                "bad_request",
                "Bad request",
                'Unsupported media type "text/plain" in request.',
            ),
        ),
        429: COMMON_RESPONSES[429],
        500: COMMON_RESPONSES[500],
        503: COMMON_RESPONSES[503],
    },
)

get_pinned_schema = extend_schema(
    operation_id="getPinned",
    summary="List the member's pins",
    description="The calling member's pins, most recently pinned first; pins with the same "
    "`pinnedAt` come most recently created first, so the order is stable. Only the "
    "member's own pins of projects in their organization. No pins: `[]`.",
    tags=[TAG],
    parameters=HEADERS,
    responses={
        200: OpenApiResponse(PinOutputSerializer(many=True), description="The member's pins."),
        **COMMON_RESPONSES,
    },
)

get_pinned_project_schema = extend_schema(
    operation_id="getPinnedProject",
    summary="Read one pin",
    description="The calling member's pin of one project.",
    tags=[TAG],
    parameters=[PROJECT_ID_PATH, *HEADERS],
    responses={
        200: OpenApiResponse(PinOutputSerializer, description="The pin."),
        400: PATH_VALIDATION_RESPONSE,
        404: _error(
            "`project_not_found`: no project with this projectId in the member's organization. "
            "`not_found`: the project exists but the member has not pinned it.",
            PROJECT_NOT_FOUND_EXAMPLE,
            NOT_PINNED_EXAMPLE,
        ),
        **COMMON_RESPONSES,
    },
)

delete_pinned_schema = extend_schema(
    operation_id="deletePinned",
    summary="Unpin a project",
    description="Removes the calling member's pin of a project. Answers `204` with an empty "
    "body once the pin is gone; a project the member has not pinned is `404 not_found`, "
    "and a projectId with no project in the member's organization is "
    "`404 project_not_found`.",
    tags=[TAG],
    parameters=[PROJECT_ID_PATH, *HEADERS],
    responses={
        204: OpenApiResponse(description="The pin is gone."),
        400: PATH_VALIDATION_RESPONSE,
        403: CSRF_RESPONSE,
        404: _error(
            "`project_not_found`: no project with this projectId in the member's organization. "
            "`not_found`: the project exists but the member has not pinned it.",
            PROJECT_NOT_FOUND_EXAMPLE,
            NOT_PINNED_EXAMPLE,
        ),
        **COMMON_RESPONSES,
    },
)


def _link(operation_id: str, description: str, **link: object) -> dict:
    return {"operationId": operation_id, "description": description, **link}


_PIN_LINKS = {
    "getPinnedProject": _link(
        "getPinnedProject",
        "Read this pin.",
        parameters={"projectId": "$response.body#/projectId"},
    ),
    "deletePinned": _link(
        "deletePinned", "Unpin this project.", parameters={"projectId": "$response.body#/projectId"}
    ),
}
# OpenAPI links between the operations: (operationId, status) -> links.
LINKS = {
    ("createPinned", "201"): _PIN_LINKS,
    ("createPinned", "200"): _PIN_LINKS,
    ("getPinnedProject", "200"): {"deletePinned": _PIN_LINKS["deletePinned"]},
    ("deletePinned", "204"): {
        "createPinned": _link(
            "createPinned",
            "Pin the project again.",
            requestBody={"projectId": "$request.path.projectId"},
        ),
        "getPinnedProject": _link(
            "getPinnedProject",
            "The pin is gone: 404 not_found.",
            parameters={"projectId": "$request.path.projectId"},
        ),
    },
}


def add_links(result: dict, generator: object, request: object, public: bool) -> dict:
    """drf-spectacular post-processing hook: how one operation leads to another."""
    for path_item in result["paths"].values():
        for operation in path_item.values():
            for status, response in operation["responses"].items():
                links = LINKS.get((operation["operationId"], status))
                if links:
                    response["links"] = links
    return result
