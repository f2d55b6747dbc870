"""Small factories for tests: a world with a user of every role and an outsider."""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model

from zhenggai.ledger import services, workflow
from zhenggai.ledger.models import DeadlineKind, Measure, Problem
from zhenggai.orgs.models import Membership, Role, Unit
from zhenggai.orgs.services import create_unit
from zhenggai.rounds.models import InspectionRound
from zhenggai.rounds.services import create_round

PASSWORD = "correct horse battery staple"


def make_user(username: str, full_name: str = "", **extra):
    user = get_user_model()(username=username, first_name=full_name or username, **extra)
    user.set_password(PASSWORD)
    user.save()
    return user


def grant(user, unit: Unit, role: str) -> Membership:
    membership = Membership.objects.create(user=user, unit=unit, role=role)
    user.__dict__.pop("_zhenggai_scope", None)
    return membership


@dataclass
class World:
    office: Unit
    unit: Unit
    section: Unit
    other_section: Unit
    outside_unit: Unit
    outside_section: Unit
    inspector: object
    leader: object
    rect_office: object
    staff: object
    other_staff: object
    discipline: object
    outsider: object
    outside_leader: object
    admin: object
    evaluator: object
    round: InspectionRound
    outside_round: InspectionRound

    def users(self) -> dict:
        return {
            name: getattr(self, name)
            for name in (
                "inspector",
                "leader",
                "rect_office",
                "staff",
                "other_staff",
                "discipline",
                "outsider",
                "outside_leader",
            )
        }

    def problem(
        self,
        title: str = "学习贯彻不深入",
        *,
        round=None,
        measures: int = 1,
        deadline: date | None = date(2030, 1, 1),
        approve: bool = False,
    ) -> Problem:
        round = round or self.round
        editor = self.inspector if round == self.round else self.outsider
        problem = services.create_problem(
            round, by=editor, number="1", title=title, path=["政治建设方面", "理论学习"]
        )
        section = self.section if round == self.round else self.outside_section
        leader = self.leader if round == self.round else self.outside_leader
        for n in range(measures):
            services.create_measure(
                problem,
                by=leader,
                text=f"措施{n + 1}：组织专题学习",
                lead_section=section,
                deadline_kind=DeadlineKind.DATE if deadline else DeadlineKind.ONGOING,
                deadline=deadline,
            )
        if approve:
            workflow.approve_plan(problem, by=leader)
        problem.refresh_from_db()
        return problem

    def measure(self, problem: Problem) -> Measure:
        return problem.measures.order_by("position").first()


def make_world() -> World:
    office = create_unit("区委巡察办", Unit.Kind.OFFICE)
    unit = create_unit("区科技局", Unit.Kind.UNIT, office)
    section = create_unit("办公室", Unit.Kind.SECTION, unit)
    other_section = create_unit("综合科", Unit.Kind.SECTION, unit)
    other_office = create_unit("市委巡察办", Unit.Kind.OFFICE)
    outside_unit = create_unit("市财政局", Unit.Kind.UNIT, other_office)
    outside_section = create_unit("预算科", Unit.Kind.SECTION, outside_unit)
    people = {
        "inspector": (office, Role.INSPECTION_OFFICE),
        "leader": (unit, Role.LEADER),
        "rect_office": (unit, Role.RECTIFICATION_OFFICE),
        "staff": (section, Role.SECTION_STAFF),
        "other_staff": (other_section, Role.SECTION_STAFF),
        "discipline": (unit, Role.DISCIPLINE),
        "outsider": (outside_section, Role.SECTION_STAFF),
        "outside_leader": (outside_unit, Role.LEADER),
    }
    users = {}
    for name, (where, role) in people.items():
        users[name] = make_user(name)
        grant(users[name], where, role)
    outside_inspector = make_user("outside_inspector")
    grant(outside_inspector, other_office, Role.INSPECTION_OFFICE)
    grant(users["outsider"], outside_unit, Role.RECTIFICATION_OFFICE)
    admin = make_user("admin", is_superuser=True, is_staff=True)
    # The evaluation office (评价办) works in the same office above the unit, as in a city
    # whose inspection and evaluation offices both oversee its bureaus.
    evaluator = make_user("evaluator", "刘评价")
    grant(evaluator, office, Role.EVALUATION_OFFICE)
    round = create_round(
        by=users["inspector"],
        kind=InspectionRound.Kind.XUNCHA,
        unit=unit,
        title="区科技局巡察整改",
        inspecting_body="区委第一巡察组",
        feedback_date=date(2026, 9, 1),
    )
    outside_round = create_round(
        by=outside_inspector,
        kind=InspectionRound.Kind.AUDIT,
        unit=outside_unit,
        title="市财政局审计整改",
        inspecting_body="市审计局",
        feedback_date=date(2026, 9, 1),
    )
    grant(users["outsider"], outside_unit, Role.INSPECTION_OFFICE)
    return World(
        office=office,
        unit=unit,
        section=section,
        other_section=other_section,
        outside_unit=outside_unit,
        outside_section=outside_section,
        admin=admin,
        evaluator=evaluator,
        round=round,
        outside_round=outside_round,
        **users,
    )
