"""The admin's user form has one 姓名; units are told apart by their path; permissions, the task
queue and Django's untranslated strings read in Chinese."""

import json

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse

from zhenggai.orgs.admin import permission_label
from zhenggai.orgs.forms import UnitChoiceField, unit_labels
from zhenggai.orgs.models import Unit
from zhenggai.orgs.services import create_unit
from zhenggai.testing import PASSWORD


def test_the_user_form_has_one_name_field(client, world):
    client.force_login(world.admin)
    for url in (
        reverse("admin:auth_user_add"),
        reverse("admin:auth_user_change", args=[world.leader.pk]),
    ):
        body = client.get(url).content.decode()
        assert 'name="first_name"' in body and "姓名" in body
        assert 'name="last_name"' not in body and "姓氏" not in body and "名字:" not in body


def test_a_user_added_in_the_admin_keeps_the_name_whole(client, world):
    client.force_login(world.admin)
    response = client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "ouyang",
            "first_name": " 欧阳 娜娜 ",
            "email": "",
            "usable_password": "true",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "_save": "保存",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user = get_user_model().objects.get(username="ouyang")
    assert (user.first_name, user.last_name) == ("欧阳娜娜", "")
    assert "欧阳娜娜" in client.get(reverse("admin:auth_user_changelist")).content.decode()


def test_units_of_one_name_are_told_apart_by_their_path(world):
    other = create_unit("区财政局", Unit.Kind.UNIT, world.office)
    other_office = create_unit("办公室", Unit.Kind.SECTION, other)
    labels = unit_labels(Unit.objects.all())
    assert labels[world.section.pk] == "区科技局 › 办公室"
    assert labels[other_office.pk] == "区财政局 › 办公室"
    assert labels[world.unit.pk] == "区科技局"
    # Two units of one name under two offices: their whole path.
    twin = create_unit("区科技局", Unit.Kind.UNIT, Unit.objects.get(name="市委巡察办"))
    labels = unit_labels(Unit.objects.filter(kind=Unit.Kind.UNIT))
    assert labels[world.unit.pk] == "区委巡察办 › 区科技局"
    assert labels[twin.pk] == "市委巡察办 › 区科技局"
    field = UnitChoiceField(queryset=Unit.objects.filter(kind=Unit.Kind.SECTION))
    assert "区财政局 › 办公室" in [label for _, label in field.choices]


def test_the_admins_unit_selects_and_autocompletes_show_the_path(client, world):
    client.force_login(world.admin)
    create_unit("办公室", Unit.Kind.SECTION, world.outside_unit)
    create_unit("区科技局", Unit.Kind.UNIT, Unit.objects.get(name="市委巡察办"))
    body = client.get(reverse("admin:orgs_unit_add")).content.decode()  # the parent select
    assert ">区委巡察办 › 区科技局</option>" in body and ">市委巡察办 › 区科技局</option>" in body
    assert ">市财政局</option>" in body  # a name of its own needs no path
    answer = client.get(
        reverse("admin:autocomplete"),
        {"term": "办公室", "app_label": "orgs", "model_name": "membership", "field_name": "unit"},
    )
    texts = {r["text"] for r in json.loads(answer.content)["results"]}
    assert texts == {"区科技局 › 办公室", "市财政局 › 办公室"}
    world.leader.first_name = "李书记"
    world.leader.save()
    answer = client.get(
        reverse("admin:autocomplete"),
        {"term": "leader", "app_label": "orgs", "model_name": "membership", "field_name": "user"},
    )
    assert "李书记（leader）" in {r["text"] for r in json.loads(answer.content)["results"]}


def test_a_section_cannot_be_added_without_a_unit(client, world):
    client.force_login(world.admin)
    response = client.post(
        reverse("admin:orgs_unit_add"),
        {
            "name": "办公室",
            "kind": "section",
            "parent": "",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "科室须属于一个被巡察单位或巡察机构" in response.content.decode()


def test_permissions_read_in_chinese(db):
    permission = Permission.objects.get(codename="add_unit")
    assert permission_label(permission) == "组织与人员 | 单位 | 新增"
    task = Permission.objects.get(codename="view_dbtaskresult")
    assert permission_label(task) == "后台任务 | 任务记录 | 查看"


def test_the_task_queue_reads_in_chinese(client, world):
    from zhenggai.supervision.tasks import send_retries

    send_retries.enqueue()
    client.force_login(world.admin)
    body = client.get(reverse("admin:django_tasks_database_dbtaskresult_changelist")).content
    body = body.decode()
    assert "后台任务" in body and "任务记录" in body and "排队时间" in body and "等待执行" in body
    assert "重发未送达的提醒" in body and "默认" in body
    for english in ("Tasks Database Backend", "Task Result", "enqueued at", "Ready", ">default<"):
        assert english not in body


def test_the_admins_javascript_catalogue_has_the_missing_strings(client, world):
    client.force_login(world.admin)
    body = client.get(reverse("admin:jsi18n")).content.decode()
    assert "\\u9009\\u62e9\\u5168\\u90e8%s" in body or "选择全部%s" in body  # Choose all %s


def test_the_compiled_catalogues_match_their_sources():
    """The .mo files are committed: each must say what its .po says."""
    import gettext
    import re
    from pathlib import Path

    folder = Path(__file__).resolve().parents[1] / "locale" / "zh_Hans" / "LC_MESSAGES"
    for domain in ("django", "djangojs"):
        source = (folder / f"{domain}.po").read_text(encoding="utf-8")
        compiled = gettext.GNUTranslations((folder / f"{domain}.mo").open("rb"))._catalog
        for block in source.split("\n\n"):
            found = dict(re.findall(r'^(msgctxt|msgid|msgstr(?:\[0\])?) "(.*)"$', block, re.M))
            if not found.get("msgid"):
                continue
            key = found["msgid"].replace('\\"', '"')
            if "msgctxt" in found:
                key = f"{found['msgctxt']}\x04{key}"
            if "msgstr[0]" in found:
                key, text = (key, 0), found["msgstr[0]"]
            else:
                text = found["msgstr"]
            assert compiled.get(key) == text.replace('\\"', '"'), key
