"""Units, roles and people in the admin, and what makes the whole admin speak Chinese.

- People: the user form has one 姓名 field (stored in `first_name`, see zhenggai.lib.names),
  and lists name a user as "欧阳娜娜（ouyang）".
- Units: every select or autocomplete of units labels a section with its unit
  ("区科技局 › 办公室"), since sections of one name exist in every unit.
- Permissions read "组织与人员 | 单位 | 新增" instead of Django's stored "Can add 单位".
- The site's autocomplete answers and its JavaScript catalogue go through this app, whose
  locale/ fills in what Django's own Chinese catalogue lacks.
"""

from django import forms
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group, Permission
from django.views.i18n import JavaScriptCatalog

from zhenggai.lib.names import normalize_name, person_label, person_name
from zhenggai.orgs.forms import UnitChoiceField, UnitMultipleChoiceField, unit_label
from zhenggai.orgs.models import Membership, Unit
from zhenggai.orgs.services import create_unit

User = get_user_model()

NAME_HELP = (
    "按中文习惯连写，姓在前、名在后，如“欧阳娜娜”。系统各处（页面顶栏、台账、提醒、导出、历史记录）"
    "都这样称呼此人；不填则显示用户名。"
)


class NameField(forms.CharField):
    """姓名 as one field: "欧阳 娜娜" is kept as "欧阳娜娜"."""

    def to_python(self, value):
        return normalize_name(super().to_python(value))


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return person_label(user)


class PeopleMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user):
        return person_label(user)


