"""Importing what a provincial 好差评 platform exports: its ratings, and the number of cases each
unit handled per month (办件量).

The evaluation office uploads a file (`start_import`): it is checked, kept and read
(`zhenggai.evaluations.platform`, no transaction open meanwhile) into a `RatingImport` draft.
`preview` maps every row to a unit below the office (by 统一社会信用代码, else by name, else by
the name with full-width letters and spaces evened out) and to one of its rating points (the one
named as the row's service item, else the unit's point "好差评平台（导入）", created on
confirming), and says which rows are already here (by the platform's record id: importing a
file again adds nothing) and which cannot be mapped, and why. `confirm_import` saves the new
rows in one transaction, recounts the monthly tallies they touch once each, and raises a problem
for every new 差评, as a rating on the public page does.
"""

import logging
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone

from zhenggai.evaluations import platform
from zhenggai.evaluations.models import Rating, RatingImport, RatingPoint, ServiceCount
from zhenggai.evaluations.offices import works_in
from zhenggai.evaluations.platform import RATINGS, SERVICE_COUNTS, PlatformRating, ServiceCountRow
from zhenggai.evaluations.platform.readers import MAX_BYTES
from zhenggai.evaluations.platform.values import LEVEL_NAMES
from zhenggai.evaluations.services.bad_reviews import raise_problem_for
from zhenggai.evaluations.services.ratings import (
    is_outside_hours,
    rebuild_tallies,
    refresh_tally,
)
from zhenggai.evaluations.values import DIMENSIONS, Channel, Mode, is_bad
from zhenggai.lib.errors import NotAllowed, Refused
from zhenggai.lib.names import person_name
from zhenggai.lib.storage import local_copy
from zhenggai.lib.uploads import UploadRefused, check_upload
from zhenggai.lib.workdays import Calendar, official_calendar
from zhenggai.orgs.models import Unit

log = logging.getLogger(__name__)

# The point a row is rated at when the unit has none named as its service item.
IMPORT_POINT = "好差评平台（导入）"
# A 差评 becomes a problem titled by its reason; the platform's row may give none.
NO_COMMENT = "（平台差评未附文字评价）"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXTENSIONS = {XLSX: ".xlsx", "text/plain": ".csv"}
FORMATS_ZH = "Excel（.xlsx）或 CSV（UTF-8 或 GBK 编码）"
REFUSED_TYPE_ZH = f"只能导入{FORMATS_ZH}文件（按文件内容识别，不看扩展名）。"
LEGACY_ZH = "这是 Excel 97-2003 表格（.xls），请在 Excel 或 WPS 中另存为 .xlsx 后再导入。"
# Bounds the queries of a look-up by many values (SQLite allows 999 parameters on old builds).
CHUNK = 900
CHANNEL_LABELS = dict(Channel.choices)
# Up to this many (point, month)s touched, each tally is recounted by itself; beyond, the
# points' tallies are rebuilt in grouped queries.
TALLIES_ONE_BY_ONE = 200

# What becomes of a row.
NEW, FOLLOW_UP, PRESENT, UPDATE, UNMAPPED, UNREADABLE = (
    "new",
    "follow_up",
    "present",
    "update",
    "unmapped",
    "unreadable",
)
STATE_LABELS = {
    NEW: "新增",
    FOLLOW_UP: "追评",
    PRESENT: "已在系统中",
    UPDATE: "更新",
    UNMAPPED: "无法对应",
    UNREADABLE: "无法识别",
}


def get_import_for_user(user, pk: int) -> RatingImport:
    """An import of one of the user's offices; a missing and a forbidden one answer 404."""
    return get_object_or_404(
        RatingImport.objects.visible_to(user).select_related("office", "created_by"), pk=pk
    )


def require_may_import(user, office: Unit) -> None:
    if not works_in(user, office):
        raise NotAllowed(
            "只有本机构的评价办可以导入好差评数据。", f"{user} may not import for {office.pk}"
        )


