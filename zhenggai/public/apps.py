from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "zhenggai.public"
    verbose_name = "公开与群众意见"
