"""The one FilterSet of the ledger, shared by the ledger page, bulk actions and (later) exports."""

from datetime import date, timedelta

import django_filters
from django import forms
from django.conf import settings
from django.db.models import (
    Case,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import LessThanOrEqual

from zhenggai.ledger import search
from zhenggai.ledger.models import OPEN_STATES, DeadlineKind, Measure, Problem, State, Warning
from zhenggai.lib.dates import BoundedDateField

# Sorting by deadline lists the open problems first: a closed one's deadline is history.
_CLOSED_LAST = Case(
    When(state__in=OPEN_STATES, then=Value(0)), default=Value(1), output_field=IntegerField()
)
SORTS = {
    "position": ("round_id", "position", "id"),
    "-position": ("-round_id", "-position", "-id"),
    "due": (_CLOSED_LAST, F("due_date").asc(nulls_last=True), "id"),
    "-due": (_CLOSED_LAST, F("due_date").desc(nulls_last=True), "-id"),
    "state": ("state", "id"),
    "updated": ("-updated_at", "-id"),
    "percent": ("percent", "round_id", "position", "id"),
    "-percent": ("-percent", "round_id", "position", "id"),
}


# The largest key a database holds: an id beyond it is refused as a bad value, never sent to
# the database to overflow (SQLite raises on it).
MAX_ID = 2**63 - 1


class IdFilter(django_filters.NumberFilter):
    """A record's id in the query: a whole number from 1 to MAX_ID, else the filter is invalid
    (the page ignores it, the API answers 400)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=1, max_value=MAX_ID, **kwargs)


class DateFilter(django_filters.DateFilter):
    """A day from lib.dates.FIRST_DAY to LAST_DAY, else the filter is invalid with a Chinese
    message (the page says it, the API answers 400): a week's or a deadline's arithmetic on year
    1 or 9999 would overflow."""

    field_class = BoundedDateField


# Conditions on one measure (its fields, as a Measure queryset names them), read alike by the
# ledger's measure filters and the 调度 sheet that links to them. A measure is due on its date, or
# (立行立改) IMMEDIATE_DUE_DAYS after its round's feedback; 长期坚持 is never due.


def _immediate_days() -> timedelta:
    return timedelta(days=settings.IMMEDIATE_DUE_DAYS)


def measure_due_between(start: date | None, end: date | None) -> Q:
    """Measures due from `start` to `end` (both included; None: unbounded)."""
    on_date, immediate = Q(deadline_kind=DeadlineKind.DATE), Q(deadline_kind=DeadlineKind.IMMEDIATE)
    if start:
        on_date &= Q(deadline__gte=start)
        immediate &= Q(problem__round__feedback_date__gte=start - _immediate_days())
    if end:
        on_date &= Q(deadline__lte=end)
        immediate &= Q(problem__round__feedback_date__lte=end - _immediate_days())
    return (on_date & Q(deadline__isnull=False)) | (
        immediate & Q(problem__round__feedback_date__isnull=False)
    )


# The day a measure was done: its 完成日期, or, when it has none, the day its problem was found
# rectified (closed out, or rectified and kept at long term), if it was.
DONE_ON = Coalesce(F("completed_on"), F("problem__rectified_on"))


def _done_within(start: date | None, end: date | None, field: str) -> Q:
    within = Q(**{f"{field}__isnull": False})
    if start:
        within &= Q(**{f"{field}__gte": start})
    if end:
        within &= Q(**{f"{field}__lte": end})
    return within


def measure_done_between(start: date | None, end: date | None) -> Q:
    """Measures done (DONE_ON) from `start` to `end` (both included)."""
    return _done_within(start, end, "completed_on") | (
        Q(completed_on__isnull=True) & _done_within(start, end, "problem__rectified_on")
    )


def measure_done_on_time() -> Q:
    """Measures done (DONE_ON) on or before the day they were due."""
    late_by = ExpressionWrapper(
        DONE_ON - F("problem__round__feedback_date"), output_field=DurationField()
    )
    done = Q(completed_on__isnull=False) | Q(problem__rectified_on__isnull=False)
    return done & (
        Q(Q(deadline_kind=DeadlineKind.DATE), LessThanOrEqual(DONE_ON, F("deadline")))
        | Q(
            Q(deadline_kind=DeadlineKind.IMMEDIATE, problem__round__feedback_date__isnull=False),
            LessThanOrEqual(late_by, Value(_immediate_days(), output_field=DurationField())),
        )
    )


def measure_overdue_on(day: date) -> Q:
    """Measures of open problems due before `day` and not done (DONE_ON) by it (a completion
    after `day` does not count: the sheet of a past week shows what was overdue then)."""
    not_done = Q(completed_on__isnull=True) & (
        Q(problem__rectified_on__isnull=True) | Q(problem__rectified_on__gt=day)
    )
    return (
        Q(problem__state__in=OPEN_STATES)
        & measure_due_between(None, day - timedelta(days=1))
        & (not_done | Q(completed_on__gt=day))
    )


# The ledger's filters on one measure: a problem is listed when one of its active measures (of a
# problem not withdrawn) meets all of those given at once, so that the 调度 sheet's figures link
# to exactly the problems of the measures they count.
MEASURE_TERMS = {
    "measure_section": "牵头科室",
    "measure_leader": "责任领导",
    "measure_due_from": "措施期限自",
    "measure_due_to": "措施期限至",
    "measure_done_from": "措施完成自",
    "measure_done_to": "措施完成至",
    "measure_on_time": "措施按期完成",
    "measure_overdue_on": "截至该日逾期未完成",
}


def measure_condition(data: dict) -> Q | None:
    """The measure filters given in `data` (cleaned values) as one condition, or None."""
    given = {name: data.get(name) for name in MEASURE_TERMS if data.get(name) not in (None, "")}
    if not given:
        return None
    condition = Q()
    if "measure_section" in given:
        condition &= Q(lead_section_id=given["measure_section"])
    if "measure_leader" in given:
        condition &= Q(lead_leader_id=given["measure_leader"])
    if "measure_due_from" in given or "measure_due_to" in given:
        condition &= measure_due_between(given.get("measure_due_from"), given.get("measure_due_to"))
    if "measure_done_from" in given or "measure_done_to" in given:
        condition &= measure_done_between(
            given.get("measure_done_from"), given.get("measure_done_to")
        )
    if "measure_on_time" in given:
        on_time = measure_done_on_time()
        condition &= on_time if given["measure_on_time"] else ~on_time
    if "measure_overdue_on" in given:
        condition &= measure_overdue_on(given["measure_overdue_on"])
    return condition


def _date_filter(label: str) -> django_filters.DateFilter:
    # Applied together in ProblemFilter.filter_queryset, on one measure.
    return DateFilter(method="by_measure", label=label)


class ProblemFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="搜索")
    # Ids, not model choices: the queryset filtered is already restricted to what the user may
    # see, so an id of another unit finds nothing, and no list of options is built to validate.
    round = IdFilter(field_name="round_id", label="巡察轮次")
    unit = IdFilter(field_name="unit_id", label="单位")
    state = django_filters.MultipleChoiceFilter(
        choices=State.choices, label="状态", widget=forms.CheckboxSelectMultiple, distinct=False
    )
    warning = django_filters.ChoiceFilter(
        choices=Warning.choices, method="filter_warning", label="预警", empty_label="全部"
    )
    section = IdFilter(method="filter_section", label="科室")
    leader = IdFilter(method="filter_leader", label="责任领导")
    due_after = DateFilter(
        field_name="due_date",
        lookup_expr="gte",
        label="期限自",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    due_before = DateFilter(
        field_name="due_date",
        lookup_expr="lte",
        label="期限至",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    area = django_filters.CharFilter(field_name="area", label="方面")
    rectified_after = DateFilter(
        field_name="rectified_on",
        lookup_expr="gte",
        label="整改完成自",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    rectified_before = DateFilter(
        field_name="rectified_on",
        lookup_expr="lte",
        label="整改完成至",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    escalation = django_filters.NumberFilter(
        field_name="escalation_level", lookup_expr="gte", label="督办级别不低于"
    )
    on_time = django_filters.BooleanFilter(field_name="rectified_on_time", label="按期完成")
    measure_section = IdFilter(method="by_measure", label=MEASURE_TERMS["measure_section"])
    measure_leader = IdFilter(method="by_measure", label=MEASURE_TERMS["measure_leader"])
    measure_due_from = _date_filter(MEASURE_TERMS["measure_due_from"])
    measure_due_to = _date_filter(MEASURE_TERMS["measure_due_to"])
    measure_done_from = _date_filter(MEASURE_TERMS["measure_done_from"])
    measure_done_to = _date_filter(MEASURE_TERMS["measure_done_to"])
    measure_on_time = django_filters.BooleanFilter(
        method="by_measure", label=MEASURE_TERMS["measure_on_time"]
    )
    measure_overdue_on = _date_filter(MEASURE_TERMS["measure_overdue_on"])
    sort = django_filters.ChoiceFilter(
        method="sort_by",
        label="排序",
        empty_label="按序号",
        choices=[
            ("due", "期限从近到远"),
            ("-due", "期限从远到近"),
            ("state", "按状态"),
            ("updated", "最近更新"),
            ("percent", "完成进度从低到高"),
            ("-percent", "完成进度从高到低"),
            ("-position", "序号倒序"),
        ],
    )

    class Meta:
        model = Problem
        fields = []

    def filter_queryset(self, queryset):
        condition = measure_condition(self.form.cleaned_data)
        if condition is not None:
            measures = Measure.objects.filter(condition, problem=OuterRef("pk"), withdrawn=False)
            queryset = queryset.filter(Exists(measures)).exclude(state=State.WITHDRAWN)
        return super().filter_queryset(queryset)

    def by_measure(self, queryset, name, value):
        return queryset  # the measure filters are applied together, in filter_queryset

    @property
    def measure_terms(self) -> list[tuple[str, str, str]]:
        """(name, value as given, label) of the measure filters in use, for the ledger page to
        keep (as hidden fields) and to say."""
        if not self.is_bound or not self.is_valid():
            return []
        data = self.form.cleaned_data
        return [
            (name, self.data.get(name), label)
            for name, label in MEASURE_TERMS.items()
            if data.get(name) not in (None, "")
        ]

    def search(self, queryset, name, value):
        return search.search(queryset, value.split()[:5])

    def filter_warning(self, queryset, name, value):
        return queryset.with_warning(value)

    def filter_section(self, queryset, name, value):
        on_measure = Measure.objects.filter(problem=OuterRef("pk"), withdrawn=False)
        return queryset.filter(
            Exists(on_measure.filter(lead_section_id=value))
            | Exists(on_measure.filter(responsible_sections__id=value))
        )

    def filter_leader(self, queryset, name, value):
        return queryset.filter(
            Exists(Measure.objects.filter(problem=OuterRef("pk"), lead_leader_id=value))
        )

    def sort_by(self, queryset, name, value):
        return queryset.order_by(*SORTS.get(value, SORTS["position"]))


def ledger_queryset(request):
    """The problems a ledger page lists for `request`: visible ones, filtered as asked."""
    base = Problem.objects.visible_to(request.user).select_related("round", "unit")
    return ProblemFilter(request.GET or None, queryset=base, request=request)
