"""Applying a progress import refreshes each problem once, at the end (`deferred_refresh`),
rather than after every change of every measure: and leaves exactly what refreshing after every
change leaves (the problems' dates, lights and completion, the measures, the reports, the
history and the state spans), the spans of the moments inside the transaction aside."""

import contextlib
from datetime import date
from unittest import mock

import pytest
from django.utils import timezone

from zhenggai.ledger import progress_import, schedule, services, workflow
from zhenggai.ledger.models import Event, Measure, Problem, ProgressReport, StateSpan
from zhenggai.ledger.schedule import deferred_refresh, refresh_due_date
from zhenggai.ledger.spans import note_span
from zhenggai.ledger.tests.test_progress_import import download, fill, key, upload

DEADLINES = [date(2026, 12, 10), date(2026, 12, 20), date(2027, 1, 10)]


def _problem(world, title):
    """An approved problem of three measures due one after another."""
    problem = world.problem(title, measures=3)
    for measure, deadline in zip(problem.measures.order_by("position"), DEADLINES, strict=True):
        services.update_measure(measure, by=world.leader, base_version=None, deadline=deadline)
    workflow.approve_plan(problem, by=world.leader)
    problem.refresh_from_db()
    return problem


def _edits(problem, completed: int) -> dict:
    """Each measure reported on, the first `completed` of them completed, one a rule made and
    one a deadline asked to move (a change request, as the office's after approval)."""
    edits = {}
    for n, measure in enumerate(problem.measures.order_by("position")):
        row = {"整改进展": f"第{n + 1}项措施已推进", "完成进度（%）": 30 + 20 * n}
        if n < completed:  # completed: 100% (a lower percent beside a date is refused)
            row.update({"完成日期": date(2026, 11, 1 + n), "完成进度（%）": 100})
        if n == 2:
            row.update(
                {"新建制度（项）": 1, "整改时限": date(2027, 3, 1), "时限调整理由": "需上级批复"}
            )
        edits[key(measure)] = row
    return edits


def _import(world, problem, completed, *, deferred: bool):
    edits = _edits(problem, completed)
    filled = fill(download(world, world.rect_office), edits)
    imp = progress_import.start_progress_import(
        world.round, upload(filled, "同一张表.xlsx"), by=world.rect_office
    )
    # Only this problem's rows are imported: the other's are left as downloaded.
    refresh = deferred_refresh if deferred else contextlib.nullcontext
    since = Event.objects.order_by("-id").values_list("id", flat=True)[0]
    with mock.patch.object(progress_import, "deferred_refresh", refresh):
        progress_import.apply_progress_import(imp, by=world.rect_office)
    return since


def _state(problem: Problem, since: int) -> dict:
    """What applying left of `problem`, with its measures named by position (ids differ), and
    the history written since the event `since`."""
    problem = Problem.objects.get(pk=problem.pk)
    position = dict(problem.measures.values_list("pk", "position"))
    reports = ProgressReport.objects.filter(problem=problem).order_by("id")
    report_at = {r.pk: n for n, r in enumerate(reports)}
    named = {"measure": position, "progressreport": report_at}
    return {
        "problem": {
            name: getattr(problem, name)
            for name in ("state", "due_date", "unassigned", "percent", "rectified_on")
        },
        "measures": list(
            Measure.objects.filter(problem=problem)
            .order_by("position")
            .values(
                "position",
                "version",
                "percent",
                "completed_on",
                "rules_made",
                "deadline",
                "deadline_kind",
            )
        ),
        "reports": [(position[r.measure_id], r.text, r.percent, r.created_by_id) for r in reports],
        "requests": list(
            problem.change_requests.order_by("id").values_list("kind", "changes", "reason")
        ),
        "history": [
            (
                e.action,
                e.object_type,
                named.get(e.object_type, {}).get(e.object_id, "other"),
                e.changes,
                e.note,
                e.actor_id,
            )
            for e in Event.objects.filter(problem=problem, id__gt=since).order_by("id")
        ],
    }


def _spans(problem, since=None) -> list[tuple]:
    found = StateSpan.objects.filter(problem=problem).order_by("started_at", "id")
    if since is not None:
        # Spans that began and ended inside one transaction: no one else ever saw them.
        found = found.exclude(started_at__gte=since, ended_at__isnull=False)
    return [
        (s.state, s.due_date, s.rectified_on, s.unit_id, s.round_kind, s.ended_at is None)
        for s in found
    ]


