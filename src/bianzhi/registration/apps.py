from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationConfig(AppConfig):
    name = "bianzhi.registration"
    label = "registration"
    verbose_name = "事业单位登记"

    def ready(self) -> None:
        from bianzhi.core.daily import register_daily_job
        from bianzhi.core.todo import todo_items
        from bianzhi.orgs import hooks
        from bianzhi.registration import (
            checks,  # noqa: F401  (registers the integrity checks)
            selectors,
        )
        from bianzhi.registration.annual import annual_todo
        from bianzhi.registration.applications import applications_todo, promises_check
        from bianzhi.registration.draws import draws_todo
        from bianzhi.registration.filings import filings_todo

        hooks.unit_page.register(selectors.unit_page_context)
        todo_items.register(applications_todo)
        todo_items.register(annual_todo)
        register_daily_job("registration.promises_check", _("记录逾期未补正的容缺承诺"), promises_check)
        todo_items.register(draws_todo)
        todo_items.register(filings_todo)
