from django.apps import AppConfig


class MattersConfig(AppConfig):
    name = "bianzhi.matters"
    label = "matters"
    verbose_name = "机构编制事项"

    def ready(self) -> None:
        from bianzhi.core.todo import todo_items
        from bianzhi.matters import selectors
        from bianzhi.matters.workflow import matters_todo
        from bianzhi.orgs import hooks as register

        todo_items.register(matters_todo)
        register.document_citations.register(selectors.document_citations)
        register.documents_cited_by_units.register(selectors.document_ids_cited_by_units)
