"""A month of assessment: opened and computed as of the month's end, open for the office's
entries and imported scores, then reviewed, locked and published. After the lock every change
is a correction with a reason, and the ranking follows it."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from zhenggai.assessments import metrics, scoring
from zhenggai.assessments.access import require_runs
from zhenggai.assessments.models import (
    AssessmentMonth,
    Entry,
    Indicator,
    MonthEvent,
    Result,
    Scheme,
    Score,
)
from zhenggai.assessments.scoring import Figure
from zhenggai.assessments.values import IndicatorKind, MonthState, cents, month_label
from zhenggai.lib.errors import Refused
from zhenggai.lib.uploads import checked_file, stored_file_fields
from zhenggai.orgs.models import Unit

Action = MonthEvent.Action


def _require_runs(user, month_or_scheme, what: str) -> None:
    scheme = getattr(month_or_scheme, "scheme", month_or_scheme)
    require_runs(user, scheme.office_id, what)


def _lock(month: AssessmentMonth) -> AssessmentMonth:
    return (
        AssessmentMonth.objects.select_for_update(of=("self",))
        .select_related("scheme", "scheme__group")
        .get(pk=month.pk)
    )


def _event(month, action, *, by, unit=None, changes=None, note="") -> None:
    MonthEvent.objects.create(
        month=month, action=action, actor=by, unit=unit, changes=changes or {}, note=note
    )


def month_has_ended(month: date, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return (month.year, month.month) < (today.year, today.month)


@transaction.atomic
def open_month(scheme: Scheme, month: date, *, by) -> AssessmentMonth:
    """Start scoring `month` by the scheme's version in force for it, and compute it."""
    _require_runs(by, scheme, "开始月度考核")
    month = month.replace(day=1)
    if month.year != scheme.year:
        raise Refused(f"该考核办法只适用于{scheme.year}年。", "month outside the scheme's year")
    if not month_has_ended(month):
        raise Refused(f"{month_label(month)}尚未结束，月末之后才能评分。", "month not ended")
    version = scheme.version_for(month)
    if version is None:
        raise Refused(f"{month_label(month)}没有已发布的考核办法版本。", "no version in force")
    if not scheme.group.units.exists():
        raise Refused("该分组还没有单位。", "group without units")
    Scheme.objects.select_for_update().filter(pk=scheme.pk).first()
    if AssessmentMonth.objects.filter(scheme=scheme, month=month).exists():
        raise Refused(f"{month_label(month)}已开始评分。", "month exists")
    created = AssessmentMonth.objects.create(
        scheme=scheme, month=month, version=version, created_by=by
    )
    _event(created, Action.OPENED, by=by, note=f"按第{version.number}版考核办法评分")
    _compute(created, by=by)
    return created


@transaction.atomic
def compute_month(month: AssessmentMonth, *, by) -> AssessmentMonth:
    """Compute the month's figures again from history, as of its end (only while open)."""
    _require_runs(by, month, "计算得分")
    month = _lock(month)
    if month.state != MonthState.OPEN:
        raise Refused("审核后不能重新计算，请先退回重评。", "month not open")
    _compute(month, by=by)
    return month


def _group_unit_ids(month: AssessmentMonth) -> list[int]:
    return list(month.scheme.group.units.order_by("pk").values_list("pk", flat=True))


def month_unit_ids(month: AssessmentMonth) -> list[int]:
    """The units the month scores: the group's as they were when it was last computed. A unit
    added to the group later is scored from the next computation of an open month on, never
    in a reviewed or locked one; a unit taken out keeps its place in the months it had."""
    return list(month.scores.order_by("unit_id").values_list("unit_id", flat=True).distinct())


