"""The administrator's reset of a person's two-factor sign-in, as an action on the users' list
(系统管理 › 用户: tick the people, choose 重置两步验证): for a lost phone whose recovery codes are
lost too. The person enrols a new authenticator at their next sign-in."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model

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


# The users' admin is the directory's (orgs.admin, a lower layer that cannot name this app's
# services): the action is added to the registered one. orgs comes before accounts in
# INSTALLED_APPS, so its admin is registered by the time this runs.
_users = admin.site.get_model_admin(get_user_model())
_users.actions = [*(_users.actions or ()), reset_two_factor]
