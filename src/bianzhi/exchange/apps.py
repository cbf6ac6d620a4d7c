from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "bianzhi.exchange"
    label = "exchange"
    verbose_name = "数据共享"
