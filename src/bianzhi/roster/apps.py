from django.apps import AppConfig


class RosterConfig(AppConfig):
    name = "bianzhi.roster"
    label = "roster"
    verbose_name = "实名制"

    def ready(self) -> None:
        from bianzhi.roster import checks  # noqa: F401  (registers the integrity checks)
