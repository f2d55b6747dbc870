"""Reading the files a provincial 好差评 platform exports: ratings with the national fields
(GB/T 39735-2020), and the number of cases each unit handled per month (办件量).

No Django here, like `zhenggai.intake`: `read(path, kind)` returns a `ReadResult` of plain
dataclasses (rows with their line numbers, and what is wrong with the lines that could not be
read, in Chinese), or raises `Unreadable` with a Chinese message. Headers vary by province:
each field has its synonyms (columns.py), and the header row is the one among the first rows
that names most fields (titles may stand above it).
"""

from pathlib import Path

from zhenggai.evaluations.platform import columns, counts, ratings
from zhenggai.evaluations.platform.model import (
    KINDS,
    RATINGS,
    SERVICE_COUNTS,
    PlatformRating,
    ReadResult,
    RowProblem,
    ServiceCountRow,
    Unreadable,
)
from zhenggai.evaluations.platform.readers import read_table
from zhenggai.evaluations.platform.rows import Row

__all__ = [
    "KINDS",
    "RATINGS",
    "SERVICE_COUNTS",
    "PlatformRating",
    "ReadResult",
    "RowProblem",
    "ServiceCountRow",
    "Unreadable",
    "read",
]

# What each kind of file holds: its columns, the ones it needs, and how a row is read.
KIND_READERS = {RATINGS: ratings, SERVICE_COUNTS: counts}
# Rows that are notes under the table, not data ("合计", "制表人：…"): skipped.
_NOTE_STARTS = ("合计", "总计", "小计", "制表", "备注", "说明", "注：", "注:", "导出", "数据来源")


def read(path: str | Path, kind: str = RATINGS) -> ReadResult:
    """The rows of `kind` in the file at `path`."""
    reader = KIND_READERS[kind]
    table = read_table(path)
    if not table.rows:
        raise Unreadable("文件中没有内容。", f"{Path(path).name}: no rows")
    try:
        start, positions, header = columns.find_header(table.rows, reader.COLUMNS)
    except LookupError:
        raise Unreadable(
            f"没有找到表头：请确认文件含有{_required_names(reader.REQUIRED)}等列。",
            f"{Path(path).name}: no header row",
        ) from None
    missing = columns.missing(positions, reader.REQUIRED)
    if missing:
        raise Unreadable(
            f"第{table.rows[start - 1][0]}行的表头缺少必需的列：{'、'.join(missing)}。",
            f"{Path(path).name}: missing columns {missing}",
        )
    fields = {field: position for position, field in positions.items()}
    result = ReadResult(
        kind=kind,
        format=table.format,
        header_line=table.rows[start - 1][0],
        columns={field: values_text(header, position) for field, position in fields.items()},
        sheet=table.sheet,
        encoding=table.encoding,
    )
    seen: dict = {}
    for line, cells in table.rows[start:]:
        if _is_note(cells, positions):
            continue
        found = reader.read_row(Row(line, cells, fields, result.problems), seen)
        if found is not None:
            result.rows.append(found)
    return result


def values_text(cells: list, position: int) -> str:
    return str(cells[position]).strip() if position < len(cells) else ""


def _is_note(cells: list, positions: dict[int, str]) -> bool:
    filled = [(n, str(cell).strip()) for n, cell in enumerate(cells) if str(cell or "").strip()]
    if not any(n in positions for n, _ in filled):
        return True  # nothing in the table's columns: a note beside it
    return len(filled) == 1 and filled[0][1].startswith(_NOTE_STARTS)


def _required_names(required) -> str:
    return "、".join(
        "“"
        + "或".join(columns.RATING_COLUMNS.get(f, columns.COUNT_COLUMNS.get(f))[0] for f in c)
        + "”"
        for c in required
    )
