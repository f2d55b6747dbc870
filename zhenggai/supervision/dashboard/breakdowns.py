"""Stacked bars of the problems per area, per section and per responsible leader, each bar split
by state and each segment linked to the ledger rows it counts."""

from collections import defaultdict
from dataclasses import dataclass

from zhenggai.ledger.models import Measure
from zhenggai.lib.names import full_name
from zhenggai.supervision.dashboard.figures import COUNTED, GROUPS, Drill, Figure

# Bars of one breakdown chart; the rest are summed in one line.
MAX_BARS = 20


@dataclass(frozen=True)
class Row:
    """One bar of a breakdown chart: its label, one figure per group, and their total."""

    label: str
    cells: list[Figure]
    total: Figure


@dataclass(frozen=True)
class Breakdown:
    rows: list[Row]
    # Bars left out (beyond MAX_BARS) and the problems they count.
    more_bars: int = 0
    more_problems: int = 0


def breakdown(counts: dict, labels: dict, param: str, drill: Drill) -> Breakdown:
    """Stacked bars from {key: {state: problems}}; `param` is the ledger filter of a key
    (a key of None has no ledger filter: its figures have no URL)."""
    totals = {key: sum(by_state.values()) for key, by_state in counts.items()}
    keys = sorted(counts, key=lambda k: (-totals[k], labels[k]))
    rows = []
    for key in keys[:MAX_BARS]:
        by_state = counts[key]

        def url(states, key=key):
            return drill.url(**{param: key, "state": states}) if key is not None else ""

        cells = [Figure(sum(by_state.get(s, 0) for s in g.states), url(g.states)) for g in GROUPS]
        rows.append(Row(labels[key], cells, Figure(totals[key], url(COUNTED))))
    rest = keys[MAX_BARS:]
    return Breakdown(rows, len(rest), sum(totals[k] for k in rest))


def by_area(areas: dict, drill: Drill) -> Breakdown:
    labels = {area: area or "（未分方面）" for area in areas}
    return breakdown(areas, labels, "area", drill)


def _distinct_problems(pairs) -> tuple[dict, dict]:
    """{key: {state: problems}} and {key: label} from (key, label, problem, state) rows that may
    name a problem twice under one key."""
    seen, counts, labels = set(), defaultdict(lambda: defaultdict(int)), {}
    for key, label, problem, state in pairs:
        if (key, problem) not in seen:
            seen.add((key, problem))
            counts[key][state] += 1
            labels[key] = label
    return counts, labels


def by_section(problems, drill: Drill) -> Breakdown:
    """Problems per section leading or carrying out one of their measures (the ledger's
    `section` filter: measures not withdrawn)."""
    ids = problems.filter(state__in=COUNTED).values("id")
    lead = Measure.objects.filter(
        problem__in=ids, withdrawn=False, lead_section__isnull=False
    ).values_list("lead_section_id", "lead_section__name", "problem_id", "problem__state")
    carrying = Measure.responsible_sections.through.objects.filter(
        measure__problem__in=ids, measure__withdrawn=False
    ).values_list("unit_id", "unit__name", "measure__problem_id", "measure__problem__state")
    counts, labels = _distinct_problems([*lead.distinct(), *carrying.distinct()])
    return breakdown(counts, labels, "section", drill)


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
        )
        .distinct()
    )
    counts, labels = _distinct_problems(
        (leader, full_name(first, last, username), problem, state)
        for leader, first, last, username, problem, state in rows
    )
    return breakdown(counts, labels, "leader", drill)
