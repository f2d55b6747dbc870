"""Every page waits for the second step: a signed-in session that must pass two-factor sign-in
and has not is sent to it (to enrol an authenticator if the person has none, else to type a
code), from any page, the admin's included; the API answers 403 instead.

Left open: signing out, the second step's own pages, signing in through OIDC, and the health
check; static files are served before this runs (WhiteNoise). A request to the API with a
personal token or a push key (`Authorization: Bearer …` / `Key …`) is not a session: a token is
a credential of its own, made by a person on a page behind this step, and the API checks it
without the session.

A request whose session waits for its second step is marked (`request.two_factor_pending`, read
lazily, only by a page that asks): base.html then shows no nav, only the title and 退出登录, since
every link would lead back to the step.
"""

from urllib.parse import urlencode

from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from rest_framework.authentication import SessionAuthentication
from rest_framework.views import APIView

from zhenggai.accounts import two_factor

OPEN = {
    "logout",
    "admin:logout",
    "healthz",
    "two_factor_verify",
    "two_factor_enrol",
    # Signing in again through the identity service instead (it only signs in; it shows nothing).
    "oidc_authentication_init",
    "oidc_authentication_callback",
}


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Read when a page is drawn (after the view): a session verified by this very request
        # is no longer pending.
        request.two_factor_pending = SimpleLazyObject(
            lambda: two_factor.is_asked(request.user, request.session)
        )
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not two_factor.is_on():
            return None
        match = request.resolver_match
        if match is not None and match.view_name in OPEN:
            return None
        api = _is_api(view_func)
        if api and not _takes_the_session(request, view_func):
            return None
        if not two_factor.is_asked(request.user, request.session):
            return None
        if api:
            message = "请先在网页上完成两步验证，或改用接口令牌。"
            return JsonResponse({"code": "two_factor_required", "message": message}, status=403)
        return _to_second_step(request)


def _is_api(view_func) -> bool:
    view_class = getattr(view_func, "cls", None)
    return isinstance(view_class, type) and issubclass(view_class, APIView)


def _takes_the_session(request, view_func) -> bool:
    """Whether the API view would take its person from the session: DRF tries the view's
    authenticators in order, and the first that claims the request decides (a token's
    `Authorization: Bearer …` is claimed before the session is looked at). An authenticator
    that names no keyword is passed over, so an unknown one never opens the way."""
    words = request.META.get("HTTP_AUTHORIZATION", "").split()
    classes = view_func.initkwargs.get("authentication_classes") or getattr(
        view_func.cls, "authentication_classes", ()
    )
    for authenticator in classes:
        if issubclass(authenticator, SessionAuthentication):
            return True
        if words and words[0] == getattr(authenticator, "keyword", None):
            return False
    return False


def _to_second_step(request):
    has_device = two_factor.confirmed_device(request.user) is not None
    url = reverse("two_factor_verify" if has_device else "two_factor_enrol")
    # Coming back after the step: only to a page (a form's POST address is no place to land).
    if request.method == "GET":
        url = f"{url}?{urlencode({'next': request.get_full_path()})}"
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=403)
        response["HX-Redirect"] = url  # htmx loads the whole page instead of swapping a part
        return response
    return redirect(url)
