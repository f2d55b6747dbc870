"""The directory import as a service: reading, checking, planning, applying (issue 18)."""

from io import BytesIO

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhenggai.lib.errors import Conflict, Refused
from zhenggai.orgs import directory
from zhenggai.orgs.directory_sheet import write_export, write_workbook
from zhenggai.orgs.models import DirectoryImport, Membership, Person, Role, Unit
from zhenggai.orgs.tests.directory_helpers import COUNTY, county, upload, workbook_bytes

User = get_user_model()


def preview(data: bytes, by=None) -> DirectoryImport:
    return directory.preview_directory_import(upload(data), by=by)


def imported(data: bytes, by=None) -> DirectoryImport:
    record = preview(data, by)
    assert record.plan["errors"] == []
    return directory.apply_directory_import(record, by=by)


def errors_of(data: bytes) -> list[str]:
    return [f"{e['sheet']}{e['line']}:{e['message']}" for e in preview(data).plan["errors"]]


def test_the_template_has_four_sheets_lists_and_notes_and_imports_nothing(db):
    buffer = BytesIO()
    write_workbook(buffer)
    book = openpyxl.load_workbook(BytesIO(buffer.getvalue()))
    assert book.sheetnames == ["单位", "科室", "人员", "角色", "填写说明"]
    assert [c.value for c in book["人员"][1]] == ["姓名", "登录名", "工号", "手机号", "电子邮箱"]
    assert book["人员"]["A2"].value.startswith("示例：")
    lists = [v.formula1 for v in book["角色"].data_validations.dataValidation]
    assert any("单位领导" in formula for formula in lists)
    assert any("被巡察单位" in v.formula1 for v in book["单位"].data_validations.dataValidation)
    record = preview(buffer.getvalue())
    assert record.plan["errors"] == [] and record.plan["counts"]["total"] == 0


def test_a_first_import_creates_units_sections_people_and_roles(db):
    record = imported(county())
    assert record.status == "applied" and record.decided_at
    bureau = Unit.objects.get(name="区教育局")
    assert bureau.parent.name == "区委巡察办" and bureau.credit_code == "11330100MB1234567X"
    assert bureau.path == f"{bureau.parent.path}{bureau.pk}/"
    assert set(bureau.children.values_list("name", flat=True)) == {"办公室", "财务科"}
    wu = User.objects.get(username="wuzr")
    assert wu.first_name == "吴主任" and wu.email == "wu@example.gov.cn"
    assert wu.person.employee_number == "A003"
    assert Person.objects.get(user__username="zhengky").mobile == "13800000004"
    # Several roles for one person; new people have no usable password.
    assert set(wu.memberships.values_list("unit__name", "role")) == {
        ("区教育局", Role.RECTIFICATION_OFFICE),
        ("区卫健局", Role.RECTIFICATION_OFFICE),
    }
    assert not wu.has_usable_password()
    assert Membership.objects.get(user=wu, unit=bureau).title == "办公室主任"


def test_the_same_sheet_twice_changes_nothing_the_second_time(db):
    imported(county())
    again = preview(county())
    assert again.plan["counts"]["total"] == 0 and again.plan["errors"] == []


def test_an_export_imported_back_changes_nothing(world):
    buffer = BytesIO()
    write_export(buffer)
    record = preview(buffer.getvalue())
    assert record.plan["errors"] == []
    assert record.plan["counts"]["total"] == 0


def test_changes_are_shown_field_by_field_and_applied(db):
    imported(county())
    people = [list(p) for p in COUNTY["people"]]
    people[1][0], people[1][3] = "周新局长", "13900000002"
    roles = [list(r) for r in COUNTY["roles"]]
    roles[1][4] = "党组书记、局长"
    plan = imported(county(people=people, roles=roles)).plan
    (change,) = plan["people"]["change"]
    assert change["changes"] == {
        "name": ["周局长", "周新局长"],
        "mobile": ["13800000002", "13900000002"],
    }
    assert plan["roles"]["change"][0]["changes"] == {"title": ["局长", "党组书记、局长"]}
    zhou = User.objects.get(username="zhoujz")
    assert zhou.first_name == "周新局长" and zhou.person.mobile == "13900000002"


