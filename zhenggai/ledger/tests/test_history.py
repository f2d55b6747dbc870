"""Every create, change and transition leaves a history row with who, when, before and after."""

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from zhenggai.ledger import services, workflow
from zhenggai.ledger.models import Event
from zhenggai.lib import samples
from zhenggai.rounds.services import attach_document, update_round

PDF = samples.pdf()


def test_each_action_writes_one_event_by_its_actor(world):
    problem = world.problem(measures=0)
    actions = [
        (
            world.inspector,
            lambda: services.update_problem(problem, by=world.inspector, title="新标题"),
        ),
        (
            world.leader,
            lambda: services.create_measure(
                problem,
                by=world.leader,
                text="措施",
                lead_section=world.section,
                deadline=date(2030, 1, 1),
            ),
        ),
        (
            world.rect_office,
            lambda: services.update_measure(
                problem.measures.get(),
                by=world.rect_office,
                base_version=None,
                deadline=date(2030, 2, 2),
            ),
        ),
        (world.leader, lambda: workflow.approve_plan(problem, by=world.leader)),
        (
            world.staff,
            lambda: services.report_progress(
                problem, by=world.staff, text="进展", files=[SimpleUploadedFile("a.pdf", PDF)]
            ),
        ),
        (
            world.staff,
            lambda: services.update_measure(
                problem.measures.get(),
                by=world.staff,
                base_version=None,
                deadline=date(2031, 1, 1),
                reason="延期",
            ),
        ),
        (
            world.leader,
            lambda: services.decide_change_request(
                problem.change_requests.get(), by=world.leader, approve=False, note="不同意"
            ),
        ),
        (
            world.discipline,
            lambda: services.flag_problem(problem, by=world.discipline, note="请核实"),
        ),
        (world.staff, lambda: workflow.submit_for_close_out(problem, by=world.staff, note="完成")),
        (world.leader, lambda: workflow.close_out(problem, by=world.leader)),
        (world.inspector, lambda: workflow.verify_close_out(problem, by=world.inspector)),
        (world.inspector, lambda: update_round(world.round, by=world.inspector, title="新轮次名")),
        (
            world.inspector,
            lambda: attach_document(
                world.round, SimpleUploadedFile("b.pdf", PDF), by=world.inspector
            ),
        ),
    ]
    for actor, action in actions:
        before = Event.objects.count()
        action()
        new = list(Event.objects.order_by("id")[before:])
        assert len(new) == 1, new
        assert new[0].actor == actor and new[0].at is not None
    kinds = list(Event.objects.filter(problem=problem).values_list("action", flat=True))
    assert set(kinds) >= {
        "created",
        "changed",
        "transition",
        "reported",
        "requested",
        "decided",
        "flagged",
    }


def test_a_change_records_before_and_after(world):
    problem = world.problem()
    services.update_measure(
        world.measure(problem),
        by=world.leader,
        base_version=None,
        lead_section=world.other_section,
        text="新措施",
    )
    event = Event.objects.filter(problem=problem, action="changed").last()
    assert event.changes["牵头科室"] == ["办公室", "综合科"]
    assert event.changes["整改措施"] == ["措施1：组织专题学习", "新措施"]


def test_a_change_that_shows_alike_on_both_sides_is_not_history(world):
    from zhenggai.ledger.history import record

    problem = world.problem()
    events = Event.objects.count()
    assert (
        record(
            Event.Action.CHANGED,
            problem,
            by=world.leader,
            problem=problem,
            changes={"说明": ["—", "—"]},
        )
        is None
    )
    assert Event.objects.count() == events
    event = record(
        Event.Action.CHANGED,
        problem,
        by=world.leader,
        problem=problem,
        changes={"说明": ["—", "—"], "问题": ["甲", "乙"]},
    )
    assert event.changes == {"问题": ["甲", "乙"]}


def test_every_apps_actions_are_known_to_history_by_their_chinese_name(db):
    """History is one table; each app registers its own actions (no list of them in ledger)."""
    from zhenggai.ledger import actions
    from zhenggai.public.history import Action as PublicAction
    from zhenggai.reports.history import Action as ReportsAction
    from zhenggai.supervision.history import Action as SupervisionAction

    for choices in (Event.Action, SupervisionAction, ReportsAction, PublicAction):
        for code, text in choices.choices:
            assert actions.label(code) == text
    assert Event(action="published").get_action_display() == "发布通报"
