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
    assert "人员 line 7: 缺少姓名。" in err.getvalue()
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
