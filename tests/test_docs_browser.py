"""The documentation pages work in a real browser, offline.

gunicorn serves the service (DEBUG off, static files collected and served by
the service itself); a headless Chromium loads Swagger UI and Redoc from it,
and Swagger UI pins a project with a bearer key entered in "Authorize".
"""

import json
import os
import shutil
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.db import connection

from members.services import api_key_create, member_create, organization_create
from pins.models import Pin
from pins.schema import EXAMPLE_PROJECT_ID
from projects.services import project_create
from tests.servers import gunicorn_server

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.integration,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="server processes need PostgreSQL"
    ),
]

PORT = 18561
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
WAIT_SECONDS = 30
# Redoc's side menu asks for its vendor's logo from a CDN; the page's
# Content-Security-Policy refuses it, which the console reports.
REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"
OPERATION_IDS = {"createPinned", "getPinned", "getPinnedProject", "deletePinned"}


@pytest.fixture
def browser(tmp_path) -> Iterator[object]:
    """Headless Chromium from the system's packages, with a fresh profile."""
    if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
        message = "needs Debian's chromium and chromium-driver packages"
        if os.environ.get("PINS_REQUIRE_SERVICES") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--no-first-run",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,2000",
        f"--user-data-dir={tmp_path / 'profile'}",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def served(settings) -> Iterator[str]:
    """The service under gunicorn with its static files collected."""
    shutil.rmtree(settings.STATIC_ROOT, ignore_errors=True)
    call_command("collectstatic", interactive=False, verbosity=0)
    with gunicorn_server(PORT, {"LOG_LEVEL": "WARNING"}) as url:
        yield url


def _wait(driver: object, condition: object) -> object:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, WAIT_SECONDS).until(condition)


def _requests_that_left(driver: object, origin: str) -> list[str]:
    """Every request the page sent anywhere but the service.

    Read from Chromium's network log: a request refused by the page's
    Content-Security-Policy is logged too, but never leaves the browser.
    """
    sent: dict[str, str] = {}
    blocked: set[str] = set()
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        params = message["params"]
        if message["method"] == "Network.requestWillBeSent":
            if params.get("documentURL", "").startswith(origin):
                sent[params["requestId"]] = params["request"]["url"]
        elif message["method"] == "Network.loadingFailed" and params.get("blockedReason"):
            blocked.add(params["requestId"])
    return [
        url
        for request_id, url in sent.items()
        if request_id not in blocked
        and url.startswith(("http:", "https:"))
        and not url.startswith(origin + "/")
    ]


def _errors_in_console(driver: object, *, refused: str | None = None) -> list[str]:
    """The console's errors, except the policy's refusal of `refused`."""
    errors = [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
    return [
        message
        for message in errors
        if not (refused and refused in message and "Content Security Policy" in message)
    ]


def _wait_for_operations(driver: object) -> set[str]:
    """The operation ids Swagger UI shows, once it has rendered all four."""
    from selenium.webdriver.common.by import By

    _wait(driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, ".opblock")) == 4)
    ids = driver.find_elements(By.CSS_SELECTOR, ".opblock-summary-operation-id")
    return {element.text for element in ids}


def _try_out_create_pinned(driver: object) -> tuple[str, str]:
    """Run createPinned from Swagger UI with the schema's example body.

    Returns the status Swagger UI shows and the curl command it displays.
    """
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec

    operation = driver.find_element(By.ID, "operations-pins-createPinned")
    operation.find_element(By.CSS_SELECTOR, ".opblock-summary-control").click()
    _wait(driver, ec.element_to_be_clickable((By.CSS_SELECTOR, ".try-out__btn"))).click()
    body = _wait(
        driver,
        ec.visibility_of_element_located(
            (By.CSS_SELECTOR, "#operations-pins-createPinned textarea.body-param__text")
        ),
    )
    assert EXAMPLE_PROJECT_ID in body.get_attribute("value")
    operation.find_element(By.CSS_SELECTOR, "button.execute").click()
    status = _wait(
        driver,
        ec.visibility_of_element_located(
            (
                By.CSS_SELECTOR,
                "#operations-pins-createPinned .live-responses-table "
                "tr.response .response-col_status",
            )
        ),
    )
    return status.text.strip(), operation.find_element(By.CSS_SELECTOR, ".curl-command").text


def test_swagger_ui_authorizes_with_a_bearer_key_and_pins(browser, served):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec

    organization = organization_create(slug="docs", name="Docs")
    member = member_create(email="docs@docs.test", organization=organization)
    project_create(project_id=EXAMPLE_PROJECT_ID, organization=organization)
    _, key = api_key_create(member=member, name="browser")

    browser.get(f"{served}/v1/docs")
    assert _wait_for_operations(browser) == OPERATION_IDS

    # Authorize: the key goes into the bearer scheme's field.
    browser.find_element(By.CSS_SELECTOR, ".auth-wrapper .authorize").click()
    field = _wait(
        browser,
        ec.element_to_be_clickable((By.CSS_SELECTOR, "input[aria-label='auth-bearer-value']")),
    )
    field.send_keys(key)
    form = field.find_element(By.XPATH, "./ancestor::form")
    form.find_element(By.CSS_SELECTOR, "button.authorize").click()
    _wait(browser, ec.element_to_be_clickable((By.CSS_SELECTOR, ".dialog-ux .btn-done"))).click()

    status, curl = _try_out_create_pinned(browser)

    assert status == "201"
    assert f"Authorization: Bearer {key}" in curl
    assert Pin.objects.filter(member=member, project__project_id=EXAMPLE_PROJECT_ID).exists()
    assert _requests_that_left(browser, served) == []
    assert _errors_in_console(browser) == []


def test_swagger_ui_pins_for_a_member_signed_in_with_a_session(browser, served):
    """Signed in at /api-auth/login/, Swagger UI's calls carry the session and
    its CSRF token, without any key."""
    from selenium.webdriver.common.by import By

    organization = organization_create(slug="docs", name="Docs")
    member = member_create(
        email="docs@docs.test", organization=organization, password="docs-password-2026"
    )
    project_create(project_id=EXAMPLE_PROJECT_ID, organization=organization)

    browser.get(f"{served}/api-auth/login/?next=/v1/docs")
    browser.find_element(By.NAME, "username").send_keys("docs@docs.test")
    browser.find_element(By.NAME, "password").send_keys("docs-password-2026")
    browser.find_element(By.CSS_SELECTOR, "form [type=submit]").click()
    assert _wait_for_operations(browser) == OPERATION_IDS

    status, curl = _try_out_create_pinned(browser)

    assert status == "201"
    assert "Authorization" not in curl
    assert Pin.objects.filter(member=member, project__project_id=EXAMPLE_PROJECT_ID).exists()


def test_redoc_renders_every_operation_offline(browser, served):
    from selenium.webdriver.common.by import By

    browser.get(f"{served}/v1/redoc")

    for operation_id in OPERATION_IDS:
        _wait(
            browser,
            lambda d, operation_id=operation_id: d.find_elements(
                By.ID, f"tag/pins/operation/{operation_id}"
            ),
        )
    text = browser.find_element(By.TAG_NAME, "body").text
    for summary in ("Pin a project", "List the member's pins", "Read one pin", "Unpin a project"):
        assert summary in text
    assert "Authentication" in text

    assert _requests_that_left(browser, served) == []
    assert _errors_in_console(browser, refused=REDOC_LOGO) == []
