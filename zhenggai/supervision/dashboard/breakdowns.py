"""Stacked bars of the problems per area, per section and per responsible leader, each bar split
by state and each segment linked to the ledger rows it counts."""

from collections import defaultdict
from dataclasses import dataclass

from zhenggai.ledger.models import Measure
from zhenggai.lib.names import full_name
from zhenggai.supervision.dashboard.figures import COUNTED, GROUPS, Drill, Figure, mean_percent

# Bars of one breakdown chart; the rest are summed in one line.
MAX_BARS = 20


@dataclass(frozen=True)
class Row:
    """One bar of a breakdown chart: its label, one figure per group, their total, and the
    mean completion of the problems it counts (平均完成进度)."""

    label: str
    cells: list[Figure]
    total: Figure
    average: float | None = None


@dataclass(frozen=True)
class Breakdown:
    rows: list[Row]
    # Bars left out (beyond MAX_BARS) and the problems they count.
    more_bars: int = 0
    more_problems: int = 0


def breakdown(counts: dict, labels: dict, param: str, drill: Drill, sums: dict) -> Breakdown:
    """Stacked bars from {key: {state: problems}}, with {key: their completion summed};
    `param` is the ledger filter of a key (a key of None has no ledger filter: its figures
    have no URL)."""
    totals = {key: sum(by_state.values()) for key, by_state in counts.items()}
    keys = sorted(counts, key=lambda k: (-totals[k], labels[k]))
    rows = []
    for key in keys[:MAX_BARS]:
        by_state = counts[key]

        def url(states, key=key):
            return drill.url(**{param: key, "state": states}) if key is not None else ""

        cells = [Figure(sum(by_state.get(s, 0) for s in g.states), url(g.states)) for g in GROUPS]
        average = mean_percent(sums.get(key, 0), totals[key])
        rows.append(Row(labels[key], cells, Figure(totals[key], url(COUNTED)), average))
    rest = keys[MAX_BARS:]
    return Breakdown(rows, len(rest), sum(totals[k] for k in rest))


def by_area(areas: dict, drill: Drill, sums: dict) -> Breakdown:
    labels = {area: area or "（未分方面）" for area in areas}
    return breakdown(areas, labels, "area", drill, sums)


def _distinct_problems(pairs) -> tuple[dict, dict, dict]:
    """{key: {state: problems}}, {key: label} and {key: their completion summed} from (key,
    label, problem, state, percent) rows that may name a problem twice under one key."""
    seen, counts, labels = set(), defaultdict(lambda: defaultdict(int)), {}
    sums: dict = defaultdict(int)
    for key, label, problem, state, percent in pairs:
        if (key, problem) not in seen:
            seen.add((key, problem))
            counts[key][state] += 1
            labels[key] = label
            sums[key] += percent
    return counts, labels, sums


def by_section(problems, drill: Drill) -> Breakdown:
    """Problems per section leading or carrying out one of their measures (the ledger's
    `section` filter: measures not withdrawn)."""
    ids = problems.filter(state__in=COUNTED).values("id")
    lead = Measure.objects.filter(
        problem__in=ids, withdrawn=False, lead_section__isnull=False
    ).values_list(
        "lead_section_id", "lead_section__name", "problem_id", "problem__state", "problem__percent"
    )
    carrying = Measure.responsible_sections.through.objects.filter(
        measure__problem__in=ids, measure__withdrawn=False
    ).values_list(
        "unit_id",
        "unit__name",
        "measure__problem_id",
        "measure__problem__state",
        "measure__problem__percent",
    )
    counts, labels, sums = _distinct_problems([*lead.distinct(), *carrying.distinct()])
    return breakdown(counts, labels, "section", drill, sums)


def by_leader(problems, drill: Drill) -> Breakdown:
    """Problems per responsible leader of one of their measures (the ledger's `leader` filter,
    which reads every measure, withdrawn ones too)."""
    rows = (
        Measure.objects.filter(
            problem__in=problems.filter(state__in=COUNTED).values("id"),
            lead_leader__isnull=False,
        )
        .values_list(
            "lead_leader_id",
            "lead_leader__first_name",
            "lead_leader__last_name",
            "lead_leader__username",
            "problem_id",
            "problem__state",
            "problem__percent",
        )
        .distinct()
    )
    counts, labels, sums = _distinct_problems(
        (leader, full_name(first, last, username), problem, state, percent)
        for leader, first, last, username, problem, state, percent in rows
    )
    return breakdown(counts, labels, "leader", drill, sums)
