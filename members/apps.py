from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = "Organizations and members"

    def ready(self) -> None:
        from members import signals  # noqa: F401 - connects the sign-in log receivers
