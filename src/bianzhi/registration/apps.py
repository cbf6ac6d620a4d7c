from django.apps import AppConfig


class RegistrationConfig(AppConfig):
    name = "bianzhi.registration"
    label = "registration"
    verbose_name = "事业单位登记"

    def ready(self) -> None:
        from bianzhi.orgs import hooks
        from bianzhi.registration import (
            checks,  # noqa: F401  (registers the integrity checks)
            selectors,
        )

        hooks.unit_page.register(selectors.unit_page_context)
