from django.db import transaction

from zhenggai.orgs.models import Unit


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
    existing = Unit.objects.filter(name=name, parent=parent).first()
    return existing or create_unit(name, kind, parent)