def test_a_deferred_apply_leaves_what_refreshing_after_every_change_leaves(world):
    deferred, undeferred = _problem(world, "问题甲"), _problem(world, "问题乙")
    assert _state(deferred, 0)["problem"] == _state(undeferred, 0)["problem"]
    assert _spans(deferred) == _spans(undeferred)
    found = _state(deferred, _import(world, deferred, completed=1, deferred=True))
    assert found == _state(undeferred, _import(world, undeferred, completed=1, deferred=False))
    # What the rows did: the first measure completed moved the date on; history for each.
    assert found["problem"]["due_date"] == DEADLINES[1]
    assert found["problem"]["percent"] == (100 + 50 + 70) // 3
    assert len(found["reports"]) == 3 and len(found["requests"]) == 1
    assert [h[0] for h in found["history"]] == [
        Event.Action.CHANGED,
        Event.Action.REPORTED,
        Event.Action.REPORTED,
        Event.Action.CHANGED,
        Event.Action.REQUESTED,
        Event.Action.REPORTED,
    ]
    # The same spans: the date moved once, in both.
    assert _spans(deferred) == _spans(undeferred)
    assert [s[1] for s in _spans(deferred)][-2:] == [DEADLINES[0], DEADLINES[1]]


def test_a_deferred_apply_skips_only_the_spans_of_moments_inside_its_transaction(world):
    deferred, undeferred = _problem(world, "问题甲"), _problem(world, "问题乙")
    found = _state(deferred, _import(world, deferred, completed=2, deferred=True))
    started = timezone.now()
    assert found == _state(undeferred, _import(world, undeferred, completed=2, deferred=False))
    assert found["problem"]["due_date"] == DEADLINES[2]
    # Refreshed after every change, the date stepped through the second measure's inside the
    # transaction; refreshed once, it goes straight to the third's, as anyone else saw it.
    assert [s[1] for s in _spans(undeferred)][-3:] == DEADLINES
    assert [s[1] for s in _spans(deferred)][-2:] == [DEADLINES[0], DEADLINES[2]]
    assert _spans(deferred) == _spans(undeferred, since=started)


def test_each_problem_is_refreshed_once_however_many_of_its_measures_change(world):
    first, second = _problem(world, "问题甲"), _problem(world, "问题乙")
    edits = {**_edits(first, completed=1), **_edits(second, completed=0)}
    filled = fill(download(world, world.rect_office), edits)
    imp = progress_import.start_progress_import(world.round, upload(filled), by=world.rect_office)
    facts = mock.patch.object(schedule, "_measure_facts", wraps=schedule._measure_facts)
    with facts as read, mock.patch.object(schedule, "note_span", wraps=note_span) as note:
        imp = progress_import.apply_progress_import(imp, by=world.rect_office)
    assert imp.outcome["applied"]["changed"] == 6
    assert sorted(call.args[0] for call in note.call_args_list) == sorted([first.pk, second.pk])
    assert sorted(call.args[0].pk for call in read.call_args_list) == [first.pk, second.pk]


def test_inside_the_block_a_problem_is_only_noted_and_refreshed_when_it_ends(world):
    problem = _problem(world, "问题甲")
    first = problem.measures.order_by("position").first()
    with deferred_refresh():
        Measure.objects.filter(pk=first.pk).update(completed_on=date(2026, 11, 1))
        refresh_due_date(problem)
        stored = Problem.objects.values_list("due_date", flat=True).get(pk=problem.pk)
        assert stored == DEADLINES[0]  # not yet
        with deferred_refresh():  # an inner block leaves it to the outer one
            refresh_due_date(problem)
        assert Problem.objects.values_list("due_date", flat=True).get(pk=problem.pk) == stored
    assert Problem.objects.values_list("due_date", flat=True).get(pk=problem.pk) == DEADLINES[1]
    assert _spans(problem)[-1][1:2] == (DEADLINES[1],)


def test_an_error_inside_the_block_refreshes_nothing_and_stops_deferring(world):
    problem = _problem(world, "问题甲")
    first = problem.measures.order_by("position").first()
    Measure.objects.filter(pk=first.pk).update(completed_on=date(2026, 11, 1))
    with pytest.raises(RuntimeError), deferred_refresh():
        refresh_due_date(problem)
        raise RuntimeError("a row failed")
    assert Problem.objects.values_list("due_date", flat=True).get(pk=problem.pk) == DEADLINES[0]
    refresh_due_date(problem)  # outside any block: at once again
    assert Problem.objects.values_list("due_date", flat=True).get(pk=problem.pk) == DEADLINES[1]
