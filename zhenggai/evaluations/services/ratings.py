"""Taking a rating: checks, one per case and per device, steering signs, and the monthly tally."""

import hashlib
import hmac
import logging
import re
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, DateField, F, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from zhenggai.evaluations.models import MonthlyTally, Rating, RatingPoint
from zhenggai.evaluations.values import DIMENSION_FIELDS, Channel, Level, is_bad, period_of
from zhenggai.lib.errors import Refused
from zhenggai.lib.workdays import Calendar, official_calendar

log = logging.getLogger(__name__)

COMMENT_MAX = 500
REASON_MIN = 5
PHONE = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8})$")
# A rating is words from the public: no page markup in it (the interface escapes it anyway;
# refusing it says plainly that it is not taken, and keeps pasted pages out of the ledger), and
# no invisible characters (controls, direction overrides) that make a text read otherwise.
MARKUP = re.compile(r"[<>]")
INVISIBLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def keyed_hash(kind: str, value: str) -> str:
    """A keyed hash of a client's address or device token: the same input gives the same
    value (to tell repeats), and without the server's secret it cannot be turned back."""
    if not value:
        return ""
    key = f"{settings.SECRET_KEY}|rating-{kind}".encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()[:32]


def _text(value: str, label: str, limit: int) -> str:
    value = (value or "").replace("\r\n", "\n").strip()
    if len(value) > limit:
        raise Refused(f"“{label}”最多 {limit} 个字。", f"{label} is longer than {limit}")
    if MARKUP.search(value):
        raise Refused(
            f"“{label}”中不能含有 < 或 > 等网页标记，请改用文字描述。", f"markup in {label}"
        )
    if INVISIBLE.search(value):
        raise Refused(f"“{label}”中含有不可见的控制字符，请重新输入。", f"control in {label}")
    return value


def _dimensions(point: RatingPoint, given: dict) -> dict:
    allowed = {name for name, _ in point.dimensions}
    values = {}
    for name, value in (given or {}).items():
        if value in (None, ""):
            continue
        if name not in allowed:
            raise Refused(
                "评价项目与该评价点不符。", f"dimension {name} is not one of {point.mode}"
            )
        try:
            value = int(value)
        except (TypeError, ValueError):
            value = 0
        if value not in Level.values:
            raise Refused("请为各评价项目选择五个等级之一。", f"dimension {name} = {value!r}")
        values[name] = value
    return values


def _checked(point: RatingPoint, values: dict) -> dict:
    try:
        level = int(values.get("level") or 0)
    except (TypeError, ValueError):
        level = 0
    if level not in Level.values:
        raise Refused("请选择满意程度（五个等级之一）。", f"level {values.get('level')!r}")
    channel = values.get("channel") or Channel.QR
    if channel not in Channel.values:
        raise Refused("评价渠道不正确。", f"channel {channel!r}")
    comment = _text(values.get("comment", ""), "评价内容", COMMENT_MAX)
    if is_bad(level) and len(comment) < REASON_MIN:
        raise Refused(
            f"选择“不满意”或“非常不满意”时，请写明原因（至少 {REASON_MIN} 个字），以便整改。",
            "a bad rating needs a reason",
        )
    phone = _text(values.get("phone", ""), "联系电话", 20).replace(" ", "")
    if phone and not PHONE.match(phone):
        raise Refused("联系电话应为 11 位手机号或带区号的固定电话。", "phone is malformed")
    return {
        "level": level,
        "channel": channel,
        "comment": comment,
        "phone": phone,
        "case_number": _text(values.get("case_number", ""), "办件编号", 64),
        "staff": _text(values.get("staff", ""), "工作人员", 50),
        **_dimensions(point, values.get("dimensions") or {}),
    }


def is_outside_hours(point: RatingPoint, at: datetime, calendar: Calendar | None = None) -> bool:
    """Whether an on-site point was rated when its hall is closed: a rest day on the official
    calendar, or outside OFFICE_HOURS (online services are rated at any hour). An import of
    many ratings passes the `calendar` it read once."""
    if not point.is_on_site:
        return False
    local = timezone.localtime(at)
    opens, closes = settings.OFFICE_HOURS
    if not (calendar or official_calendar()).is_workday(local.date()):
        return True
    return not opens <= local.time() <= closes


