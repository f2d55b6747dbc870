"""The supervision dashboards (督办看板): figures over the problems a user may see.

Every figure is a `Figure`: a count and the ledger URL that lists exactly the problems it counts
(the ledger's own filters, so the numbers on the dashboard and in the ledger cannot disagree).
Each part is one GROUP BY query, so the page runs a fixed number of queries however many
problems and units it covers.

The stages, each a module: `figures` (figures, drill-down URLs, chart segments), `counts` (per
unit and per area, the KPIs), `ranking` (units by on-time rate), `breakdowns` (stacked bars per
area, section and leader), `timeline` (the weekly trend, the problems next due), `charts` (what
dashboard.js draws) and `page` (the selection, the whole dashboard and the page's context).
"""

from zhenggai.supervision.dashboard.breakdowns import MAX_BARS, Breakdown, Row
from zhenggai.supervision.dashboard.charts import chart_data
from zhenggai.supervision.dashboard.counts import COUNTS, KPI_FILTERS
from zhenggai.supervision.dashboard.figures import (
    COUNTED,
    GROUPS,
    RECTIFIED,
    UNFINISHED,
    Drill,
    Figure,
    Group,
    on_time_rate,
)
from zhenggai.supervision.dashboard.page import (
    Dashboard,
    Selection,
    dashboard,
    dashboard_page,
    selection_for,
)
from zhenggai.supervision.dashboard.ranking import RANKED, Ranked, ranking_rows
from zhenggai.supervision.dashboard.timeline import LIST_SIZE, WEEKS, Week

__all__ = [
    "COUNTED",
    "COUNTS",
    "GROUPS",
    "KPI_FILTERS",
    "LIST_SIZE",
    "MAX_BARS",
    "RANKED",
    "RECTIFIED",
    "UNFINISHED",
    "WEEKS",
    "Breakdown",
    "Dashboard",
    "Drill",
    "Figure",
    "Group",
    "Ranked",
    "Row",
    "Selection",
    "Week",
    "chart_data",
    "dashboard",
    "dashboard_page",
    "on_time_rate",
    "ranking_rows",
    "selection_for",
]
