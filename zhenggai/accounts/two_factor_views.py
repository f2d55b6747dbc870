"""The second step of signing in (a code, or enrolling an authenticator first) and the 账号安全
page: recovery codes made again, the authenticator replaced, two-factor turned on or off."""

import logging
from urllib.parse import quote, urlencode

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from zhenggai.accounts import two_factor
from zhenggai.accounts.two_factor_forms import CodeForm, EnrolForm
from zhenggai.lib import ratelimit
from zhenggai.lib.errors import Refused
from zhenggai.lib.http import posted
from zhenggai.lib.names import person_label

log = logging.getLogger(__name__)

# The authenticator being enrolled in this session (two_factor.pending_device).
PENDING = "zhenggai_two_factor_pending"


def _limit() -> tuple[int, int]:
    """Codes tried per person in a window: the login's limit (read at each request)."""
    return settings.LOGIN_MAX_FAILURES, settings.LOGIN_LOCKOUT_SECONDS


def _attempt(request, form, check):
    """`check()` (which checks a code) if the person has attempts left in the window, else a
    refusal on the form. Every attempt claims a place first, as at the login; a success gives
    them back. Returns (what check returned or None, HTTP status)."""
    key = str(request.user.pk)
    if not ratelimit.hit("two-factor", key, *_limit()):
        log.warning("second-factor attempts locked out for user %s", request.user.pk)
        minutes = settings.LOGIN_LOCKOUT_SECONDS // 60
        form.add_error(None, f"验证码错误次数过多，请 {minutes} 分钟后再试。")
        return None, 429
    try:
        result = check()
    except Refused as exc:
        log.info("second factor refused: %s", exc.reason)
        form.add_error(None, exc.message)
        return None, 400
    ratelimit.reset("two-factor", key, *_limit())
    return result, 200


def _next(request) -> str:
    """Where to go after the step: the page asked for, if it is one of ours."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(name: str, target: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': target})}"


def _mark_verified(request, device) -> None:
    django_otp.login(request, device)
    request.session.cycle_key()  # a new session key for the session that is now trusted


def _show_codes(request, codes: list[str], target: str):
    made = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    text = "\r\n".join(
        [
            f"{settings.OTP_TOTP_ISSUER} 恢复码",
            f"账号：{person_label(request.user)}，生成于 {made}",
            "手机不在身边时，在两步验证页面输入其中一个；每个只能使用一次。",
            "",
            *codes,
            "",
        ]
    )
    context = {
        "codes": codes,
        "next": target,
        # A download made in the page itself: the codes are sent this once and kept nowhere
        # else in the clear (the policy's img-src data: does not govern a download).
        "download": "data:text/plain;charset=utf-8," + quote(text),
        "download_name": f"恢复码-{request.user.get_username()}.txt",
    }
    response = render(request, "accounts/recovery_codes.html", context)
    response["Cache-Control"] = "no-store"
    return response


@login_required
def two_factor_verify(request):
    target = _next(request)
    if not two_factor.is_asked(request.user, request.session):
        return redirect(target)
    if two_factor.confirmed_device(request.user) is None:
        return redirect(_with_next("two_factor_enrol", target))
    form = CodeForm(posted(request))
    status = 400 if form.is_bound else 200
    if form.is_valid():
        code = form.cleaned_data["code"]
        device, status = _attempt(request, form, lambda: two_factor.check_code(request.user, code))
        if device is not None:
            _mark_verified(request, device)
            return redirect(target)
    context = {"form": form, "next": target, "issuer": settings.OTP_TOTP_ISSUER}
    return render(request, "accounts/two_factor_verify.html", context, status=status)


@login_required
def two_factor_enrol(request):
    user, target = request.user, _next(request)
    if not two_factor.is_on():
        messages.info(request, "本系统未启用两步验证。")
        return redirect("account_security")
    replacing = two_factor.confirmed_device(user) is not None
    if replacing and not user.is_verified():
        return redirect(_with_next("two_factor_verify", target))
    device = two_factor.pending_device(user, request.session.get(PENDING))
    request.session[PENDING] = device.pk
    form = EnrolForm(posted(request), replacing=replacing)
    status = 400 if form.is_bound else 200
    if form.is_valid():
        codes, status = _attempt(request, form, lambda: _confirm(user, device, form))
        if codes is not None:
            request.session.pop(PENDING, None)
            _mark_verified(request, device)
            return _show_codes(request, codes, target)
    context = {
        "form": form,
        "next": target,
        "replacing": replacing,
        "required": two_factor.must_use(user),
        "qr_code": two_factor.qr_code(device),
        "secret": two_factor.secret_of(device).split(),
        "issuer": settings.OTP_TOTP_ISSUER,
    }
    response = render(request, "accounts/two_factor_enrol.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


def _confirm(user, device, form) -> list[str]:
    data = form.cleaned_data
    return two_factor.confirm_enrolment(user, device, data["code"], current=data.get("current", ""))


def _security_page(request, *, regenerate=None, turn_off=None, status=200):
    context = {
        "state": two_factor.state_of(request.user, request.session),
        "regenerate_form": regenerate or CodeForm(prefix="regenerate"),
        "turn_off_form": turn_off or CodeForm(prefix="off"),
    }
    return render(request, "accounts/security.html", context, status=status)


@login_required
def account_security(request):
    return _security_page(request)


def _nothing_to_manage(request):
    """Codes and turning off are for someone with an authenticator, in an installation that
    uses two-factor sign-in; anyone else is shown the page as it is."""
    if two_factor.is_on() and two_factor.confirmed_device(request.user) is not None:
        return None
    messages.info(request, "您没有开启两步验证。")
    return redirect("account_security")


@login_required
@require_POST
def recovery_codes_regenerate(request):
    if refused := _nothing_to_manage(request):
        return refused
    form = CodeForm(request.POST, prefix="regenerate")
    status = 400
    if form.is_valid():
        current = form.cleaned_data["code"]
        codes, status = _attempt(
            request, form, lambda: two_factor.regenerate_recovery_codes(request.user, current)
        )
        if codes is not None:
            return _show_codes(request, codes, reverse("account_security"))
    return _security_page(request, regenerate=form, status=status)


@login_required
@require_POST
def two_factor_off(request):
    if refused := _nothing_to_manage(request):
        return refused
    form = CodeForm(request.POST, prefix="off")
    status = 400
    if form.is_valid():
        current = form.cleaned_data["code"]
        done, status = _attempt(
            request, form, lambda: two_factor.turn_off(request.user, current) or True
        )
        if done:
            messages.success(request, "两步验证已关闭。")
            return redirect("account_security")
    return _security_page(request, turn_off=form, status=status)
