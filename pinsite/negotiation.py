"""Content negotiation that never refuses to answer."""

from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation


class JSONFallbackNegotiation(DefaultContentNegotiation):
    """Honour `Accept` when a renderer matches it, else answer JSON.

    The API has a single representation; refusing a client with 406 because
    its Accept header omits JSON would help nobody.
    """

    def select_renderer(self, request, renderers, format_suffix=None):
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except NotAcceptable:
            return renderers[0], renderers[0].media_type