def test_a_changed_login_with_the_same_employee_number_is_the_same_person(db):
    imported(county())
    zhou = User.objects.get(username="zhoujz")
    people = [list(p) for p in COUNTY["people"]]
    people[1][1] = "zhou.jz"
    roles = [["zhou.jz" if r[0] == "zhoujz" else r[0], *r[1:]] for r in COUNTY["roles"]]
    plan = imported(county(people=people, roles=roles)).plan
    assert plan["people"]["change"][0]["changes"] == {"username": ["zhoujz", "zhou.jz"]}
    assert plan["roles"]["grant"] == [] and plan["roles"]["revoke"] == []
    zhou.refresh_from_db()
    assert zhou.username == "zhou.jz" and zhou.memberships.count() == 1


def test_a_login_of_one_person_and_a_number_of_another_is_an_error(db):
    imported(county())
    people = [list(p) for p in COUNTY["people"]]
    people[0][2], people[1][2] = "", "A001"  # zhoujz with sunxc's number
    first, *then = errors_of(county(people=people))
    assert first.startswith("人员3:") and "工号“A001”却属于另一人" in first
    assert then == ["角色3:“人员”表中没有登录名“zhoujz”的人员（或该行有错误）。"]


def test_people_who_left_are_deactivated_keeping_their_roles(world):
    """The sheet covers 区科技局: its people absent from the sheet are deactivated (the admin
    never), a person in the sheet loses the roles there the sheet does not give."""
    units = [
        ["区委巡察办", "巡察机构/评价机构", "", ""],
        ["区科技局", "被巡察单位", "区委巡察办", ""],
    ]
    people = [["领导", "leader", "", "", ""], ["巡察", "inspector", "", "", ""]]
    roles = [
        ["leader", "", "区科技局", "单位领导", ""],
        ["inspector", "", "区委巡察办", "巡察办", ""],
    ]
    grant_admin = Membership.objects.create(user=world.admin, unit=world.unit, role=Role.LEADER)
    Membership.objects.create(user=world.leader, unit=world.section, role=Role.SECTION_STAFF)
    plan = imported(workbook_bytes(units=units, people=people, roles=roles)).plan
    gone = {item["label"] for item in plan["people"]["deactivate"]}
    assert gone == {
        "rect_office（rect_office）",
        "staff（staff）",
        "other_staff（other_staff）",
        "discipline（discipline）",
        "刘评价（evaluator）",
    }
    for name in ("staff", "rect_office", "evaluator"):
        user = User.objects.get(username=name)
        assert not user.is_active and user.memberships.exists()
    assert User.objects.get(username="admin").is_active
    assert Membership.objects.filter(pk=grant_admin.pk).exists()
    assert User.objects.get(username="outsider").is_active  # 市财政局 is not covered
    assert list(world.leader.memberships.values_list("role", flat=True)) == [Role.LEADER]
    # Listed again, a person who left comes back (with the roles the sheet gives).
    people.append(["科员", "staff", "", "", ""])
    roles.append(["staff", "", "区科技局/办公室", "科室人员", ""])
    plan = imported(workbook_bytes(units=units, people=people, roles=roles)).plan
    assert plan["people"]["change"] == [
        {"id": world.staff.pk, "label": "staff（staff）", "changes": {"name": ["staff", "科员"]}}
    ]
    assert plan["people"]["reactivate"] == [{"id": world.staff.pk, "label": "staff（staff）"}]
    assert User.objects.get(username="staff").is_active


def test_a_row_matching_an_administrator_is_an_error_and_changes_nothing(world):
    """By employee number (a new login) or by login, a superuser's or a staff account's row
    is refused: the directory never renames, changes, grants roles to or reactivates them."""
    Person.objects.create(user=world.admin, employee_number="ADM1")
    keeper = User.objects.create(username="keeper", first_name="管理员", is_staff=True)
    retired = User.objects.create(username="retired", is_superuser=True, is_active=False)
    people = [
        ["新人", "newcomer", "ADM1", "", "new@example.gov.cn"],
        ["看门人", "keeper", "", "", ""],
        ["退休", "retired", "", "", ""],
        *COUNTY["people"],
    ]
    roles = [["newcomer", "", "区委巡察办", "巡察办", ""], *COUNTY["roles"]]
    found = errors_of(county(people=people, roles=roles))
    assert found[:3] == [
        "人员2:工号“ADM1”属于系统管理员账号，通讯录不能修改管理员账号。",
        "人员3:登录名“keeper”属于系统管理员账号，通讯录不能修改管理员账号。",
        "人员4:登录名“retired”属于系统管理员账号，通讯录不能修改管理员账号。",
    ]
    admin = User.objects.get(pk=world.admin.pk)
    assert admin.username == "admin" and admin.first_name == world.admin.first_name
    assert not User.objects.get(pk=retired.pk).is_active
    assert User.objects.get(pk=keeper.pk).first_name == "管理员"


