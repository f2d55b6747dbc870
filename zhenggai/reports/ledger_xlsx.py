"""The Excel ledger (整改台账) of a round, of a unit across rounds, or of any filtered ledger view.

One row per problem, in the columns offices hand in (and the problem's 完成进度, which the
importer leaves aside); a measure's own owners and deadline are numbered lines matching its
number in 整改措施 when the measures differ, so the importer (zhenggai.intake.ledger) reads the
same ledger back. Rows are read from the database in chunks
and written by XlsxWriter in constant-memory mode, so memory stays flat however long the ledger.
"""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.db.models import QuerySet
from django.utils import timezone

from zhenggai.intake.ledger import ITEM
from zhenggai.ledger.models import (
    CLOSED_STATES,
    OPEN_STATES,
    DeadlineKind,
    Measure,
    ProgressReport,
    State,
    Warning,
    warning_for,
)
from zhenggai.lib import xlsx
from zhenggai.lib.names import full_name
from zhenggai.orgs.models import Unit
from zhenggai.supervision.models import Escalation

COLUMNS = [
    ("序号", 6),
    ("问题类别", 18),
    ("问题描述", 40),
    ("整改措施", 48),
    ("责任领导", 10),
    ("牵头单位", 12),
    ("责任单位", 16),
    ("责任人", 10),
    ("整改时限", 13),
    ("整改进展", 40),
    ("完成进度", 9),
    ("完成情况/是否销号", 14),
    ("备注", 14),
]
CHUNK = 2000
# From this many problems, a ledger written to a file is written by a process of its own.
PARALLEL_FROM = 5000
HEADING, PROBLEM = xlsx.HEADING, xlsx.ROW
INDENT = "\u3000"  # a full-width space: the importer's mark of an item's further line
MAX_ROWS = 200_000  # the importer reads no more; a bigger export is a filter to narrow
CELL_LIMIT = 32_767  # Excel's longest cell
NUMERALS = "一二三四五六七八九十"
PROBLEM_FIELDS = (
    "id",
    "round_id",
    "round__title",
    "number",
    "title",
    "description",
    "path",
    "area",
    "state",
    "rectified_on",
    "escalation_level",
    "due_date",
    "disclose",
    "percent",
)
MEASURE_FIELDS = (
    "id",
    "problem_id",
    "text",
    "lead_leader__username",
    "lead_leader__first_name",
    "lead_leader__last_name",
    "lead_section__name",
    "owner__username",
    "owner__first_name",
    "owner__last_name",
    "deadline_kind",
    "deadline",
)


class TooManyRows(Exception):
    def __init__(self, count: int):
        super().__init__(f"{count} problems: more than the {MAX_ROWS} an export may hold")
        self.count = count


def ordinal(n: int) -> str:
    """一, 二, … 十, 十一, … 九十九: the numerals of headings (Arabic digits from 100 on)."""
    if n >= 100:
        return str(n)
    if n <= 10:
        return NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    return f"{NUMERALS[tens - 1] if tens > 1 else ''}十{NUMERALS[ones - 1] if ones else ''}"


def _name(username: str | None, first: str, last: str) -> str:
    if username is None:
        return ""
    return full_name(first, last, username)


def _deadline(kind: str, deadline: date | None) -> str:
    if kind == DeadlineKind.DATE:
        return deadline.isoformat() if deadline else ""
    return DeadlineKind(kind).label


def per_measure(values: list[str]) -> str:
    """One value for all measures, or numbered lines ("1．…") for those that have one."""
    if len(set(values)) <= 1:
        return values[0] if values else ""
    return "\n".join(f"{n}．{v}" for n, v in enumerate(values, start=1) if v)


def _clip(text: str) -> str:
    return text if len(text) <= CELL_LIMIT else text[: CELL_LIMIT - 1] + "…"


@dataclass
class Chunk:
    """What the rows of one chunk of problems need besides the problems themselves."""

    measures: dict
    sections: dict
    progress: dict


