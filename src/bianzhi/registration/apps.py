from django.apps import AppConfig


class RegistrationConfig(AppConfig):
    name = "bianzhi.registration"
    label = "registration"
    verbose_name = "事业单位登记"

    def ready(self) -> None:
        from bianzhi.core.todo import todo_items
        from bianzhi.orgs import hooks
        from bianzhi.registration import (
            checks,  # noqa: F401  (registers the integrity checks)
            selectors,
        )
        from bianzhi.registration.draws import draws_todo

        hooks.unit_page.register(selectors.unit_page_context)
        todo_items.register(draws_todo)
