"""What the ledger's pages show, gathered in a fixed number of queries per page."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Paginator
from django.db.models import Count, F, OuterRef, Q, Subquery

from zhenggai.ledger import services, workflow
from zhenggai.ledger.filters import ProblemFilter
from zhenggai.ledger.forms import people_of
from zhenggai.ledger.models import (
    OPEN_STATES,
    ChangeRequest,
    Event,
    Flag,
    Measure,
    Problem,
    State,
    Warning,
    deadline_display,
    effective_due,
    measure_gaps,
    warning_for,
)
from zhenggai.ledger.templatetags.ledger import person
from zhenggai.ledger.values import Names, describe
from zhenggai.lib.html import checkboxes, options
from zhenggai.lib.names import full_name
from zhenggai.orgs.access import scope_for
from zhenggai.orgs.models import Membership, Role, Unit
from zhenggai.rounds.models import InspectionRound

# The ledger's escalation filter: problems with an open order at this level or above.
ESCALATION_FILTER = [(1, "督办中（任何级别）"), (2, "重点督办及以上"), (3, "挂牌督办")]


@dataclass(frozen=True, slots=True)
class MeasureLine:
    """What one line of the ledger table shows of a measure (read without building models)."""

    text: str
    section: str
    leader: str
    deadline_display: str
    warning: str
    gaps: tuple[str, ...] = ()


def _measure_lines(problems: list[Problem]) -> dict[int, list[MeasureLine]]:
    by_id = {p.pk: p for p in problems}
    rows = (
        Measure.objects.filter(problem_id__in=list(by_id), withdrawn=False)
        .order_by("problem_id", "position", "id")
        .values_list(
            "problem_id",
            "text",
            "lead_section__name",
            "lead_leader__first_name",
            "lead_leader__last_name",
            "lead_leader__username",
            "owner_id",
            "deadline_kind",
            "deadline",
            "completed_on",
        )
    )
    lines: dict[int, list[MeasureLine]] = {pk: [] for pk in by_id}
    for pid, text, section, first, last, username, owner, kind, deadline, done in rows:
        problem = by_id[pid]
        due = effective_due(kind, deadline, done, problem.round.feedback_date)
        is_open = problem.is_open and not done
        gaps = measure_gaps(owner, kind, deadline) if is_open else ()
        lines[pid].append(
            MeasureLine(
                text=text if len(text) <= 60 else text[:59] + "…",
                section=section or "未定科室",
                leader=full_name(first, last, username) or "未定责任领导",
                deadline_display=deadline_display(kind, deadline),
                warning=warning_for(due, is_open, unassigned=bool(gaps)),
                gaps=gaps,
            )
        )
    return lines


def ledger_rows(problems, user) -> list[Problem]:
    """Problems of one ledger page, each with `measure_lines` for the table."""
    problems = list(problems)
    lines = _measure_lines(problems)
    for problem in problems:
        problem.measure_lines = lines[problem.pk]
    return problems


# Above this many, a list is offered only once the user has narrowed the ledger to one unit.
CHOICES_WITHOUT_UNIT = 100


def ledger_choices(request, filterset) -> dict:
    """The options of the ledger's filter controls, as plain (value, label) lists.

    Rendering thousands of form-widget options costs more than the whole query, so the lists
    are read with `values_list`, and the section, round and leader lists follow the chosen unit.
    """
    data = filterset.form.cleaned_data if filterset.is_bound and filterset.is_valid() else {}
    selected = {k: str(int(v)) if isinstance(v, Decimal) else str(v) for k, v in data.items() if v}
    scope = scope_for(request.user)
    rounds = InspectionRound.objects.visible_to(request.user)
    unit_id = int(data["unit"]) if data.get("unit") else None
    if unit_id is None and data.get("round"):
        unit_id = rounds.filter(pk=int(data["round"])).values_list("unit_id", flat=True).first()
    if unit_id is not None and not scope.can_read(unit_id):
        unit_id = None
    units = scope.restrict(Unit.objects.filter(kind=Unit.Kind.UNIT), "id").order_by("name")
    rounds = rounds.order_by("-feedback_date", "-id")
    leaders = scope.restrict(Membership.objects.filter(role=Role.LEADER), "unit_id")
    sections = []
    if unit_id is not None:
        rounds = rounds.filter(unit_id=unit_id)
        leaders = leaders.filter(unit_id=unit_id)
        sections = list(
            Unit.objects.filter(parent_id=unit_id, kind=Unit.Kind.SECTION)
            .order_by("name")
            .values_list("id", "name")
        )
    else:
        rounds = rounds[: CHOICES_WITHOUT_UNIT + 1]
        leaders = leaders[: CHOICES_WITHOUT_UNIT + 1]
    if unit_id is None:  # rounds of several units: each named with its unit (titles repeat)
        rounds = [
            (pk, f"{title}（{unit}）")
            for pk, title, unit in rounds.values_list("id", "title", "unit__name")
        ]
    else:
        rounds = list(rounds.values_list("id", "title"))
    leaders = sorted({(m.user_id, person(m.user)) for m in leaders.select_related("user")})
    return {
        "units": options(units.values_list("id", "name"), selected.get("unit")),
        "rounds": options(
            rounds if len(rounds) <= CHOICES_WITHOUT_UNIT else [], selected.get("round")
        ),
        "sections": sections,
        "people": [(u.pk, person(u)) for u in people_of(unit_id)] if unit_id else [],
        "section_options": options(sections, selected.get("section")),
        "leaders": options(
            leaders if len(leaders) <= CHOICES_WITHOUT_UNIT else [], selected.get("leader")
        ),
        "unit": unit_id,
        "warning_options": options(Warning.choices, selected.get("warning")),
        "escalation_options": options(ESCALATION_FILTER, selected.get("escalation")),
        "sort_options": options(
            ProblemFilter.base_filters["sort"].extra["choices"], selected.get("sort")
        ),
        "state_boxes": checkboxes("state", State.choices, request.GET.getlist("state")),
        "q": request.GET.get("q", ""),
        "due_after": selected.get("due_after", ""),
        "due_before": selected.get("due_before", ""),
    }


def _carried_by(user) -> Q:
    """Measures the user carries: as 责任人, or as staff of a section that leads or takes part."""
    scope = scope_for(user)
    sections = set().union(*scope.sections.values()) if scope.sections else set()
    return Q(owner=user) | Measure.carried_by(sections)


def my_tasks(user):
    """Open measures the user owns or leads (责任领导), or that a section of theirs leads or
    carries out, the most pressing first."""
    ids = (
        Measure.objects.visible_to(user)
        .filter(
            _carried_by(user) | Q(lead_leader=user),
            withdrawn=False,
            completed_on__isnull=True,
            problem__state__in=OPEN_STATES,
        )
        .values("id")
    )
    return (
        Measure.objects.filter(id__in=ids)
        .select_related("problem", "problem__round", "lead_section", "owner")
        .order_by(F("problem__due_date").asc(nulls_last=True), "problem_id", "position")
    )


def returned_to(user) -> list[Problem]:
    """Problems sent back at close-out (退回) to those who carry them or asked for it, and not
    yet submitted again: each with `returned_at` and `return_reason`, the latest return's."""
    returns = Event.objects.filter(problem=OuterRef("pk"), action=Event.Action.RETURNED).order_by(
        "-at", "-id"
    )
    carried = Measure.objects.filter(_carried_by(user), withdrawn=False).values("problem_id")
    return list(
        Problem.objects.visible_to(user)
        .filter(Q(id__in=carried) | Q(submitted_by=user), state=State.IN_PROGRESS)
        .annotate(
            returned_at=Subquery(returns.values("at")[:1]),
            return_reason=Subquery(returns.values("note")[:1]),
        )
        # A later transition (a reopening, say) moved it since: it is no longer "returned".
        .filter(returned_at__gte=F("state_changed_at"))
        .select_related("unit", "round")
        .order_by("-returned_at")[:50]
    )


