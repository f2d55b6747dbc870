"""Requests refused before anything reads their body: too large for where they are sent, or
form data in a character set other than UTF-8.

The limit is the view's own (`@body_limit(bytes)` on upload views), else a small one for people
not signed in (the public pages take a few fields) and a form's size for everyone else. It is
checked in `process_view`, before the CSRF check reads the form, so a 2 GB body to a public page
is refused from its Content-Length, never spooled to disk. Behind a proxy, set the proxy's own
limit to the largest upload (README, deployment).
"""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.module_loading import import_string

# Forms of people not signed in: the login and an opinion on a public notice.
ANONYMOUS_MAX_BYTES = 64 * 1024
# Form data is read as UTF-8, the encoding every browser uses for our pages.
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def body_limit(max_bytes: int | str):
    """Let a view take bodies up to `max_bytes`: a number, or the name of a setting holding it
    (read at each request, e.g. `@body_limit("UPLOAD_MAX_BYTES")`)."""

    def decorate(view):
        view.body_limit = max_bytes
        return view

    return decorate


def _signed_in(request) -> bool:
    """Signed in by the session, or by a credential an app checks itself before its view runs
    (REQUEST_AUTHENTICATORS: functions of the request giving its person or None, e.g. the
    API's personal tokens), so that only a valid credential lifts the anonymous limit."""
    if request.user.is_authenticated:
        return True
    found = getattr(settings, "REQUEST_AUTHENTICATORS", ())
    return any(import_string(path)(request) for path in found)


def _limit(request, view_func) -> int:
    declared = getattr(view_func, "body_limit", None)
    if declared is not None:
        declared = getattr(settings, declared) if isinstance(declared, str) else declared
    if not _signed_in(request):  # whatever the view takes from people signed in,
        return min(declared or ANONYMOUS_MAX_BYTES, ANONYMOUS_MAX_BYTES)  # or less, if it says
    if declared is not None:
        return declared
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 64 * 1024


def _length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return -1


def _charset(request) -> str:
    """The charset Django will decode the form with (its own parse of the header, so that a
    repeated or encoded parameter cannot say one thing here and another there)."""
    if request.content_type not in FORM_TYPES:
        return "utf-8"
    return (request.encoding or request.content_params.get("charset") or "utf-8").lower()


class RequestLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return None
        length = _length(request)
        if length < 0:
            return _refused(request, 400, "请求有误", "请求的长度无效。")
        limit = _limit(request, view_func)
        if length > limit:
            return _refused(
                request,
                413,
                "提交的内容过大",
                f"提交的内容共 {length / 1024 / 1024:.1f} MB，超过了此处允许的"
                f" {limit / 1024 / 1024:.1f} MB。请缩小或分批上传文件后重试。",
            )
        if _charset(request) not in ("utf-8", "utf8"):
            return _refused(
                request,
                400,
                "请求有误",
                "提交的内容不是 UTF-8 编码，无法处理。请使用常用浏览器打开页面后重新提交。",
            )
        return None


# The codes a refusal carries where a program asked (JSON, the API's error shape).
CODES = {400: "bad_request", 413: "too_large", 415: "unsupported_charset"}


def _refused(request, status: int, heading: str, message: str):
    """A page for a person; for a program that sends or asks for JSON, the API's error shape."""
    wants_json = "application/json" in request.headers.get("Accept", "")
    if wants_json or request.content_type == "application/json" or _api(request):
        return JsonResponse(
            {"code": CODES.get(status, "refused"), "message": message}, status=status
        )
    context = {"heading": heading, "message": message}
    return render(request, "refused.html", context, status=status)


def _api(request) -> bool:
    return request.path.startswith("/api/")
