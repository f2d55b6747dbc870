"""Querysets of records that belong to a unit: what a user may see, decided by their scope."""

from django.db import models

from zhenggai.orgs.access import scope_for


class ScopedQuerySet(models.QuerySet):
    """Rows reachable from an inspected unit; `scope_field` names the path to that unit's id."""

    scope_field = "problem__unit_id"
    # The path to the round kind of the row, for rows that belong to a round (see
    # Scope.restrict); None for records that are not a round's.
    kind_field: str | None = "problem__round__kind"

    def visible_to(self, user):
        return scope_for(user).restrict(self, self.scope_field, self.kind_field)
