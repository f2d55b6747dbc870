from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "zhenggai.ops"
    verbose_name = "运行维护"