def _compute(month: AssessmentMonth, *, by) -> None:
    _follow_version(month, by=by)
    units = _group_unit_ids(month)
    if not units:
        raise Refused("该分组还没有单位。", "group without units")
    indicators = list(month.version.indicators.all())
    figures: dict[tuple, dict[int, Figure]] = {}
    for indicator in indicators:
        if indicator.kind == IndicatorKind.COMPUTED:
            key = (indicator.metric, tuple(sorted(indicator.round_kinds)))
            if key not in figures:
                figures[key] = metrics.compute(indicator.metric, units, month.month, list(key[1]))
    imported = {
        (s.unit_id, s.indicator_id): s.imported for s in month.scores.filter(imported__isnull=False)
    }
    sums = _entry_sums(month)
    month.scores.all().delete()
    rows = []
    for indicator in indicators:
        key = (indicator.metric, tuple(sorted(indicator.round_kinds)))
        for unit_id in units:
            figure = figures[key][unit_id] if indicator.kind == IndicatorKind.COMPUTED else None
            rows.append(
                _score_row(
                    month, unit_id, indicator, figure, sums, imported.get((unit_id, indicator.pk))
                )
            )
    Score.objects.bulk_create(rows, batch_size=2000)
    _rank(month)
    month.computed_at = timezone.now()
    month.save(update_fields=["computed_at"])
    _event(month, Action.COMPUTED, by=by, note=f"按{month_label(month.month)}月末的记录计算")


def _follow_version(month: AssessmentMonth, *, by) -> None:
    """An open month is scored by the version in force for it: when an amendment has been
    issued since it was opened, its entries and imported scores move to the indicators of the
    same heading and name, or the recomputation is refused naming those that have none."""
    version = month.scheme.version_for(month.month)
    if version is None or version.pk == month.version_id:
        return
    counterpart = {(i.section, i.name): i for i in version.indicators.all()}
    moved = {}
    for old in month.version.indicators.all():
        new = counterpart.get((old.section, old.name))
        if new is None or new.kind != old.kind:
            used = month.entries.filter(indicator=old, withdrawn_at__isnull=True).exists()
            if used or month.scores.filter(indicator=old, imported__isnull=False).exists():
                raise Refused(
                    f"新版本没有与“{old.section}·{old.name}”对应的同类指标，而本月已有其加减分"
                    "或导入评分；请先撤销这些记录再重新计算。",
                    "entries on an indicator the new version drops",
                )
            continue
        moved[old.pk] = new
    for old_id, new in moved.items():
        month.entries.filter(indicator_id=old_id).update(indicator=new)
        month.scores.filter(indicator_id=old_id).update(indicator=new)
    before = month.version
    month.version = version
    month.save(update_fields=["version"])
    _event(
        month,
        Action.COMPUTED,
        by=by,
        changes={"适用版本": [f"第{before.number}版", f"第{version.number}版"]},
        note="改按新发布的版本评分",
    )


def _entry_sums(month: AssessmentMonth, unit_id: int | None = None) -> dict[tuple, Decimal]:
    entries = month.entries.filter(withdrawn_at__isnull=True)
    if unit_id is not None:
        entries = entries.filter(unit_id=unit_id)
    totals = entries.values("unit_id", "indicator_id").annotate(total=Sum("amount"))
    return {(row["unit_id"], row["indicator_id"]): row["total"] for row in totals}


def _score_row(month, unit_id, indicator, figure, sums, imported) -> Score:
    entries_sum = sums.get((unit_id, indicator.pk), Decimal(0))
    note = ""
    if figure is not None:
        _, note = scoring.metric_score(indicator, figure)
    elif indicator.kind == IndicatorKind.IMPORTED and imported is None:
        note = "尚未导入"
    return Score(
        month=month,
        unit_id=unit_id,
        indicator=indicator,
        value=None if figure is None or figure.value is None else round(figure.value, 4),
        numerator=None if figure is None else figure.numerator,
        denominator=None if figure is None else figure.denominator,
        entries_sum=entries_sum,
        imported=imported,
        score=scoring.indicator_score(indicator, figure, entries_sum, imported),
        note=note,
    )


