from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "bianzhi.supervision"
    label = "supervision"
    verbose_name = "监督检查"

    def ready(self) -> None:
        from bianzhi.core.todo import todo_items
        from bianzhi.supervision.complaints import complaints_todo

        todo_items.register(complaints_todo)
