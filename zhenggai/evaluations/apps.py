from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "zhenggai.evaluations"
    label = "evaluations"
    verbose_name = "评价"

    def ready(self) -> None:
        from zhenggai.evaluations.history import Action
        from zhenggai.evaluations.services.bad_reviews import called_back_before_verifying
        from zhenggai.ledger import actions, workflow

        actions.register(Action)
        workflow.add_guard("verify_close_out", called_back_before_verifying)
