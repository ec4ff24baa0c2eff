from django.apps import AppConfig
from django.core import checks


class PinsConfig(AppConfig):
    name = "pins"

    def ready(self) -> None:
        from pinsite.checks import check_allowed_hosts
        from pinsite.ratelimit import check_shared_cache

        checks.register(check_shared_cache, checks.Tags.caches, deploy=True)
        checks.register(check_allowed_hosts, checks.Tags.security, deploy=True)
