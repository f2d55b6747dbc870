"""A unit's measures with dates chosen so that every figure of the 调度 sheet of the week of
30 November 2026 (Monday) to 6 December (Sunday), seen on Thursday 3 December, has a known
count. The comments say where each measure is counted."""

from datetime import date

from zhenggai.ledger.models import DeadlineKind, Measure, Problem, State
from zhenggai.orgs.models import Role
from zhenggai.rounds.models import InspectionRound
from zhenggai.rounds.services import create_round
from zhenggai.testing import grant, make_user

MONDAY, THURSDAY, SUNDAY = date(2026, 11, 30), date(2026, 12, 3), date(2026, 12, 6)
DATE, IMMEDIATE, ONGOING = DeadlineKind.DATE, DeadlineKind.IMMEDIATE, DeadlineKind.ONGOING


def _measure(world, number, *, section, leader, kind=DATE, due=None, done=None, **options):
    problem = options.get("problem") or Problem.objects.create(
        round=options.get("round", world.round),
        unit=options.get("unit", world.unit),
        number=number,
        title=f"问题{number}",
        state=options.get("state", State.IN_PROGRESS),
    )
    return Measure.objects.create(
        problem=problem,
        text=f"措施{number}",
        lead_section=section,
        lead_leader=leader,
        owner=options.get("owner", world.staff),
        deadline_kind=kind,
        deadline=due if kind == DATE else None,
        completed_on=done,
        withdrawn=options.get("withdrawn", False),
    )


def build(world) -> dict:
    """The measures by name, and the deputy leader and the November round."""
    a, b = world.section, world.other_section  # 办公室, 综合科
    deputy = make_user("deputy", "王副局长")
    grant(deputy, world.unit, Role.LEADER)
    november = create_round(
        by=world.inspector,
        kind=InspectionRound.Kind.AUDIT,
        unit=world.unit,
        title="区科技局审计整改",
        inspecting_body="区审计局",
        feedback_date=date(2026, 11, 1),  # 立行立改 due 1 December
    )
    lead = world.leader
    m = {
        # A: due, done on time
        "m1": _measure(
            world, "1", section=a, leader=lead, due=date(2026, 12, 2), done=date(2026, 12, 1)
        ),
        # A: due, open; overdue only once its date (Fri 4 Dec) is behind the cut-off
        "m2": _measure(world, "2", section=a, leader=lead, due=date(2026, 12, 4)),
        # B: done this week, late; was due in November
        "m3": _measure(
            world, "3", section=b, leader=deputy, due=date(2026, 11, 20), done=date(2026, 12, 2)
        ),
        # B: overdue, the oldest
        "m4": _measure(world, "4", section=b, leader=deputy, due=date(2026, 11, 10)),
        # B, no leader: due Sunday, open
        "m5": _measure(world, "5", section=b, leader=None, due=SUNDAY),
        # A: 立行立改 of the November round (due 1 Dec), done 3 Dec: due and done, late
        "m6": _measure(
            world, "6", section=a, leader=lead, kind=IMMEDIATE, done=THURSDAY, round=november
        ),
        # A: 长期坚持, never due
        "m7": _measure(world, "7", section=a, leader=lead, kind=ONGOING),
        # A: a withdrawn problem's, and a withdrawn measure: not counted
        "m8": _measure(
            world, "8", section=a, leader=lead, due=date(2026, 12, 1), state=State.WITHDRAWN
        ),
        "m9": _measure(world, "9", section=a, leader=lead, due=date(2026, 12, 1), withdrawn=True),
        # A: a closed problem's open measure, due in November: due then, never overdue
        "m10": _measure(
            world, "10", section=a, leader=lead, due=date(2026, 11, 15), state=State.CLOSED
        ),
        # no section: overdue
        "m11": _measure(world, "11", section=None, leader=lead, due=date(2026, 11, 25)),
        # another unit's, due this week: never on this unit's sheet
        "m12": _measure(
            world,
            "12",
            section=world.outside_section,
            leader=world.outside_leader,
            due=date(2026, 12, 2),
            round=world.outside_round,
            unit=world.outside_unit,
            owner=world.outsider,
        ),
        # B: due Monday 30 November: this week, but November; overdue from 1 December
        "m13": _measure(world, "13", section=b, leader=deputy, due=MONDAY),
    }
    # A: two measures of one problem due this week: two measures, one problem
    m["m14"] = _measure(world, "14", section=a, leader=lead, due=date(2026, 12, 5))
    m["m15"] = _measure(
        world, "14", section=a, leader=lead, due=date(2026, 12, 5), problem=m["m14"].problem
    )
    return {"measures": m, "deputy": deputy, "november": november}
