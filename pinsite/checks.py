"""System checks of the service's own deployment settings."""

from django.conf import settings
from django.core import checks


def check_allowed_hosts(app_configs: object = None, **kwargs: object) -> list[checks.CheckMessage]:
    """Deployment check: a production service names the hosts it answers to."""
    if settings.DEBUG or settings.ALLOWED_HOSTS != settings.ALLOWED_HOSTS_DEFAULT:
        return []
    return [
        checks.Warning(
            "ALLOWED_HOSTS is the local default (localhost, 127.0.0.1): clients reaching "
            "the service by its public name will be answered 400.",
            hint="Set ALLOWED_HOSTS to the comma-separated host names of the service.",
            id="pins.W002",
        )
    ]