def _chunk_facts(problem_ids: list[int], names: dict[int, str]) -> Chunk:
    """Measures, responsible sections and latest progress of a chunk of problems; `names`
    caches section names across chunks."""
    measures = defaultdict(list)
    rows = (
        Measure.objects.filter(problem_id__in=problem_ids, withdrawn=False)
        .order_by("problem_id", "position", "id")
        .values_list(*MEASURE_FIELDS)
    )
    measure_ids = []
    for row in rows:
        measures[row[1]].append(row)
        measure_ids.append(row[0])
    # Pairs first, names after: joined in one query, SQLite may scan every unit per measure.
    # Sections in the units' own order, not the order a form happened to store them in.
    pairs = (
        Measure.responsible_sections.through.objects.filter(measure_id__in=measure_ids)
        .order_by("measure_id", "unit_id")
        .values_list("measure_id", "unit_id")
    )
    pairs = list(pairs)
    missing = {unit_id for _, unit_id in pairs} - names.keys()
    if missing:
        names.update(Unit.objects.filter(pk__in=missing).values_list("id", "name"))
    sections = defaultdict(list)
    for measure_id, unit_id in pairs:
        sections[measure_id].append(names[unit_id])
    progress: dict[int, str] = {}
    reports = (
        ProgressReport.objects.filter(problem_id__in=problem_ids)
        .order_by("problem_id", "-created_at", "-id")
        .values_list("problem_id", "created_at", "text")
    )
    for problem_id, created_at, text in reports:
        if problem_id not in progress:
            progress[problem_id] = f"{timezone.localtime(created_at):%Y-%m-%d}：{text}"
    return Chunk(measures, sections, progress)


def _state(state: str, rectified_on: date | None) -> str:
    shown = State(state).label
    if state in CLOSED_STATES and rectified_on:
        return f"{shown}（{rectified_on:%Y-%m-%d}）"
    return shown


def _remarks(state: str, due: date | None, escalation: int, disclose: bool, today: date) -> str:
    notes = []
    level = warning_for(due, state in OPEN_STATES, today)
    if level == Warning.RED:
        notes.append(f"逾期（期限 {due:%Y-%m-%d}）")
    elif level == Warning.YELLOW:
        notes.append(f"临期（期限 {due:%Y-%m-%d}）")
    if escalation:
        notes.append(Escalation.Level(escalation).label)
    if not disclose:
        notes.append("不公开")
    return "；".join(notes)


def problem_cells(problem: tuple, chunk: Chunk, index: int, today: date) -> list[str]:
    """The thirteen cells of one problem's row."""
    (pk, _, _, number, title, description, path, _, state, rectified_on, escalation, due,
     disclose, percent) = problem  # fmt: skip
    measures = chunk.measures.get(pk, [])
    # Numbered whenever the importer could misread them: several, several lines, or a text
    # that starts like a number; a measure's further lines are indented by one space.
    several = len(measures) > 1 or any("\n" in m[2] or ITEM.match(m[2]) for m in measures)
    texts = [
        f"{n}．{m[2].replace(chr(10), chr(10) + INDENT)}" if several else m[2]
        for n, m in enumerate(measures, start=1)
    ]
    described = f"{title}\n{description}" if description and description != title else title
    return [
        number or str(index),
        " / ".join(path),
        _clip(described),
        _clip("\n".join(texts)),
        per_measure([_name(*m[3:6]) for m in measures]),
        per_measure([m[6] or "" for m in measures]),
        per_measure(["、".join(chunk.sections.get(m[0], [])) for m in measures]),
        per_measure([_name(*m[7:10]) for m in measures]),
        per_measure([_deadline(m[10], m[11]) for m in measures]),
        _clip(chunk.progress.get(pk, "")),
        f"{percent}%",
        _state(state, rectified_on),
        _remarks(state, due, escalation, disclose, today),
    ]


