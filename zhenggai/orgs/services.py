from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.db.models import Q

from zhenggai.orgs.models import Membership, Unit


@transaction.atomic
def create_unit(name: str, kind: str, parent: Unit | None = None, **fields) -> Unit:
    """Create a unit under `parent` and set its materialised path."""
    if kind == Unit.Kind.SECTION and (parent is None or parent.kind == Unit.Kind.SECTION):
        raise ValueError("a section must belong to a unit or an office")
    unit = Unit.objects.create(name=name, kind=kind, parent=parent, path="", **fields)
    unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
    unit.save(update_fields=["path"])
    return unit


def get_or_create_unit(name: str, kind: str, parent: Unit | None = None) -> Unit:
    """The unit of that name under `parent`, created if missing. Inside a transaction the parent
    is locked first, so that two at once create it once (the second finds the first's)."""
    if parent is not None and transaction.get_connection().in_atomic_block:
        Unit.objects.select_for_update().filter(pk=parent.pk).first()
    existing = Unit.objects.filter(name=name, parent=parent).first()
    return existing or create_unit(name, kind, parent)


def memberships_in(unit_ids) -> "models.QuerySet[Membership]":
    """Roles held on these units themselves or on their sections (never on units below them)."""
    return Membership.objects.filter(
        Q(unit_id__in=unit_ids) | Q(unit__parent_id__in=unit_ids, unit__kind=Unit.Kind.SECTION)
    )


def people_in(unit_ids, roles=None):
    """Users holding a role (one of `roles`, if given) on these units or their sections."""
    memberships = memberships_in(unit_ids)
    if roles:
        memberships = memberships.filter(role__in=roles)
    return (
        get_user_model().objects.filter(pk__in=memberships.values("user_id")).order_by("username")
    )
