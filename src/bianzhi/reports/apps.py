from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "bianzhi.reports"
    label = "reports"
    verbose_name = "统计报表"

    def ready(self) -> None:
        from bianzhi.core.todo import todo_items
        from bianzhi.reports.rounds import rounds_todo

        todo_items.register(rounds_todo)
