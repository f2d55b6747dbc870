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


class LoginView(auth_views.LoginView):
    """Django's login (which rotates the session key) behind a per-account-and-address limit."""

    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        key = _client_key(request)
        if ratelimit.is_locked("login", key, settings.LOGIN_MAX_FAILURES):
            log.warning("login locked out for %s", key)
            form = self.get_form()
            form.errors.clear()
            form.add_error(
                None,
                f"登录失败次数过多，请 {settings.LOGIN_LOCKOUT_SECONDS // 60} 分钟后再试。",
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        ratelimit.fail("login", _client_key(self.request), settings.LOGIN_LOCKOUT_SECONDS)
        return super().form_invalid(form)

    def form_valid(self, form):
        ratelimit.reset("login", _client_key(self.request))
        return super().form_valid(form)


@require_POST
def logout_view(request):
    logout(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)
