"""The one FilterSet of the ledger, shared by the ledger page, bulk actions and (later) exports."""

import django_filters
from django import forms
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Value, When

from zhenggai.ledger import search
from zhenggai.ledger.models import OPEN_STATES, Measure, Problem, State, Warning

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
    due_after = django_filters.DateFilter(
        field_name="due_date",
        lookup_expr="gte",
        label="期限自",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    due_before = django_filters.DateFilter(
        field_name="due_date",
        lookup_expr="lte",
        label="期限至",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    area = django_filters.CharFilter(field_name="area", label="方面")
    rectified_after = django_filters.DateFilter(
        field_name="rectified_on",
        lookup_expr="gte",
        label="整改完成自",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    rectified_before = django_filters.DateFilter(
        field_name="rectified_on",
        lookup_expr="lte",
        label="整改完成至",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    escalation = django_filters.NumberFilter(
        field_name="escalation_level", lookup_expr="gte", label="督办级别不低于"
    )
    on_time = django_filters.BooleanFilter(field_name="rectified_on_time", label="按期完成")
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