def test_someone_who_still_holds_roles_elsewhere_loses_only_the_covered_ones(db):
    """A sheet of 区卫健局 alone: 吴主任, also 整改办 at 区教育局, is not deactivated; only
    the role at 区卫健局 is revoked (shown as a revoked role)."""
    imported(county())
    wu = User.objects.get(username="wuzr")
    units = [["区卫健局", "被巡察单位", "区委巡察办", ""]]
    people = [["冯科员", "fengky", "", "", ""]]
    roles = [["fengky", "", "区卫健局/办公室", "科室人员", ""]]
    plan = imported(
        workbook_bytes(units=units, sections=[["区卫健局", "办公室"]], people=people, roles=roles)
    ).plan
    assert plan["people"]["deactivate"] == []
    assert [(r["who"], r["where"], r["role_label"]) for r in plan["roles"]["revoke"]] == [
        ("吴主任（wuzr）", "区卫健局", "整改办")
    ]
    wu.refresh_from_db()
    assert wu.is_active
    assert list(wu.memberships.values_list("unit__name", flat=True)) == ["区教育局"]
    # Gone from 区教育局 as well, he has left: deactivated then, keeping his last role.
    units = [["区教育局", "被巡察单位", "区委巡察办", "11330100MB1234567X"]]
    rows = [r for r in COUNTY["roles"] if r[0] == "zhoujz"]
    sections = [["区教育局", "办公室"], ["区教育局", "财务科"]]
    plan = imported(
        workbook_bytes(units=units, sections=sections, people=COUNTY["people"][1:2], roles=rows)
    ).plan
    assert {p["label"] for p in plan["people"]["deactivate"]} == {
        "吴主任（wuzr）",
        "郑科员（zhengky）",
    }
    wu.refresh_from_db()
    assert not wu.is_active and wu.memberships.count() == 1


def test_a_constraint_failing_while_applying_is_refused_in_chinese(db):
    """Whatever collides at the last moment (here a login twice in a doctored plan) is a
    refusal, never a server error, and nothing is written."""
    record = preview(county())
    plan = record.plan
    plan["people"]["create"].append({**plan["people"]["create"][0], "ref": "n:again"})
    record.plan = plan
    record.save()
    with pytest.raises(Conflict) as caught:
        directory.apply_directory_import(record, by=None)
    assert "未做任何修改" in caught.value.message
    assert not User.objects.exists() and not Unit.objects.exists()
    record.refresh_from_db()
    assert record.status == "preview"


