"""Schemathesis hooks for the fuzzing test: the rules the schema states in words.

`pinnedAt` must not lie in the future, nor before the first instant a date can
hold (0001-01-01T00:00:00Z). JSON Schema cannot compare a value with the
server's clock, so the schema says it in the field's description and answers
400 `validation_failed` otherwise. Left alone, schemathesis would draw
`date-time` values up to the year 9999 as valid data and report their refusal.
This module teaches it the rule instead: its valid `date-time` values are every
RFC 3339 spelling (offsets, fractions of any length, lowercase `t` and `z`) of
instants between year 1 and the moment the run starts. Invalid values are still
drawn by schemathesis' own negative generation.
"""

from datetime import UTC, datetime, timedelta

import schemathesis
from hypothesis import strategies as st

# The largest offset RFC 3339 can write, +/-23:59.
MAX_OFFSET_MINUTES = 23 * 60 + 59


@st.composite
def rfc3339_not_after(draw: st.DrawFn, latest: datetime) -> str:
    """An RFC 3339 date-time whose instant lies between year 1 and `latest`."""
    earliest = datetime(1, 1, 2)  # a day of margin so any offset's wall clock stays in year 1
    instant = draw(st.datetimes(min_value=earliest, max_value=latest.replace(tzinfo=None)))
    offset = draw(st.none() | st.integers(-MAX_OFFSET_MINUTES, MAX_OFFSET_MINUTES))
    wall = instant if offset is None else instant + timedelta(minutes=offset)

    digits = draw(st.integers(0, 9))
    fraction = f"{wall.microsecond:06d}"[:digits]
    if digits > 6:
        # Digits beyond the microsecond are ignored by the service: any will do.
        fraction += draw(st.text("0123456789", min_size=digits - 6, max_size=digits - 6))

    if offset is None:
        zone = draw(st.sampled_from("Zz"))
    else:
        sign = "-" if offset < 0 else "+"
        zone = f"{sign}{abs(offset) // 60:02d}:{abs(offset) % 60:02d}"
    separator = draw(st.sampled_from("Tt"))
    return (
        f"{wall.year:04d}-{wall.month:02d}-{wall.day:02d}{separator}"
        f"{wall.hour:02d}:{wall.minute:02d}:{wall.second:02d}"
        f"{'.' + fraction if fraction else ''}{zone}"
    )


schemathesis.openapi.format("date-time", rfc3339_not_after(datetime.now(UTC)))
