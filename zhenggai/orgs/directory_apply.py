"""Applying a directory plan (see `zhenggai.orgs.directory`): what it creates, changes,
deactivates, reactivates, grants and revokes, written inside the caller's transaction."""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection

from zhenggai.orgs.models import Membership, Person, Unit
from zhenggai.orgs.services import create_unit

# Any 64-bit number no other advisory lock of the application uses.
_CONFIRM_LOCK = 0x7A6764697200  # "zgdir"


def lock_directory() -> None:
    """One confirmation at a time, taken before the directory is read: a second waits, then
    finds the directory changed. PostgreSQL reads what was committed when each statement
    began, so two confirmations would both pass the fingerprint check without this lock;
    SQLite's transactions begin IMMEDIATE (see settings), which serialises them already."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CONFIRM_LOCK])


def apply_plan(plan: dict) -> None:
    units: dict[str, Unit] = {}

    def unit(ref: str) -> Unit:
        if ref not in units:
            units[ref] = Unit.objects.get(pk=int(ref[2:]))
        return units[ref]

    for item in plan["units"]["create"]:
        parent = unit(item["parent"]) if item["parent"] else None
        units[item["ref"]] = create_unit(
            item["name"], item["kind"], parent, credit_code=item["credit_code"]
        )
    for item in plan["units"]["change"]:
        Unit.objects.filter(pk=item["id"]).update(credit_code=item["changes"]["credit_code"][1])
    for item in plan["sections"]["create"]:
        units[item["ref"]] = create_unit(item["name"], Unit.Kind.SECTION, unit(item["unit"]))
    people = _apply_people(plan["people"])
    _apply_roles(plan["roles"], people, unit)


def _apply_people(plan: dict) -> dict[str, int]:
    User = get_user_model()
    changes = plan["change"]
    # Logins and employee numbers may move between people of the sheet: free them all first,
    # so that no unique constraint sees one value on two people halfway.
    for item in changes:
        if "username" in item["changes"]:
            User.objects.filter(pk=item["id"]).update(username=f"~directory~{item['id']}")
        if "employee_number" in item["changes"]:
            Person.objects.filter(pk=item["id"]).update(employee_number="")
    for item in changes:
        values = {name: after for name, (_, after) in item["changes"].items()}
        user_fields = {
            {"name": "first_name"}.get(name, name): value
            for name, value in values.items()
            if name in ("username", "name", "email")
        }
        if user_fields:
            User.objects.filter(pk=item["id"]).update(**user_fields)
        person_fields = {n: v for n, v in values.items() if n in ("employee_number", "mobile")}
        if person_fields:
            Person.objects.update_or_create(user_id=item["id"], defaults=person_fields)
    created = User.objects.bulk_create(
        [
            User(
                username=item["username"],
                first_name=item["name"],
                email=item["email"],
                # No password anyone knows: single sign-on, or one an administrator sets.
                password=make_password(None),
            )
            for item in plan["create"]
        ]
    )
    Person.objects.bulk_create(
        [
            Person(user=user, employee_number=item["employee_number"], mobile=item["mobile"])
            for user, item in zip(created, plan["create"], strict=True)
        ]
    )
    for action, active in (("reactivate", True), ("deactivate", False)):
        if plan[action]:
            User.objects.filter(pk__in=[item["id"] for item in plan[action]]).update(
                is_active=active
            )
    return {item["ref"]: user.pk for user, item in zip(created, plan["create"], strict=True)}


def _apply_roles(plan: dict, people: dict[str, int], unit) -> None:
    Membership.objects.filter(pk__in=[item["id"] for item in plan["revoke"]]).delete()
    for item in plan["change"]:
        Membership.objects.filter(pk=item["id"]).update(title=item["title"])

    def user_id(ref: str) -> int:
        return int(ref[2:]) if ref.startswith("p:") else people[ref]

    Membership.objects.bulk_create(
        [
            Membership(
                user_id=user_id(item["person"]),
                unit=unit(item["unit"]),
                role=item["role"],
                title=item["title"],
            )
            for item in plan["grant"]
        ]
    )