def _score_of(month: AssessmentMonth, unit_id: int, indicator_id: int) -> str:
    """A unit's score on an indicator as it stands, for the history's "before"."""
    found = month.scores.filter(unit_id=unit_id, indicator_id=indicator_id)
    return str(found.values_list("score", flat=True).get())


def _figure(score: Score) -> Figure | None:
    if score.indicator.kind != IndicatorKind.COMPUTED:
        return None
    value = None if score.value is None else Decimal(score.value)
    return Figure(value, score.numerator, score.denominator)


def _rescore(month: AssessmentMonth, unit_id: int, indicator_id: int) -> Score:
    """Score one unit on one indicator again from its stored figure, entries and import."""
    score = month.scores.select_related("indicator").get(unit_id=unit_id, indicator_id=indicator_id)
    score.entries_sum = _entry_sums(month, unit_id).get((unit_id, indicator_id), Decimal(0))
    score.score = scoring.indicator_score(
        score.indicator, _figure(score), score.entries_sum, score.imported
    )
    if score.indicator.kind == IndicatorKind.IMPORTED:
        score.note = "" if score.imported is not None else "尚未导入"
    score.save(update_fields=["entries_sum", "score", "note"])
    return score


def _rank(month: AssessmentMonth) -> None:
    """Total and rank every unit; mark the top and bottom lists and the bottom places."""
    totals = {unit_id: Decimal(0) for unit_id in month_unit_ids(month)}
    for row in month.scores.values("unit_id").annotate(total=Sum("score")):
        totals[row["unit_id"]] = cents(row["total"])
    scheme = month.scheme
    places = scoring.ranks(totals, scheme.tie_rule)
    top, bottom = scoring.lists(totals, scheme.list_size)
    last = scoring.within_bottom(totals, scheme.bottom_count) if len(totals) > 1 else set()
    month.results.all().delete()
    Result.objects.bulk_create(
        Result(
            month=month,
            unit_id=unit_id,
            total=total,
            rank=places[unit_id],
            on_top_list=unit_id in top,
            on_bottom_list=unit_id in bottom,
            at_bottom=unit_id in last,
        )
        for unit_id, total in totals.items()
    )


def _check_target(month: AssessmentMonth, unit: Unit, indicator: Indicator) -> None:
    if indicator.version_id != month.version_id:
        raise Refused("该指标不属于本月适用的考核办法版本。", "indicator of another version")
    if not month.scores.filter(unit=unit).exists():
        raise Refused(f"“{unit.name}”不在“{month.scheme.group.name}”分组中。", "unit not in group")


def _changing(month: AssessmentMonth, correction_reason: str, *, by) -> bool:
    """Whether a change to `month` is a correction (after the lock; it needs its reason); a
    change to a reviewed month sends it back to be reviewed again."""
    if month.is_frozen:
        if not correction_reason.strip():
            raise Refused("考核已锁定，更正须填写更正理由。", "correction without reason")
        return True
    if month.state == MonthState.REVIEWED:
        month.state = MonthState.OPEN
        month.save(update_fields=["state"])
        _event(month, Action.REOPENED, by=by, note="审核后又有变更，须重新审核")
    return False