def ledger_rows(problems: QuerySet) -> Iterator[tuple]:
    """The sheet's rows below its header, in the queryset's order: (HEADING, text) before the
    first problem of each round (when there are several) and wherever the area or the
    category under it changes, and (PROBLEM, its thirteen cells, row height) for each problem."""
    today = timezone.localdate()
    seen_rounds, last_round, last = set(), None, None
    numbers: dict[tuple, int] = {}
    section_names: dict[int, str] = {}
    source = problems.values_list(*PROBLEM_FIELDS).iterator(chunk_size=CHUNK)
    several_rounds = problems.order_by().values("round_id").distinct()[:2].count() > 1
    index = 0
    while True:
        buffer = [row for _, row in zip(range(CHUNK), source, strict=False)]
        if not buffer:
            return
        chunk = _chunk_facts([row[0] for row in buffer], section_names)
        for row in buffer:
            round_id, round_title, path = row[1], row[2], row[6]
            if round_id != last_round:
                if several_rounds and round_id not in seen_rounds:
                    yield HEADING, f"【{round_title}】"
                seen_rounds.add(round_id)
                last_round, last, numbers = round_id, None, {}
            yield from area_headings(tuple(path[:2]), last, numbers)
            last = tuple(path[:2])
            index += 1
            cells = problem_cells(row, chunk, index, today)
            yield PROBLEM, cells, row_height(cells)


def area_headings(here: tuple, last: tuple | None, numbers: dict):
    """Headings of the area (一、) and category (（一）) a problem starts, if it starts one; an
    area or category keeps its number when a sorted ledger comes back to it."""
    last = last or ()
    if here[:1] and here[:1] != last[:1]:
        number = numbers.setdefault(here[:1], sum(len(k) == 1 for k in numbers) + 1)
        yield HEADING, f"{ordinal(number)}、{here[0]}"
    if len(here) > 1 and here != last:
        siblings = sum(len(k) == 2 and k[0] == here[0] for k in numbers)
        number = numbers.setdefault(here, siblings + 1)
        yield HEADING, f"（{ordinal(number)}）{here[1]}"


CATEGORY = 1  # the column of 问题类别
LINE_HEIGHT = 13.5  # points, at the sheet's 10-point font
MAX_HEIGHT = 409  # Excel's tallest row


def row_height(cells: list[str]) -> float:
    """A height that shows every wrapped line: the longest cell's lines at its column's width.
    Excel would fit rows itself on opening, LibreOffice and WPS do not."""
    lines = 1
    for column, (text, (_, width)) in enumerate(zip(cells, COLUMNS, strict=True)):
        if text and column != CATEGORY:  # the category repeats the headings above: may clip
            per_line = max(width - 1, 1)
            needed = 0
            for line in text.split("\n"):
                # Display width: a Chinese character is two columns, and three UTF-8 bytes.
                shown = (len(line.encode()) + len(line)) // 2
                needed += -(-shown // per_line) or 1
            lines = max(lines, needed)
    return min(MAX_HEIGHT, lines * LINE_HEIGHT + 3)


def write_ledger(problems: QuerySet, target, *, title: str) -> int:
    """Write the ledger of `problems` (in their order) to `target`, a path or a binary file;
    returns the number of problems written. Raises TooManyRows beyond MAX_ROWS, and
    xlsx.WriteFailed when the writing process fails.

    A large ledger written to a path is written by a process of its own while this one reads
    the database and builds the rows."""
    count = problems.count()
    if count > MAX_ROWS:
        raise TooManyRows(count)
    subtitle = f"共 {count} 个问题　导出时间：{timezone.localtime():%Y-%m-%d %H:%M}"
    rows = ledger_rows(problems)
    if isinstance(target, str | Path) and count >= PARALLEL_FROM:
        return xlsx.write_in_process(rows, str(target), title, subtitle, COLUMNS)
    return xlsx.write(rows, target, title, subtitle, COLUMNS)
