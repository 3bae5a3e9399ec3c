from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running the service: backup and restore (`backup`, `restore` commands)."""

    name = "dondoc.ops"
    label = "ops"
    verbose_name = "Vận hành"

    def ready(self) -> None:
        from dondoc.ops import checks  # noqa: F401  (registers the database checks)
