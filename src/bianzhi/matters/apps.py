from django.apps import AppConfig


class MattersConfig(AppConfig):
    name = "bianzhi.matters"
    label = "matters"
    verbose_name = "机构编制事项"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from bianzhi.matters.rules import load_shipped_rules

        post_migrate.connect(load_shipped_rules, sender=self, dispatch_uid="bianzhi_load_shipped_rules")
        from bianzhi.core.origins import record_origins
        from bianzhi.core.todo import todo_items
        from bianzhi.matters.selectors import effect_origins
        from bianzhi.matters.workflow import matters_todo

        todo_items.register(matters_todo)
        record_origins.register(effect_origins)