def awaiting_decision(user) -> dict:
    """What of the ledger waits for this user: plans to approve and close-outs for a leader,
    verifications for the inspection office, concerns to answer or close, change requests;
    each list short, oldest first (zhenggai.pages.tasks adds the other apps' lists)."""
    units_with = scope_for(user).units_with

    def waiting(role, state):
        return list(
            Problem.objects.filter(unit_id__in=units_with(role), state=state)
            .select_related("unit", "round")
            .order_by("state_changed_at")[:50]
        )

    plans = (
        Problem.objects.filter(unit_id__in=units_with(Role.LEADER), state=State.PLAN_PENDING)
        .annotate(measure_count=Count("measures", filter=Q(measures__withdrawn=False)))
        .select_related("unit", "round")
        .order_by("state_changed_at", "id")[:50]
    )
    flags = Flag.objects.select_related("problem", "problem__unit", "created_by").order_by(
        "created_at", "id"
    )
    answering = units_with(Role.LEADER) + units_with(Role.RECTIFICATION_OFFICE)
    return {
        "plans_to_approve": list(plans),
        "to_close_out": waiting(Role.LEADER, State.SUBMITTED),
        "to_verify": waiting(Role.INSPECTION_OFFICE, State.CLOSED),
        "flags_to_answer": list(
            flags.filter(problem__unit_id__in=answering, status=Flag.Status.OPEN)[:50]
        ),
        "flags_to_decide": list(
            flags.filter(
                problem__unit_id__in=units_with(Role.DISCIPLINE), status=Flag.Status.ANSWERED
            )
            .exclude(answered_by=user)
            .select_related("answered_by")[:50]
        ),
        "requests_waiting": ChangeRequest.objects.filter(
            problem__unit_id__in=units_with(Role.LEADER), status=ChangeRequest.Status.PENDING
        )
        .exclude(requested_by=user)
        .count(),
    }


