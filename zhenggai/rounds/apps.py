from django.apps import AppConfig


class RoundsConfig(AppConfig):
    name = "zhenggai.rounds"
    label = "rounds"
    verbose_name = "巡察轮次"
