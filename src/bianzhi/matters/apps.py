from django.apps import AppConfig


class MattersConfig(AppConfig):
    name = "bianzhi.matters"
    label = "matters"
    verbose_name = "机构编制事项"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from bianzhi.core.origins import record_origins
        from bianzhi.core.todo import todo_items
        from bianzhi.matters import selectors
        from bianzhi.matters.normative import normative_todo
        from bianzhi.matters.reporting import reports_todo
        from bianzhi.matters.rules import load_shipped_rules
        from bianzhi.matters.workflow import matters_todo
        from bianzhi.orgs import hooks as register

        post_migrate.connect(load_shipped_rules, sender=self, dispatch_uid="bianzhi_load_shipped_rules")
        todo_items.register(matters_todo)
        todo_items.register(normative_todo)
        todo_items.register(reports_todo)
        record_origins.register(selectors.effect_origins)
        register.document_citations.register(selectors.document_citations)
        register.documents_cited_by_units.register(selectors.document_ids_cited_by_units)
        register.unit_page.register(selectors.unit_page_context)