# -- the upload ------------------------------------------------------------------------------


def _checked(upload):
    try:
        info = check_upload(upload, MAX_BYTES, allow_text=True)
    except UploadRefused as exc:
        wrong_type = "not accepted" in str(exc) or "neither" in str(exc)
        message = REFUSED_TYPE_ZH if wrong_type else exc.message
        raise Refused(f"“{upload.name}”：{message}", f"{upload.name}: {exc}") from None
    if info.content_type not in EXTENSIONS:
        legacy = info.content_type == "application/vnd.ms-excel"
        message = LEGACY_ZH if legacy else REFUSED_TYPE_ZH
        raise Refused(f"“{upload.name}”：{message}", f"{upload.name}: {info.content_type}")
    return info


def start_import(upload, *, by, office: Unit, kind: str = RATINGS) -> RatingImport:
    """Keep an uploaded export and what was read from it as a draft for the evaluation office
    to check. A file that cannot be read is not kept (Refused, in Chinese, saying why)."""
    require_may_import(by, office)
    if kind not in platform.KINDS:
        raise Refused("请选择文件内容：评价记录或办件量。", f"unknown kind {kind!r}")
    info = _checked(upload)
    draft = RatingImport(
        office=office, original_name=upload.name[:255], sha256=info.sha256, created_by=by
    )
    draft.file.save(f"{info.sha256[:16]}{EXTENSIONS[info.content_type]}", upload, save=False)
    try:
        with local_copy(draft.file) as path:  # a temporary copy when the store is S3
            read = platform.read(path, kind)
        if not read.rows and not read.problems:
            what = platform.KINDS[kind]
            raise Refused(f"“{upload.name}”中只有表头，没有{what}。", "no rows")
    except platform.Unreadable as exc:
        draft.file.delete(save=False)
        raise Refused(f"无法读取“{upload.name}”：{exc.message}", exc.reason) from None
    except BaseException:
        draft.file.delete(save=False)
        raise
    draft.parsed = read.as_json()
    draft.save()
    log.info("rating import %s: %s rows of %s read", draft.pk, len(read.rows), kind)
    return draft


def kind_of(draft: RatingImport) -> str:
    return draft.parsed.get("kind", RATINGS)


def result_text(kind: str, result: dict) -> str:
    """What an import did, in a sentence."""
    left_out = result.get("unmapped", 0) + result.get("unreadable", 0)
    if kind == SERVICE_COUNTS:
        return (
            f"已导入 {result.get('imported', 0)} 条办件量（新增 {result.get('created', 0)} 条，"
            f"更新 {result.get('updated', 0)} 条）；{result.get('present', 0)} 条与系统中相同，"
            f"{left_out} 条无法导入。"
        )
    follow_ups = result.get("follow_ups", 0)
    return (
        f"已导入 {result.get('imported', 0)} 条评价"
        + (f"（其中追评 {follow_ups} 条）" if follow_ups else "")
        + f"，{result.get('problems', 0)} 条差评已转为整改问题；"
        f"{result.get('present', 0)} 条此前已在系统中，{left_out} 条无法导入。"
    )


# -- the preview -----------------------------------------------------------------------------


@dataclass
class PreviewRow:
    """What becomes of one line of the file."""

    line: int
    state: str
    row: PlatformRating | ServiceCountRow | None = None
    unit: Unit | None = None
    point_name: str = ""
    point_is_new: bool = False
    reason: str = ""
    notes: list[str] = field(default_factory=list)
    follows_line: int | None = None  # a 追评 of the rating on that line of the file
    # The database's, when it is already here: a rating's first rating, a count's old value.
    existing: int | None = None

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def reason_text(self) -> str:
        """The reason without the line it is on, for a table that shows the line."""
        return self.reason.removeprefix(f"第{self.line}行：")

    @property
    def named_unit(self) -> str:
        """The unit as the file names it: its name, else its credit code."""
        if self.row is None:
            return ""
        return self.row.department or self.row.credit_code

    @property
    def level_label(self) -> str:
        return LEVEL_NAMES.get(getattr(self.row, "level", None), "")

    @property
    def channel_label(self) -> str:
        return CHANNEL_LABELS.get(getattr(self.row, "channel", None), "")

    @property
    def is_bad(self) -> bool:
        return isinstance(self.row, PlatformRating) and is_bad(self.row.level)

    @property
    def imported(self) -> bool:
        return self.state in (NEW, FOLLOW_UP, UPDATE)


