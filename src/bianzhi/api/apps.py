from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "bianzhi.api"
    label = "api"
    verbose_name = "数据接口"

    def ready(self) -> None:
        from bianzhi.api.webhooks import webhooks_wake
        from bianzhi.exchange.feed import feed_numbered

        feed_numbered.register(webhooks_wake)
