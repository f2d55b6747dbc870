"""Today's items: the measures, long-term reports and supervision orders due by the horizon or
late, each routed to the people who hear of it and gathered into one digest per person and unit."""

from collections import defaultdict
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Q

from zhenggai.ledger.models import OPEN_STATES, DeadlineKind, Measure, Problem, State
from zhenggai.lib.workdays import Calendar
from zhenggai.supervision.models import Escalation
from zhenggai.supervision.reminders.digests import Digest
from zhenggai.supervision.reminders.items import BEFORE, OVERDUE, TODAY, Item, short
from zhenggai.supervision.reminders.routing import Recipients

PLANNED_STATES = (State.PLAN_PENDING, State.IN_PROGRESS, State.SUBMITTED)
# An item's problem, as `Planner._item` reads it, from a row of measures or orders.
PROBLEM_FIELDS = (
    "problem_id",
    "problem__number",
    "problem__title",
    "problem__unit_id",
    "problem__unit__name",
)

# A measure's item: its problem, its text and deadline, and who answers for it.
MEASURE_FIELDS = (
    *PROBLEM_FIELDS,
    "text",
    "deadline_kind",
    "deadline",
    "problem__round__feedback_date",
    "owner_id",
    "lead_section_id",
    "lead_leader_id",
)


class Planner:
    """Works out today's items and who hears of each, in a fixed number of queries."""

    def __init__(self, today: date, calendar: Calendar):
        self.today = today
        self.calendar = calendar
        self.horizon = calendar.add(today, settings.REMIND_BEFORE_WORKDAYS)
        self.digests: dict[tuple[int, int], Digest] = {}
        self._late: dict[date, tuple[int, int]] = {}
        self.recipients = Recipients()

    def _stage(self, due: date) -> tuple[int, int]:
        """Before, today or late, and by how many working days, for a deadline of `due`."""
        if due not in self._late:
            effective = self.calendar.add(due, 0)  # a rest day runs to the next working day
            if effective > self.today:
                self._late[due] = (BEFORE, 0)
            elif effective == self.today:
                self._late[due] = (TODAY, 0)
            else:
                self._late[due] = (OVERDUE, self.calendar.between(effective, self.today))
        return self._late[due]

    def _send(self, user_ids, item: Item, role: str) -> None:
        for user_id in user_ids:
            key = (user_id, item.unit_id)
            digest = self.digests.get(key) or self.digests.setdefault(
                key, Digest(user_id, item.unit_id)
            )
            digest.add(Item(**{**item.__dict__, "role": role}))

    def _route(self, item: Item, owners, section, leader) -> None:
        for user_ids, role in self.recipients.route(item, owners, section, leader):
            self._send(user_ids, item, role)

    def _item(self, kind, problem, text, due) -> Item:
        pid, number, title, unit_id, unit_name = problem
        stage, late = self._stage(due)
        return Item(kind, pid, unit_id, number, title, unit_name, short(text), due, stage, late)

    def measures(self) -> None:
        for *problem, text, kind, deadline, feedback, owner, section, leader in self._measures():
            due = deadline
            if kind == DeadlineKind.IMMEDIATE:
                due = feedback + timedelta(days=settings.IMMEDIATE_DUE_DAYS)
            self._route(self._item("measure", problem, text, due), [owner], section, leader)

    def _measures(self):
        """Unfinished measures of problems being rectified, due by the horizon: by their date,
        or (measures to take at once) a set number of days after the feedback."""
        immediate_before = self.horizon - timedelta(days=settings.IMMEDIATE_DUE_DAYS)
        return (
            Measure.objects.filter(
                withdrawn=False, completed_on__isnull=True, problem__state__in=PLANNED_STATES
            )
            .filter(
                Q(deadline_kind=DeadlineKind.DATE, deadline__lte=self.horizon)
                | Q(
                    deadline_kind=DeadlineKind.IMMEDIATE,
                    problem__round__feedback_date__lte=immediate_before,
                )
            )
            .values_list(*MEASURE_FIELDS)
            .order_by("deadline", "problem_id", "position", "id")
        )

    def _people_of(self, problem_ids) -> dict[int, tuple[list, list, list]]:
        """Owners, lead sections and leaders of the active measures of each problem."""
        people = defaultdict(lambda: ([], [], []))
        for pid, owner, section, leader in Measure.objects.filter(
            problem_id__in=problem_ids, withdrawn=False
        ).values_list("problem_id", "owner_id", "lead_section_id", "lead_leader_id"):
            for collected, value in zip(people[pid], (owner, section, leader), strict=True):
                if value and value not in collected:
                    collected.append(value)
        return people

    def long_term_reports(self) -> None:
        problems = list(
            Problem.objects.filter(state=State.LONG_TERM, due_date__lte=self.horizon)
            .values_list("id", "number", "title", "unit_id", "unit__name", "due_date")
            .order_by("due_date", "id")
        )
        people = self._people_of([p[0] for p in problems])
        for *problem, due in problems:
            item = self._item("report", problem, "报送整改进展", due)
            owners, sections, leaders = people[problem[0]]
            for section in sections or [None]:
                self._route(item, owners, section, leaders[0] if leaders else None)

    def escalations(self, only: list[int] | None = None) -> None:
        """Orders awaiting an answer, to those who may answer them: the measure's owner, or the
        owners of the problem's measures; without one, the rectification office. `only`: just
        these orders (the 催办单 the run has just issued)."""
        orders = self._open_orders()
        if only is not None:
            orders = orders.filter(pk__in=only)
        orders = list(orders)
        people = self._people_of([o[0] for o in orders if o[-5] is None])
        for *problem, demand, due, level, measure, owner, kind, year, serial in orders:
            order = Escalation(kind=kind, level=level, year=year, serial=serial)
            head = (
                f"{order.get_kind_display()}{order.number}" if serial else order.get_level_display()
            )
            text = f"{head}：{demand}"
            owners = [owner] if measure else people[problem[0]][0]
            self._route(self._item("escalation", problem, text, due), owners, None, None)

    def _open_orders(self):
        """Supervision orders awaiting an answer by the horizon, on open problems (and on a
        measure still in force, if on one)."""
        return (
            Escalation.objects.filter(
                status=Escalation.Status.OPEN,
                due_on__lte=self.horizon,
                problem__state__in=OPEN_STATES,
            )
            .exclude(measure__withdrawn=True)
            .values_list(
                *PROBLEM_FIELDS,
                "demand",
                "due_on",
                "level",
                "measure_id",
                "measure__owner_id",
                "kind",
                "year",
                "serial",
            )
        )

    def plan(self) -> dict[tuple[int, int], Digest]:
        self.measures()
        self.long_term_reports()
        self.escalations()
        return self.digests