@dataclass
class Preview:
    kind: str
    rows: list[PreviewRow]
    new_points: list[Unit]  # units whose IMPORT_POINT is created on confirming

    def count(self, *states: str) -> int:
        return sum(1 for row in self.rows if row.state in states)

    @property
    def counts(self) -> dict:
        counts = {state: self.count(state) for state in STATE_LABELS}
        counts["to_import"] = self.count(NEW, FOLLOW_UP, UPDATE)
        counts["not_imported"] = self.count(UNMAPPED, UNREADABLE)
        counts["bad"] = sum(1 for row in self.rows if row.imported and row.is_bad)
        return counts


def normal_name(name: str) -> str:
    """A unit's name as compared last: full-width letters and brackets made half-width, no
    spaces at all."""
    return "".join(unicodedata.normalize("NFKC", name or "").split())


class _Units:
    """The units below the office (of kind UNIT), looked up by code, name and normal name."""

    def __init__(self, office: Unit):
        self.by_code, self.by_name, self.by_normal = (defaultdict(list) for _ in range(3))
        below = Unit.objects.filter(kind=Unit.Kind.UNIT, path__startswith=office.path)
        for unit in below.exclude(pk=office.pk).only("id", "name", "credit_code", "path"):
            if unit.credit_code:
                self.by_code[unit.credit_code.strip().upper()].append(unit)
            self.by_name[unit.name].append(unit)
            self.by_normal[normal_name(unit.name)].append(unit)

    def find(self, name: str, code: str) -> tuple[Unit | None, str]:
        """(unit, "") or (None, why not)."""
        if code:
            found = self.by_code.get(code, [])
            if len(found) == 1:
                return found[0], ""
            if len(found) > 1:
                return None, f"本机构下有多个单位填写了统一社会信用代码“{code}”"
        if name:
            for index, key in ((self.by_name, name), (self.by_normal, normal_name(name))):
                found = index.get(key, [])
                if len(found) == 1:
                    return found[0], ""
                if len(found) > 1:
                    return None, (
                        f"本机构下有多个名为“{name}”的单位，请为其填写统一社会信用代码后重新导入"
                    )
        if name and code:
            return None, f"“{name}”（统一社会信用代码 {code}）不是本机构所辖单位"
        if code:
            return None, f"统一社会信用代码“{code}”未对应本机构所辖单位"
        return None, f"“{name}”不是本机构所辖单位"


def _in_chunks(values: list):
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def preview(draft: RatingImport) -> Preview:
    """What confirming `draft` would do, row by row (reads only)."""
    parsed = draft.parsed
    notes = defaultdict(list)
    unreadable = []
    for problem in parsed.get("problems", []):
        if problem["fatal"]:
            unreadable.append(PreviewRow(problem["line"], UNREADABLE, reason=problem["message"]))
        else:
            notes[problem["line"]].append(problem["message"])
    units = _Units(draft.office)
    if kind_of(draft) == SERVICE_COUNTS:
        rows = [ServiceCountRow.from_json(data) for data in parsed.get("rows", [])]
        mapped, new_points = _map_counts(rows, units), []
    else:
        rows = [PlatformRating.from_json(data) for data in parsed.get("rows", [])]
        mapped, new_points = _map_ratings(rows, units)
    for row in mapped:
        row.notes = notes.get(row.line, [])
    return Preview(kind_of(draft), sorted(mapped + unreadable, key=lambda r: r.line), new_points)


