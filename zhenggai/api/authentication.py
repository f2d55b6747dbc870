"""How a program signs in to the API: `Authorization: Bearer zg_…` with a personal token."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from zhenggai.api.tokens import token_for


class BearerToken(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0] != self.keyword:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("令牌格式不正确。")
        token = token_for(header[1])
        if token is None:
            raise exceptions.AuthenticationFailed("令牌无效、已过期或已撤销。")
        return token.user, token

    def authenticate_header(self, request) -> str:
        return self.keyword


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "zhenggai.api.authentication.BearerToken"
    name = "personalToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "个人接口令牌（zg_…）"}
