"""Who sees what: the one place that turns a user's memberships into the units they may read and
the roles they hold on each. Querysets (`visible_to`) and fetch helpers build on `scope_for`."""

from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import BigIntegerField, Func, Q
from django.utils.functional import LazyObject, empty

from zhenggai.orgs.models import Membership, Role, Unit


class Unindexed(Func):
    """`+column`: the same value, which the database will not look up through an index."""

    template = "+%(expressions)s"
    output_field = BigIntegerField()


# The round kind of evaluations (InspectionRound.Kind.EVALUATION: rounds sit above orgs).
EVALUATION_KIND = "evaluation"
# Up to this many units, a scope filters by listing their ids.
INLINE_IDS = 100

# The overseeing side's roles (inspection, evaluation, discipline) reach every inspected unit
# below the unit they are held on; a unit's own roles (leader, rectification office, section
# staff) reach that unit only.
_SUBTREE_ROLES = {Role.INSPECTION_OFFICE, Role.EVALUATION_OFFICE, Role.DISCIPLINE}


@dataclass(frozen=True)
class Scope:
    """What one user may read and which roles they hold, per inspected unit."""

    is_admin: bool = False
    roles: dict[int, frozenset[str]] = field(default_factory=dict)
    sections: dict[int, frozenset[int]] = field(default_factory=dict)
    # The same units as `roles`, described by the subtrees they come from plus the units held
    # directly: for large scopes a subquery on these is far cheaper than hundreds of ids.
    subtree_paths: tuple[str, ...] = ()
    direct_unit_ids: frozenset[int] = frozenset()
    # Units the user reaches only as their evaluation office: there they read the evaluations'
    # rounds (差评, low ranks) and nothing of the inspections', audits' and others'.
    evaluation_only: frozenset[int] = frozenset()

    @property
    def unit_ids(self) -> frozenset[int]:
        return frozenset(self.roles)

    def can_read(self, unit_id: int) -> bool:
        return self.is_admin or unit_id in self.roles

    def has_role(self, unit_id: int, *roles: str) -> bool:
        return bool(self.roles.get(unit_id, frozenset()) & set(roles))

    def units_with(self, *roles: str) -> list[int]:
        """The units on which the user holds one of `roles`."""
        return [unit_id for unit_id, held in self.roles.items() if held & set(roles)]

    def section_ids(self, unit_id: int) -> frozenset[int]:
        return self.sections.get(unit_id, frozenset())

    def all_roles(self) -> frozenset[str]:
        return frozenset().union(*self.roles.values()) if self.roles else frozenset()

    def restrict(self, queryset, field_name: str = "unit_id", kind_field: str | None = None):
        """Filter any queryset down to rows of the units this scope may read. `kind_field`
        names the path to the row's round kind, for rows that belong to a round: in the units
        reached only as evaluation office, only rows of evaluation rounds are read."""
        if self.is_admin:
            return queryset
        if kind_field and self.evaluation_only:
            queryset = queryset.exclude(
                Q(**{f"{field_name}__in": self.evaluation_only})
                & ~Q(**{kind_field: EVALUATION_KIND})
            )
        if len(self.roles) <= INLINE_IDS:
            return queryset.filter(**{f"{field_name}__in": self.unit_ids})
        within = reduce(or_, (Q(path__startswith=p) for p in self.subtree_paths), Q(pk__in=[]))
        units = Unit.objects.filter(within, kind=Unit.Kind.UNIT) | Unit.objects.filter(
            pk__in=list(self.direct_unit_ids)
        )
        # A scope this wide selects nothing by itself: keep the database from driving the query
        # by its unit index (then sorting every row) when the ledger's order index is the way.
        return queryset.alias(scope_unit_id=Unindexed(field_name)).filter(
            scope_unit_id__in=units.values("id")
        )


def scope_for(user) -> Scope:
    """The scope of `user`, computed once per user object (so once per request)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope()
    cached = getattr(user, "_zhenggai_scope", None)
    if cached is None:
        cached = _compute_scope(user)
        user._zhenggai_scope = cached
    return cached


def forget_scope(user) -> None:
    """Drop the cached scope after the user's memberships or the unit tree changed."""
    # request.user is a lazy object, and django-otp's middleware wraps Django's lazy user in
    # another: the scope is cached on the user at the bottom of them.
    while isinstance(user, LazyObject):
        if user._wrapped is empty:
            return  # never looked at: nothing cached
        user = user._wrapped
    user.__dict__.pop("_zhenggai_scope", None)


def _compute_scope(user) -> Scope:
    memberships = list(Membership.objects.filter(user=user).select_related("unit"))
    roles: dict[int, set[str]] = {}
    sections: dict[int, set[int]] = {}
    subtree = [m for m in memberships if m.role in _SUBTREE_ROLES]
    if subtree:
        prefixes = reduce(or_, (Q(path__startswith=m.unit.path) for m in subtree))
        for unit_id, path in Unit.objects.filter(prefixes, kind=Unit.Kind.UNIT).values_list(
            "id", "path"
        ):
            for m in subtree:
                if path.startswith(m.unit.path):
                    roles.setdefault(unit_id, set()).add(m.role)
    direct = set()
    for m in memberships:
        if m.role in _SUBTREE_ROLES or m.unit.kind == Unit.Kind.OFFICE:
            continue
        owner = m.unit.owning_unit_id
        direct.add(owner)
        roles.setdefault(owner, set()).add(m.role)
        if m.role == Role.SECTION_STAFF and m.unit.kind == Unit.Kind.SECTION:
            sections.setdefault(owner, set()).add(m.unit_id)
    return Scope(
        is_admin=user.is_superuser,
        roles={k: frozenset(v) for k, v in roles.items()},
        sections={k: frozenset(v) for k, v in sections.items()},
        subtree_paths=tuple(sorted({m.unit.path for m in subtree})),
        direct_unit_ids=frozenset(direct),
        evaluation_only=frozenset(
            u for u, held in roles.items() if held == {Role.EVALUATION_OFFICE}
        ),
    )
