"""Choosing a unit from a list that spans units: every 办公室 looks alike by name alone, so a
choice is labelled by its path ("区科技局 › 办公室")."""

from collections import Counter

from django import forms
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue

from zhenggai.orgs.models import Unit

SEPARATOR = " › "


def unit_label(unit: Unit) -> str:
    """One unit as a list of units across units shows it: a section with the unit it belongs to
    ("区科技局 › 办公室"), a unit or office by its name."""
    if unit.kind == Unit.Kind.SECTION and unit.parent_id:
        return f"{unit.parent.name}{SEPARATOR}{unit.name}"
    return unit.name


def unit_labels(units) -> dict[int, str]:
    """Labels of the units of one list, read in one query: each as `unit_label` shows it, and
    those that would still look alike (two units of one name under two offices) by their whole
    path ("区委巡察办 › 区科技局")."""
    units = list(units)
    ids = {pk for unit in units for pk in unit.ancestor_ids}
    names = dict(Unit.objects.filter(pk__in=ids).values_list("pk", "name"))
    names.update((unit.pk, unit.name) for unit in units)

    def path(unit: Unit, depth: int | None) -> str:
        chain = unit.ancestor_ids or [unit.pk]
        return SEPARATOR.join(names.get(pk, "") for pk in chain[-depth if depth else 0 :])

    short = {
        unit.pk: path(unit, 2 if unit.kind == Unit.Kind.SECTION and unit.parent_id else 1)
        for unit in units
    }
    alike = Counter(short.values())
    return {
        unit.pk: short[unit.pk] if alike[short[unit.pk]] == 1 else path(unit, None)
        for unit in units
    }


class UnitChoiceIterator(ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        queryset = self.queryset
        if not queryset._prefetch_related_lookups:
            queryset = queryset.iterator()
        units = list(queryset)
        labels = unit_labels(units)
        for unit in units:
            yield (ModelChoiceIteratorValue(self.field.prepare_value(unit), unit), labels[unit.pk])


class UnitChoiceField(forms.ModelChoiceField):
    """A select of units whose labels tell alike names apart by their path."""

    iterator = UnitChoiceIterator

    def label_from_instance(self, unit):
        return unit_label(unit)


class UnitMultipleChoiceField(forms.ModelMultipleChoiceField):
    iterator = UnitChoiceIterator

    def label_from_instance(self, unit):
        return unit_label(unit)
