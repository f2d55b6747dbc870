"""The directory (通讯录) pages, for system administrators only: upload, preview, confirm or
discard, the history of imports, the template and the export; and the first-run page."""

import datetime
from io import BytesIO

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from zhenggai.lib.errors import Refused
from zhenggai.lib.http import XLSX, client_address, generated_download, posted, posted_files
from zhenggai.lib.request_limits import body_limit
from zhenggai.lib.views import refusal, require
from zhenggai.orgs import directory, first_run
from zhenggai.orgs.directory_sheet import MAX_BYTES, write_export, write_workbook
from zhenggai.orgs.models import DirectoryImport

PAGE_SIZE = 50
# The preview's tables: (tab, heading, part of the plan, action).
TABLES = [
    ("units", "新建单位", "units", "create"),
    ("unit_changes", "单位变更", "units", "change"),
    ("sections", "新建科室", "sections", "create"),
    ("people", "新建人员", "people", "create"),
    ("person_changes", "人员变更", "people", "change"),
    ("reactivate", "重新启用人员", "people", "reactivate"),
    ("deactivate", "停用人员", "people", "deactivate"),
    ("grants", "授予角色", "roles", "grant"),
    ("role_changes", "职务变更", "roles", "change"),
    ("revokes", "撤销角色", "roles", "revoke"),
]
RED_TABS = {"deactivate", "revokes"}  # what takes access away, in red
# The people deactivated and reactivated, listed openly above the confirm button (so many each).
SHOWN_OPENLY = {"deactivate": "#deactivated", "reactivate": "#reactivated"}
PEOPLE_SHOWN = 200
FIELD_LABELS = {**directory.PERSON_FIELDS, "credit_code": "统一社会信用代码", "title": "职务"}


class DirectoryUploadForm(forms.Form):
    file = forms.FileField(
        label="通讯录（Excel）",
        help_text="按模板填写的 .xlsx 文件，不超过 20 MB。",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )


def _admin(request) -> None:
    require(request.user.is_superuser, "only system administrators manage the directory")


def _record(request, pk) -> DirectoryImport:
    """An import record: administrators only; to anyone else it does not exist."""
    if not request.user.is_superuser:
        raise Http404("not a system administrator")
    return get_object_or_404(DirectoryImport.objects.select_related("created_by"), pk=pk)


@body_limit(MAX_BYTES + 1024 * 1024)
@login_required
def directory_home(request):
    _admin(request)
    form = DirectoryUploadForm(posted(request), posted_files(request))
    history = Paginator(DirectoryImport.objects.select_related("created_by"), 20)
    page = history.get_page(request.GET.get("page"))
    rows = [
        {
            "record": record,
            "status": directory.status_label(record),
            "summary": directory.change_summary(record.plan.get("counts", {})),
            "errors": record.plan.get("counts", {}).get("errors", 0),
        }
        for record in page
    ]
    context = {"form": form, "page": page, "rows": rows}
    if request.method == "POST" and form.is_valid():
        try:
            record = directory.preview_directory_import(form.cleaned_data["file"], by=request.user)
        except Refused as exc:
            return refusal(request, exc, "orgs/directory.html", context)
        return redirect("directory_preview", pk=record.pk)
    return render(request, "orgs/directory.html", context)


@login_required
@require_GET
def directory_preview(request, pk):
    record = _record(request, pk)
    plan = record.plan
    shown = request.GET.get("show")
    tabs = [
        (tab, label, len(plan.get(part, {}).get(action, []))) for tab, label, part, action in TABLES
    ]
    tabs = [tab for tab in tabs if tab[2]]
    if shown not in {tab for tab, _, _ in tabs}:
        shown = tabs[0][0] if tabs else None
    items = []
    for tab, _, part, action in TABLES:
        if tab == shown:
            items = [_row(item) for item in plan[part][action]]
    people = plan.get("people", {})
    deactivated, reactivated = people.get("deactivate", []), people.get("reactivate", [])
    context = {
        "record": record,
        "status": directory.status_label(record),
        "counts": plan.get("counts", {}),
        "cards": _cards(plan.get("counts", {})),
        "deactivated": deactivated[:PEOPLE_SHOWN],
        "deactivated_more": max(0, len(deactivated) - PEOPLE_SHOWN),
        "reactivated": reactivated[:PEOPLE_SHOWN],
        "reactivated_more": max(0, len(reactivated) - PEOPLE_SHOWN),
        "tabs": tabs,
        "shown": shown,
        "page": Paginator(items, PAGE_SIZE).get_page(request.GET.get("page")),
        "errors": Paginator(plan.get("errors", []), PAGE_SIZE).get_page(request.GET.get("epage")),
    }
    return render(request, "orgs/directory_preview.html", context)


