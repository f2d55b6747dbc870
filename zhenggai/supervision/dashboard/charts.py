"""What dashboard.js draws: the breakdowns and the trend as chart series, every bar and point
with the ledger URL behind it."""

from typing import TYPE_CHECKING

from zhenggai.supervision.dashboard.breakdowns import Breakdown
from zhenggai.supervision.dashboard.figures import GROUPS
from zhenggai.supervision.dashboard.timeline import Week

if TYPE_CHECKING:  # the page builds a Dashboard and draws it with chart_data
    from zhenggai.supervision.dashboard.page import Dashboard


def _breakdown_chart(breakdown: Breakdown | None) -> dict | None:
    if breakdown is None:
        return None
    return {
        "categories": [row.label for row in breakdown.rows],
        "series": [
            {
                "name": group.label,
                "color": group.color,
                "data": [
                    {"value": row.cells[n].value, "url": row.cells[n].url} for row in breakdown.rows
                ],
            }
            for n, group in enumerate(GROUPS)
        ],
    }


def _trend_chart(trend: list[Week]) -> dict:
    return {
        "categories": [f"{w.start:%m-%d}" for w in trend],
        "ranges": [f"{w.start:%Y-%m-%d} 至 {w.end:%Y-%m-%d}" for w in trend],
        "done": [{"value": w.done.value, "url": w.done.url} for w in trend],
        "rate": [
            {"value": w.rate, "url": w.cumulative.url, "count": w.cumulative.value} for w in trend
        ],
    }


def chart_data(result: "Dashboard") -> dict:
    """What dashboard.js draws, every bar and point with the ledger URL behind it."""
    return {
        "area": _breakdown_chart(result.by_area),
        "section": _breakdown_chart(result.by_section),
        "leader": _breakdown_chart(result.by_leader),
        "trend": _trend_chart(result.trend),
    }
