"""One shape for every error the API answers: `{"code": …, "message": …}` with a machine code
and a Chinese message, plus `errors` per field for invalid input."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from zhenggai.lib.errors import Conflict, NotAllowed, Refused

MESSAGES = {
    exceptions.NotAuthenticated: ("not_authenticated", "请先登录或提供接口令牌。"),
    exceptions.AuthenticationFailed: ("authentication_failed", None),
    exceptions.PermissionDenied: ("permission_denied", "您没有权限执行该操作。"),
    exceptions.NotFound: ("not_found", "未找到该记录，或您无权查看。"),
    exceptions.MethodNotAllowed: ("method_not_allowed", "不支持该请求方法。"),
    exceptions.NotAcceptable: ("not_acceptable", "不支持所要求的返回格式。"),
    exceptions.UnsupportedMediaType: ("unsupported_media_type", "不支持该请求内容类型。"),
    exceptions.Throttled: ("throttled", "请求过于频繁，请稍后再试。"),
    exceptions.ParseError: ("parse_error", "请求内容无法解析。"),
    exceptions.ValidationError: ("invalid", "请求的数据有误。"),
}


def handle(exc, context):
    """DRF's handler, given the services' refusals, answering in our shape."""
    if isinstance(exc, NotAllowed):
        return _answer(status.HTTP_403_FORBIDDEN, "not_allowed", exc.message)
    if isinstance(exc, Conflict):
        return _answer(status.HTTP_409_CONFLICT, "conflict", exc.message)
    if isinstance(exc, Refused):
        return _answer(status.HTTP_400_BAD_REQUEST, "refused", exc.message)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    code, message = next(
        (found for kind, found in MESSAGES.items() if isinstance(exc, kind)),
        ("error", "请求未能完成。"),
    )
    body = {"code": code, "message": message or str(exc.detail)}
    if isinstance(exc, exceptions.ValidationError):
        body["errors"] = response.data
    response.data = body
    return response


def _answer(code_status: int, code: str, message: str) -> Response:
    return Response({"code": code, "message": message}, status=code_status)
