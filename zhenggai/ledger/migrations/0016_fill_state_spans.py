"""Rebuild each problem's timeline of states (`StateSpan`) from its history.

Every state change was written as an event whose changes hold "状态": [from, to] in the states'
Chinese labels. A problem's first span starts when it was created, in the state its first change
left (its current state if it never changed); each change starts the next span.

What the history does not hold is lost:
- Past deadlines are not recoverable (refreshing a due date wrote no event): every span but the
  last has no due_date, and figures about lateness as of a past date cannot use them.
- A span in a rectified state (closed, verified, long-term) is dated by the change that made the
  problem rectified, as the workflow does (verifying keeps the day of the close-out); whether
  that was on time is unknown and stays empty.
- The last span carries the problem's columns as they stand (state, due date, rectification),
  which are today's truth even where the history is incomplete.
Changes with a label that is no state's are skipped.
"""

from itertools import islice

from django.db import migrations
from django.utils import timezone

RECTIFIED = ("closed", "verified", "long_term")
BATCH = 2000
PROBLEM_FIELDS = (
    "id",
    "created_at",
    "state",
    "due_date",
    "rectified_on",
    "rectified_on_time",
    "unit_id",
    "round__kind",
)


def state_changes(Event, states: dict, first_id: int, last_id: int) -> dict:
    """Problem id → [(at, from_state, to_state), …] in time order, for the problems between
    `first_id` and `last_id`."""
    events = (
        Event.objects.filter(
            problem_id__gte=first_id,
            problem_id__lte=last_id,
            object_type="problem",
            changes__has_key="状态",
        )
        .order_by("problem_id", "at", "id")
        .values_list("problem_id", "at", "changes")
    )
    found = {}
    for problem_id, at, changes in events:
        labels = changes["状态"]
        if not isinstance(labels, list) or len(labels) != 2:
            continue
        before, after = (states.get(label) for label in labels)
        if before and after:
            found.setdefault(problem_id, []).append((at, before, after))
    return found


def timeline(StateSpan, problem: dict, changes: list) -> list:
    """The spans of one problem, from its creation to now, unsaved."""
    starts = [(problem["created_at"], changes[0][1] if changes else problem["state"], False)]
    starts += [(at, after, True) for at, _, after in changes]
    spans = []
    rectified_on = None
    for started_at, state, by_change in starts:
        if state not in RECTIFIED:
            rectified_on = None
        elif rectified_on is None and by_change:
            rectified_on = timezone.localdate(started_at)
        if spans:
            spans[-1].ended_at = started_at
        spans.append(
            StateSpan(
                problem_id=problem["id"],
                unit_id=problem["unit_id"],
                round_kind=problem["round__kind"],
                state=state,
                rectified_on=rectified_on,
                started_at=started_at,
            )
        )
    last = spans[-1]
    last.state = problem["state"]
    last.due_date = problem["due_date"]
    # The problem's rectification (its day and whether in time) holds for the whole run of
    # rectified states it ends with: closed on time in March, verified in April, is on time
    # in March too.
    for span in reversed(spans):
        if span is not last and span.state not in RECTIFIED:
            break
        span.rectified_on = problem["rectified_on"]
        span.rectified_on_time = problem["rectified_on_time"]
    return spans


def fill(apps, schema_editor):
    Problem = apps.get_model("ledger", "Problem")
    Event = apps.get_model("ledger", "Event")
    StateSpan = apps.get_model("ledger", "StateSpan")
    states = {label: value for value, label in Problem._meta.get_field("state").choices}
    problems = Problem.objects.order_by("id").values(*PROBLEM_FIELDS).iterator(chunk_size=BATCH)
    while chunk := list(islice(problems, BATCH)):
        history = state_changes(Event, states, chunk[0]["id"], chunk[-1]["id"])
        spans = [
            span
            for problem in chunk
            for span in timeline(StateSpan, problem, history.get(problem["id"], []))
        ]
        StateSpan.objects.bulk_create(spans, batch_size=BATCH)


def clear(apps, schema_editor):
    apps.get_model("ledger", "StateSpan").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("ledger", "0015_statespan")]

    operations = [migrations.RunPython(fill, clear)]
