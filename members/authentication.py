"""Bearer API key authentication for the API."""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from members.models import APIKey, Member, hash_api_key
from members.selectors import api_key_get_with_member
from pinsite import clock

logger = logging.getLogger(__name__)

# A key is `mvp_` plus 43 URL-safe characters; anything much longer is not one
# of ours and is refused before it is hashed.
MAX_KEY_LENGTH = 200


class APIKeyAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <key>`, looked up by the key's hash.

    One indexed read finds the key and its member, whatever the key: an
    unknown key costs the same as a known one. A request without an
    Authorization header is left to the next authenticator (the session); a
    header that is present but malformed, unknown, revoked, expired or owned by
    a deactivated member is refused with 401.
    """

    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[Member, APIKey] | None:
        header = request.META.get("HTTP_AUTHORIZATION")
        if header is None:
            return None
        scheme, _, key = header.strip().partition(" ")
        key = key.strip()
        if scheme.lower() != self.keyword.lower() or not key or " " in key:
            raise exceptions.AuthenticationFailed("Malformed Authorization header")
        if len(key) > MAX_KEY_LENGTH:
            raise exceptions.AuthenticationFailed("Invalid API key")

        now = clock.now()
        api_key = api_key_get_with_member(key_hash=hash_api_key(key))
        if api_key is None or not api_key.is_usable(now) or not api_key.member.is_active:
            reason = "unknown" if api_key is None else f"id={api_key.pk} unusable"
            logger.info("API key refused: %s", reason)
            raise exceptions.AuthenticationFailed("Invalid API key")

        self._touch(api_key, now)
        return api_key.member, api_key

    def authenticate_header(self, request: Request) -> str:
        return self.keyword

    @staticmethod
    def _touch(api_key: APIKey, now: datetime) -> None:
        """Record the key's use, at most once per resolution interval.

        Writing on every request would double the cost of a read; a timestamp
        accurate to the minute is all support staff need.
        """
        resolution = timedelta(seconds=settings.API_KEY_LAST_USED_RESOLUTION)
        if api_key.last_used_at is None or now - api_key.last_used_at >= resolution:
            APIKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
            api_key.last_used_at = now
