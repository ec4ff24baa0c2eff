"""A client generated from the committed openapi.yaml works against the service.

openapi-python-client writes the client into the test's temporary folder;
nothing generated reaches the repository. The service runs under gunicorn on
the test database.
"""

import importlib
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

import pytest
from django.db import connection

from members.services import api_key_create, member_create, organization_create
from projects.services import project_create
from tests.servers import gunicorn_server

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.integration,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="server processes need PostgreSQL"
    ),
]

PORT = 18562
SCHEMA = Path(__file__).resolve().parent.parent / "openapi.yaml"
PACKAGE = "pins_client"
# No post-processing: the generated code is imported, never read or committed.
CONFIG = f"package_name_override: {PACKAGE}\npost_hooks: []\n"


@pytest.fixture(scope="module")
def pins_client(tmp_path_factory) -> Iterator[ModuleType]:
    """The generated client package, importable for the tests of this module."""
    folder = tmp_path_factory.mktemp("client")
    config = folder / "config.yaml"
    config.write_text(CONFIG)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "openapi_python_client",
            "generate",
            f"--path={SCHEMA}",
            f"--config={config}",
            "--meta=none",
            f"--output-path={folder / PACKAGE}",
        ],
        check=True,
        capture_output=True,
        cwd=folder,
    )
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(folder))
        for name in [name for name in sys.modules if name.split(".")[0] == PACKAGE]:
            del sys.modules[name]


def test_generated_client_pins_lists_reads_and_unpins(pins_client):
    from pins_client.api.pins import create_pinned, delete_pinned, get_pinned, get_pinned_project
    from pins_client.models import Pin, PinRequest

    organization = organization_create(slug="client", name="Client")
    member = member_create(email="client@client.test", organization=organization)
    project_create(project_id="client-checkout", organization=organization)
    project_create(project_id="client-billing", organization=organization)
    _, key = api_key_create(member=member, name="generated client")
    earlier = datetime(2026, 1, 15, 9, 30, 0, 250000, tzinfo=UTC)

    with gunicorn_server(PORT) as url:
        client = pins_client.AuthenticatedClient(base_url=url, token=key)

        created = create_pinned.sync_detailed(
            client=client, body=PinRequest(project_id="client-checkout")
        )
        again = create_pinned.sync_detailed(
            client=client, body=PinRequest(project_id="client-checkout")
        )
        dated = create_pinned.sync(
            client=client, body=PinRequest(project_id="client-billing", pinned_at=earlier)
        )
        listed = get_pinned.sync(client=client)
        read = get_pinned_project.sync(project_id="client-checkout", client=client)
        deleted = delete_pinned.sync_detailed(project_id="client-checkout", client=client)
        after = get_pinned.sync(client=client)

    assert created.status_code == 201
    assert created.headers["Location"] == "/v1/pinned/client-checkout"
    assert isinstance(created.parsed, Pin)
    assert created.parsed.project_id == "client-checkout"
    assert created.parsed.pinned_at.tzinfo is not None
    assert again.status_code == 200
    assert again.parsed == created.parsed
    assert dated == Pin(project_id="client-billing", pinned_at=earlier)
    assert listed == [created.parsed, dated]
    assert read == created.parsed
    assert deleted.status_code == 204
    assert deleted.parsed is None
    assert after == [dated]


def test_generated_client_parses_the_error_bodies(pins_client):
    from pins_client.api.pins import create_pinned, get_pinned, get_pinned_project
    from pins_client.models import Error, ErrorCode, PinRequest, ValidationError, Violation

    organization = organization_create(slug="client", name="Client")
    member = member_create(email="client@client.test", organization=organization)
    project_create(project_id="client-checkout", organization=organization)
    other = organization_create(slug="elsewhere", name="Elsewhere")
    project_create(project_id="elsewhere-project", organization=other)
    _, key = api_key_create(member=member, name="generated client")

    with gunicorn_server(PORT) as url:
        client = pins_client.AuthenticatedClient(base_url=url, token=key)
        anonymous = pins_client.Client(base_url=url)

        not_pinned = get_pinned_project.sync(project_id="client-checkout", client=client)
        foreign = create_pinned.sync(client=client, body=PinRequest(project_id="elsewhere-project"))
        invalid = create_pinned.sync(client=client, body=PinRequest(project_id="ABC"))
        unauthorized = get_pinned.sync_detailed(client=anonymous)

    assert not_pinned == Error(
        status=404,
        code=ErrorCode.NOT_FOUND,
        message="Not found",
        details="You have not pinned project 'client-checkout'",
    )
    assert foreign == Error(
        status=404,
        code=ErrorCode.PROJECT_NOT_FOUND,
        message="Project not found",
        details="No project 'elsewhere-project' in your organization",
    )
    assert isinstance(invalid, ValidationError)
    assert invalid.status == 400
    assert invalid.violations == [
        Violation(field="projectId", message="size must be between 8 and 60", rejected_value="ABC"),
        Violation(
            field="projectId",
            message='must match "^[a-z0-9][a-z0-9-]*[a-z0-9]$"',
            rejected_value="ABC",
        ),
    ]
    assert unauthorized.status_code == 401
    assert unauthorized.headers["WWW-Authenticate"] == "Bearer"
    assert isinstance(unauthorized.parsed, Error)
    assert unauthorized.parsed.code == ErrorCode.UNAUTHORIZED
