"""Bearer API keys and sessions."""

import logging
from datetime import UTC, datetime, timedelta

import pytest
from rest_framework.test import APIClient

from members.models import APIKey
from members.services import api_key_create, api_key_revoke, member_create

pytestmark = pytest.mark.django_db

UNAUTHORIZED = {"status": 401, "code": "unauthorized", "message": "Authentication required"}


def _bearer(value: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=value)
    return client


def _assert_unauthorized(response) -> None:
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert {key: body[key] for key in UNAUTHORIZED} == UNAUTHORIZED


def test_valid_key_authenticates_as_its_member(api):
    assert api.get("/v1/pinned").status_code == 200


def test_missing_credentials_are_unauthorized(client):
    _assert_unauthorized(client.get("/v1/pinned"))


@pytest.mark.parametrize(
    "header",
    ["Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Token abc", "Bearer a b", "mvp_abc"],
)
def test_malformed_authorization_is_unauthorized(header):
    _assert_unauthorized(_bearer(header).get("/v1/pinned"))


def test_unknown_key_is_unauthorized():
    _assert_unauthorized(_bearer("Bearer mvp_" + "x" * 43).get("/v1/pinned"))


def test_overlong_key_is_unauthorized():
    _assert_unauthorized(_bearer("Bearer " + "x" * 5000).get("/v1/pinned"))


def test_scheme_is_case_insensitive(api_key):
    assert _bearer(f"bearer {api_key}").get("/v1/pinned").status_code == 200


def test_revoked_key_is_unauthorized(member):
    stored, key = api_key_create(member=member)
    api_key_revoke(api_key=stored)

    _assert_unauthorized(_bearer(f"Bearer {key}").get("/v1/pinned"))


def test_expired_key_is_unauthorized(member, frozen_now):
    _, key = api_key_create(member=member, expires_at=datetime(2026, 12, 1, tzinfo=UTC))
    frozen_now(datetime(2026, 12, 1, tzinfo=UTC))

    _assert_unauthorized(_bearer(f"Bearer {key}").get("/v1/pinned"))


def test_key_before_its_expiry_is_accepted(member, frozen_now):
    _, key = api_key_create(member=member, expires_at=datetime(2026, 12, 1, tzinfo=UTC))
    frozen_now(datetime(2026, 11, 30, 23, 59, 59, tzinfo=UTC))

    assert _bearer(f"Bearer {key}").get("/v1/pinned").status_code == 200


def test_key_of_deactivated_member_is_unauthorized(member, api_key):
    member.is_active = False
    member.save()

    _assert_unauthorized(_bearer(f"Bearer {api_key}").get("/v1/pinned"))


def test_bad_key_is_not_rescued_by_a_valid_session(member):
    client = _bearer("Bearer mvp_unknown")
    client.force_login(member)

    _assert_unauthorized(client.get("/v1/pinned"))


def test_key_acts_as_its_owner_only(organization, project, api):
    other = member_create(email="bob@acme.test", organization=organization)
    _, other_key = api_key_create(member=other)
    api.post("/v1/pinned", {"projectId": project.project_id}, format="json")

    assert _bearer(f"Bearer {other_key}").get("/v1/pinned").json() == []


def test_only_the_hash_of_a_key_is_stored(member):
    stored, key = api_key_create(member=member)

    row = APIKey.objects.values().get(pk=stored.pk)
    assert key not in [str(value) for value in row.values()]
    assert key[12:] not in "".join(str(value) for value in row.values())
    assert row["prefix"] == key[:12]


def test_last_used_is_written_at_most_once_a_minute(member, frozen_now):
    stored, key = api_key_create(member=member)
    client = _bearer(f"Bearer {key}")
    start = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)

    frozen_now(start)
    client.get("/v1/pinned")
    frozen_now(start + timedelta(seconds=59))
    client.get("/v1/pinned")
    assert APIKey.objects.get(pk=stored.pk).last_used_at == start

    frozen_now(start + timedelta(seconds=60))
    client.get("/v1/pinned")
    assert APIKey.objects.get(pk=stored.pk).last_used_at == start + timedelta(seconds=60)


def test_keys_never_reach_the_log(member, caplog):
    stored, key = api_key_create(member=member)
    api_key_revoke(api_key=stored)

    with caplog.at_level(logging.DEBUG):
        _bearer(f"Bearer {key}").get("/v1/pinned")
        _bearer("Bearer mvp_guessed-key").get("/v1/pinned")

    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "API key refused" in logged
    assert key not in logged
    assert key[4:12] not in logged
    assert "mvp_guessed-key" not in logged


def test_session_sign_in_with_email_and_password(organization, project):
    member_create(email="ada@acme.test", organization=organization, password="a-long-passphrase")
    browser = APIClient()

    page = browser.get("/api-auth/login/")
    assert page.status_code == 200
    signed_in = browser.post(
        "/api-auth/login/",
        {"username": "ada@acme.test", "password": "a-long-passphrase", "next": "/v1/pinned"},
    )

    assert signed_in.status_code == 302
    assert browser.get("/v1/pinned", HTTP_ACCEPT="application/json").status_code == 200


def test_session_write_with_csrf_token_succeeds(member, project):
    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(member)
    browser.get("/api-auth/login/")
    token = browser.cookies["csrftoken"].value

    response = browser.post(
        "/v1/pinned", {"projectId": project.project_id}, format="json", HTTP_X_CSRFTOKEN=token
    )

    assert response.status_code == 201


def test_session_of_deactivated_member_is_unauthorized(member):
    browser = APIClient()
    browser.force_login(member)
    member.is_active = False
    member.save()

    _assert_unauthorized(browser.get("/v1/pinned"))