class LabelledChoicesMixin:
    """Selects (and autocompletes) of units and people in an admin form label their choices the
    project's way: units by their path, people by 姓名 and login name."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Unit:
            kwargs.setdefault("form_class", UnitChoiceField)
        elif db_field.related_model is User:
            kwargs.setdefault("form_class", PersonChoiceField)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.related_model is Unit:
            kwargs.setdefault("form_class", UnitMultipleChoiceField)
        elif db_field.related_model is User:
            kwargs.setdefault("form_class", PeopleMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.display(description="人员", ordering="user__username")
def user_column(obj) -> str:
    return person_label(obj.user)


@admin.display(description="单位", ordering="unit__path")
def unit_column(obj) -> str:
    return unit_label(obj.unit)


class MembershipInline(LabelledChoicesMixin, admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


class UnitForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = ["name", "kind", "parent", "credit_code", "contact_phone", "contact_email"]
        help_texts = {
            "credit_code": "18 位。好差评平台导出的评价数据按此代码（优先于名称）对应到本单位。"
        }

    def clean_credit_code(self):
        code = "".join(self.cleaned_data.get("credit_code", "").split()).upper()
        if code and len(code) != 18:
            raise forms.ValidationError("统一社会信用代码应为 18 位。")
        return code

    def clean(self):
        data = super().clean()
        kind, parent = data.get("kind"), data.get("parent")
        if kind == Unit.Kind.SECTION and (parent is None or parent.kind == Unit.Kind.SECTION):
            self.add_error("parent", "科室须属于一个被巡察单位或巡察机构。")
        return data


@admin.register(Unit)
class UnitAdmin(LabelledChoicesMixin, admin.ModelAdmin):
    form = UnitForm
    list_display = ["name", "kind", "parent"]
    list_filter = ["kind"]
    list_select_related = ["parent"]
    search_fields = ["name", "parent__name"]
    inlines = [MembershipInline]

    def get_queryset(self, request):
        # Sections are labelled with their unit, in lists and in autocomplete answers.
        return super().get_queryset(request).select_related("parent")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            # Units and sections hang under offices and units, never under a section.
            kwargs["queryset"] = Unit.objects.exclude(kind=Unit.Kind.SECTION)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        # A unit never moves (its path is derived from its parent once) nor changes kind (which
        # decides who may see it).
        return ["parent", "kind"] if obj else []

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        created = create_unit(
            obj.name,
            obj.kind,
            obj.parent,
            contact_phone=obj.contact_phone,
            contact_email=obj.contact_email,
            credit_code=obj.credit_code,
        )
        obj.pk, obj.path = created.pk, created.path


@admin.register(Membership)
class MembershipAdmin(LabelledChoicesMixin, admin.ModelAdmin):
    list_display = [user_column, unit_column, "role", "title"]
    list_filter = ["role"]
    list_select_related = ["user", "unit__parent"]
    search_fields = ["user__username", "user__first_name", "unit__name"]
    autocomplete_fields = ["user", "unit"]


# People ---------------------------------------------------------------------------------------

_ACTIONS = {"add": "新增", "change": "修改", "delete": "删除", "view": "查看"}


def permission_label(permission: Permission) -> str:
    """A permission as the admin lists it, "组织与人员 | 单位 | 新增": Django stores its name
    in English ("Can add 单位") for every model."""
    content_type = permission.content_type
    model = content_type.model_class()
    if model is None:
        return permission.name
    try:
        app = apps.get_app_config(content_type.app_label).verbose_name
    except LookupError:
        app = content_type.app_label
    action, _, model_name = permission.codename.partition("_")
    what = (
        _ACTIONS[action]
        if action in _ACTIONS and model_name == model._meta.model_name
        else permission.name
    )
    return f"{app} | {model._meta.verbose_name} | {what}"


class PermissionsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, permission):
        return permission_label(permission)


# Two-factor devices have no admin pages (a person binds their own; the users' list resets them,
# zhenggai.accounts.admin), so permissions on them would grant nothing: they are not offered.
NO_ADMIN_PAGES = ("otp_totp", "otp_static")


class PermissionLabelsMixin:
    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.related_model is Permission:
            kwargs["form_class"] = PermissionsField
            kwargs.setdefault(
                "queryset",
                Permission.objects.select_related("content_type").exclude(
                    content_type__app_label__in=NO_ADMIN_PAGES
                ),
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class UserAdmin(PermissionLabelsMixin, BaseUserAdmin):
    """One 姓名 instead of Django's 名字 and 姓氏; `last_name` is not offered (see names.py)."""

    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("个人信息", {"fields": ("first_name", "email")}),
        (
            "权限",
            {
                "fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions"),
                "description": (
                    "此人在系统中能看什么、办什么，由“组织与人员 › 角色”决定；"
                    "下面的工作人员状态、超级用户状态、组和权限只管系统管理后台。"
                ),
            },
        ),
        ("重要日期", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "first_name",
                    "email",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    list_display = ["username", "name", "is_active", "email", "is_staff", "is_superuser"]
    search_fields = ["username", "first_name", "last_name", "email"]

    @admin.display(description="姓名", ordering="first_name")
    def name(self, user) -> str:
        return person_name(user)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "first_name":
            kwargs.update(form_class=NameField, label="姓名", help_text=NAME_HELP)
        elif db_field.name == "email":
            kwargs.update(help_text="用于接收整改提醒邮件。")
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(Group)
class GroupAdmin(PermissionLabelsMixin, BaseGroupAdmin):
    pass


# The site as a whole --------------------------------------------------------------------------


class AutocompleteView(AutocompleteJsonView):
    """Autocomplete answers label units and people as the selects do."""

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        if isinstance(obj, Unit):
            result["text"] = unit_label(obj)
        elif isinstance(obj, User):
            result["text"] = person_label(obj)
        return result


def autocomplete_view(request):
    return AutocompleteView.as_view(admin_site=admin.site)(request)


def i18n_javascript(request, extra_context=None):
    """The admin's JavaScript catalogue, with this app's translations of the strings Django's
    Chinese catalogue still lacks (the two-box selector of groups and permissions)."""
    return JavaScriptCatalog.as_view(packages=["django.contrib.admin", "zhenggai.orgs"])(request)


# AdminSite looks these up when it builds its URLs, after every admin module is imported.
admin.site.autocomplete_view = autocomplete_view
admin.site.i18n_javascript = i18n_javascript
