"""JSON rendering with orjson: several times faster than the standard library
on the list endpoint, whose body grows with the number of pins."""

import orjson
from rest_framework.renderers import JSONRenderer


class FastJSONRenderer(JSONRenderer):
    """Compact UTF-8 JSON, like DRF's JSONRenderer with its default settings.

    orjson refuses what JSON cannot represent (NaN, non-string keys) where the
    standard library would write invalid JSON; the API never produces either.
    """

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if data is None:
            return b""
        return orjson.dumps(data)
