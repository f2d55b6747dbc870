"""Who sees and does what in the monthly assessment.

The office's 评价办 runs it: schemes, months, entries, rankings, interviews, clues. The
office's discipline group reads all of it and receives the clues. A unit scored by it (its
leaders, its 整改办 and its own discipline group) sees its own score sheet at any time, and
the ranking and the other units' sheets once the month is published; never before.
"""

from django.db.models import Q
from django.http import Http404

from zhenggai.assessments.models import AssessmentMonth, Interview, UnitGroup
from zhenggai.evaluations.offices import read_office_ids, reads_office_records
from zhenggai.lib.errors import NotAllowed
from zhenggai.orgs.access import scope_for
from zhenggai.orgs.models import Membership, Role, Unit

UNIT_READERS = (Role.LEADER, Role.RECTIFICATION_OFFICE, Role.DISCIPLINE)


def _signed_in(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.is_active


def runs(user, office_id: int) -> bool:
    """Whether `user` may run the assessments of the office (its 评价办, or an administrator)."""
    if not _signed_in(user):
        return False
    if scope_for(user).is_admin:
        return True
    return Membership.objects.filter(
        user_id=user.pk, unit_id=office_id, role=Role.EVALUATION_OFFICE
    ).exists()


def require_runs(user, office_id: int, what: str) -> None:
    """Refuse, naming `what` in Chinese, unless `user` runs the office's assessments."""
    if not runs(user, office_id):
        raise NotAllowed(
            f"只有本评价办可以{what}。", f"{user} may not {what} for office {office_id}"
        )


def reads_office(user, office_id: int) -> bool:
    """Whether `user` reads everything of the office's assessments: its 评价办 and its
    discipline group, and administrators."""
    if not _signed_in(user):
        return False
    if scope_for(user).is_admin:
        return True
    return read_office_ids(user).filter(unit_id=office_id).exists()


def own_unit_ids(user) -> set[int]:
    """The units whose own sheet `user` reads: where they hold a unit's reading roles on the
    unit itself (a role held on an office above does not make it their unit)."""
    if not _signed_in(user):
        return set()
    return set(
        Membership.objects.filter(user_id=user.pk, role__in=UNIT_READERS)
        .exclude(unit__kind=Unit.Kind.OFFICE)
        .values_list("unit_id", flat=True)
    )


def reads_sheet(user, month, unit_id: int) -> bool:
    if reads_office(user, month.scheme.office_id):
        return True
    own = own_unit_ids(user)
    if not own:
        return False
    in_group = month.scheme.group.units.filter(pk__in=own)
    if unit_id in own:
        return in_group.filter(pk=unit_id).exists()
    return month.is_published and in_group.exists()


def reads_entries_in_full(user, month, unit_id: int) -> bool:
    """Whether `user` reads a unit's entries in full (withdrawn ones, and their evidence): the
    office, its discipline group and the unit's own people. The group's other units, once the
    month is published, see the deductions in force and nothing behind them."""
    return reads_office(user, month.scheme.office_id) or unit_id in own_unit_ids(user)


def reads_scheme_version(user, version) -> bool:
    """Whether `user` reads a version of a scheme: the office's readers, any version; the units
    it scores, an issued one (the rules they are scored by)."""
    scheme = version.scheme
    if reads_office(user, scheme.office_id):
        return True
    own = own_unit_ids(user)
    return not version.is_draft and bool(own) and scheme.group.units.filter(pk__in=own).exists()


def reads_ranking(user, month) -> bool:
    if reads_office(user, month.scheme.office_id):
        return True
    own = own_unit_ids(user)
    return bool(own) and month.is_published and month.scheme.group.units.filter(pk__in=own).exists()


def months_visible_to(user):
    """The months whose page `user` may open: all of the office's for its readers; for a unit,
    those of its groups (its own sheet at any time, the ranking once published)."""
    if not _signed_in(user):
        return AssessmentMonth.objects.none()
    if scope_for(user).is_admin:
        return AssessmentMonth.objects.all()
    offices = Q(scheme__office_id__in=read_office_ids(user))
    groups = Q(scheme__group__units__in=own_unit_ids(user))
    return AssessmentMonth.objects.filter(offices | groups).distinct()


def get_month_for_user(user, pk: int) -> AssessmentMonth:
    """A month `user` may open, else 404 (a missing month and a forbidden one alike)."""
    month = (
        months_visible_to(user)
        .select_related("scheme", "scheme__group", "scheme__office", "version")
        .filter(pk=pk)
        .first()
    )
    if month is None:
        raise Http404
    return month


def interviews_visible_to(user):
    """The office's interviews for its readers; a unit's own for its leaders, 整改办 and
    discipline group."""
    office = Interview.objects.visible_to(user).values("pk")
    return Interview.objects.filter(Q(pk__in=office) | Q(unit_id__in=own_unit_ids(user)))


def reads_interviews(user) -> bool:
    """Whether the interview list is for `user`: an office's readers, and the people of a unit
    that is assessed or has been called in."""
    if reads_office_records(user):
        return True
    own = own_unit_ids(user)
    return bool(own) and (
        UnitGroup.objects.filter(units__in=own).exists()
        or Interview.objects.filter(unit_id__in=own).exists()
    )


def get_office_for_user(user, pk: int, *, write: bool = False) -> Unit:
    """An office whose assessments `user` reads (or runs, with `write`), else 404."""
    office = Unit.objects.filter(pk=pk, kind=Unit.Kind.OFFICE).first()
    allowed = office is not None and (runs(user, pk) if write else reads_office(user, pk))
    if not allowed:
        raise Http404
    return office