def _cards(counts: dict) -> list[dict]:
    """The summary's cards: each kind of change the plan makes, linking to its list (the
    people deactivated and reactivated are listed openly on the page, the rest under their
    tab)."""
    cards = []
    for tab, label, part, action in TABLES:
        count = counts.get(f"{part}_{action}", 0)
        if count:
            anchor = SHOWN_OPENLY.get(tab, f"?show={tab}#changes")
            cards.append({"label": label, "count": count, "href": anchor, "red": tab in RED_TABS})
    return cards


def _row(item: dict) -> dict:
    """A planned change as the preview shows it: its changes as (field, before, after)."""
    changes = [
        (FIELD_LABELS.get(name, name), _shown(before), _shown(after))
        for name, (before, after) in item.get("changes", {}).items()
    ]
    return {**item, "change_list": changes}


def _shown(value) -> str:
    return value if value not in ("", None) else "（空）"


@login_required
@require_POST
def directory_confirm(request, pk):
    record = _record(request, pk)
    try:
        directory.apply_directory_import(record, by=request.user)
    except Refused as exc:
        messages.error(request, exc.message)
        return redirect("directory_preview", pk=record.pk)
    total = record.plan.get("counts", {}).get("total", 0)
    messages.success(request, f"通讯录已导入：共 {total} 项变动。")
    return redirect("directory_preview", pk=record.pk)


@login_required
@require_POST
def directory_discard(request, pk):
    record = _record(request, pk)
    try:
        directory.discard_directory_import(record, by=request.user)
    except Refused as exc:
        messages.error(request, exc.message)
    else:
        messages.info(request, "已放弃该导入，未做任何修改。")
    return redirect("directory_home")


@login_required
@require_GET
def directory_template(request):
    _admin(request)
    buffer = BytesIO()
    write_workbook(buffer)
    return generated_download(buffer.getvalue(), "通讯录模板.xlsx", XLSX)


@login_required
@require_GET
def directory_export(request):
    _admin(request)
    buffer = BytesIO()
    write_export(buffer)
    name = f"通讯录（{datetime.date.today():%Y-%m-%d}导出）.xlsx"
    return generated_download(buffer.getvalue(), name, XLSX)


# -- the first run ---------------------------------------------------------------------------


class SetupForm(forms.Form):
    code = forms.CharField(
        label="初始化码",
        max_length=64,
        help_text="见服务器数据目录中的 setup-code.txt 文件（只有服务器管理员能读取）。",
    )
    office = forms.CharField(label="巡察机构名称", max_length=200, initial="区委巡察办")
    username = forms.CharField(label="管理员登录名", max_length=150)
    name = forms.CharField(label="管理员姓名", max_length=150, required=False)
    password = forms.CharField(label="密码", widget=forms.PasswordInput, max_length=128)
    password_again = forms.CharField(
        label="再次输入密码", widget=forms.PasswordInput, max_length=128
    )

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", "两次输入的密码不一致。")
        return data


def setup(request):
    """The first-run page: only while no user exists (404 after)."""
    if not first_run.is_fresh():
        raise Http404("the installation is set up")
    path = first_run.ensure_setup_code()
    form = SetupForm(posted(request))
    context = {"form": form, "code_path": path}
    if request.method != "POST" or not form.is_valid():
        return render(request, "orgs/setup.html", context)
    data = form.cleaned_data
    try:
        first_run.check_code(data["code"], client_address(request))
    except Refused as exc:
        form.add_error("code", exc.message)
        status = 429 if isinstance(exc, first_run.TooManyAttempts) else 400
        return render(request, "orgs/setup.html", context, status=status)
    try:
        user, _ = first_run.create_first_admin(
            office=data["office"],
            username=data["username"],
            name=data["name"],
            password=data["password"],
        )
    except Refused as exc:
        return refusal(request, exc, "orgs/setup.html", context)
    # Signing in goes through the login page, and its second factor where one is required.
    messages.success(
        request,
        f"初始化完成：请以 {user.username} 登录，然后在“通讯录”中下载模板，"
        "填写单位、科室、人员和角色后上传。",
    )
    return redirect("login")
