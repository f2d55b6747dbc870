"""Rows of a 好差评 platform's export read into `PlatformRating`s, with what is wrong with each."""

from zhenggai.evaluations.platform import values
from zhenggai.evaluations.platform.columns import (
    DIMENSION_COLUMNS,
    RATING_COLUMNS,
    RATING_REQUIRED,
)
from zhenggai.evaluations.platform.model import PlatformRating
from zhenggai.evaluations.platform.rows import Row

COLUMNS = {**RATING_COLUMNS, **DIMENSION_COLUMNS}
REQUIRED = RATING_REQUIRED
LIMITS = {"record_id": 100, "case_number": 64, "department": 200, "service_item": 200}
COMMENT_MAX = 2000
DIMENSION_NAMES = {field: names[0] for field, names in DIMENSION_COLUMNS.items()}


class _Rejected(Exception):
    pass


def read_row(row: Row, seen: dict[str, int]) -> PlatformRating | None:
    """The rating on `row`, or None (with a fatal problem on the row) when it cannot be taken.
    `seen` maps the record ids read so far to their lines."""
    try:
        record_id = _record_id(row, seen)
        level = _level(row)
        rated_at = _moment(row)
        department, code = _department(row)
        rating = PlatformRating(
            line=row.line,
            record_id=record_id,
            level=level,
            rated_at=rated_at,
            channel=_channel(row),
            channel_text=row.text("channel"),
            department=department,
            credit_code=code,
            service_item=_limited(row, "service_item"),
            case_number=_limited(row, "case_number", fatal=True),
            comment=_comment(row),
            phone=_phone(row),
            dimensions=_dimensions(row),
        )
    except _Rejected:
        return None
    seen[record_id] = row.line
    return rating


def _reject(row: Row, message: str):
    row.problem(message)
    raise _Rejected


def _record_id(row: Row, seen: dict[str, int]) -> str:
    record_id = row.text("record_id")
    if not record_id:
        _reject(row, "缺少评价编号")
    if len(record_id) > LIMITS["record_id"]:
        _reject(row, f"评价编号超过 {LIMITS['record_id']} 个字符")
    if record_id in seen:
        _reject(row, f"评价编号“{record_id}”与第{seen[record_id]}行重复")
    return record_id


def _level(row: Row) -> int:
    raw = row.text("level")
    if not raw:
        _reject(row, "缺少满意度")
    found = values.level(row.cell("level"))
    if found is None:
        _reject(row, f"满意度“{raw}”无法识别")
    return found


def _moment(row: Row):
    raw = row.text("rated_at")
    if not raw:
        _reject(row, "缺少评价时间")
    found = values.moment(row.cell("rated_at"))
    if found is None:
        _reject(row, f"评价时间“{raw}”无法识别")
    return found


def _department(row: Row) -> tuple[str, str]:
    name = " ".join(row.text("department").split())[: LIMITS["department"]]
    code = values.credit_code(row.cell("credit_code"))
    if code and not values.credit_code_is_valid(code):
        row.problem(f"统一社会信用代码“{code}”不符合编码规则（GB 32100），请核对", fatal=False)
        if len(code) != 18:
            code = ""
    if not name and not code:
        _reject(row, "缺少部门名称和统一社会信用代码")
    return name, code


def _channel(row: Row) -> str:
    found = values.channel(row.cell("channel"))
    if found is None:
        row.problem(f"评价渠道“{row.text('channel')}”无法识别，按“其他”导入", fatal=False)
        return "other"
    return found


def _limited(row: Row, field: str, *, fatal: bool = False) -> str:
    value = row.text(field)
    limit = LIMITS[field]
    if len(value) > limit:
        label = RATING_COLUMNS[field][0]
        if fatal:
            _reject(row, f"{label}超过 {limit} 个字符")
        row.problem(f"{label}超过 {limit} 个字符，只导入前 {limit} 个字", fatal=False)
    return value[:limit]


def _comment(row: Row) -> str:
    value = row.text("comment").replace("\r\n", "\n")
    if len(value) > COMMENT_MAX:
        row.problem(f"评价内容超过 {COMMENT_MAX} 个字，只导入前 {COMMENT_MAX} 个字", fatal=False)
    return value[:COMMENT_MAX]


def _phone(row: Row) -> str:
    raw = row.text("phone")
    if not raw:
        return ""
    found = values.phone(row.cell("phone"))
    if found is None:
        row.problem(f"联系电话“{raw}”不是电话号码，未导入该电话", fatal=False)
        return ""
    return found


def _dimensions(row: Row) -> dict[str, int]:
    found = {}
    for field, name in DIMENSION_NAMES.items():
        raw = row.text(field)
        if not raw:
            continue
        level = values.level(row.cell(field))
        if level is None:
            row.problem(f"{name}“{raw}”无法识别，未导入该项", fatal=False)
        else:
            found[field] = level
    return found
