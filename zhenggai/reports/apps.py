from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "zhenggai.reports"
    verbose_name = "台账导出与整改通报"

    def ready(self) -> None:
        from zhenggai.ledger import actions
        from zhenggai.reports.history import Action

        actions.register(Action)
