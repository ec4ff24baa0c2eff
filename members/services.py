"""Writes of organizations, members and API keys.

The management commands, the admin and the demo setup all go through these,
so that every path applies the same rules.
"""

import logging
from datetime import datetime, timedelta

from django.db import transaction

from members.models import (
    API_KEY_VISIBLE_CHARS,
    APIKey,
    Member,
    Organization,
    generate_api_key,
    hash_api_key,
)
from pinsite import clock

logger = logging.getLogger(__name__)


def organization_create(*, slug: str, name: str = "") -> Organization:
    organization = Organization(slug=slug, name=name or slug)
    organization.full_clean()
    organization.save()
    logger.info("Organization created: id=%s slug=%s", organization.pk, slug)
    return organization


def member_create(
    *,
    email: str,
    organization: Organization,
    name: str = "",
    password: str | None = None,
    is_staff: bool = False,
) -> Member:
    """A new member; without a password they can only use API keys."""
    member = Member.objects.create_user(
        email=email, password=password, organization=organization, name=name, is_staff=is_staff
    )
    logger.info("Member created: id=%s organization=%s", member.pk, organization.slug)
    return member


def api_key_create(
    *, member: Member, name: str = "", expires_at: datetime | None = None
) -> tuple[APIKey, str]:
    """A new API key for the member: the stored row and the key itself.

    The key is returned once, here; only its hash is stored.
    """
    key = generate_api_key()
    api_key = APIKey(
        member=member,
        name=name,
        prefix=key[:API_KEY_VISIBLE_CHARS],
        key_hash=hash_api_key(key),
        expires_at=expires_at,
    )
    api_key.full_clean()
    api_key.save()
    logger.info("API key created: id=%s member=%s", api_key.pk, member.pk)
    return api_key, key


def api_key_expiry(days: int | None) -> datetime | None:
    return None if days is None else clock.now() + timedelta(days=days)


@transaction.atomic
def api_key_revoke(*, api_key: APIKey) -> APIKey:
    """Revoke the key from now on; revoking twice keeps the first time."""
    locked = APIKey.objects.select_for_update().get(pk=api_key.pk)
    if locked.revoked_at is None:
        locked.revoked_at = clock.now()
        locked.save(update_fields=["revoked_at"])
        logger.info("API key revoked: id=%s member=%s", locked.pk, locked.member_id)
    api_key.revoked_at = locked.revoked_at
    return locked


def api_key_find(*, key: str) -> APIKey | None:
    """The stored key matching a full key, revoked or not."""
    return APIKey.objects.filter(key_hash=hash_api_key(key)).first()
