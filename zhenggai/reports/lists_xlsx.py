"""The three lists (三张清单) of a round or of a filtered ledger view, as one workbook of three
sheets in the layout offices hand in: 问题清单 (one row per problem), 任务清单 (one row per
active measure) and 责任清单 (per responsible leader, then per lead section under them: how many
problems and measures they carry, done and overdue, and the task numbers of the 任务清单).

Every reference is unique across the workbook. A problem's own number (Problem.number) is the
feedback's, which starts again in each area, so 问题清单 numbers its problems 1..N in the sheet's
order (序号) and keeps the feedback's number beside it (反馈序号) under heading rows of the area
(一、) and category (（一）), as the Excel ledger has them; 任务清单 numbers a problem's measures
"3.1", "3.2" after its 序号 and refers to the problem by that 序号; 责任清单 cites those numbers.

Problems are read in chunks and written as they come by XlsxWriter in constant-memory mode: the
first two sheets row by row in the same pass (constant memory flushes each sheet's rows on its
own, so the sheets may be written side by side), the third from totals kept meanwhile. What the
totals keep is bounded (counts, runs of task numbers up to a cell's length), so memory stays flat
however long the ledger.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

from django.db.models import QuerySet
from django.utils import timezone
from xlsxwriter.exceptions import XlsxWriterException

from zhenggai.ledger.models import (
    CLOSED_STATES,
    OPEN_STATES,
    Measure,
    Problem,
    State,
    Warning,
    deadline_display,
    effective_due,
    warning_for,
)
from zhenggai.lib import xlsx
from zhenggai.lib.names import full_name
from zhenggai.orgs.models import Unit
from zhenggai.reports.ledger_xlsx import (
    CELL_LIMIT,
    MAX_ROWS,
    PARALLEL_FROM,
    TooManyRows,
    area_headings,
    per_measure,
)

SHEETS = ("问题清单", "任务清单", "责任清单")
PROBLEM_COLUMNS = [
    ("序号", 6),
    ("反馈序号", 9),
    ("问题类别", 18),
    ("问题描述", 48),
    ("责任领导", 12),
    ("牵头科室", 14),
    ("整改时限", 13),
    ("完成进度（%）", 9),
    ("是否销号", 16),
]
TASK_COLUMNS = [
    ("序号", 8),
    ("问题序号", 9),
    ("整改措施", 48),
    ("责任领导", 10),
    ("牵头科室", 12),
    ("责任科室", 16),
    ("责任人", 10),
    ("整改时限", 13),
    ("完成进度（%）", 9),
    ("完成情况", 16),
]
DUTY_COLUMNS = [
    ("序号", 6),
    ("责任领导", 12),
    ("牵头科室", 16),
    ("问题数", 8),
    ("整改措施数", 9),
    ("已完成", 8),
    ("逾期", 8),
    ("承担任务（任务清单序号）", 60),
]
CHUNK = 2000
EXCEL_ROWS = 1_048_576
# The task list's rows besides its measures: title, subtitle, header and a heading per round.
MAX_TASKS = EXCEL_ROWS - 10_000
NO_LEADER, NO_SECTION = "（未定责任领导）", "（未定牵头科室）"
PROBLEM_FIELDS = (
    "id",
    "round_id",
    "round__title",
    "round__feedback_date",
    "number",
    "title",
    "description",
    "path",
    "state",
    "rectified_on",
    "percent",
)
MEASURE_FIELDS = (
    "id",
    "problem_id",
    "text",
    "lead_leader_id",
    "lead_leader__username",
    "lead_leader__first_name",
    "lead_leader__last_name",
    "lead_section_id",
    "lead_section__name",
    "owner__username",
    "owner__first_name",
    "owner__last_name",
    "deadline_kind",
    "deadline",
    "completed_on",
    "percent",
)
LINE_HEIGHT, MAX_HEIGHT = 13.5, 409  # as the ledger's rows (10-point type)


class TooManyTasks(TooManyRows):
    """More measures than a sheet holds: the view must be narrowed."""

    def __init__(self, count: int, measures: int):
        super().__init__(count)
        self.measures = measures
        self.args = (f"{measures} measures: more than the {MAX_TASKS} a sheet may hold",)


@dataclass
class Duty:
    """What one leader, or one lead section under a leader, carries."""

    problems: int = 0
    measures: int = 0
    done: int = 0
    overdue: int = 0
    last_problem: int | None = None  # measures come problem by problem: counts each once
    # [problem's 序号, first, last measure number]: tasks "3.1"–"3.3" of one problem in a row
    runs: list = field(default_factory=list)
    shown: int = 0  # characters the runs take
    more: int = 0  # task numbers past the cell's length

    def add(self, problem_id: int, task: tuple[int, int], done: bool, overdue: bool) -> None:
        """Count a measure; `task` is its number in 任务清单: (problem's 序号, measure's)."""
        if problem_id != self.last_problem:
            self.problems += 1
            self.last_problem = problem_id
        self.measures += 1
        self.done += done
        self.overdue += overdue
        problem, measure = task
        if self.runs and self.runs[-1][0] == problem and self.runs[-1][2] == measure - 1:
            self.runs[-1][2] = measure
        elif self.shown < CELL_LIMIT - 100:
            self.runs.append([problem, measure, measure])
            self.shown += 2 * len(f"{problem}.{measure}") + 2
        else:
            self.more += 1

    def tasks_text(self) -> str:
        text = "、".join(f"{p}.{a}" if a == b else f"{p}.{a}–{p}.{b}" for p, a, b in self.runs)
        return f"{text}……等（另有 {self.more} 项未列出）" if self.more else text

    def cells(self, number: str, leader: str, section: str) -> list:
        figures = [self.problems, self.measures, self.done, self.overdue]
        return [number, leader, section, *figures, self.tasks_text()]


class Duties:
    """The responsibility list as it fills: leaders in the order of their first task, each
    with their lead sections in the same order."""

    def __init__(self):
        self.leaders: dict = {}

    def add(self, leader: tuple, section: tuple, problem_id: int, task: tuple, flags) -> None:
        total, sections = self.leaders.setdefault(leader, (Duty(), {}))
        total.add(problem_id, task, *flags)
        sections.setdefault(section, Duty()).add(problem_id, task, *flags)

    def rows(self) -> Iterator[tuple]:
        """(HEADING-like subtotal, cells) per leader, then (ROW, cells) per section."""
        for n, ((_, leader), (total, sections)) in enumerate(self.leaders.items(), start=1):
            yield "total", total.cells(str(n), leader, f"合计（{len(sections)} 个科室）")
            for k, ((_, section), duty) in enumerate(sections.items(), start=1):
                yield "row", duty.cells(f"{n}.{k}", "", section)


def sheets(title: str) -> list[xlsx.Sheet]:
    """The three sheets, each titled by what the workbook covers and the sheet's name."""
    subject = title.removesuffix("三张清单") or title
    columns = (PROBLEM_COLUMNS, TASK_COLUMNS, DUTY_COLUMNS)
    return [
        xlsx.Sheet(name, f"{subject}{name}", cols)
        for name, cols in zip(SHEETS, columns, strict=True)
    ]