def _limit(client_hash: str, at: datetime) -> None:
    """At most RATING_MAX_PER_ADDRESS ratings from one address in the window, counted on the
    ratings themselves (an index on the hash and time): no counter to keep, and on SQLite,
    whose writers queue, exact; on PostgreSQL ratings sent at the very same moment may pass
    it by a few, which a limit against floods can bear."""
    if not client_hash:
        return
    since = at - timedelta(seconds=settings.RATING_WINDOW_SECONDS)
    recent = Rating.objects.filter(client_hash=client_hash, rated_at__gt=since, rated_at__lte=at)
    if recent.count() >= settings.RATING_MAX_PER_ADDRESS:
        raise Refused(
            "提交过于频繁，请稍后再评价。", f"client {client_hash[:12]} is over the rating limit"
        )


def _repeat_from_device(point: RatingPoint, device_hash: str, at: datetime) -> bool:
    if not device_hash:
        return False
    since = at - timedelta(minutes=settings.RATING_REPEAT_MINUTES)
    return Rating.objects.filter(point=point, device_hash=device_hash, rated_at__gte=since).exists()


def _first_of_case(point: RatingPoint, case_number: str) -> Rating | None:
    if not case_number:
        return None
    return (
        Rating.objects.select_for_update()
        .filter(unit_id=point.unit_id, case_number=case_number, follow_up_of__isnull=True)
        .first()
    )


ONE_PER_CASE = (
    "该办件不能再评价：每件只能评价一次，并在原来评价的手机或设备上追评一次。"
    "如有疑问，请拨打评价二维码下方的电话。"
)


def _follow_up_target(point, case_number: str, device_hash: str) -> Rating | None:
    """The first rating of this case, when this one may be its 追评; None for a first rating.
    A case is rated once and followed up once, from the device that rated it."""
    first = _first_of_case(point, case_number)
    if first is None:
        return None
    if hasattr(first, "follow_up") or first.excluded:
        raise Refused(ONE_PER_CASE, "case already followed up")
    if not device_hash or first.device_hash != device_hash:
        # The same words as for a case followed up already: nothing here tells a stranger
        # holding a case number whether, or from where, it was rated.
        raise Refused(ONE_PER_CASE, "case already rated from another device")
    return first


def submit_rating(
    point: RatingPoint,
    *,
    values: dict,
    client: str = "",
    device: str = "",
    at: datetime | None = None,
) -> Rating:
    """Take one rating of `point` from the public page: `values` as the form gave them
    (level, dimensions, channel, case_number, staff, comment, phone), `client` the address and
    `device` the browser's token, kept only as keyed hashes.

    With a case number a case is rated once and followed up (追评) once; without one a device
    rates a point once within RATING_REPEAT_MINUTES. A 差评 becomes a problem in the unit's
    evaluation round at once, in the same transaction: nothing is taken half."""
    if not point.active:
        raise Refused("该评价点已停用。", f"point {point.code} is inactive")
    at = at or timezone.now()
    checked = _checked(point, values)
    client_hash, device_hash = keyed_hash("client", client), keyed_hash("device", device)
    try:
        with transaction.atomic():
            rating = _store(point, checked, client_hash, device_hash, at)
    except IntegrityError:
        # Two first ratings of one case at once: the second meets the first's unique row.
        raise Refused(ONE_PER_CASE, "concurrent rating of one case") from None
    return rating


def _store(point, checked: dict, client_hash: str, device_hash: str, at: datetime) -> Rating:
    from zhenggai.evaluations.services.bad_reviews import note_follow_up, raise_problem_for

    _limit(client_hash, at)
    first = _follow_up_target(point, checked["case_number"], device_hash)
    if first is None and _repeat_from_device(point, device_hash, at):
        raise Refused(
            f"您在 {settings.RATING_REPEAT_MINUTES} 分钟内已评价过该服务，感谢您的参与。",
            f"device repeat at point {point.code}",
        )
    rating = Rating.objects.create(
        point=point,
        unit_id=point.unit_id,
        section_id=point.section_id,
        rated_at=at,
        device_hash=device_hash,
        client_hash=client_hash,
        follow_up_of=first,
        outside_hours=is_outside_hours(point, at),
        **checked,
    )
    count_in_tally(rating)
    if first is not None:
        Rating.objects.filter(pk=first.pk).update(superseded=True)
        refresh_tally(first.point, timezone.localtime(first.rated_at).date())
        note_follow_up(first, rating)
    flag_burst(point, at)
    if rating.is_bad:
        raise_problem_for(rating)
    return rating


