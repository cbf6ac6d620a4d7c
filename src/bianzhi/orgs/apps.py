from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "bianzhi.orgs"
    label = "orgs"
    verbose_name = "机构"

    def ready(self) -> None:
        from bianzhi.orgs import checks  # noqa: F401  (registers the integrity checks)