def _map_counts(rows: list[ServiceCountRow], units: _Units) -> list[PreviewRow]:
    out, latest = [], {}
    for row in rows:
        unit, reason = units.find(row.department, row.credit_code)
        out.append(PreviewRow(row.line, UPDATE if unit else UNMAPPED, row, unit, reason=reason))
        if unit:
            earlier = latest.get((unit.pk, row.month))
            if earlier is not None:
                earlier.state = UNMAPPED
                earlier.reason = f"同一单位同一月份的办件量以第{row.line}行为准"
            latest[(unit.pk, row.month)] = out[-1]
    existing = {}
    unit_ids = list({key[0] for key in latest})
    for chunk in _in_chunks(unit_ids):
        for unit_id, month, count in ServiceCount.objects.filter(unit_id__in=chunk).values_list(
            "unit_id", "month", "count"
        ):
            existing[(unit_id, month)] = count
    for key, mapped in latest.items():
        mapped.existing = existing.get(key)
        if mapped.existing is None:
            mapped.state = NEW
        elif mapped.existing == mapped.row.count:
            mapped.state = PRESENT
    return out


def _map_ratings(rows: list[PlatformRating], units: _Units):
    out, mapped = [], []
    latest_allowed = timezone.localtime().replace(tzinfo=None) + timedelta(minutes=10)
    for row in rows:
        unit, reason = units.find(row.department, row.credit_code)
        if unit and row.rated_at > latest_allowed:
            unit, reason = None, "评价时间晚于当前时间"
        out.append(PreviewRow(row.line, NEW if unit else UNMAPPED, row, unit, reason=reason))
        if unit:
            mapped.append(out[-1])
    present = _present([row.row.record_id for row in mapped])
    for row in mapped:
        if row.row.record_id in present:
            row.state = PRESENT
    new = [row for row in mapped if row.state == NEW]
    new_points = _map_points(new)
    _map_cases(new)
    return out, new_points


def _present(record_ids: list[str]) -> set[str]:
    found = set()
    for chunk in _in_chunks(record_ids):
        found.update(
            Rating.objects.filter(external_id__in=chunk).values_list("external_id", flat=True)
        )
    return found


def _map_points(rows: list[PreviewRow]) -> list[Unit]:
    """Each row's point: its unit's point named as its service item, else IMPORT_POINT.
    Returns the units whose IMPORT_POINT is to be created."""
    points = {}
    unit_ids = list({row.unit.pk for row in rows})
    for chunk in _in_chunks(unit_ids):
        for point in RatingPoint.objects.filter(unit_id__in=chunk).only("unit_id", "name"):
            points[(point.unit_id, point.name)] = point
    new_points = {}
    for row in rows:
        item = row.row.service_item
        if item and (row.unit.pk, item) in points:
            row.point_name = item
            continue
        row.point_name = IMPORT_POINT
        if (row.unit.pk, IMPORT_POINT) not in points:
            row.point_is_new = True
            new_points[row.unit.pk] = row.unit
    return list(new_points.values())


def _first_ratings(cases: set[tuple[int, str]]) -> dict:
    """The first ratings already here of these (unit id, case number)s."""
    firsts = {}
    unit_ids = list({unit_id for unit_id, _ in cases})
    for chunk in _in_chunks(list({case for _, case in cases})):
        for found in Rating.objects.filter(
            unit_id__in=unit_ids, case_number__in=chunk, follow_up_of__isnull=True
        ).values("pk", "unit_id", "case_number", "excluded", "follow_up__id"):
            firsts[(found["unit_id"], found["case_number"])] = found
    return firsts


