"""Entering and changing problems."""

import logging

from django.db import transaction
from django.utils.text import normalize_newlines

from zhenggai.ledger import search
from zhenggai.ledger.history import record
from zhenggai.ledger.models import (
    Event,
    Measure,
    Problem,
)
from zhenggai.ledger.services.rights import EDITORS, PROBLEM_FIELDS, require_open, require_role
from zhenggai.ledger.spans import note_span
from zhenggai.lib.errors import Refused
from zhenggai.rounds.models import InspectionRound

log = logging.getLogger(__name__)


def _check_lengths(model, values: dict) -> None:
    """Refuse text longer than its column, in words a person understands (SQLite would not)."""
    for name, value in values.items():
        limit = getattr(model._meta.get_field(name), "max_length", None)
        if limit and isinstance(value, str) and len(value) > limit:
            label = model._meta.get_field(name).verbose_name
            raise Refused(f"“{label}”最多 {limit} 个字。", f"{name} is longer than {limit}")


def refresh_search_text(problem: Problem) -> None:
    texts = Measure.objects.filter(problem=problem, withdrawn=False).values_list("text", flat=True)
    text = "\n".join([problem.number, problem.title, problem.description, *problem.path, *texts])
    Problem.objects.filter(pk=problem.pk).update(search_text=text)
    search.index(problem.pk, text)


def add_problem(
    round: InspectionRound,
    *,
    by,
    title: str,
    number: str = "",
    description: str = "",
    path: list[str] | None = None,
    position: int | None = None,
    note: str = "",
) -> Problem:
    """Store one problem of `round` with its history row: at `position`, else at the end of its
    outline. Whether `by` may is the caller's to check (create_problem for each problem, an
    import once for all of them), and so is the search text (an import's after its measures)."""
    title = title.strip()
    if not title:
        raise Refused("请填写问题标题。", "a problem needs a title")
    path = [part.strip() for part in (path or []) if part.strip()]
    _check_lengths(Problem, {"number": number.strip(), "title": title})
    if position is None:
        last = round.problems.order_by("-position").values_list("position", flat=True).first()
        position = (last or 0) + 1
    problem = Problem.objects.create(
        round=round,
        unit_id=round.unit_id,
        number=number.strip(),
        title=title,
        description=normalize_newlines(description).strip(),
        path=path,
        area=path[0] if path else "",
        position=position,
    )
    changes = {"问题": ["—", problem.title]}
    record(Event.Action.CREATED, problem, by=by, problem=problem, changes=changes, note=note)
    note_span(problem.pk, at=problem.created_at)
    return problem


@transaction.atomic
def create_problem(
    round: InspectionRound,
    *,
    by,
    title: str,
    number: str = "",
    description: str = "",
    path: list[str] | None = None,
) -> Problem:
    """Enter one problem of a round's feedback, at the end of its outline."""
    require_role(by, round.unit_id, EDITORS, "录入问题", "enter problems")
    problem = add_problem(
        round, by=by, title=title, number=number, description=description, path=path
    )
    refresh_search_text(problem)
    return problem


@transaction.atomic
def update_problem(problem: Problem, *, by, **changes) -> Problem:
    locked = Problem.objects.select_for_update(of=("self",)).get(pk=problem.pk)
    require_role(by, locked.unit_id, EDITORS, "修改问题", "edit problems")
    require_open(locked)
    unknown = set(changes) - set(PROBLEM_FIELDS)
    if unknown:
        raise ValueError(f"not problem fields: {unknown}")
    if "path" in changes:
        changes["path"] = [part.strip() for part in changes["path"] if part.strip()]
    changes = {k: normalize_newlines(v) if isinstance(v, str) else v for k, v in changes.items()}
    diff = {}
    for name, value in changes.items():
        if getattr(locked, name) != value:
            label = str(Problem._meta.get_field(name).verbose_name)
            old = getattr(locked, name)
            diff[label] = [
                " / ".join(old) if name == "path" else old,
                " / ".join(value) if name == "path" else value,
            ]
            setattr(locked, name, value)
    if not diff:
        return locked
    if not locked.title.strip():
        raise Refused("请填写问题标题。", "a problem needs a title")
    _check_lengths(Problem, {"number": locked.number, "title": locked.title})
    locked.area = locked.path[0] if locked.path else ""
    locked.save(update_fields=[*changes, "area", "updated_at"])
    record(Event.Action.CHANGED, locked, by=by, problem=locked, changes=diff)
    refresh_search_text(locked)
    return locked
