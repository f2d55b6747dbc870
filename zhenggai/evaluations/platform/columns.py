"""The columns of an export, by the names provinces give them, and where the header row is."""

import re
import unicodedata
from itertools import zip_longest

# Our field → the headers that name it (compared after `normal`). The first name is the one the
# template and the messages use.
RATING_COLUMNS = {
    "record_id": (
        "评价编号",
        "评价记录号",
        "记录号",
        "评价记录编号",
        "评价ID",
        "评价标识",
        "评价流水号",
        "记录编号",
        "评价唯一标识",
        "评价单号",
    ),
    "level": (
        "满意度",
        "评价等级",
        "整体满意度",
        "总体满意度",
        "满意程度",
        "评价结果",
        "总体评价",
        "评价级别",
        "满意度评价",
        "评价星级",
        "星级",
    ),
    "channel": ("评价渠道", "渠道", "评价来源", "评价方式", "评价途径", "来源渠道", "评价终端"),
    "rated_at": ("评价时间", "评价日期", "提交时间", "评价提交时间", "评价日期时间"),
    "department": (
        "部门名称",
        "被评价部门",
        "被评价单位",
        "评价部门",
        "单位名称",
        "部门",
        "办理部门",
        "受理部门",
        "实施部门",
        "实施机构",
        "实施主体",
        "实施主体名称",
        "机构名称",
        "所属部门",
    ),
    "credit_code": (
        "统一社会信用代码",
        "部门统一社会信用代码",
        "单位统一社会信用代码",
        "社会信用代码",
        "信用代码",
        "实施主体编码",
        "实施机构统一社会信用代码",
    ),
    "service_item": (
        "事项名称",
        "服务事项",
        "办理事项",
        "政务服务事项名称",
        "事项",
        "评价事项",
        "服务名称",
        "服务事项名称",
    ),
    "case_number": (
        "办件编号",
        "办件号",
        "办件流水号",
        "申办流水号",
        "受理编号",
        "业务流水号",
        "办件编码",
        "申报号",
    ),
    "comment": (
        "评价内容",
        "文字评价",
        "评价意见",
        "评价描述",
        "意见建议",
        "差评原因",
        "评价文字",
        "留言",
        "具体意见",
        "评价详情",
    ),
    "phone": ("联系电话", "评价人电话", "评价人联系电话", "手机号", "手机号码", "电话", "联系方式"),
}
# The 分项评价 of the national scheme (GB/T 39735-2020), under their Rating field names.
DIMENSION_COLUMNS = {
    "service_efficiency": ("服务效率",),
    "service_level": ("服务水平",),
    "service_attitude": ("服务态度",),
    "handling_efficiency": ("办事效率",),
    "guide_accuracy": ("办事指南精确度", "办事指南准确度", "指南精确度"),
    "convenience": ("办事便捷度", "便捷度"),
    "operability": ("平台操作性", "操作性"),
}
COUNT_COLUMNS = {
    "department": RATING_COLUMNS["department"],
    "credit_code": RATING_COLUMNS["credit_code"],
    "month": ("月份", "统计月份", "年月", "统计期间", "统计时间", "时间", "日期"),
    "count": ("办件量", "办件数", "办件数量", "办件总量", "办件总数", "业务量", "服务量"),
}
# Columns a file must have, each as a choice of fields (any one of them will do).
RATING_REQUIRED = (("record_id",), ("level",), ("rated_at",), ("department", "credit_code"))
COUNT_REQUIRED = (("department", "credit_code"), ("month",), ("count",))

_MARKS = re.compile(r"[\s*＊:：]")
_BRACKETED = re.compile(r"[(（\[【][^)）\]】]*[)）\]】]")
HEADER_SEARCH_ROWS = 30


def normal(text) -> str:
    """A header as compared: full-width letters made half-width, no spaces, no 必填 marks,
    upper case."""
    text = unicodedata.normalize("NFKC", str(text if text is not None else ""))
    return _MARKS.sub("", text).upper()


def _index(columns: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {normal(name): field for field, names in columns.items() for name in names}


def field_of(header, index: dict[str, str]) -> str | None:
    """Our field a header names, or None: exactly, else without what it puts in brackets
    ("满意度（1-5分）")."""
    key = normal(header)
    if not key:
        return None
    return index.get(key) or index.get(_BRACKETED.sub("", key))


def _mapped(cells: list, index: dict[str, str]) -> dict[int, str]:
    found: dict[int, str] = {}
    for position, cell in enumerate(cells):
        field = field_of(cell, index)
        if field and field not in found.values():
            found[position] = field
    return found


def find_header(rows: list[tuple[int, list]], columns: dict) -> tuple[int, dict[int, str], list]:
    """(position in `rows` of the first data row, {column position: field}, header cells) of
    the row among the first ones that names the most of our fields (titles may stand above it).
    A second header row under it that names the 分项评价 of a merged "分项评价" cell is read
    with it. Raises LookupError when no row names at least two fields."""
    index = _index(columns)
    best, best_at = {}, -1
    for at, (_, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        mapped = _mapped(cells, index)
        if len(mapped) > len(best):
            best, best_at = mapped, at
    if len(best) < 2:
        raise LookupError("no header row")
    header = list(rows[best_at][1])
    start = best_at + 1
    if start < len(rows):
        below = _mapped(rows[start][1], index)
        filled = [position for position, cell in enumerate(rows[start][1]) if _text(cell)]
        if below and set(filled) <= set(below) and not set(below) & set(best):
            best = {**best, **below}
            header = [_text(b) or _text(a) for a, b in _zip(header, rows[start][1])]
            start += 1
    return start, best, header


def _text(cell) -> str:
    return "" if cell is None else str(cell).strip()


def _zip(first: list, second: list):
    return zip_longest(first, second)


def missing(mapped: dict[int, str], required) -> list[str]:
    """The first names of the required columns `mapped` lacks ("部门名称或统一社会信用代码")."""
    have = set(mapped.values())
    names = {**RATING_COLUMNS, **COUNT_COLUMNS}
    return [
        "或".join(names[field][0] for field in choice)
        for choice in required
        if not have & set(choice)
    ]
