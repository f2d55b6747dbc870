"""The demo's directory import: employee numbers and mobiles for everyone, one applied record
made from the directory's own export, nobody deactivated."""

from zhenggai.demo.directory import load_directory_import
from zhenggai.orgs.models import DirectoryImport, Person


def test_the_demo_leaves_one_applied_directory_import(world):
    record = load_directory_import()
    assert record.status == DirectoryImport.Status.APPLIED and record.created_by == world.admin
    plan = record.plan
    assert plan["people"]["deactivate"] == [] and plan["roles"]["revoke"] == []
    assert plan["counts"]["people_change"] == Person.objects.exclude(employee_number="").count()
    assert Person.objects.get(user=world.staff).mobile.startswith("1390000")
    assert DirectoryImport.objects.count() == 1
