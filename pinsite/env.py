"""Typed readers for the environment variables that configure the service."""

import os
import re

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}
# A request budget: a count per period, the period an optional multiple of a
# second, minute, hour or day ("600/m", "100/5m").
_RATE_RE = re.compile(r"([1-9]\d*)/([1-9]\d*)?([smhd])", re.ASCII)


def env_str(name: str, default: str | None = None) -> str | None:
    """The variable's value, or `default` when it is unset or empty."""
    value = os.environ.get(name, "").strip()
    return value or default


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    value = env_str(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from None
    if number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {number}")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = env_str(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_rate(name: str, default: str) -> str:
    """A request budget such as `600/m`: at least one request per period."""
    value = env_str(name, default)
    if not _RATE_RE.fullmatch(value):
        raise ImproperlyConfigured(
            f"{name} must be a budget <count>/<period> such as 600/m "
            f"(period s, m, h or d, optionally a multiple: 100/5m), not {value!r}"
        )
    return value