@pytest.mark.parametrize(
    "changes, expected",
    [
        ({"people": [["", "nobody", "", "", ""]]}, "人员2:缺少姓名。"),
        ({"people": [["甲", "a", "", "12345", ""]]}, "人员2:手机号“12345”格式不正确"),
        (
            {"people": [["甲", "a", "", "", "not-an-email"]]},
            "人员2:电子邮箱“not-an-email”格式不正确",
        ),
        ({"people": [["甲", "a b", "", "", ""]]}, "人员2:登录名“a b”只能由"),
        (
            {"people": [["甲", "a", "", "", ""], ["乙", "A", "", "", ""]]},
            "人员3:登录名“A”与第 2 行重复",
        ),
        (
            {"people": [["甲", "a", "9", "", ""], ["乙", "b", "9", "", ""]]},
            "人员3:工号“9”与第 2 行重复",
        ),
        ({"roles": [["sunxc", "", "区委巡察办", "处长", ""]]}, "角色2:角色“处长”无法识别"),
        (
            {"roles": [["ghost", "", "区委巡察办", "巡察办", ""]]},
            "角色2:“人员”表中没有登录名“ghost”",
        ),
        ({"roles": [["sunxc", "", "区财政局", "巡察办", ""]]}, "角色2:单位或科室“区财政局”不在"),
        (
            {"roles": [["zhengky", "", "区教育局/档案室", "科室人员", ""]]},
            "角色2:“区教育局”没有名为“档案室”的科室",
        ),
        ({"roles": [["zhengky", "", "区教育局", "科室人员", ""]]}, "角色2:“科室人员”只能在科室上"),
        ({"sections": [["区财政局", "办公室"]]}, "科室2:所属单位“区财政局”既不在“单位”表中"),
        (
            {"units": [["区教育局", "被巡察单位", "区委组织部", ""]]},
            "单位2:上级单位“区委组织部”既不在",
        ),
        ({"units": [["区教育局", "局", "", ""]]}, "单位2:类型“局”无法识别"),
        ({"units": [["", "被巡察单位", "", ""]]}, "单位2:缺少单位名称。"),
        (
            {"units": [["区教育局", "被巡察单位", "", "123"]]},
            "单位2:统一社会信用代码“123”格式不正确",
        ),
    ],
)
def test_each_mistake_is_said_in_chinese_with_its_sheet_and_line(db, changes, expected):
    found = errors_of(county(**changes))
    assert any(error.startswith(expected) for error in found), found


def test_a_cycle_of_parents_is_an_error(db):
    units = [["甲办", "巡察机构/评价机构", "乙办", ""], ["乙办", "巡察机构/评价机构", "甲办", ""]]
    found = errors_of(workbook_bytes(units=units))
    assert any("循环" in error for error in found), found


def test_a_unit_named_twice_is_told_apart_by_its_path(db):
    units = [
        ["市委巡察办", "巡察机构/评价机构", "", ""],
        ["区委巡察办", "巡察机构/评价机构", "市委巡察办", ""],
        ["县委巡察办", "巡察机构/评价机构", "市委巡察办", ""],
        ["科技局", "被巡察单位", "区委巡察办", ""],
        ["科技局", "被巡察单位", "县委巡察办", ""],
    ]
    sections = [["区委巡察办/科技局", "办公室"], ["科技局", "财务科"]]
    found = errors_of(workbook_bytes(units=units, sections=sections))
    assert found == ["科室3:所属单位“科技局”有重名，请写出路径，如“上级/科技局”。"]
    imported(workbook_bytes(units=units, sections=sections[:1]))
    assert Unit.objects.filter(name="科技局").count() == 2
    assert Unit.objects.get(name="办公室").parent.parent.name == "区委巡察办"
    buffer = BytesIO()
    write_export(buffer)
    assert preview(buffer.getvalue()).plan["counts"]["total"] == 0


def test_a_sheet_with_an_error_in_its_last_row_cannot_be_confirmed(db):
    roles = [*COUNTY["roles"], ["fengky", "", "区卫健局/办公室", "科长", ""]]
    record = preview(county(roles=roles))
    assert len(record.plan["errors"]) == 1
    with pytest.raises(Refused):
        directory.apply_directory_import(record, by=None)
    assert not User.objects.exists() and not Unit.objects.exists()


def test_a_failure_while_applying_writes_nothing(db):
    """All or nothing: a plan whose last grant cannot be written leaves no unit or person."""
    record = preview(county())
    plan = record.plan
    plan["roles"]["grant"][-1]["unit"] = "u:999999"
    record.plan = plan
    record.save()
    with pytest.raises(Unit.DoesNotExist):
        directory.apply_directory_import(record, by=None)
    assert not User.objects.exists() and not Unit.objects.exists()
    record.refresh_from_db()
    assert record.status == "preview"


def test_confirming_is_refused_when_the_directory_changed_since_the_preview(db):
    record = preview(county())
    User.objects.create(username="late")
    with pytest.raises(Conflict):
        directory.apply_directory_import(record, by=None)
    assert not Unit.objects.filter(name="区教育局").exists()


