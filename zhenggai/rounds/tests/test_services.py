"""Rounds: set up and changed by the inspection office only, with their history."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhenggai.ledger.models import Event
from zhenggai.lib import samples
from zhenggai.lib.errors import NotAllowed, Refused
from zhenggai.rounds.models import InspectionRound
from zhenggai.rounds.services import attach_document, create_round, update_round

PDF = samples.pdf()


def new_round(world, by, **extra):
    fields = dict(
        kind=InspectionRound.Kind.AUDIT,
        unit=world.unit,
        title="审计整改",
        inspecting_body="区审计局",
    )
    return create_round(by=by, **{**fields, **extra})


@pytest.mark.parametrize("role", ["leader", "rect_office", "staff", "discipline", "outsider"])
def test_only_the_inspection_office_sets_up_and_changes_rounds(world, role):
    with pytest.raises(NotAllowed):
        new_round(world, getattr(world, role))
    with pytest.raises(NotAllowed):
        update_round(world.round, by=getattr(world, role), title="改名")


def test_setting_up_and_changing_a_round_is_in_the_history(world):
    round = new_round(world, world.inspector)
    update_round(round, by=world.inspector, title="审计整改（第二批）")
    changes = [e.changes for e in Event.objects.filter(round=round).order_by("id")]
    assert changes == [
        {"巡察轮次": ["—", "审计整改"]},
        {"名称": ["审计整改", "审计整改（第二批）"]},
    ]


def test_dates_out_of_order_are_refused(world):
    with pytest.raises(Refused) as refused:
        new_round(
            world, world.inspector, period_start=date(2026, 3, 1), period_end=date(2026, 2, 1)
        )
    assert "结束日期" in refused.value.message
    with pytest.raises(Refused) as refused:
        update_round(world.round, by=world.inspector, period_end=date(2026, 10, 1))
    assert "反馈日期" in refused.value.message


def test_a_rounds_unit_never_changes(world):
    with pytest.raises(Refused):
        update_round(world.round, by=world.inspector, unit=world.outside_unit)


def test_changing_the_report_period_moves_long_term_due_dates(world):
    from zhenggai.ledger import workflow

    problem = world.problem(approve=True)
    workflow.submit_for_close_out(problem, by=world.rect_office, note="完成")
    problem = workflow.mark_long_term(problem, by=world.leader)
    quarterly = problem.due_date
    update_round(world.round, by=world.inspector, long_term_report_period="monthly")
    problem.refresh_from_db()
    assert problem.due_date < quarterly


def test_documents_are_attached_by_the_units_office_not_its_sections(world):
    with pytest.raises(NotAllowed):
        attach_document(world.round, SimpleUploadedFile("a.pdf", PDF), by=world.staff)
    document = attach_document(
        world.round, SimpleUploadedFile("反馈意见.pdf", PDF), by=world.rect_office
    )
    assert document.original_name == "反馈意见.pdf"
    with pytest.raises(Refused):
        attach_document(world.round, SimpleUploadedFile("a.pdf", b"MZ" * 10), by=world.inspector)


def test_a_corrected_kind_holds_for_the_problems_whole_timeline(world):
    from zhenggai.ledger.models import StateSpan

    problem = world.problem(approve=True)
    update_round(world.round, by=world.inspector, kind=InspectionRound.Kind.AUDIT)
    kinds = set(StateSpan.objects.filter(problem=problem).values_list("round_kind", flat=True))
    assert kinds == {InspectionRound.Kind.AUDIT}