@transaction.atomic
def add_entry(
    month: AssessmentMonth,
    unit: Unit,
    indicator: Indicator,
    *,
    by,
    amount: Decimal,
    reason: str,
    occurred_on: date,
    rule: str = "",
    upload=None,
    correction_reason: str = "",
) -> Entry:
    """Enter a deduction (negative) or addition for a unit on an indicator."""
    _require_runs(by, month, "录入加减分")
    month = _lock(month)
    _check_target(month, unit, indicator)
    reason, rule = reason.strip(), rule.strip()
    if not reason:
        raise Refused("请填写加减分事由。", "an entry needs a reason")
    amount = cents(amount)
    if amount == 0:
        raise Refused("加减分不能为0。", "zero entry")
    if abs(amount) > indicator.cap - indicator.floor:
        raise Refused(
            f"加减分超出该指标的分值范围（{indicator.floor}～{indicator.cap}分）。", "entry too big"
        )
    if (occurred_on.year, occurred_on.month) != (month.month.year, month.month.month):
        raise Refused(f"发生日期须在{month.label}内。", "entry outside the month")
    correction = _changing(month, correction_reason, by=by)
    file_fields = {}
    if upload is not None:
        file_fields = stored_file_fields(upload, checked_file(upload)) | {"file": upload}
    entry = Entry.objects.create(
        month=month,
        unit=unit,
        indicator=indicator,
        amount=amount,
        reason=reason,
        rule=rule,
        occurred_on=occurred_on,
        is_correction=correction,
        created_by=by,
        **file_fields,
    )
    was = _score_of(month, unit.pk, indicator.pk)
    score = _rescore(month, unit.pk, indicator.pk)
    _rank(month)
    changes = {f"{indicator.name}加减分": [None, f"{amount:+}"], "得分": [was, str(score.score)]}
    if correction:
        _event(month, Action.CORRECTED, by=by, unit=unit, changes=changes, note=correction_reason)
        _after_correction(month, by=by)
    else:
        _event(month, Action.ENTERED, by=by, unit=unit, changes=changes, note=reason)
    return entry


@transaction.atomic
def withdraw_entry(entry: Entry, *, by, reason: str) -> Entry:
    """Withdraw an entry; it stays on record with who withdrew it and why (after the lock,
    that reason is the correction's)."""
    month = entry.month
    _require_runs(by, month, "撤销加减分")
    month = _lock(month)
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    if not entry.is_active:
        raise Refused("该加减分已撤销。", "entry already withdrawn")
    reason = reason.strip()
    if not reason:
        raise Refused("请填写撤销理由。", "withdrawal without reason")
    correction = _changing(month, reason, by=by)
    entry.withdrawn_at = timezone.now()
    entry.withdrawn_by = by
    entry.withdrawn_reason = reason
    entry.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawn_reason"])
    was = _score_of(month, entry.unit_id, entry.indicator_id)
    score = _rescore(month, entry.unit_id, entry.indicator_id)
    _rank(month)
    changes = {
        f"{entry.indicator.name}加减分": [f"{entry.amount:+}", None],
        "得分": [was, str(score.score)],
    }
    action = Action.CORRECTED if correction else Action.WITHDRAWN
    _event(month, action, by=by, unit=entry.unit, changes=changes, note=reason)
    if correction:
        _after_correction(month, by=by)
    return entry


@transaction.atomic
def set_imported(
    month: AssessmentMonth,
    indicator: Indicator,
    scores: dict[int, Decimal],
    *,
    by,
    source: str,
    correction_reason: str = "",
) -> int:
    """Store imported scores of one indicator (unit id → score), all or none; returns how many
    changed."""
    _require_runs(by, month, "导入评分")
    month = _lock(month)
    if indicator.version_id != month.version_id or indicator.kind != IndicatorKind.IMPORTED:
        raise Refused("该指标不是本月的导入指标。", "not an imported indicator of the month")
    in_group = set(month_unit_ids(month))
    for unit_id, value in scores.items():
        if unit_id not in in_group:
            raise Refused("导入的单位不在本分组中。", "unit not in group")
        if not indicator.floor <= value <= indicator.cap:
            raise Refused(
                f"导入得分须在{indicator.floor}～{indicator.cap}分之间。", "imported out of range"
            )
    current = {s.unit_id: s for s in month.scores.filter(indicator=indicator, unit_id__in=scores)}
    changed = {u: cents(v) for u, v in scores.items() if current[u].imported != cents(v)}
    if not changed:
        return 0
    correction = _changing(month, correction_reason, by=by)
    sums = _entry_sums(month)
    action = Action.CORRECTED if correction else Action.IMPORTED
    note = correction_reason if correction else source
    events = []
    for unit_id, value in changed.items():
        score = current[unit_id]
        before, was, score.imported = score.imported, str(score.score), value
        score.entries_sum = sums.get((unit_id, indicator.pk), Decimal(0))
        score.score = scoring.indicator_score(indicator, None, score.entries_sum, value)
        score.note = ""
        changes = {
            f"{indicator.name}导入得分": [_text(before), str(value)],
            "得分": [was, str(score.score)],
        }
        events.append(
            MonthEvent(
                month=month, action=action, actor=by, unit_id=unit_id, changes=changes, note=note
            )
        )
    fields = ["imported", "entries_sum", "score", "note"]
    Score.objects.bulk_update([current[u] for u in changed], fields, batch_size=500)
    MonthEvent.objects.bulk_create(events, batch_size=500)
    _rank(month)
    if correction:
        _after_correction(month, by=by)
    return len(changed)