def test_a_handled_import_cannot_be_confirmed_again(db):
    record = imported(county())
    with pytest.raises(Refused):
        directory.apply_directory_import(record, by=None)
    people = [["孙巡察", "sunxc", "A001", "13900000001", ""], *COUNTY["people"][1:]]
    discarded = directory.discard_directory_import(preview(county(people=people)), by=None)
    assert discarded.status == "discarded" and discarded.decided_at
    assert directory.status_label(discarded) == "已放弃"


def test_every_error_of_a_row_is_said_not_only_the_first(db):
    people = [
        *COUNTY["people"],
        ["郑科员", "zhengky", "A002", "1380000", "nope"],  # bad mobile, e-mail, repeats
        ["", "", "A009", "", ""],
    ]
    roles = [*COUNTY["roles"], ["ghost", "", "区财政局", "处长", "职" * 101]]
    sections = [*COUNTY["sections"], ["", "办/公室"]]
    found = errors_of(county(people=people, sections=sections, roles=roles))
    assert [e for e in found if e.startswith("人员7:")] == [
        "人员7:手机号“1380000”格式不正确（应为 11 位手机号码）。",
        "人员7:电子邮箱“nope”格式不正确。",
        "人员7:登录名“zhengky”与第 5 行重复。",
        "人员7:工号“A002”与第 3 行重复（两人不能同一工号）。",
    ]
    assert [e for e in found if e.startswith("人员8:")] == [
        "人员8:缺少姓名。",
        "人员8:缺少登录名。",
    ]
    assert [e for e in found if e.startswith("科室5:")] == [
        "科室5:科室名称“办/公室”过长或含有“/”。",
        "科室5:缺少所属单位。",
    ]
    row = [e for e in found if e.startswith("角色8:")]
    assert row[0].startswith("角色8:“人员”表中没有登录名“ghost”") and len(row) == 4, row
    assert "处长" in row[1] and "区财政局" in row[2] and "职务超过 100 个字" in row[3]


def test_sheets_that_cannot_be_imported_are_closed_and_a_new_upload_supersedes(db):
    """Only a plan that can be applied waits: one with errors or without changes is closed at
    once; a newer upload that can be applied discards the preview still open."""
    bad = preview(county(people=[["", "nobody", "", "", ""]]))
    assert bad.status == "discarded" and bad.decided_at
    assert directory.status_label(bad) == "有错误，未导入"
    first = preview(county())
    assert first.status == "preview" and directory.status_label(first) == "待确认"
    preview(county(people=[["", "nobody", "", "", ""]]))  # errors supersede nothing
    first.refresh_from_db()
    assert first.status == "preview"
    second = preview(county())
    first.refresh_from_db()
    assert first.status == "discarded" and first.outcome == {"superseded_by": second.pk}
    assert directory.status_label(first) == "已被新上传取代"
    with pytest.raises(Refused) as caught:
        directory.apply_directory_import(first, by=None)
    assert "新的通讯录" in caught.value.message
    directory.apply_directory_import(second, by=None)
    again = preview(county())
    assert again.status == "discarded" and directory.status_label(again) == "无变化"
    assert directory.apply_directory_import(again, by=None).status == "discarded"  # a no-op


def test_the_summary_names_new_units_and_sections(db):
    plan = preview(county()).plan
    assert directory.change_summary(plan["counts"]) == (
        "新建单位 3，新建科室 3，新建人员 5，授予角色 6"
    )


def test_a_file_that_is_not_a_workbook_is_refused(db):
    with pytest.raises(Refused) as caught:
        preview(b"%PDF-1.4 nothing")
    assert "Excel" in caught.value.message or "PDF" in caught.value.message
    book = openpyxl.Workbook()
    book.active.title = "人员"
    buffer = BytesIO()
    book.save(buffer)
    with pytest.raises(Refused) as caught:
        preview(buffer.getvalue())
    assert "缺少“单位”“科室”“角色”工作表" in caught.value.message


def test_planning_reads_the_directory_in_a_fixed_number_of_queries(db):
    imported(county())
    more = [[f"人员{n}", f"p{n}", f"N{n}", "", ""] for n in range(200)]
    book = directory.read_workbook(BytesIO(county(people=[*COUNTY["people"], *more])))
    with CaptureQueriesContext(connection) as queries:
        plan = directory.plan_directory(book)
    assert plan["counts"]["people_create"] == 200
    assert len(queries) == 4
