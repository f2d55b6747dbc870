from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "zhenggai.supervision"
    label = "supervision"
    verbose_name = "督办"

    def ready(self) -> None:
        from django.core import checks

        from zhenggai.supervision.checks import check_site_url

        checks.register(check_site_url)
