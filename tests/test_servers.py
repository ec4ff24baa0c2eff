"""The service runs under gunicorn, as in production."""

import json
import urllib.request

import pytest
from django.db import connection

from members.services import api_key_create, member_create, organization_create
from projects.services import project_create
from tests.servers import gunicorn_server

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="server processes need PostgreSQL"
    ),
]


def test_gunicorn_serves_the_pins_of_the_test_database():
    organization = organization_create(slug="served")
    member = member_create(email="served@served.test", organization=organization)
    project_create(project_id="served-project", organization=organization)
    _, key = api_key_create(member=member)

    with gunicorn_server(18400) as url:
        request = urllib.request.Request(
            f"{url}/v1/pinned",
            data=json.dumps({"projectId": "served-project"}).encode(),
            headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 201
            assert json.load(response)["projectId"] == "served-project"
