"""Changing the measures of many problems at once, all or nothing."""

import logging
from collections.abc import Iterable

from django.db import transaction

from zhenggai.ledger.models import (
    ChangeRequest,
    Measure,
    Problem,
)
from zhenggai.ledger.services.measures import MeasureUpdate, update_measure

log = logging.getLogger(__name__)


def bulk_update_measures(
    problems: Iterable[Problem], *, by, reason: str, **fields
) -> MeasureUpdate:
    """Apply the same change to every active measure of `problems`, all or nothing.

    The problems are all locked first, in order: the first change writes history, which holds
    the unit's history chain head until the end, so a problem locked only after that could be
    held by a service waiting for that head (a deadlock)."""
    applied: dict = {}
    requests: list[ChangeRequest] = []
    problems = list(problems)
    with transaction.atomic():
        ids = sorted(p.pk for p in problems)
        list(
            Problem.objects.select_for_update(of=("self",))
            .filter(pk__in=ids)
            .order_by("pk")
            .values_list("pk")
        )
        for problem in problems:
            for measure in Measure.objects.filter(problem=problem, withdrawn=False):
                result = update_measure(measure, by=by, base_version=None, reason=reason, **fields)
                if result.applied:
                    applied[measure.pk] = result.applied
                requests.extend(result.requests)
    return MeasureUpdate(applied, requests)