def line_widths(columns) -> tuple[int, ...]:
    """Display columns a wrapped line of each column holds."""
    return tuple(max(width - 1, 1) for _, width in columns)


PROBLEM_WIDTHS, TASK_WIDTHS, DUTY_WIDTHS = map(
    line_widths, (PROBLEM_COLUMNS, TASK_COLUMNS, DUTY_COLUMNS)
)


def row_height(cells: list, widths: tuple[int, ...]) -> float:
    """A height that shows every wrapped line of the longest cell at its column's width
    (LibreOffice and WPS do not fit rows on opening); as the ledger's rows. `widths` are the
    columns' line_widths."""
    lines = 1
    for value, per_line in zip(cells, widths, strict=True):
        # A text of one line no wider than its column (at most two columns a character) is
        # one line: measured only when it may be more.
        if isinstance(value, str) and (2 * len(value) > per_line or "\n" in value):
            needed = 0
            for line in value.split("\n"):
                shown = (len(line.encode()) + len(line)) // 2  # a Chinese character: 2 columns
                needed += -(-shown // per_line) or 1
            if needed > lines:
                lines = needed
    return min(MAX_HEIGHT, lines * LINE_HEIGHT + 3)


def clip(text: str) -> str:
    return text if len(text) <= CELL_LIMIT else text[: CELL_LIMIT - 1] + "…"


def _person(username: str | None, first: str, last: str) -> str:
    return "" if username is None else full_name(first, last, username)


@dataclass
class Facts:
    """A chunk's measures (by problem) and their responsible sections' names (by measure)."""

    measures: dict
    sections: dict


def chunk_facts(problem_ids: list[int], names: dict[int, str]) -> Facts:
    """Active measures of a chunk of problems and their responsible sections; `names` caches
    section names across chunks."""
    measures: dict[int, list] = {}
    rows = (
        Measure.objects.filter(problem_id__in=problem_ids, withdrawn=False)
        .order_by("problem_id", "position", "id")
        .values_list(*MEASURE_FIELDS)
    )
    for row in rows:
        measures.setdefault(row[1], []).append(row)
    ids = [row[0] for rows in measures.values() for row in rows]
    # Sections in the units' own order, not the order a form happened to store them in.
    pairs = list(
        Measure.responsible_sections.through.objects.filter(measure_id__in=ids)
        .order_by("measure_id", "unit_id")
        .values_list("measure_id", "unit_id")
    )
    missing = {unit_id for _, unit_id in pairs} - names.keys()
    if missing:
        names.update(Unit.objects.filter(pk__in=missing).values_list("id", "name"))
    sections: dict[int, list[str]] = {}
    for measure_id, unit_id in pairs:
        sections.setdefault(measure_id, []).append(names[unit_id])
    return Facts(measures, sections)


def closed_text(state: str, rectified_on: date | None) -> str:
    if state in CLOSED_STATES:
        return f"是（{rectified_on:%Y-%m-%d}）" if rectified_on else "是"
    return f"否（{State(state).label}）"


def problem_cells(problem: tuple, leaders: list, sections: list, deadlines: list, index: int):
    """The nine cells of a problem's row in 问题清单, given its measures' leaders, lead
    sections and deadlines as shown: first its 序号 in the sheet, `index`, then the feedback's."""
    _, _, _, _, number, title, description, path, state, rectified_on, percent = problem
    described = f"{title}\n{description}" if description and description != title else title
    return [
        str(index),
        number,
        " / ".join(path),
        clip(described),
        per_measure(leaders),
        per_measure(sections),
        per_measure(deadlines),
        min(percent, 100),
        closed_text(state, rectified_on),
    ]


@dataclass
class TaskState:
    """Where a measure stands: its percent, whether done or overdue, and the words for it."""

    percent: int
    done: bool
    overdue: bool
    text: str


def task_state(measure: tuple, problem: tuple, today: date) -> TaskState:
    kind, deadline, completed_on, percent = measure[12:16]
    state, feedback_date, rectified_on = problem[8], problem[3], problem[9]
    if completed_on:
        return TaskState(100, True, False, f"已完成（{completed_on:%Y-%m-%d}）")
    if state in CLOSED_STATES:
        return TaskState(100, True, False, "问题已销号")
    if rectified_on:  # rectified and kept at long term: done that day (Measure.done_percent)
        return TaskState(100, True, False, f"问题已整改（{rectified_on:%Y-%m-%d}），长期坚持")
    due = effective_due(kind, deadline, completed_on, feedback_date)
    if warning_for(due, state in OPEN_STATES, today) == Warning.RED:
        return TaskState(min(percent, 100), False, True, f"逾期（期限 {due:%Y-%m-%d}）")
    if state == State.WITHDRAWN:
        return TaskState(min(percent, 100), False, False, "问题已撤销")
    return TaskState(min(percent, 100), False, False, "正在推进")


# Deadlines shown: few distinct ones in a ledger, each a date or a kind's label.
deadline_text = lru_cache(maxsize=4096)(deadline_display)
PROBLEMS, TASKS, DUTIES = range(3)  # the sheets' indexes
HEADING, FIGURES, TOTAL = xlsx.HEADING, xlsx.FIGURES, xlsx.TOTAL


class Pass:
    """The one pass over the problems: rows of the first two sheets as xlsx.Book takes them,
    totals of the third, whose rows come last."""

    def __init__(self, several_rounds: bool):
        self.several_rounds = several_rounds
        self.duties = Duties()
        self.today = timezone.localdate()
        self.names: dict[int, str] = {}
        self.index = 0
        self.last_round = None
        self.last_path: tuple | None = None  # the area and category of the last problem
        self.numbers: dict[tuple, int] = {}  # their headings' numbers in this round

    def rows(self, problems: QuerySet) -> Iterator[tuple]:
        source = problems.values_list(*PROBLEM_FIELDS).iterator(chunk_size=CHUNK)
        while buffer := [row for _, row in zip(range(CHUNK), source, strict=False)]:
            yield from self.chunk(buffer)
        yield from self.finish()

    def chunk(self, buffer: list) -> Iterator[tuple]:
        facts = chunk_facts([row[0] for row in buffer], self.names)
        for problem in buffer:
            if problem[1] != self.last_round:
                self.last_round, self.last_path, self.numbers = problem[1], None, {}
                if self.several_rounds:
                    yield PROBLEMS, HEADING, f"【{problem[2]}】", None
                    yield TASKS, HEADING, f"【{problem[2]}】", None
            here = tuple(problem[7][:2])
            for _, text in area_headings(here, self.last_path, self.numbers):
                yield PROBLEMS, HEADING, text, None
            self.last_path = here
            self.index += 1
            measures = facts.measures.get(problem[0], ())
            leaders = [_person(m[4], m[5], m[6]) for m in measures]
            deadlines = [deadline_text(m[12], m[13]) for m in measures]
            sections = [m[8] or "" for m in measures]
            cells = problem_cells(problem, leaders, sections, deadlines, self.index)
            yield PROBLEMS, FIGURES, cells, row_height(cells, PROBLEM_WIDTHS)
            shown = zip(measures, leaders, deadlines, strict=True)
            for n, (measure, leader, deadline) in enumerate(shown, start=1):
                responsible = facts.sections.get(measure[0], ())
                yield self.measure(measure, problem, n, (leader, deadline, responsible))

    def measure(self, measure: tuple, problem: tuple, n: int, shown: tuple) -> tuple:
        """The `n`th measure's row in 任务清单 ("3.n" under the problem's 序号 3), counted in
        责任清单; `shown` is its leader, deadline and responsible sections as shown."""
        leader, deadline, responsible = shown
        state = task_state(measure, problem, self.today)
        cells = [
            f"{self.index}.{n}",
            str(self.index),
            clip(measure[2]),
            leader,
            measure[8] or "",
            "、".join(responsible),
            _person(measure[9], measure[10], measure[11]),
            deadline,
            state.percent,
            state.text,
        ]
        self.duties.add(
            (measure[3], leader or NO_LEADER),
            (measure[7], measure[8] or NO_SECTION),
            problem[0],
            (self.index, n),
            (state.done, state.overdue),
        )
        return TASKS, FIGURES, cells, row_height(cells, TASK_WIDTHS)

    def finish(self) -> Iterator[tuple]:
        for kind, cells in self.duties.rows():
            yield (
                DUTIES,
                TOTAL if kind == "total" else FIGURES,
                cells,
                row_height(cells, DUTY_WIDTHS),
            )
        if not self.duties.leaders:
            yield DUTIES, HEADING, "（没有整改措施）", None


def several_rounds(problems: QuerySet[Problem]) -> bool:
    """Whether the problems are of more than one round (the lists then head each round's)."""
    return problems.order_by().values("round_id").distinct()[:2].count() > 1


def write_lists(problems: QuerySet[Problem], path: Path, *, title: str) -> int:
    """Write the three lists of `problems` (in their order) to `path` (or a binary file);
    returns the number of problems written. `title` names the workbook ("…三张清单"); each
    sheet's title row is what it covers followed by the sheet's name. Raises TooManyRows beyond
    the ledger's MAX_ROWS problems (TooManyTasks beyond a sheet's rows of measures), and
    xlsx.WriteFailed when the file cannot be written.

    Long lists written to a path are written by a process of its own while this one reads the
    database and builds the rows, as the ledger is."""
    count = problems.count()
    if count > MAX_ROWS:
        raise TooManyRows(count)
    ids = problems.order_by().values("pk")
    measures = Measure.objects.filter(problem__in=ids, withdrawn=False).count()
    if measures > MAX_TASKS:
        raise TooManyTasks(count, measures)
    subtitle = (
        f"共 {count} 个问题、{measures} 项整改措施　导出时间：{timezone.localtime():%Y-%m-%d %H:%M}"
    )
    walk = Pass(several_rounds(problems))
    rows = walk.rows(problems)
    if isinstance(path, str | Path) and count >= PARALLEL_FROM:
        xlsx.write_book_in_process(rows, str(path), sheets(title), subtitle)
        return walk.index
    try:
        xlsx.write_book(
            rows, str(path) if isinstance(path, Path) else path, sheets(title), subtitle
        )
    except (OSError, XlsxWriterException) as exc:  # a file that cannot be made or written
        raise xlsx.WriteFailed(f"the lists could not be written: {exc}") from exc
    return walk.index
