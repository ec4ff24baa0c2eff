"""Request body parsing for the API: JSON only, 64 KiB at most."""

import json
import math
from typing import Any

from django.conf import settings
from rest_framework.parsers import BaseParser

from pinsite.exceptions import BadRequest, PayloadTooLarge


class BoundedJSONParser(BaseParser):
    """Parses a JSON body of at most `API_MAX_BODY_BYTES` bytes.

    DRF hands parsers the raw request stream, bypassing Django's
    DATA_UPLOAD_MAX_MEMORY_SIZE, so the cap is enforced here: a larger body is
    refused with 413 without being read past the limit.
    """

    media_type = "application/json"

    def parse(self, stream, media_type=None, parser_context=None) -> Any:
        limit = settings.API_MAX_BODY_BYTES
        request = (parser_context or {}).get("request")
        declared = request.META.get("CONTENT_LENGTH", "") if request is not None else ""
        if declared.isdigit() and int(declared) > limit:
            raise PayloadTooLarge(f"The request body must not exceed {limit} bytes")
        raw = stream.read(limit + 1)
        if len(raw) > limit:
            raise PayloadTooLarge(f"The request body must not exceed {limit} bytes")
        try:
            return json.loads(
                raw.decode("utf-8"), parse_constant=_reject_constant, parse_float=_finite_float
            )
        except (UnicodeDecodeError, ValueError, RecursionError) as exc:
            raise BadRequest(f"The request body is not valid JSON: {exc}") from None


def _finite_float(text: str) -> float:
    # A number such as 1e400 is valid JSON but no double holds it: Python reads
    # it as infinity, which cannot be written back as JSON (in an error's
    # rejectedValue, say).
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"the number {text} is out of range")
    return value


def _reject_constant(name: str) -> None:
    # NaN and Infinity are accepted by Python's json module but are not JSON.
    raise ValueError(f"{name} is not valid JSON")
