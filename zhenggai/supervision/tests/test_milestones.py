from datetime import date

import pytest
from django.urls import reverse

from zhenggai.ledger.models import Warning
from zhenggai.lib.errors import NotAllowed, Refused
from zhenggai.rounds.models import InspectionRound
from zhenggai.supervision.milestones import INSPECTION_REPORT, milestones_for
from zhenggai.supervision.models import CalendarDay, Milestone, MilestoneRule
from zhenggai.supervision.services import record_milestone


def by_name(views):
    return {v.milestone: v for v in views}


def test_an_inspection_rounds_milestones_follow_its_feedback_date(world):
    # Feedback 2026-09-01.
    views = by_name(milestones_for(world.round, today=date(2026, 10, 20)))
    assert list(views) == list(Milestone.values)
    assert views["report"].due_on == date(2026, 11, 1)
    assert views["report"].rule.source == INSPECTION_REPORT
    assert views["concentrated_end"].due_on == date(2026, 11, 1)
    assert views["notice"].due_on == date(2026, 12, 1)
    assert views["follow_up"].due_on == date(2027, 3, 1)
    assert views["report"].warning == Warning.GREEN


def test_an_audit_round_uses_the_audit_default(world):
    views = by_name(milestones_for(world.outside_round, today=date(2026, 9, 2)))
    assert views["report"].due_on == date(2026, 10, 31)  # 60 days


def test_milestone_warnings_turn_yellow_then_red_and_clear_when_met(world, settings):
    settings.WARNING_DUE_SOON_DAYS = 7
    assert by_name(milestones_for(world.round, today=date(2026, 10, 25)))["report"].warning == (
        Warning.YELLOW
    )
    assert by_name(milestones_for(world.round, today=date(2026, 11, 2)))["report"].warning == (
        Warning.RED
    )
    record_milestone(
        world.round, "report", by=world.rect_office, done_on=date(2026, 11, 1), due_on=None
    )
    met = by_name(milestones_for(world.round, today=date(2026, 11, 2)))["report"]
    assert met.warning == Warning.NONE and met.late_by == 0


def test_an_office_rule_in_working_days_replaces_the_default(world):
    MilestoneRule.objects.create(
        round_kind=InspectionRound.Kind.XUNCHA,
        milestone="report",
        amount=20,
        unit="workdays",
        source="本市巡察整改工作办法",
    )
    # 20 working days from 2026-09-01, across the Mid-Autumn and National Day holidays and
    # the make-up Sunday 09-20.
    report = by_name(milestones_for(world.round))["report"]
    assert report.due_on == date(2026, 9, 29)
    assert report.rule.source == "本市巡察整改工作办法"


def test_a_provisional_year_is_flagged_until_the_office_enters_the_calendar(world):
    world.round.feedback_date = date(2027, 3, 1)
    world.round.save()
    MilestoneRule.objects.create(
        round_kind=InspectionRound.Kind.XUNCHA, milestone="report", amount=20, unit="workdays"
    )
    assert by_name(milestones_for(world.round))["report"].provisional
    CalendarDay.objects.create(day=date(2027, 2, 20), is_workday=True, note="国办通知")
    assert not by_name(milestones_for(world.round))["report"].provisional


def test_a_date_set_by_hand_wins_and_changes_are_in_the_history(world):
    record_milestone(
        world.round,
        "notice",
        by=world.inspector,
        done_on=None,
        due_on=date(2026, 12, 20),
        note="市委巡察办另有要求",
    )
    notice = by_name(milestones_for(world.round))["notice"]
    assert notice.due_on == date(2026, 12, 20) and notice.set_by_hand
    event = world.round.events.get(object_type="roundmilestone")
    assert event.changes["公开整改情况·另定期限"] == ["—", "2026-12-20"]


def test_milestones_are_kept_by_the_offices_and_leaders_only(world):
    for who in ("staff", "discipline", "outsider"):
        with pytest.raises(NotAllowed):
            record_milestone(
                world.round, "report", by=getattr(world, who), done_on=None, due_on=None
            )
    with pytest.raises(Refused):
        record_milestone(
            world.round, "report", by=world.leader, done_on=date(2099, 1, 1), due_on=None
        )


def test_the_round_page_shows_milestones_with_their_sources(client, world):
    client.force_login(world.rect_office)
    body = client.get(reverse("round_detail", args=[world.round.pk])).content.decode()
    assert "整改节点" in body and "报送整改报告" in body and "2026-11-01" in body
    assert "中国共产党巡视工作条例" in body
    response = client.post(
        reverse("milestone_edit", args=[world.round.pk, "report"]),
        {"done_on": "2026-10-30", "due_on": "", "note": "已报送区委巡察办"},
    )
    assert response.status_code == 302
    assert (
        "2026-10-30" in client.get(reverse("round_detail", args=[world.round.pk])).content.decode()
    )


def test_an_unknown_milestone_is_not_found(client, world):
    client.force_login(world.rect_office)
    assert (
        client.get(reverse("milestone_edit", args=[world.round.pk, "nonsense"])).status_code == 404
    )


def test_only_the_inspection_office_moves_a_milestone_date(world):
    from zhenggai.supervision.models import RoundMilestone

    with pytest.raises(NotAllowed):
        record_milestone(
            world.round, "report", by=world.rect_office, done_on=None, due_on=date(2027, 1, 1)
        )
    assert not RoundMilestone.objects.exists()
    record_milestone(
        world.round, "report", by=world.inspector, done_on=None, due_on=date(2027, 1, 1)
    )
    # The unit still records when it met the milestone, leaving the date as it is.
    record_milestone(
        world.round,
        "report",
        by=world.rect_office,
        done_on=date(2026, 10, 30),
        due_on=date(2027, 1, 1),
    )
    assert RoundMilestone.objects.get().done_on == date(2026, 10, 30)


def test_a_milestone_saved_unchanged_keeps_its_record(world):
    from zhenggai.ledger.models import Event

    entry = record_milestone(
        world.round,
        "report",
        by=world.inspector,
        done_on=date(2026, 11, 2),
        due_on=None,
        note="已报",
    )
    stamp, events = entry.updated_at, Event.objects.count()
    again = record_milestone(
        world.round,
        "report",
        by=world.rect_office,
        done_on=date(2026, 11, 2),
        due_on=None,
        note="已报",
    )
    again.refresh_from_db()
    assert (again.updated_at, again.updated_by, Event.objects.count()) == (
        stamp,
        world.inspector,
        events,
    )
