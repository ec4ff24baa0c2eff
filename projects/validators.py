"""The projectId rule, shared by the API, the models and the commands.

A projectId is 8 to 60 characters of lowercase ASCII letters, digits and
hyphens, neither starting nor ending with a hyphen.
"""

import re

from django.core.exceptions import ValidationError

PROJECT_ID_MIN_LENGTH = 8
PROJECT_ID_MAX_LENGTH = 60
# The pattern as clients see it (contract, schema, error messages).
PROJECT_ID_PATTERN = "^[a-z0-9][a-z0-9-]*[a-z0-9]$"
# The same rule for matching: \A and \Z, since Python's `$` also matches before
# a trailing newline. PostgreSQL's regular expressions understand both escapes,
# so the database check constraint uses this form too, with the length folded in.
_PROJECT_ID_RE = re.compile(r"\A[a-z0-9][a-z0-9-]*[a-z0-9]\Z")
PROJECT_ID_DB_REGEX = r"\A[a-z0-9][a-z0-9-]{6,58}[a-z0-9]\Z"

MSG_BLANK = "must not be blank"
MSG_NOT_STRING = "must be a string"
MSG_SIZE = f"size must be between {PROJECT_ID_MIN_LENGTH} and {PROJECT_ID_MAX_LENGTH}"
MSG_PATTERN = f'must match "{PROJECT_ID_PATTERN}"'


def project_id_violations(value: object) -> list[str]:
    """The messages of every projectId rule that `value` breaks, in rule order.

    A missing, null or empty value breaks only the first rule; a non-string
    only the second; a string may break both the length and the pattern.
    """
    if value is None or value == "":
        return [MSG_BLANK]
    if not isinstance(value, str):
        return [MSG_NOT_STRING]
    messages = []
    if not PROJECT_ID_MIN_LENGTH <= len(value) <= PROJECT_ID_MAX_LENGTH:
        messages.append(MSG_SIZE)
    if not _PROJECT_ID_RE.match(value):
        messages.append(MSG_PATTERN)
    return messages


def validate_project_id(value: object) -> None:
    """Django validator: raise ValidationError listing every broken rule."""
    messages = project_id_violations(value)
    if messages:
        raise ValidationError([f"projectId {message}" for message in messages], code="invalid")
