"""Push keys for rating devices and platforms: made and revoked by the evaluation office,
checked on the push endpoint. A key reads "zgk_<prefix>_<secret>": the prefix finds the row, the
secret is compared with the kept digest in constant time (as personal tokens are, tokens.py)."""

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions

from zhenggai.api import credentials
from zhenggai.api.push_models import PushKey
from zhenggai.evaluations.models import RatingPoint
from zhenggai.evaluations.offices import works_in
from zhenggai.evaluations.points import may_manage_points
from zhenggai.lib.errors import NotAllowed, Refused
from zhenggai.orgs.access import scope_for
from zhenggai.orgs.models import Unit

NAME_MAX = 100


def may_manage_keys(user, office: Unit) -> bool:
    """The office's own 评价办 (or an administrator) makes and revokes its keys."""
    return scope_for(user).is_admin or works_in(user, office)


def _require_office(by, office: Unit) -> None:
    if not may_manage_keys(by, office):
        raise NotAllowed(
            "只有本评价办可以管理评价推送密钥。", f"{by} is not the office {office.pk}'s 评价办"
        )


def _checked_points(by, office: Unit, points) -> list[RatingPoint]:
    points = list(points)
    if not points:
        raise Refused("请选择该设备或平台推送评价的评价点。", "a key needs points")
    for point in points:
        below = point.unit.path.startswith(office.path)
        if not below or not may_manage_points(by, point.unit_id):
            raise NotAllowed(
                f"评价点“{point.name}”不属于本评价办所辖单位。",
                f"point {point.pk} is not below office {office.pk}",
            )
    return points


@transaction.atomic
def create_push_key(office: Unit, *, by, name: str, points) -> tuple[PushKey, str]:
    """A new key of `office` for the device or platform `name`, bound to `points` (of units
    below the office), and its text, which is shown once and never kept."""
    _require_office(by, office)
    name = " ".join((name or "").split())
    if not name:
        raise Refused("请填写设备或平台名称。", "a key needs a name")
    if len(name) > NAME_MAX or "<" in name or ">" in name:
        raise Refused(f"名称最多 {NAME_MAX} 个字，且不能含有 < 或 >。", "bad key name")
    points = _checked_points(by, office, points)
    prefix, kept, text = credentials.new("zgk")
    key = PushKey.objects.create(
        office=office, name=name, prefix=prefix, digest=kept, created_by=by
    )
    key.points.set(points)
    return key, text


def revoke_push_key(key: PushKey, *, by) -> PushKey:
    """Revoke a key of the office; it stops working at once."""
    _require_office(by, key.office)
    if key.revoked_at is None:
        key.revoked_at, key.revoked_by = timezone.now(), by
        key.save(update_fields=["revoked_at", "revoked_by"])
    return key


def push_key_for(text: str) -> PushKey | None:
    """The active key `text` is, or None (malformed, unknown, wrong secret, revoked)."""
    key = credentials.find(PushKey.objects.all(), "zgk", text)
    if key is None or not key.is_active:
        return None
    credentials.note_use(key)
    return key


def bound_point(key: PushKey, code: str) -> RatingPoint:
    """The point of code `code` that `key` pushes ratings of; a point not bound to it (or no
    such point) is refused alike."""
    point = key.points.select_related("unit").filter(code=code).first()
    if point is None:
        raise NotAllowed("该密钥未绑定此评价点。", f"point {code!r} is not bound to key {key.pk}")
    return point


class PushKeyAuthentication(authentication.BaseAuthentication):
    """`Authorization: Key zgk_…`: a device or platform, on the push endpoint only. The request
    has no person (an anonymous user); `request.auth` is the key."""

    keyword = "Key"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0] != self.keyword:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("密钥格式不正确。")
        key = push_key_for(header[1])
        if key is None:
            raise exceptions.AuthenticationFailed("密钥无效或已撤销。")
        return AnonymousUser(), key

    def authenticate_header(self, request) -> str:
        return self.keyword


class HoldsPushKey(permissions.BasePermission):
    """Only a push key pushes: a person's token or session is refused (403), no key at all is
    asked for one (401)."""

    message = "该接口只接受评价推送密钥。"

    def has_permission(self, request, view) -> bool:
        return isinstance(request.auth, PushKey)


class PushKeyScheme(OpenApiAuthenticationExtension):
    target_class = "zhenggai.api.push_keys.PushKeyAuthentication"
    name = "pushKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "评价推送密钥：Authorization: Key zgk_…（由评价办为评价器或平台创建）",
        }
