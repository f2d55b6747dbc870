"""Who works in an evaluation office: the offices (units of kind office) on which a person holds
the 评价办 role themselves, and who reads the office's own records (its 通报 and imports): its
评价办 and its discipline group. Roles on an office reach the units below it (orgs.access);
these are the office's own affairs, held on the office itself."""

from zhenggai.orgs.access import scope_for
from zhenggai.orgs.models import Membership, Role, Unit

READERS = (Role.EVALUATION_OFFICE, Role.DISCIPLINE)


def _signed_in(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.is_active


def evaluation_offices(user):
    """The offices where `user` works in the 评价办."""
    if not _signed_in(user):
        return Unit.objects.none()
    return Unit.objects.filter(
        kind=Unit.Kind.OFFICE,
        memberships__user_id=user.pk,
        memberships__role=Role.EVALUATION_OFFICE,
    ).distinct()


def works_in(user, office: Unit) -> bool:
    """Whether `user` is of the 评价办 of `office` itself (not merely above it)."""
    return (
        _signed_in(user)
        and office.kind == Unit.Kind.OFFICE
        and Membership.objects.filter(
            user_id=user.pk, unit_id=office.pk, role=Role.EVALUATION_OFFICE
        ).exists()
    )


def read_office_ids(user):
    """The ids of the offices whose own records `user` reads, as a subquery."""
    return Membership.objects.filter(
        user_id=user.pk, role__in=READERS, unit__kind=Unit.Kind.OFFICE
    ).values("unit_id")


def reads_office_records(user) -> bool:
    """Whether `user` reads some office's records: superusers, and the 评价办 and discipline
    group held on an office (each reads its own offices' only: `OfficeQuerySet`)."""
    if not _signed_in(user):
        return False
    return scope_for(user).is_admin or read_office_ids(user).exists()
