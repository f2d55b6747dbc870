from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "zhenggai.public"
    verbose_name = "公开与群众意见"

    def ready(self) -> None:
        from zhenggai.ledger import actions
        from zhenggai.public.history import Action

        actions.register(Action)
