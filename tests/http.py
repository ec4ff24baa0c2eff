"""A small HTTP client for tests that talk to real server processes."""

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import Message


@dataclass
class Answer:
    status: int
    headers: Message
    body: bytes

    def json(self) -> object:
        return json.loads(self.body)


def call(
    method: str,
    url: str,
    *,
    headers: dict[str, str] | None = None,
    json_body: object = None,
    data: bytes | None = None,
    timeout: float = 15,
) -> Answer:
    """One request; any status, 4xx and 5xx included, comes back as an Answer."""
    headers = dict(headers or {})
    if json_body is not None:
        data = json.dumps(json_body).encode()
        headers.setdefault("Content-Type", "application/json")
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return Answer(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        with error:
            return Answer(error.code, error.headers, error.read())


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}
