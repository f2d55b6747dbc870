from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo: its command (`load_demo`) and nothing else; it has no models."""

    name = "zhenggai.demo"
    label = "demo"
    verbose_name = "演示数据"