def flag_burst(point: RatingPoint, at: datetime) -> None:
    """Mark the ratings of a burst: RATING_BURST_COUNT or more at one point within
    RATING_BURST_MINUTES. They are kept and counted; the office sees them flagged."""
    since = at - timedelta(minutes=settings.RATING_BURST_MINUTES)
    recent = Rating.objects.filter(point=point, rated_at__gte=since, rated_at__lte=at)
    if recent.count() >= settings.RATING_BURST_COUNT:
        changed = recent.filter(burst=False).update(burst=True)
        if changed:
            log.warning("burst of ratings at point %s since %s", point.code, since.isoformat())
            for day in {_month_of(since), _month_of(at)}:
                refresh_tally(point, day)


def _month_of(at: datetime):
    """The first day of the (local) month of `at`: the tally it counts in."""
    return timezone.localtime(at).date().replace(day=1)


def _increments(rating: Rating) -> dict:
    """What one new rating adds to its month's tally, as updates of the columns."""
    adds = {
        "count": 1,
        "level_sum": rating.level,
        "good": int(rating.level >= Level.BASICALLY_SATISFIED),
        "bad": int(rating.level <= Level.DISSATISFIED),
        "very_satisfied": int(rating.level == Level.VERY_SATISFIED),
        "burst": int(rating.burst),
        "outside_hours": int(rating.outside_hours),
    }
    for name in DIMENSION_FIELDS:
        value = getattr(rating, name)
        if value is not None:
            adds[f"{name}_sum"], adds[f"{name}_n"] = value, 1
    return adds


def count_in_tally(rating: Rating) -> None:
    """Add a new rating to its point's tally of the month: one UPDATE of the row, each column
    incremented in the database (so two ratings at once both count), or the row created."""
    month = _month_of(rating.rated_at)
    adds = _increments(rating)
    tally = MonthlyTally.objects.filter(point_id=rating.point_id, month=month)
    if tally.update(**{name: F(name) + value for name, value in adds.items()}):
        return
    try:
        with transaction.atomic():
            MonthlyTally.objects.create(
                point_id=rating.point_id, unit_id=rating.unit_id, month=month, **adds
            )
    except IntegrityError:  # created meanwhile by a rating at the same moment
        tally.update(**{name: F(name) + value for name, value in adds.items()})


def _tally_sums() -> dict:
    """What a tally adds up, as aggregates over ratings."""
    sums = {"count": Count("id"), "level_sum": Sum("level")}
    sums["good"] = Count("id", filter=Q(level__gte=Level.BASICALLY_SATISFIED))
    sums["bad"] = Count("id", filter=Q(level__lte=Level.DISSATISFIED))
    sums["very_satisfied"] = Count("id", filter=Q(level=Level.VERY_SATISFIED))
    sums["burst"] = Count("id", filter=Q(burst=True))
    sums["outside_hours"] = Count("id", filter=Q(outside_hours=True))
    for name in DIMENSION_FIELDS:
        sums[f"{name}_sum"] = Sum(name)
        sums[f"{name}_n"] = Count(name)
    return sums


def refresh_tally(point: RatingPoint, day) -> None:
    """Recount `point`'s counted ratings of the month of `day` into its tally (locked, so that
    two ratings
    at once both end up in it)."""
    start, end = period_of(day, 1).bounds()
    month = day.replace(day=1)
    MonthlyTally.objects.get_or_create(
        point=point, month=month, defaults={"unit_id": point.unit_id}
    )
    tally = MonthlyTally.objects.select_for_update().get(point=point, month=month)
    ratings = Rating.objects.counted().filter(point=point, rated_at__gte=start, rated_at__lt=end)
    sums = _tally_sums()
    for field, value in ratings.aggregate(**sums).items():
        setattr(tally, field, value or 0)
    tally.save()


def rebuild_tallies(point_ids=None) -> int:
    """Recount the monthly tallies of these points (all when None) from their ratings in a few
    grouped queries: for ratings stored in bulk (an import, the demo, a benchmark), where
    recounting month by month would take a query per month. Returns the number of tallies."""
    with transaction.atomic():
        ratings = Rating.objects.counted()
        old = MonthlyTally.objects.all()
        if point_ids is not None:
            ratings, old = (
                ratings.filter(point_id__in=point_ids),
                old.filter(point_id__in=point_ids),
            )
        old.delete()
        sums = _tally_sums()
        rows = (
            ratings.annotate(month=TruncMonth("rated_at", output_field=DateField()))
            .values("point_id", "unit_id", "month")
            .order_by()
            .annotate(**sums)
        )
        tallies = [
            MonthlyTally(**{name: row[name] or 0 for name in sums}, **_keys(row)) for row in rows
        ]
        MonthlyTally.objects.bulk_create(tallies, batch_size=2000)
    return len(tallies)


def _keys(row: dict) -> dict:
    return {"point_id": row["point_id"], "unit_id": row["unit_id"], "month": row["month"]}
