"""Two-factor sign-in: the second step, enrolment, and the 账号安全 page."""

from django.urls import path

from zhenggai.accounts import two_factor_views as views

urlpatterns = [
    path("account/two-factor/", views.two_factor_verify, name="two_factor_verify"),
    path("account/two-factor/enrol/", views.two_factor_enrol, name="two_factor_enrol"),
    path("account/security/", views.account_security, name="account_security"),
    path(
        "account/security/recovery-codes/",
        views.recovery_codes_regenerate,
        name="two_factor_regenerate",
    ),
    path("account/security/two-factor/off/", views.two_factor_off, name="two_factor_off"),
]
