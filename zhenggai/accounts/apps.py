from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "zhenggai.accounts"
    verbose_name = "登录与身份认证"
