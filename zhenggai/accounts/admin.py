"""Two-factor sign-in in the admin, all of it on the users' pages (系统管理 › 用户):

- the reset, an action on the list (tick the people, choose 重置两步验证): for a lost phone whose
  recovery codes are lost too. The person enrols a new authenticator at their next sign-in;
- who has an authenticator: a filter on the list, and a read-only line on a person's page
  (when bound, last used, recovery codes left — never the key).

django-otp's own admin pages are taken away: they spoke English ("TOTP devices"), and their add
forms let a staff member type a key or recovery codes for someone else, a second factor known to
another person (OTP_ADMIN_HIDE_SENSITIVE_DATA hides only what exists).
"""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from zhenggai.accounts import two_factor


@admin.action(description="重置两步验证（须重新绑定身份验证器）", permissions=["change"])
def reset_two_factor(modeladmin, request, queryset):
    reset = [user for user in queryset if two_factor.reset_devices(user, by=request.user)]
    if reset:
        names = "、".join(user.get_username() for user in reset)
        modeladmin.message_user(
            request, f"已重置 {len(reset)} 人的两步验证：{names}。他们下次登录时须重新绑定。"
        )
    else:
        modeladmin.message_user(request, "所选人员都没有绑定身份验证器。", messages.WARNING)


class HasAuthenticator(admin.SimpleListFilter):
    title = "两步验证"
    parameter_name = "two_factor"

    def lookups(self, request, model_admin):
        return [("on", "已绑定身份验证器"), ("off", "未绑定")]

    def queryset(self, request, queryset):
        bound = Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
        if self.value() == "on":
            return queryset.filter(bound)
        if self.value() == "off":
            return queryset.exclude(bound)
        return queryset


@admin.display(description="两步验证")
def two_factor_state(user) -> str:
    device = two_factor.confirmed_device(user)
    if device is None:
        return "未绑定身份验证器。"
    used = device.last_used_at
    used = f"，最近使用于 {timezone.localtime(used):%Y-%m-%d %H:%M}" if used else ""
    left = two_factor.recovery_codes_left(user)
    bound = timezone.localtime(device.created_at)
    return f"已绑定身份验证器（{bound:%Y-%m-%d}）{used}；剩余恢复码 {left} 个。"


# The users' admin is the directory's (orgs.admin, a lower layer that cannot name this app's
# services): the action, the filter and the line are added to the registered one. orgs and
# django-otp come before accounts in INSTALLED_APPS, so their admins are registered by now.
_users = admin.site.get_model_admin(get_user_model())
_users.actions = [*(_users.actions or ()), reset_two_factor]
_users.list_filter = [*_users.list_filter, HasAuthenticator]
_users.two_factor_state = two_factor_state
_users.readonly_fields = [*_users.readonly_fields, "two_factor_state"]
_users.fieldsets = [
    *_users.fieldsets,
    (
        "两步验证",
        {
            "fields": ["two_factor_state"],
            "description": "手机和恢复码都丢失时，在用户列表中勾选此人，选择“重置两步验证”。",
        },
    ),
]

for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