# A problem's progress reports and history are paged: a long-term problem gathers hundreds.
REPORTS_PER_PAGE = 20
EVENTS_PER_PAGE = 50


def problem_page(problem: Problem, user, *, reports_page=1, history_page=1) -> dict:
    """The ledger's part of the problem page (zhenggai.pages.problem adds the other apps')."""
    measures = list(
        problem.measures.select_related("lead_section", "lead_leader", "owner")
        .prefetch_related("responsible_sections")
        .order_by("withdrawn", "position", "id")
    )
    for measure in measures:
        measure.problem = problem
        measure.may_report = services.may_report(user, problem, measure)
    flags = list(problem.flags.select_related("created_by", "answered_by", "decided_by"))
    for flag in flags:
        flag.problem = problem
        flag.may_answer = flag.status == Flag.Status.OPEN and services.may_answer_flag(user, flag)
        flag.may_decide = (
            flag.status == Flag.Status.ANSWERED
            and flag.answered_by_id != user.pk
            and services.may_decide_flag(user, flag)
        )
    reports = Paginator(
        problem.reports.select_related("created_by", "measure")
        .prefetch_related("evidence")
        .order_by("-created_at", "-id"),
        REPORTS_PER_PAGE,
    ).get_page(reports_page)
    events = Paginator(
        problem.events.select_related("actor").order_by("-at", "-id"), EVENTS_PER_PAGE
    ).get_page(history_page)
    # A change of a measure says which one (措施2), as the page numbers them.
    numbers = {m.pk: n for n, m in enumerate(measures, 1)}
    for event in events:
        event.measure_no = numbers.get(event.object_id) if event.object_type == "measure" else None
    pending = described(
        problem.change_requests.filter(status=ChangeRequest.Status.PENDING).select_related(
            "measure", "requested_by"
        )
    )
    for request, _ in pending:  # which measure each asks to change, as the page numbers them
        request.measure_no = numbers.get(request.measure_id)
    return {
        "problem": problem,
        "round": problem.round,
        "measures": measures,
        "reports": reports,
        "events": events,
        "flags": flags,
        "pending_requests": pending,
        "transitions": workflow.available_transitions(problem, user),
        "separation_notice": workflow.separation_notice(problem, user),
        "may_edit": services.may_edit_problem(user, problem),
        "may_plan": services.may_plan(user, problem),
        "may_report": services.may_report(user, problem),
        "may_flag": services.may_flag(user, problem),
        "plan_direct": services.applies_directly(user, problem),
    }


def described(requests) -> list[tuple[ChangeRequest, dict]]:
    """Change requests with what each would change, {label: [at request, asked]}, shown in a
    fixed number of queries; each with `past_deadline`, the warning if the date it asks for is
    already behind us ("" if not)."""
    requests = list(requests)
    names = Names([r.changes for r in requests] + [r.before for r in requests])
    for r in requests:
        r.past_deadline = services.past_deadline_warning(r.changes.get("deadline"))
    return [(r, describe(r.changes, r.before, names)) for r in requests]


def change_request_page(user) -> dict:
    """Requests this user may decide (a leader's, not their own), and their own requests."""
    scope = scope_for(user)
    led = scope.units_with(Role.LEADER)
    related = (
        "problem",
        "problem__unit",
        "problem__round",
        "measure",
        "requested_by",
        "decided_by",
    )
    to_decide = (
        ChangeRequest.objects.filter(problem__unit_id__in=led, status=ChangeRequest.Status.PENDING)
        .exclude(requested_by=user)
        .select_related(*related)
        .order_by("requested_at")[:200]
    )
    mine = (
        ChangeRequest.objects.visible_to(user)
        .filter(requested_by=user)
        .select_related(*related)
        .order_by("-requested_at")[:50]
    )
    return {"to_decide": described(to_decide), "mine": described(mine), "is_leader": bool(led)}
