import logging
import unicodedata
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, resolve_url
from django.views.decorators.http import require_POST

from zhenggai.lib import ratelimit
from zhenggai.lib.http import client_address
from zhenggai.lib.typed_forms import forget_last_user

log = logging.getLogger(__name__)


def _client_key(request) -> str:
    """The account as Django will look it up (NFKC, as the login form normalises it: "ｌｅａｄｅｒ"
    is "leader"), without case, and the client's address."""
    username = unicodedata.normalize("NFKC", request.POST.get("username", "")).strip().casefold()
    return f"{username}|{client_address(request)}"


def _login_limit() -> tuple[int, int]:
    """Attempts and window, read at each request (tests change the settings)."""
    return settings.LOGIN_MAX_FAILURES, settings.LOGIN_LOCKOUT_SECONDS


def _address_limit() -> tuple[int, int]:
    return settings.LOGIN_MAX_FAILURES_PER_ADDRESS, settings.LOGIN_LOCKOUT_SECONDS


class LoginView(auth_views.LoginView):
    """Django's login (which rotates the session key) behind a per-account-and-address limit."""

    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        # The form is for local passwords and for LDAP (whose backend checks the same form); with
        # both off, people sign in only through the unified identity service (统一身份认证).
        return super().get_context_data(
            password_form=password_form_shown(),
            oidc_enabled=settings.OIDC_ENABLED,
            oidc_name=settings.OIDC_NAME,
            ldap_enabled=settings.LDAP_ENABLED,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if not password_form_shown():
            log.warning("password sign-in refused: turned off (ZHENGGAI_PASSWORD_LOGIN)")
            refused = "本系统已关闭密码登录，请使用统一身份认证登录。"
            context = self.get_context_data(form=self.get_form_class()(request), locked_out=refused)
            return self.render_to_response(context, status=403)
        # Every attempt claims a place before its password is checked (one atomic step), so
        # concurrent guesses cannot all be evaluated; signing in gives the places back.
        key, address = _client_key(request), client_address(request)
        spraying = ratelimit.is_locked("login-address", address, *_address_limit())
        if spraying or not ratelimit.hit("login", key, *_login_limit()):
            log.warning("login locked out for %s", key)
            # An unbound form: validating the posted one would check the password after all.
            username = request.POST.get("username", "")
            form = self.get_form_class()(request, initial={"username": username})
            locked_out = f"登录失败次数过多，请 {settings.LOGIN_LOCKOUT_SECONDS // 60} 分钟后再试。"
            context = self.get_context_data(form=form, locked_out=locked_out)
            return self.render_to_response(context, status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        # Failures from one address across any accounts (password spraying) have a ceiling too.
        ratelimit.hit("login-address", client_address(self.request), *_address_limit())
        return super().form_invalid(form)

    def form_valid(self, form):
        ratelimit.reset("login", _client_key(self.request), *_login_limit())
        return super().form_valid(form)


def password_form_shown() -> bool:
    return settings.PASSWORD_LOGIN or settings.LDAP_ENABLED


def _identity_service_logout(request) -> str | None:
    """The unified identity service's end-session URL, when the person signed in through it
    (the session key "sso" is set by zhenggai.accounts.oidc) and the service has one: signing
    out here then signs out there too, and the service sends the browser back to our login."""
    if request.session.get("sso") != "oidc" or not settings.OIDC_OP_LOGOUT_URL:
        return None
    params = {
        "client_id": settings.OIDC_RP_CLIENT_ID,
        "post_logout_redirect_uri": request.build_absolute_uri(
            resolve_url(settings.LOGOUT_REDIRECT_URL)
        ),
    }
    if request.session.get("oidc_id_token"):
        params["id_token_hint"] = request.session["oidc_id_token"]
    separator = "&" if "?" in settings.OIDC_OP_LOGOUT_URL else "?"
    return f"{settings.OIDC_OP_LOGOUT_URL}{separator}{urlencode(params)}"


@require_POST
def logout_view(request):
    end_session = _identity_service_logout(request)
    logout(request)  # the local session ends in every case
    response = redirect(end_session or settings.LOGOUT_REDIRECT_URL)
    forget_last_user(response)  # nobody's typed text is kept for them after they signed out
    return response
