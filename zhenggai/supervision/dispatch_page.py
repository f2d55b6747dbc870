"""What the 调度 sheet's page and downloads are made of: the unit, round and period asked for (as
the user may see them), and the sheet of that choice."""

from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlencode

from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from zhenggai.ledger.models import Measure
from zhenggai.lib.dates import in_range
from zhenggai.lib.http import as_id
from zhenggai.orgs.access import scope_for
from zhenggai.orgs.models import Role, Unit
from zhenggai.rounds.models import InspectionRound, get_round_for_user
from zhenggai.supervision.dispatch import (
    MONTH,
    PERIODS,
    WEEK,
    Period,
    Sheet,
    office_sheet,
    period_for,
    unit_sheet,
)
from zhenggai.supervision.dispatch_files import note


@dataclass(frozen=True)
class Choice:
    """The unit (None: every unit the user oversees), round and period of one sheet."""

    unit: Unit | None
    round: InspectionRound | None
    period: Period
    # A date given that is not one (the sheet then shows the current period and says so).
    bad_date: str = ""

    def query(self, period: Period | None = None, **changed) -> str:
        """The query string of this choice, or of another period or unit."""
        period = period or self.period
        pairs = {
            "unit": self.unit.pk if self.unit else "",
            "round": self.round.pk if self.round else "",
            "period": period.kind,
            "date": period.start.isoformat(),
            **changed,
        }
        return urlencode([(k, v) for k, v in pairs.items() if v])

    @property
    def title(self) -> str:
        where = self.unit.name if self.unit else "所辖单位"
        return f"{where}整改工作调度表"

    @property
    def subtitle(self) -> str:
        round_part = f" · {self.round.title}" if self.round else ""
        return f"{self.period.label}{round_part}"


def _date(value: str, today: date) -> tuple[date, str]:
    """The day asked for, or today and the value given when it is not a date of FIRST_DAY to
    LAST_DAY (a week or month of year 1 or 9999 would run off the calendar)."""
    if not value:
        return today, ""
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        return today, value
    return (day, "") if in_range(day) else (today, value)


def _oversees(scope) -> bool:
    """Whether the user reads the sheet across units (an office, even of one unit so far)."""
    offices = {Role.INSPECTION_OFFICE, Role.EVALUATION_OFFICE}
    return scope.is_admin or bool(scope.all_roles() & offices)


def choice_for(user, params, today: date | None = None) -> Choice:
    """Read `unit`, `round`, `period` and `date`; a unit or round the user may not see answers
    404, as a missing one does."""
    today = today or timezone.localdate()
    scope = scope_for(user)
    unit_id, round = as_id(params.get("unit")), None
    if params.get("unit") and unit_id is None:
        raise Http404("no such unit")
    if params.get("round"):
        round = get_round_for_user(user, as_id(params.get("round")) or 0)
        if unit_id not in (None, round.unit_id):
            raise Http404("the round is not the unit's")
        unit_id = round.unit_id
    if unit_id is None and not _oversees(scope) and len(scope.unit_ids) == 1:
        unit_id = next(iter(scope.unit_ids))
    unit = None
    if unit_id is not None:
        if not scope.can_read(unit_id):
            raise Http404("no such unit")
        unit = Unit.objects.filter(pk=unit_id, kind=Unit.Kind.UNIT).first()
        if unit is None:
            raise Http404("no such unit")
    kind = params.get("period") if params.get("period") in PERIODS else WEEK
    day, bad = _date(params.get("date", ""), today)
    return Choice(unit, round, period_for(kind, day), bad)


def sheet_for(user, choice: Choice, today: date | None = None) -> Sheet:
    today = today or timezone.localdate()
    measures = Measure.objects.visible_to(user)
    if choice.unit is not None:
        return unit_sheet(
            measures,
            choice.unit.pk,
            choice.period,
            round_id=choice.round.pk if choice.round else None,
            today=today,
        )
    units = scope_for(user).restrict(Unit.objects.filter(kind=Unit.Kind.UNIT), "id")
    page = reverse("dispatch_sheet")

    def sheet_url(unit_id: int) -> str:
        return f"{page}?{choice.query(unit=unit_id)}"

    return office_sheet(
        measures,
        dict(units.values_list("id", "name")),
        choice.period,
        sheet_url=sheet_url,
        today=today,
    )


def page_context(user, choice: Choice, sheet: Sheet) -> dict:
    """The page's links: the periods either side, week and month, and the downloads."""
    page = reverse("dispatch_sheet")
    thursday = choice.period.start + timedelta(days=3)
    return {
        "choice": choice,
        "sheet": sheet,
        "section_lines": [*sheet.by_section, sheet.total],
        "unit_lines": [*sheet.by_unit, sheet.total],
        "note": note(sheet),
        "previous_url": f"{page}?{choice.query(choice.period.previous)}",
        "next_url": f"{page}?{choice.query(choice.period.next)}",
        # The week of the cut-off day (today, in the current month); the month of today or of
        # the week's Thursday (a week across two months is the month that holds most of it).
        "week_url": f"{page}?{choice.query(period_for(WEEK, sheet.as_of))}",
        "month_url": f"{page}?{choice.query(period_for(MONTH, min(sheet.as_of, thursday)))}",
        "xlsx_url": f"{reverse('dispatch_xlsx')}?{choice.query()}",
        "docx_url": f"{reverse('dispatch_docx')}?{choice.query()}",
        "rounds": (
            InspectionRound.objects.visible_to(user)
            .filter(unit=choice.unit)
            .order_by("-feedback_date", "-id")
            .values_list("id", "title")
            if choice.unit
            else []
        ),
        "overview_url": (
            f"{page}?{choice.query(unit='', round='')}"
            if choice.unit and _oversees(scope_for(user))
            else ""
        ),
    }
