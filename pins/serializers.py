"""Wire format of pins: camelCase outside, snake_case inside."""

import re
from datetime import UTC, datetime, timedelta, timezone

from rest_framework import serializers

from pins.selectors import PinnedProject
from pinsite import clock
from pinsite.exceptions import ValidationFailed, Violation
from projects.validators import (
    MSG_BLANK,
    PROJECT_ID_MAX_LENGTH,
    PROJECT_ID_MIN_LENGTH,
    PROJECT_ID_PATTERN,
    project_id_violations,
)

MSG_DATETIME = "must be an RFC 3339 date-time with a time zone"
MSG_FUTURE = "must not be in the future"

# RFC 3339, section 5.6, `date-time`: full-date "T" full-time, where the time
# carries an offset or "Z". Both letters may be lowercase (section 5.6, note).
_RFC3339_RE = re.compile(
    r"\A(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})[Tt]"
    r"(?P<hour>\d{2}):(?P<minute>\d{2}):(?P<second>\d{2})(?:\.(?P<fraction>\d+))?"
    r"(?:(?P<utc>[Zz])|(?P<sign>[+-])(?P<off_hour>\d{2}):(?P<off_minute>\d{2}))\Z",
    re.ASCII,
)


def parse_rfc3339(value: str) -> datetime | None:
    """An aware datetime for an RFC 3339 date-time string, or None.

    Fractions beyond microseconds are cut off. A leap second (":60") becomes
    the last microsecond of its minute, which Python's datetime can hold.
    """
    match = _RFC3339_RE.match(value)
    if match is None:
        return None
    parts = match.groupdict()
    if parts["utc"]:
        tz = UTC
    else:
        off_hour, off_minute = int(parts["off_hour"]), int(parts["off_minute"])
        if off_hour > 23 or off_minute > 59:
            return None
        offset = timedelta(hours=off_hour, minutes=off_minute)
        tz = timezone(-offset if parts["sign"] == "-" else offset)
    second = int(parts["second"])
    microsecond = int((parts["fraction"] or "0")[:6].ljust(6, "0"))
    if second == 60:
        second, microsecond = 59, 999_999
    try:
        parsed = datetime(
            int(parts["year"]),
            int(parts["month"]),
            int(parts["day"]),
            int(parts["hour"]),
            int(parts["minute"]),
            second,
            microsecond,
            tzinfo=tz,
        )
        return parsed.astimezone(UTC)
    except (ValueError, OverflowError):
        return None


def format_pinned_at(value: datetime) -> str:
    """UTC, millisecond precision, with a `Z`: 2026-12-03T17:56:36.123Z."""
    # isoformat() writes four-digit years (strftime's %Y does not pad years
    # before 1000 on every platform).
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class ProjectIdField(serializers.Field):
    """A projectId: a string taken as sent, neither coerced nor trimmed."""

    default_error_messages = {"required": MSG_BLANK, "null": MSG_BLANK}

    def to_internal_value(self, data):
        messages = project_id_violations(data)
        if messages:
            raise serializers.ValidationError(messages)
        return data

    def to_representation(self, value):
        return value


class PinnedAtField(serializers.Field):
    """An RFC 3339 date-time with a time zone, not later than now."""

    default_error_messages = {"invalid": MSG_DATETIME, "future": MSG_FUTURE}

    def to_internal_value(self, data):
        parsed = parse_rfc3339(data) if isinstance(data, str) else None
        if parsed is None:
            self.fail("invalid")
        if parsed > clock.now():
            self.fail("future")
        return parsed

    def to_representation(self, value):
        return format_pinned_at(value)


class PinInputSerializer(serializers.Serializer):
    """Body of POST /v1/pinned. Unknown fields are ignored."""

    projectId = ProjectIdField(
        source="project_id",
        help_text=f"The project to pin: {PROJECT_ID_MIN_LENGTH} to {PROJECT_ID_MAX_LENGTH} "
        f"characters matching {PROJECT_ID_PATTERN}.",
    )
    pinnedAt = PinnedAtField(
        source="pinned_at",
        required=False,
        allow_null=True,
        help_text="When the project was pinned: an RFC 3339 date-time with a time zone "
        "(`Z` or an offset), from 0001-01-01T00:00:00Z up to the server's clock. Omitted or "
        "null means now. Stored in UTC, truncated to the millisecond.",
    )

    def validated_or_raise(self) -> dict:
        """The validated data, or ValidationFailed listing every violation."""
        if self.is_valid():
            return self.validated_data
        sent = self.initial_data
        raise ValidationFailed(
            [
                Violation(field, str(message), sent.get(field))
                for field, messages in self.errors.items()
                for message in messages
            ]
        )


# Describes the shape for the schema only: `pin_representation` produces the
# answers, without per-field serializer work.
class PinOutputSerializer(serializers.Serializer):
    """A pin: the projectId and when it was pinned."""

    projectId = ProjectIdField(source="project_id", help_text="The pinned project.")
    pinnedAt = PinnedAtField(
        source="pinned_at", help_text="When it was pinned, in UTC with millisecond precision."
    )


def pin_representation(pin: PinnedProject) -> dict[str, str]:
    """The pin object of the API, as PinOutputSerializer describes it."""
    return {"projectId": pin.project_id, "pinnedAt": format_pinned_at(pin.pinned_at)}


def path_project_id_or_raise(project_id: str) -> str:
    """The projectId of a URL path, or ValidationFailed when it breaks the rule."""
    messages = project_id_violations(project_id)
    if messages:
        raise ValidationFailed([Violation("projectId", m, project_id) for m in messages])
    return project_id