def _map_cases(rows: list[PreviewRow]) -> None:
    """One rating per case and unit, and one 追评: of the new rows of one case, the earliest is
    its rating (unless the case was rated before) and the next its 追评; more are refused."""
    by_case = defaultdict(list)
    for row in rows:
        if row.row.case_number:
            by_case[(row.unit.pk, row.row.case_number)].append(row)
    firsts = _first_ratings(set(by_case)) if by_case else {}
    for key, case_rows in by_case.items():
        case_rows.sort(key=lambda r: (r.row.rated_at, r.line))
        first, leader = firsts.get(key), None
        if first is None:
            leader, case_rows = case_rows[0], case_rows[1:]
        closed = first is not None and (first["follow_up__id"] or first["excluded"])
        for n, row in enumerate(case_rows):
            if closed:
                row.state, row.reason = UNMAPPED, "该办件已评价并追评过（或其评价已申诉剔除）"
            elif n > 0:
                row.state = UNMAPPED
                row.reason = f"该办件已评价并追评过（第{case_rows[0].line}行为追评）"
            else:
                row.state = FOLLOW_UP
                row.existing = first["pk"] if first else None
                row.follows_line = leader.line if leader else None


# -- confirming ------------------------------------------------------------------------------


def lock_open(draft: RatingImport) -> RatingImport:
    locked = (
        RatingImport.objects.select_for_update(of=("self",))
        .select_related("office")
        .get(pk=draft.pk)
    )
    if locked.status != RatingImport.Status.OPEN:
        done = "已经导入" if locked.status == RatingImport.Status.IMPORTED else "已经放弃"
        raise Refused(
            f"该文件{done}，不能再确认或放弃。",
            f"rating import {locked.pk} is {locked.status}",
        )
    return locked


def confirm_import(draft: RatingImport, *, by) -> dict:
    """Save the rows of `draft` that map and are new, all or nothing, and note the counts on
    the draft (`result`)."""
    require_may_import(by, draft.office)
    try:
        with transaction.atomic():
            draft = lock_open(draft)
            plan = preview(draft)
            if plan.kind == SERVICE_COUNTS:
                result = _save_counts(plan)
            else:
                result = _save_ratings(plan, by=by)
            result.update(
                present=plan.count(PRESENT),
                unmapped=plan.count(UNMAPPED),
                unreadable=plan.count(UNREADABLE),
                confirmed_by=person_name(by),
                confirmed_at=timezone.localtime().strftime("%Y-%m-%d %H:%M"),
            )
            draft.status, draft.result = RatingImport.Status.IMPORTED, result
            draft.save(update_fields=["status", "result"])
    except IntegrityError:
        # Another import (or a rating on the public page) took one of these records meanwhile.
        raise Refused(
            "导入期间有记录已由另一次导入或评价页写入，本次未导入任何记录。请刷新页面后重新确认。",
            f"rating import {draft.pk}: integrity error",
        ) from None
    log.info("rating import %s confirmed: %s", draft.pk, result)
    return result


def discard_import(draft: RatingImport, *, by) -> None:
    """Give up `draft`: nothing is imported; the rows read (raters' phone numbers among them)
    and the file are not kept, only the name and counts of what came in."""
    require_may_import(by, draft.office)
    with transaction.atomic():
        draft = lock_open(draft)
        rows = len(draft.parsed.get("rows", []))
        draft.parsed = {**draft.parsed, "rows": [], "problems": [], "discarded_rows": rows}
        draft.status = RatingImport.Status.DISCARDED
        storage, name = draft.file.storage, draft.file.name
        draft.file.name = ""
        draft.save(update_fields=["parsed", "status", "file"])
        transaction.on_commit(lambda: storage.delete(name) if name else None)


def _save_counts(plan: Preview) -> dict:
    rows = [row for row in plan.rows if row.state in (NEW, UPDATE)]
    ServiceCount.objects.bulk_create(
        [ServiceCount(unit=row.unit, month=row.row.month, count=row.row.count) for row in rows],
        update_conflicts=True,
        unique_fields=["unit", "month"],
        update_fields=["count", "updated_at"],
        batch_size=500,
    )
    return {"imported": len(rows), "updated": plan.count(UPDATE), "created": plan.count(NEW)}


