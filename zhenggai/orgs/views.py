import logging

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from zhenggai.lib import ratelimit
from zhenggai.lib.http import client_address

log = logging.getLogger(__name__)


def _client_key(request) -> str:
    username = request.POST.get("username", "").strip().lower()
    return f"{username}|{client_address(request)}"


def _login_limit() -> tuple[int, int]:
    """Attempts and window, read at each request (tests change the settings)."""
    return settings.LOGIN_MAX_FAILURES, settings.LOGIN_LOCKOUT_SECONDS


class LoginView(auth_views.LoginView):
    """Django's login (which rotates the session key) behind a per-account-and-address limit."""

    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        # Every attempt claims a place before its password is checked (one atomic step), so
        # concurrent guesses cannot all be evaluated; signing in gives the places back.
        key = _client_key(request)
        if not ratelimit.hit("login", key, *_login_limit()):
            log.warning("login locked out for %s", key)
            # An unbound form: validating the posted one would check the password after all.
            username = request.POST.get("username", "")
            form = self.get_form_class()(request, initial={"username": username})
            locked_out = f"登录失败次数过多，请 {settings.LOGIN_LOCKOUT_SECONDS // 60} 分钟后再试。"
            context = self.get_context_data(form=form, locked_out=locked_out)
            return self.render_to_response(context, status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        ratelimit.reset("login", _client_key(self.request), *_login_limit())
        return super().form_valid(form)


@require_POST
def logout_view(request):
    logout(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)
