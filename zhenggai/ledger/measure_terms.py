"""The ledger's measure filters in use as the page says them: a section and a leader by name
(the 调度 sheet's figures link with their ids), yes/no for the on-time filter, dates as given.

A name is read only within what the user may see (a section of a unit they read, a person
holding a role there); another id is said as given, so no name leaks from a crafted URL."""

from zhenggai.ledger.forms import people_in_scope
from zhenggai.lib.names import NAME_FIELDS, full_name
from zhenggai.orgs.access import scope_for
from zhenggai.orgs.models import Unit

YES_NO = {"true": "是", "false": "否"}


def _section_name(scope, pk: int) -> str | None:
    sections = scope.restrict(Unit.objects.filter(pk=pk, kind=Unit.Kind.SECTION), "parent_id")
    return sections.values_list("name", flat=True).first()


def _leader_name(scope, pk: int) -> str | None:
    names = people_in_scope(scope).filter(pk=pk).values_list(*NAME_FIELDS).first()
    return full_name(*names) if names else None


NAMED = {"measure_section": _section_name, "measure_leader": _leader_name}


def said_terms(filterset, user) -> list[tuple[str, str, str, str]]:
    """(name, value as given, label, value as said) of the measure filters in use: a query per
    section or leader named (none on a link of the 调度 sheet but one)."""
    terms = filterset.measure_terms
    if not terms:
        return []
    scope = scope_for(user) if any(name in NAMED for name, *_ in terms) else None
    data = filterset.form.cleaned_data
    said = []
    for name, value, label in terms:
        shown = YES_NO.get(value, value)
        if name in NAMED:
            shown = NAMED[name](scope, int(data[name])) or f"（编号 {value}，不在可查看范围）"
        said.append((name, value, label, shown))
    return said
