from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "bianzhi.exchange"
    label = "exchange"
    verbose_name = "数据共享"

    def ready(self) -> None:
        from bianzhi.audit.hooks import audit_recorded
        from bianzhi.exchange.feed import on_audit_recorded
        from bianzhi.exchange.indicators import evaluation_computations
        from bianzhi.supervision.indicators import more_computations

        audit_recorded.register(on_audit_recorded)
        more_computations.register(evaluation_computations)