def _import_points(plan: Preview, *, by) -> dict:
    """The points of the rows, by (unit id, name); IMPORT_POINT created where missing."""
    unit_ids = list({row.unit.pk for row in plan.rows if row.imported})
    points = {}
    for chunk in _in_chunks(unit_ids):
        for point in RatingPoint.objects.filter(unit_id__in=chunk):
            points[(point.unit_id, point.name)] = point
    for unit in plan.new_points:
        point, _ = RatingPoint.objects.get_or_create(
            unit=unit,
            name=IMPORT_POINT,
            defaults={"kind": RatingPoint.Kind.UNIT, "mode": Mode.ONLINE, "created_by": by},
        )
        points[(unit.pk, IMPORT_POINT)] = point
    return points


def _rating(row: PreviewRow, point: RatingPoint, calendar: Calendar) -> Rating:
    data: PlatformRating = row.row
    allowed = {name for name, _ in DIMENSIONS[Mode(point.mode)]}
    comment = data.comment or (NO_COMMENT if is_bad(data.level) else "")
    rated_at = timezone.make_aware(data.rated_at)
    return Rating(
        point=point,
        unit=row.unit,
        section_id=point.section_id,
        level=data.level,
        **{name: value for name, value in data.dimensions.items() if name in allowed},
        channel=data.channel,
        case_number=data.case_number,
        service_item=data.service_item,
        comment=comment,
        phone=data.phone,
        rated_at=rated_at,
        source=Rating.Source.IMPORT,
        external_id=data.record_id,
        outside_hours=is_outside_hours(point, rated_at, calendar),
    )


def _save_ratings(plan: Preview, *, by) -> dict:
    points = _import_points(plan, by=by)
    calendar = official_calendar()  # read once for the whole file
    firsts = [row for row in plan.rows if row.state == NEW]
    follow_ups = [row for row in plan.rows if row.state == FOLLOW_UP]
    made = {}
    for row in firsts + follow_ups:
        made[row.line] = _rating(row, points[(row.unit.pk, row.point_name)], calendar)
    Rating.objects.bulk_create([made[row.line] for row in firsts], batch_size=500)
    for row in follow_ups:
        first_id = row.existing or made[row.follows_line].pk
        made[row.line].follow_up_of_id = first_id
    Rating.objects.bulk_create([made[row.line] for row in follow_ups], batch_size=500)
    superseded = [made[row.line].follow_up_of_id for row in follow_ups]
    _supersede(superseded)
    _refresh_tallies(list(made.values()), superseded)
    problems = 0
    for rating in sorted(made.values(), key=lambda r: (r.rated_at, r.pk)):
        if rating.is_bad:
            raise_problem_for(rating, received_on=timezone.localdate())
            problems += 1
    return {
        "imported": len(made),
        "follow_ups": len(follow_ups),
        "problems": problems,
        "points_created": len(plan.new_points),
    }


def _supersede(rating_ids: list[int]) -> None:
    for chunk in _in_chunks(rating_ids):
        Rating.objects.filter(pk__in=chunk).update(superseded=True)


def _refresh_tallies(ratings: list[Rating], superseded: list[int]) -> None:
    """Recount each (point, month) the import touched, once; when there are many, all tallies
    of the points touched in a few grouped queries instead."""
    touched = {(r.point, timezone.localtime(r.rated_at).date().replace(day=1)) for r in ratings}
    for chunk in _in_chunks(superseded):
        for first in Rating.objects.filter(pk__in=chunk).select_related("point"):
            touched.add((first.point, timezone.localtime(first.rated_at).date().replace(day=1)))
    if len(touched) > TALLIES_ONE_BY_ONE:
        rebuild_tallies(sorted({point.pk for point, _ in touched}))
        return
    for point, day in sorted(touched, key=lambda pair: (pair[0].pk, pair[1])):
        refresh_tally(point, day)
