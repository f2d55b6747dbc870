from zhenggai.accounts.matching import match_person
from zhenggai.orgs.models import Person
from zhenggai.testing import make_user


def test_a_person_is_found_by_login(world):
    assert match_person(world.staff.username, None) == world.staff
    assert match_person(f"  {world.staff.username} ", "") == world.staff


def test_a_person_is_found_by_employee_number_when_the_login_differs(world):
    Person.objects.create(user=world.leader, employee_number="E-1001")
    assert match_person("zhang.san@idp", "E-1001") == world.leader
    assert match_person(None, "E-1001") == world.leader


def test_nobody_is_found_for_an_unknown_or_blank_identity(world):
    Person.objects.create(user=world.leader, employee_number="E-1001")
    Person.objects.create(user=world.staff, employee_number="")
    assert match_person("nobody", "E-9999") is None
    assert match_person("", "") is None
    assert match_person(None, None) is None


def test_a_person_who_has_left_is_not_found(world):
    gone = make_user("gone", "离职人员", is_active=False)
    Person.objects.create(user=gone, employee_number="E-2002")
    assert match_person("gone", None) is None
    assert match_person(None, "E-2002") is None
    # A login naming someone who has left does not fall through to another person's number.
    Person.objects.create(user=world.staff, employee_number="E-3003")
    assert match_person("gone", "E-3003") is None


def test_matching_creates_nobody(world, django_user_model):
    before = django_user_model.objects.count()
    match_person("new.person", "E-4004")
    assert django_user_model.objects.count() == before


def test_a_superuser_is_never_matched_by_login_or_employee_number(world):
    admin = world.admin
    Person.objects.update_or_create(user=admin, defaults={"employee_number": "ROOT01"})
    assert admin.is_superuser
    assert match_person(admin.username, None) is None
    assert match_person("someone-else", "ROOT01") is None
    assert match_person(None, "ROOT01") is None
