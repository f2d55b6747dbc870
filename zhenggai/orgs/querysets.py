"""Querysets of records that belong to a unit: what a user may see, decided by their scope."""

from django.db import models

from zhenggai.orgs.access import scope_for


class ScopedQuerySet(models.QuerySet):
    """Rows reachable from an inspected unit; `scope_field` names the path to that unit's id."""

    scope_field = "problem__unit_id"

    def visible_to(self, user):
        return scope_for(user).restrict(self, self.scope_field)
