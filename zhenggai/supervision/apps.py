from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "zhenggai.supervision"
    label = "supervision"
    verbose_name = "督办"

    def ready(self) -> None:
        from zhenggai.ledger import actions
        from zhenggai.supervision.history import Action

        actions.register(Action)
        from django.core import checks

        from zhenggai.lib import workdays
        from zhenggai.supervision.checks import check_site_url
        from zhenggai.supervision.deadlines import entered_days

        checks.register(check_site_url)
        workdays.use_entered_days(entered_days)
