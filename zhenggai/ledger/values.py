"""A measure's field values as stored (JSON) and as shown to people (names, labels)."""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils.text import normalize_newlines

from zhenggai.ledger.models import Measure
from zhenggai.lib.names import person_name
from zhenggai.orgs.models import Unit

_UNIT_FIELDS = {"lead_section", "responsible_sections"}
_USER_FIELDS = {"lead_leader", "owner"}


def serial(value):
    """A field value as JSON: objects by id, dates as ISO text, many-to-many as sorted ids.
    Equal values serialise alike: 0 and 0.00 are one amount, and a browser's \r\n line breaks
    are \n, so saving a form unchanged changes nothing."""
    if isinstance(value, str):
        return normalize_newlines(value)
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, (list, tuple, set)) or hasattr(value, "all"):
        items = value.all() if hasattr(value, "all") else value
        return sorted(serial(item) for item in items)
    return value


def measure_value(measure: Measure, name: str):
    if name == "responsible_sections":
        return serial(measure.responsible_sections.all())
    return serial(getattr(measure, Measure._meta.get_field(name).attname))


class Names:
    """The names of the units and people that stored values refer to, read in two queries."""

    def __init__(self, value_dicts: Iterable[dict]):
        units, users = set(), set()
        for values in value_dicts:
            for name, value in values.items():
                ids = value if isinstance(value, list) else [value]
                target = units if name in _UNIT_FIELDS else users if name in _USER_FIELDS else None
                if target is not None:
                    target.update(i for i in ids if i)
        self.units = dict(Unit.objects.filter(pk__in=units).values_list("pk", "name"))
        self.users = {u.pk: person_name(u) for u in get_user_model().objects.filter(pk__in=users)}

    def show(self, name: str, value) -> str:
        if value in (None, "", []):
            return "—"
        if name in _UNIT_FIELDS:
            ids = value if isinstance(value, list) else [value]
            return "、".join(self.units.get(i, str(i)) for i in ids)
        if name in _USER_FIELDS:
            return self.users.get(value, str(value))
        field = Measure._meta.get_field(name)
        if field.choices:
            return str(dict(field.choices).get(value, value))
        return str(value)


def label(name: str) -> str:
    return str(Measure._meta.get_field(name).verbose_name)


def describe(changes: dict, before: dict | None = None, names: Names | None = None) -> dict:
    """{label: [before, after]} as shown in the history and in change requests."""
    before = before or {}
    names = names or Names([changes, before])
    return {
        label(name): [names.show(name, before.get(name)), names.show(name, value)]
        for name, value in changes.items()
    }
