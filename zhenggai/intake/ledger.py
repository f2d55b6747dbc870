"""Excel ledgers (整改台账): the header row is found by its column names, with tolerance for
variants and for title rows above it; each row with a problem becomes one."""

import re

from zhenggai.intake import extract, outline
from zhenggai.intake.model import IntakeError, ParsedDocument, ParsedMeasure, ParsedProblem

# column → names it goes by, most specific first
COLUMNS = {
    "category": ["问题类别", "问题类型", "类别", "方面", "所属方面"],
    "number": ["序号", "编号"],
    "problem": ["问题描述", "存在问题", "反馈问题", "具体问题", "问题清单", "问题"],
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

    problems, category = [], ""
    for row in rows[header + 1 :]:
        category = cell(row, "category") or category
        text = cell(row, "problem")
        if not text:
            continue
        measures = [m.strip() for m in SPLIT_MEASURES.split(cell(row, "measures")) if m.strip()]
        deadline_text = cell(row, "deadline")
        problems.append(
            ParsedProblem(
                number=cell(row, "number"),
                title=_title(text),
                path=[part.strip() for part in PATH_SEPARATOR.split(category) if part.strip()],
                text=text,
                measures=[ParsedMeasure(m) for m in measures],
                lead_units=extract.units(cell(row, "lead")),
                responsible_units=extract.units(cell(row, "responsible")),
                deadline=extract.deadline_of(deadline_text) if deadline_text else None,
            )
        )
    title = " ".join(" ".join(r) for r in rows[:header])
    return ParsedDocument(
        file=file,
        kind="ledger",
        org=extract.find_org([title]) if title.strip() else None,
        problems=problems,
    )
