"""Reads of members and API keys."""

from django.db import connection

from members.models import APIKey, Member
from pinsite.db import aware_utc, fetch_one

_KEY_FIELDS = ("id", "member_id", "name", "prefix", "last_used_at", "expires_at", "revoked_at")
_MEMBER_FIELDS = ("id", "email", "name", "organization_id", "is_active", "is_staff")

# Table names come from the models; every value is a parameter.
_KEY_SQL = (
    "SELECT api_key.id, api_key.member_id, api_key.name, api_key.prefix, "  # noqa: S608
    "api_key.last_used_at, api_key.expires_at, api_key.revoked_at, "
    "member.id, member.email, member.name, member.organization_id, member.is_active, "
    f"member.is_staff FROM {APIKey._meta.db_table} api_key "
    f"JOIN {Member._meta.db_table} member ON member.id = api_key.member_id "
    "WHERE api_key.key_hash = %s"
)


def api_key_get_with_member(*, key_hash: str) -> APIKey | None:
    """The API key with this hash and its member, in one query; None if unknown.

    Runs on every authenticated request, hence the written-out statement. The
    instances carry only the columns authentication needs; any other field
    is loaded on first access, and saving them writes only the loaded fields.
    """
    row = fetch_one(_KEY_SQL, [key_hash])
    if row is None:
        return None
    key_id, member_id, name, prefix, last_used_at, expires_at, revoked_at = row[:7]
    api_key = APIKey.from_db(
        connection.alias,
        _KEY_FIELDS,
        (
            key_id,
            member_id,
            name,
            prefix,
            aware_utc(last_used_at),
            aware_utc(expires_at),
            aware_utc(revoked_at),
        ),
    )
    m_id, email, m_name, organization_id, is_active, is_staff = row[7:]
    api_key.member = Member.from_db(
        connection.alias,
        _MEMBER_FIELDS,
        (m_id, email, m_name, organization_id, bool(is_active), bool(is_staff)),
    )
    return api_key
