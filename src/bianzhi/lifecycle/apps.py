from django.apps import AppConfig


class LifecycleConfig(AppConfig):
    name = "bianzhi.lifecycle"
    label = "lifecycle"
    verbose_name = "机构变更"

    def ready(self) -> None:
        from bianzhi.lifecycle import views  # noqa: F401  (adds 合并、撤销、分设 to the unit page's changes)