def _text(value) -> str | None:
    return None if value is None else str(value)


def missing_imports(month: AssessmentMonth) -> list[str]:
    """The imported indicators some unit still lacks a score on."""
    names = (
        month.scores.filter(indicator__kind=IndicatorKind.IMPORTED, imported__isnull=True)
        .values_list("indicator__name", flat=True)
        .distinct()
    )
    return sorted(names)


@transaction.atomic
def review(month: AssessmentMonth, *, by, note: str = "") -> AssessmentMonth:
    _require_runs(by, month, "审核考核结果")
    month = _lock(month)
    if month.state != MonthState.OPEN:
        raise Refused("只有评分中的考核可以审核。", "month not open")
    missing = missing_imports(month)
    if missing:
        raise Refused(f"以下指标尚未导入评分：{'、'.join(missing)}。", "imports missing")
    month.state = MonthState.REVIEWED
    month.save(update_fields=["state"])
    _event(month, Action.REVIEWED, by=by, note=note.strip())
    return month


@transaction.atomic
def reopen(month: AssessmentMonth, *, by, reason: str) -> AssessmentMonth:
    _require_runs(by, month, "退回重评")
    month = _lock(month)
    if month.state != MonthState.REVIEWED:
        raise Refused("只有已审核、未锁定的考核可以退回重评。", "month not reviewed")
    if not reason.strip():
        raise Refused("请填写退回理由。", "reopen without reason")
    month.state = MonthState.OPEN
    month.save(update_fields=["state"])
    _event(month, Action.REOPENED, by=by, note=reason.strip())
    return month


@transaction.atomic
def lock(month: AssessmentMonth, *, by) -> AssessmentMonth:
    """Fix the month's figures: from now on a change is a correction with a reason."""
    _require_runs(by, month, "锁定考核结果")
    month = _lock(month)
    if month.state != MonthState.REVIEWED:
        raise Refused("请先审核，再锁定。", "month not reviewed")
    month.state = MonthState.LOCKED
    month.locked_at = timezone.now()
    month.save(update_fields=["state", "locked_at"])
    _event(month, Action.LOCKED, by=by)
    return month


@transaction.atomic
def publish(month: AssessmentMonth, *, by) -> AssessmentMonth:
    """Publish the ranking to the units, and open a 约谈 for each unit at the bottom the
    scheme's number of months running."""
    from zhenggai.assessments.services.interviews import apply_bottom_rule

    _require_runs(by, month, "发布考核结果")
    month = _lock(month)
    if month.state != MonthState.LOCKED:
        raise Refused("请先锁定，再发布。", "month not locked")
    month.state = MonthState.PUBLISHED
    month.published_at = timezone.now()
    month.save(update_fields=["state", "published_at"])
    _event(month, Action.PUBLISHED, by=by)
    apply_bottom_rule(month, by=by)
    return month


def _after_correction(month: AssessmentMonth, *, by) -> None:
    """A correction of a published month may put another unit at the bottom: the rule runs
    again (it opens at most one 约谈 per unit and month)."""
    from zhenggai.assessments.services.interviews import apply_bottom_rule

    if month.is_published:
        apply_bottom_rule(month, by=by)
