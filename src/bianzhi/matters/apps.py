from django.apps import AppConfig


class MattersConfig(AppConfig):
    name = "bianzhi.matters"
    label = "matters"
    verbose_name = "机构编制事项"

    def ready(self) -> None:
        from bianzhi.core.todo import todo_items
        from bianzhi.matters.normative import normative_todo
        from bianzhi.matters.reporting import reports_todo
        from bianzhi.matters.workflow import matters_todo

        todo_items.register(matters_todo)
        todo_items.register(normative_todo)
        todo_items.register(reports_todo)
