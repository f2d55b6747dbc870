"""`zhenggai directory import|export|template` (issue 18)."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from zhenggai.orgs.models import DirectoryImport, Unit
from zhenggai.orgs.tests.directory_helpers import COUNTY, county

User = get_user_model()


def run(*args) -> str:
    out = StringIO()
    call_command("directory", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_a_dry_run_prints_the_plan_and_changes_nothing(db, tmp_path):
    sheet = tmp_path / "county.xlsx"
    sheet.write_bytes(county())
    out = run("import", str(sheet), "--dry-run")
    assert "people to create: 5" in out and "roles to grant: 6" in out and "Dry run" in out
    assert not User.objects.exists() and not DirectoryImport.objects.exists()


def test_an_import_applies_and_a_second_one_changes_nothing(db, tmp_path):
    sheet = tmp_path / "county.xlsx"
    sheet.write_bytes(county())
    assert "Applied (17 changes)" in run("import", str(sheet))
    assert User.objects.count() == 5 and Unit.objects.count() == 6
    assert DirectoryImport.objects.get().status == "applied"
    assert "No changes" in run("import", str(sheet))


def test_a_bad_sheet_exits_non_zero_with_its_errors(db, tmp_path):
    sheet = tmp_path / "bad.xlsx"
    people = [*COUNTY["people"], ["", "nobody", "", "", ""]]
    sheet.write_bytes(county(people=people))
    err = StringIO()
    with pytest.raises(CommandError, match="1 errors"):
        call_command("directory", "import", str(sheet), stdout=StringIO(), stderr=err)
    assert err.getvalue() == "sheet 人员, row 7: 缺少姓名。\n"
    assert not User.objects.exists() and not DirectoryImport.objects.exists()
    (tmp_path / "not.xlsx").write_bytes(b"plain text")
    with pytest.raises(CommandError):
        run("import", str(tmp_path / "not.xlsx"))
    with pytest.raises(CommandError, match="cannot read"):
        run("import", str(tmp_path / "missing.xlsx"))


def test_an_export_imports_back_unchanged_and_the_template_imports_nothing(world, tmp_path):
    run("export", "-o", str(tmp_path / "export.xlsx"))
    assert "No changes" in run("import", str(tmp_path / "export.xlsx"), "--dry-run")
    run("template", "-o", str(tmp_path / "template.xlsx"))
    assert "No changes" in run("import", str(tmp_path / "template.xlsx"), "--dry-run")


def test_a_dry_run_names_every_error_of_a_row(db, tmp_path):
    sheet = tmp_path / "bad.xlsx"
    people = [*COUNTY["people"], ["甲", "sunxc", "", "12345", ""]]
    sheet.write_bytes(county(people=people))
    err = StringIO()
    with pytest.raises(CommandError, match="2 errors"):
        call_command("directory", "import", str(sheet), "--dry-run", stdout=StringIO(), stderr=err)
    assert err.getvalue().splitlines() == [
        "sheet 人员, row 7: 手机号“12345”格式不正确（应为 11 位手机号码）。",
        "sheet 人员, row 7: 登录名“sunxc”与第 2 行重复。",
    ]


def test_a_dry_run_leaves_the_open_preview_of_the_pages_alone(db, tmp_path):
    from zhenggai.orgs.directory import preview_directory_import
    from zhenggai.orgs.tests.directory_helpers import upload

    waiting = preview_directory_import(upload(county()), by=None)
    sheet = tmp_path / "county.xlsx"
    sheet.write_bytes(county())
    run("import", str(sheet), "--dry-run")
    waiting.refresh_from_db()
    assert waiting.status == "preview" and DirectoryImport.objects.count() == 1
