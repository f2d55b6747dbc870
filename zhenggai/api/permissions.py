"""What a signed-in caller may do through the API, before the services' own checks."""

from rest_framework import permissions

from zhenggai.api.models import ApiToken


class TokenScope(permissions.BasePermission):
    """A read-only token reads; a write token, or the browser's session, may also write (the
    services then check the person's rights as the pages do)."""

    message = "该令牌为只读令牌，不能修改数据。"

    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        token = request.auth
        return not isinstance(token, ApiToken) or token.may_write
