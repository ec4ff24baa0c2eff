"""Schemathesis holds the running service to its OpenAPI schema.

The service runs under gunicorn on PostgreSQL (and Redis when REDIS_URL is
set), with rate budgets too large to matter, and serves its schema at
/v1/schema. Schemathesis reads it there and runs all of its checks on every
operation, with valid and invalid data, as a real member with a real API key.
The run is reproducible: the seed is fixed and no example database is kept.
"""

import json
import os
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from django.db import connection

from members.services import api_key_create, member_create, organization_create
from pins.schema import EXAMPLE_PROJECT_ID
from pins.services import pin_create
from projects.services import project_create
from tests.servers import gunicorn_server

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.integration,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="server processes need PostgreSQL"
    ),
]

PORT = 18560
SEED = 20261203
EXAMPLES_PER_OPERATION = 200
OPERATIONS = {
    "POST /v1/pinned",
    "GET /v1/pinned",
    "GET /v1/pinned/{projectId}",
    "DELETE /v1/pinned/{projectId}",
}
# Operations whose input can be made invalid (the list takes none).
OPERATIONS_WITH_INPUT = OPERATIONS - {"GET /v1/pinned"}
# Every check this version of schemathesis has; `--checks all` must run them all.
CHECKS = {
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "negative_data_rejection",
    "positive_data_acceptance",
    "missing_required_header",
    "unsupported_method",
    "allow_header_conformance",
    "use_after_free",
    "ensure_resource_availability",
    "ignored_auth",
    "object_level_authorization",
    "max_response_time",
}
STATEFUL = "Stateful tests"
HOOKS = Path(__file__).with_name("fuzz_hooks.py")
UNLIMITED = "1000000/m"


# Projects the member has pinned when the run starts. The list leads to them,
# unpinning one leads to pinning it again: the stateful phase creates pins with
# generated pinnedAt values from these.
PINNED_AT_START = ["seeded-project-one", "seeded-project-two"]


def _seed() -> str:
    """A member with an API key and projects of their organization; returns the key.

    The schema's example projectId is one of the projects, so that the
    examples and whatever the fuzzer derives from them pin, read and unpin real
    pins. A member may hold three pins in this run (PINS_MAX_PER_MEMBER=3): with
    the two pinned at the start and the example, pinning "00000000" meets the
    409.
    """
    organization = organization_create(slug="fuzz", name="Fuzz")
    member = member_create(email="fuzz@fuzz.test", organization=organization)
    for project_id in [EXAMPLE_PROJECT_ID, "00000000", *PINNED_AT_START]:
        project_create(project_id=project_id, organization=organization)
    for project_id in PINNED_AT_START:
        pin_create(member=member, project_id=project_id)
    # A project of another organization, which the member must never reach.
    other = organization_create(slug="fuzz-other", name="Other")
    project_create(project_id="other-organization-project", organization=other)
    return api_key_create(member=member, name="fuzz")[1]


def _figures(events_path: Path) -> dict:
    """Test cases, answers, checks and failures per operation, from the event log."""
    cases: dict[str, set[str]] = defaultdict(set)
    modes: dict[str, Counter] = defaultdict(Counter)
    statuses: dict[str, Counter] = defaultdict(Counter)
    checks: Counter = Counter()
    failures: list[str] = []
    for line in events_path.read_text().splitlines():
        finished = json.loads(line).get("ScenarioFinished")
        if finished is None:
            continue
        recorder = finished["recorder"]
        for case_id, results in recorder.get("checks", {}).items():
            case = recorder["cases"][case_id]["value"]
            # A stateful scenario chains several operations; any other scenario
            # belongs to one, including its probes with undocumented methods.
            operation = recorder["label"]
            if operation == STATEFUL:
                operation = f"{case['method']} {case['path']}"
            cases[operation].add(case_id)
            modes[operation][case["meta"]["generation"]["mode"]] += 1
            response = recorder["interactions"].get(case_id, {}).get("response")
            if response is not None:
                statuses[operation][response["status_code"]] += 1
            for result in results:
                checks[result["name"]] += 1
                if result["status"] != "success":
                    failures.append(f"{operation}: {result['name']} ({case_id})")
    return {
        "cases": cases,
        "modes": modes,
        "statuses": statuses,
        "checks": checks,
        "failures": failures,
    }


def _summary(figures: dict) -> str:
    total_cases = sum(len(ids) for ids in figures["cases"].values())
    lines = [
        f"schemathesis (seed {SEED}): {len(figures['cases'])} operations, "
        f"{total_cases} test cases, {sum(figures['checks'].values())} check runs of "
        f"{len(figures['checks'])} checks, {len(figures['failures'])} failures"
    ]
    for operation in sorted(figures["cases"]):
        modes = figures["modes"][operation]
        statuses = ", ".join(
            f"{status}: {count}" for status, count in sorted(figures["statuses"][operation].items())
        )
        lines.append(
            f"  {operation}: {len(figures['cases'][operation])} test cases "
            f"({modes['positive']} positive, {modes['negative']} negative); answers {statuses}"
        )
    lines.append("  checks: " + ", ".join(sorted(figures["checks"])))
    return "\n".join(lines)


def test_schemathesis_finds_nothing_with_all_checks(tmp_path, capsys):
    key = _seed()
    events = tmp_path / "events.ndjson"
    server_env = {
        "PINS_RATE_READ": UNLIMITED,
        "PINS_RATE_WRITE": UNLIMITED,
        "PINS_RATE_ANON": UNLIMITED,
        "PINS_MAX_PER_MEMBER": "3",
        # Thousands of 4xx answers are the point of the run; errors still show.
        "LOG_LEVEL": "ERROR",
    }

    with gunicorn_server(PORT, server_env) as url:
        run = subprocess.run(
            [
                sys.executable,
                "-m",
                "schemathesis.cli",
                "run",
                f"{url}/v1/schema",
                "--checks=all",
                "--mode=all",
                f"--max-examples={EXAMPLES_PER_OPERATION}",
                f"--seed={SEED}",
                "--generation-database=none",
                "--workers=2",
                "--no-color",
                f"--header=Authorization: Bearer {key}",
                "--report=ndjson",
                f"--report-ndjson-path={events}",
            ],
            cwd=tmp_path,
            env={**os.environ, "SCHEMATHESIS_HOOKS": str(HOOKS)},
            capture_output=True,
            text=True,
            timeout=900,
        )

    figures = _figures(events)
    with capsys.disabled():
        print("\n" + _summary(figures))

    assert run.returncode == 0, run.stdout[-20000:] + run.stderr[-5000:]
    assert figures["failures"] == []
    assert set(figures["cases"]) == OPERATIONS
    assert set(figures["checks"]) == CHECKS
    for label in OPERATIONS:
        assert len(figures["cases"][label]) >= EXAMPLES_PER_OPERATION, label
    for label in OPERATIONS_WITH_INPUT:
        assert figures["modes"][label]["negative"] > 0, label
        assert figures["modes"][label]["positive"] > 0, label
