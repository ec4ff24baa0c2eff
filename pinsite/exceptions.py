"""The API's errors: one class per code of the error format.

Each class carries the HTTP status, the machine-readable `code` and the fixed
human `message`; an instance may add `details`. The exception handler in
`pinsite.errors` turns any of them into the standard JSON body.
"""

from rest_framework import status
from rest_framework.exceptions import APIException

# The fixed message of each code (the README's error table).
MESSAGES = {
    "validation_failed": "Validation failed",
    "bad_request": "Bad request",
    "unauthorized": "Authentication required",
    "forbidden": "Forbidden",
    "not_found": "Not found",
    "project_not_found": "Project not found",
    "conflict": "Conflict",
    "rate_limited": "Too many requests",
    "internal_error": "Internal server error",
}

# Every code a client may meet across the MicroVisualizer API; the schema's
# `code` enum lists them all, including those this service does not produce.
ERROR_CODES = (
    "bad_request",
    "unauthorized",
    "payment_required",
    "forbidden",
    "not_found",
    "conflict",
    "rate_limited",
    "internal_error",
    "project_not_found",
    "project_limit_reached",
    "service_not_found",
    "service_name_conflict",
    "subscription_not_found",
    "customer_not_found",
    "insufficient_ai_credits",
    "invalid_billing_cycle",
    "validation_failed",
    "resource_already_exists",
    "public_share_token_not_found",
)


class APIError(APIException):
    """Base of the API's errors; subclasses set `status_code` and `code`."""

    status_code = status.HTTP_500_INTERNAL_SERVER_ERROR
    code = "internal_error"

    def __init__(self, details: str | None = None, *, headers: dict[str, str] | None = None):
        super().__init__(detail=details or self.message, code=self.code)
        self.details = details
        self.headers = headers or {}

    @property
    def message(self) -> str:
        return MESSAGES[self.code]


class BadRequest(APIError):
    status_code = status.HTTP_400_BAD_REQUEST
    code = "bad_request"


class PayloadTooLarge(BadRequest):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE


class NotFound(APIError):
    status_code = status.HTTP_404_NOT_FOUND
    code = "not_found"


class ProjectNotFound(APIError):
    status_code = status.HTTP_404_NOT_FOUND
    code = "project_not_found"

    def __init__(self, project_id: str):
        super().__init__(f"No project '{project_id}' in your organization")


class Conflict(APIError):
    status_code = status.HTTP_409_CONFLICT
    code = "conflict"


class ServiceUnavailable(APIError):
    """The database cannot be reached; the client should retry shortly."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    code = "internal_error"


class Violation(dict):
    """One broken field rule: `field`, `message` and the `rejectedValue`."""

    def __init__(self, field: str, message: str, rejected_value: object):
        super().__init__(field=field, message=message, rejectedValue=rejected_value)


class ValidationFailed(APIError):
    status_code = status.HTTP_400_BAD_REQUEST
    code = "validation_failed"

    def __init__(self, violations: list[Violation]):
        super().__init__()
        self.violations = violations


class RateLimited(APIError):
    """A budget of the README's "Rate limiting" is spent until its window resets.

    `retry_after` is the whole number of seconds until then, at least 1; it is
    sent as the `Retry-After` header (RFC 9110, section 10.2.3) and as
    `retryAfter` in the body.
    """

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    code = "rate_limited"

    def __init__(self, *, retry_after: int):
        self.retry_after = max(1, retry_after)
        super().__init__(headers={"Retry-After": str(self.retry_after)})
