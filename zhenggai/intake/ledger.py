"""Excel ledgers (整改台账): the header row is found by its column names, with tolerance for
variants and for title rows above it; each row with a problem becomes one."""

import re

from zhenggai.intake import extract, outline
from zhenggai.intake.model import IntakeError, ParsedDocument, ParsedMeasure, ParsedProblem
from zhenggai.intake.warning import ParseWarning

# column → names it goes by, most specific first
COLUMNS = {
    "category": ["问题类别", "问题类型", "类别", "方面", "所属方面"],
    "number": ["序号", "编号"],
    "problem": ["问题描述", "存在问题", "反馈问题", "具体问题", "问题清单", "问题"],
    # A second column of the problem's own words, beside its title (a sole one is the problem).
    "description": ["问题描述", "具体表现", "问题表现", "主要表现"],
    "measures": ["整改措施", "整改举措", "措施"],
    "leader": ["责任领导", "牵头领导", "分管领导"],
    "lead": ["牵头单位", "牵头科室", "牵头部门"],
    "responsible": ["责任单位", "责任科室", "配合单位", "责任部门"],
    "owner": ["责任人"],
    "deadline": ["整改时限", "完成时限", "完成时间"],
    "progress": ["整改进展", "完成情况", "整改情况", "是否销号"],
}
# A category cell may hold the whole outline above a problem: "方面 / 类别" (as exports write it).
PATH_SEPARATOR = re.compile(r"\s+/\s+|\s*›\s*")
SPLIT_MEASURES = re.compile(r"\n+|(?<=[。；;])\s*(?=[0-9０-９]+[.．、]|[（(][0-9]+[）)])")


def _columns(row: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, cell in enumerate(row):
        name = re.sub(r"\s+", "", cell)
        for column, names in COLUMNS.items():
            if column not in found and any(n == name or (len(n) > 1 and n in name) for n in names):
                found[column] = index
                break
    return found


def _title(text: str) -> str:
    """The problem cell whole when it is one sentence (its own full stop kept), else its first
    sentence: "学习不深入。如：……" is titled 学习不深入."""
    single = not outline.SENTENCE_END.search(text.rstrip("。；; "))
    return text.strip() if single else outline.clean_title(text)


# A first line this short is the problem's title as written, whatever its punctuation.
TITLE_LINE = 120
# "1．…" at the start of a line: the number of an item in a cell (not "1.5万元" or a year; a
# full-width "．" or "、" may be followed by digits: "1．2030-06-30").
ITEM = re.compile(r"^([0-9]{1,3})([．、]|\.(?![0-9]))\s*")
# An item's own further lines are indented by one space (as the ledger export writes them).
CONTINUATION = re.compile(r"^[ \u3000\t]")


# A round's heading in a ledger exported across rounds: "【区科技局巡察整改】".
ROUND_HEADING = re.compile(r"^【.+】$")
PER_MEASURE = ("lead", "responsible", "leader", "owner", "deadline")


def numbered(cell: str) -> dict[int, str] | None:
    """A cell of numbered lines ("1．…\n2．…") as {number: text}, or None when it is not one.
    An item starts with a higher number written like the first ("2．" after "1．"); any other
    line continues the item above it, less the one space that indents it."""
    lines = cell.split("\n")
    first = ITEM.match(lines[0])
    if first is None:
        return None
    separator = first.group(2)
    items: dict[int, str] = {}
    current = 0
    for line in lines:
        match = ITEM.match(line)
        if match and match.group(2) == separator and int(match.group(1)) > current:
            current = int(match.group(1))
            items[current] = line[match.end() :]
        elif current:
            items[current] += "\n" + CONTINUATION.sub("", line, count=1)
    return {n: text.strip() for n, text in items.items()}


def split_measures(cell: str) -> list[str]:
    items = numbered(cell)
    if items is not None and list(items) == list(range(1, len(items) + 1)):
        return [text for text in items.values() if text]
    return [m.strip() for m in SPLIT_MEASURES.split(cell) if m.strip()]


def per_measure(cell: str, count: int) -> list[str]:
    """The value of a column for each of `count` measures: numbered lines give each its own,
    anything else applies to all."""
    items = numbered(cell) if count > 1 else None
    if items is None or max(items) > count:
        return [cell] * count
    return [items.get(n, "") for n in range(1, count + 1)]


def _measures(cells: dict[str, str]) -> list[ParsedMeasure]:
    texts = split_measures(cells["measures"])
    columns = {name: per_measure(cells[name], len(texts)) for name in PER_MEASURE}
    return [
        ParsedMeasure(
            text,
            lead_units=extract.units(columns["lead"][n]),
            responsible_units=extract.units(columns["responsible"][n]),
            deadline=extract.deadline_of(columns["deadline"][n])
            if columns["deadline"][n]
            else None,
            leader=columns["leader"][n].strip(),
            owner=columns["owner"][n].strip(),
        )
        for n, text in enumerate(texts)
    ]


def _union(lists) -> list[str]:
    return list(dict.fromkeys(name for names in lists for name in names or ()))


def find_header(rows: list[list[str]]) -> tuple[int, dict[str, int]]:
    for index, row in enumerate(rows[:15]):
        columns = _columns(row)
        if "problem" in columns and len(columns) >= 3:
            return index, columns
    raise IntakeError("no header row with 序号 / 问题 / 整改措施 … columns in the first 15 rows")


def parse_rows(rows: list[list[str]], file: str = "") -> ParsedDocument:
    header, columns = find_header(rows)

    def cell(row: list[str], name: str) -> str:
        index = columns.get(name)
        return row[index].strip() if index is not None and index < len(row) else ""

    problems, category, rounds = [], "", 0
    for row in rows[header + 1 :]:
        category = cell(row, "category") or category
        text = cell(row, "problem")
        if not text:
            rounds += bool(row and ROUND_HEADING.match(row[0].strip()))
            continue
        deadline_text = cell(row, "deadline")
        # "title\ndescription", as the ledger export writes a problem with a description.
        first, _, rest = text.partition("\n")
        if rest.strip():
            title = first.strip() if len(first) <= TITLE_LINE else _title(first)
            text = rest.strip()
        else:
            title = _title(text)
            text = "" if title == text.strip() else text
        text = "\n".join(part for part in (text, cell(row, "description")) if part)
        measures = _measures({name: cell(row, name) for name in ("measures", *PER_MEASURE)})
        lead = _union(m.lead_units for m in measures) or extract.units(cell(row, "lead"))
        responsible = _union(m.responsible_units for m in measures) or extract.units(
            cell(row, "responsible")
        )
        # The problem's deadline: its measures' one when they share it (each keeps its own).
        deadlines = {(m.deadline.kind, m.deadline.date) if m.deadline else None for m in measures}
        deadline = measures[0].deadline if len(deadlines) == 1 else None
        if not measures and deadline_text:
            deadline = extract.deadline_of(deadline_text)
        problems.append(
            ParsedProblem(
                number=cell(row, "number"),
                title=title,
                path=[part.strip() for part in PATH_SEPARATOR.split(category) if part.strip()],
                text=text,
                measures=measures,
                lead_units=lead,
                responsible_units=responsible,
                deadline=deadline,
            )
        )
    title = " ".join(" ".join(r) for r in rows[:header])
    warnings = []
    if rounds > 1:
        warnings.append(ParseWarning("several_rounds", rounds=rounds))
    return ParsedDocument(
        file=file,
        kind="ledger",
        org=extract.find_org([title]) if title.strip() else None,
        problems=problems,
        warnings=warnings,
    )
