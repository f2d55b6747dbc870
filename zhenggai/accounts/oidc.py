"""Single sign-on through the unified identity service (统一身份认证) by OpenID Connect.

mozilla-django-oidc runs the authorization-code flow (with PKCE and a nonce); this module decides
who the identity is. The service's claims name a directory person by login
(`settings.OIDC_LOGIN_CLAIM`, `preferred_username` by default) or employee number
(`settings.OIDC_EMPLOYEE_CLAIM`); `accounts.matching.match_person` finds the active person or
nobody. Nobody is ever created and nothing about the person (roles, name, e-mail) is changed.

A signed-in session carries `request.session[SSO_SESSION_KEY] == "oidc"`: the two-factor step
reads it (with `settings.SSO_ENFORCES_MFA`) and logout uses it to end the service's session too.
"""

import logging

import requests
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import resolve_url
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from zhenggai.accounts.matching import match_person

log = logging.getLogger(__name__)

SSO_SESSION_KEY = "sso"

UNKNOWN_PERSON = "统一身份认证已确认您的身份，但本系统通讯录中没有与之对应的在用账号（按登录名或工号匹配）。请联系系统管理员。"
NO_IDENTITY = "统一身份认证没有提供登录名或工号，无法确定您的身份。请联系系统管理员。"
CANCELLED = "统一身份认证登录未完成（已取消或未获授权），请重新登录。"
STALE = "登录请求已失效或不匹配（可能是页面停留过久、重复提交或链接被改动），请重新登录。"
UNREACHABLE = "暂时无法与统一身份认证服务完成验证，请稍后重试；如仍失败请联系系统管理员。"


def _claim(claims: dict, name: str) -> str | None:
    value = claims.get(name)
    return str(value) if value not in (None, "") else None


class DirectoryOIDCBackend(OIDCAuthenticationBackend):
    """Signs in the directory person the service's claims name; refuses everyone else.

    A refusal leaves its Chinese reason on the request (`zhenggai_sso_refusal`) for the callback
    to show on the login page."""

    def verify_claims(self, claims: dict) -> bool:
        return bool(
            _claim(claims, settings.OIDC_LOGIN_CLAIM)
            or _claim(claims, settings.OIDC_EMPLOYEE_CLAIM)
        )

    def describe_user_by_claims(self, claims: dict) -> str:
        return (
            f"login {_claim(claims, settings.OIDC_LOGIN_CLAIM)!r}, "
            f"employee number {_claim(claims, settings.OIDC_EMPLOYEE_CLAIM)!r}"
        )

    def filter_users_by_claims(self, claims: dict):
        user = match_person(
            _claim(claims, settings.OIDC_LOGIN_CLAIM),
            _claim(claims, settings.OIDC_EMPLOYEE_CLAIM),
        )
        if user is None:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(pk=user.pk, is_active=True)

    def create_user(self, claims: dict):
        # OIDC_CREATE_USER is off in settings; this refusal holds even if someone turns it on.
        raise SuspiciousOperation("single sign-on never creates accounts")

    def update_user(self, user, claims: dict):
        return user  # the directory, not the identity service, owns names, e-mail and roles

    def get_or_create_user(self, access_token, id_token, payload):
        user_info = self.get_userinfo(access_token, id_token, payload)
        if not self.verify_claims(user_info):
            log.warning("OIDC sign-in refused: the claims carry neither login nor number")
            self.request.zhenggai_sso_refusal = NO_IDENTITY
            return None
        users = list(self.filter_users_by_claims(user_info))
        if len(users) != 1:
            log.warning(
                "OIDC sign-in refused: no active directory person for %s",
                self.describe_user_by_claims(user_info),
            )
            self.request.zhenggai_sso_refusal = UNKNOWN_PERSON
            return None
        return self.update_user(users[0], user_info)

    def get_user(self, user_id):
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None


class SignInView(OIDCAuthenticationRequestView):
    """Sends the browser to the identity service (404 while single sign-on is off)."""

    def get(self, request):
        if not settings.OIDC_ENABLED:
            raise Http404
        return super().get(request)


class CallbackView(OIDCAuthenticationCallbackView):
    """Where the identity service sends the browser back. Every failure lands on the login page
    with a message saying what happened, never on an error page."""

    def get(self, request):
        if not settings.OIDC_ENABLED:
            raise Http404
        if request.GET.get("error"):
            log.info("OIDC sign-in not completed: %s", request.GET.get("error"))
            return self._refuse(CANCELLED, forget_state=True)
        state = request.GET.get("state")
        if not (request.GET.get("code") and state in request.session.get("oidc_states", {})):
            log.warning("OIDC callback refused: unknown or missing state")
            return self._refuse(STALE)
        try:
            response = super().get(request)
        except (requests.RequestException, SuspiciousOperation) as exc:
            log.warning("OIDC callback failed: %s", exc)
            return self._refuse(UNREACHABLE)
        if not getattr(self, "user", None):
            return self._refuse(getattr(request, "zhenggai_sso_refusal", UNKNOWN_PERSON))
        return response

    def login_success(self):
        response = super().login_success()
        self.request.session[SSO_SESSION_KEY] = "oidc"
        return response

    def _refuse(self, message: str, *, forget_state: bool = False):
        if forget_state:
            super().get(self.request)  # the library drops the state and any signed-in user
        messages.error(self.request, message)
        return HttpResponseRedirect(resolve_url(settings.LOGIN_URL))
