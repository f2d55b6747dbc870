"""The close-out form (整改问题销号审批表): one A4 page per closed-out problem, in Word (and PDF
through LibreOffice), to be printed, signed and filed.

A page holds the problem's source (its round); the problem named by its area, number and
title as the round's 整改方案 orders them ("（一）政治建设方面 · 第2项 · 标题": the feedback's
numbers start again in each area, so a number alone is ambiguous) and its description; its
measures (each
with the sections that carried it out and the day it was done), the list of evidence files, and
the trail read from history: who submitted it for close-out and when (申请销号), who signed the
close-out (审核签批, the `close_out` transition) and who verified it (验收核实), with their notes;
then blank cells for the unit's and the verifying office's opinions, signatures and seals.

One page whatever the ledger holds: long texts are capped where they are laid out (`LIMITS`,
in characters, with "……" and a pointer to the ledger), so that each measure takes at most two
lines, each evidence file one; long lists show their first items and say how many more there
are (the test of the longest texts checks the PDF's page count). The page is typeset on GB/T 9704's A4 type area (margins
37/35/28/26 mm), with the title in 方正小标宋 and the table in 仿宋/黑体 at 五号.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from io import BytesIO

from django.db.models import Min, Prefetch, prefetch_related_objects
from django.utils import timezone
from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from zhenggai.ledger.models import CLOSED_STATES, Event, Evidence, Measure, Problem, State
from zhenggai.lib.errors import Refused
from zhenggai.lib.names import person_name
from zhenggai.lib.word import BODY_FONT, HEADING_1_FONT, TITLE_FONT, set_fonts, set_page
from zhenggai.reports.ledger_xlsx import ordinal

TITLE = "整改问题销号审批表"
MAX_FORMS = 500  # pages in one bulk document; a round with more is printed in parts
# Characters shown of each text, and items of each list, so that a page never runs over.
LIMITS = {
    "unit": 20,  # the unit's name above the table
    "source": 50,  # the round: title and inspecting body
    "area": 20,  # the problem's area in its name
    "problem": 60,  # the problem's name: area, number and title
    "description": 70,  # the problem's description
    "measure": 30,  # each measure's text
    "sections": 8,  # each measure's sections
    "measures": 4,  # measures listed
    "evidence_name": 14,  # each file's name, its extension kept
    "evidence": 5,  # files listed
    "note": 40,  # each note of the trail
    "person": 10,  # each name in the trail
    "number": 12,  # the problem's number in its name
}
TEXT_SIZE = Pt(10.5)  # 五号
TEXT_LINE = Pt(15)
COLUMN_WIDTHS = (Mm(26), Mm(52), Mm(26), Mm(52))  # 156 mm: the type area's width
# Rows at least this tall (points), so that a short problem's form still reads as a form with
# room to write; the caps above keep the longest within the page (225 mm, 638 points).
HEIGHTS = {
    "问题来源": 26,
    "问题描述": 60,
    "整改措施": 120,
    "佐证材料清单": 90,
    "申请销号": 36,
    "审核签批": 36,
    "验收核实": 36,
}
SIGNATURE_HEIGHT = Pt(100)
# History's words for the states a transition moved between (events keep labels, not names).
SUBMITTED, CLOSED, VERIFIED = State.SUBMITTED.label, State.CLOSED.label, State.VERIFIED.label
OTHER_AREA = "其他问题"  # the 整改方案's area of problems without one
NUMBER_MARKS = " 　（）()、．.,，"  # around a feedback's number: "（二）", "2．"


def cap(text: str, limit: int, more: str = "……") -> str:
    """`text` on one line, cut at `limit` characters with `more` after it."""
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + more


def file_text(name: str) -> str:
    """A file's name on one line of the list: cut in its stem, its extension kept."""
    limit = LIMITS["evidence_name"]
    if len(name) <= limit:
        return name
    stem, dot, extension = name.rpartition(".")
    if not dot or len(extension) > 5:
        return name[: limit - 1] + "…"
    return f"{stem[: limit - len(extension) - 2]}….{extension}"


def size_text(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


@dataclass
class Step:
    """One step of the close-out trail: who, when, and what they noted."""

    who: str
    at: str
    note: str

    def text(self, role: str, note_label: str) -> str:
        note = f"；{note_label}：{cap(self.note, LIMITS['note'])}" if self.note else ""
        return f"{role}：{self.who}　时间：{self.at}{note}"


def _step(event: Event | None) -> Step | None:
    if event is None:
        return None
    at = f"{timezone.localtime(event.at):%Y-%m-%d %H:%M}"
    return Step(cap(person_name(event.actor, "系统"), LIMITS["person"]), at, event.note)


@dataclass
class Trail:
    submitted: Step | None
    signed: Step | None
    verified: Step | None


def trail(events: Iterable[Event]) -> Trail:
    """The last close-out of a problem's history (a reopened and closed-again problem shows its
    latest): the submission before it and the verification after it."""
    submitted = signed = verified = None
    for event in events:  # in the order they happened
        before, after = (event.changes or {}).get("状态", [None, None])
        if after == SUBMITTED:
            submitted = event
        elif before == SUBMITTED and after == CLOSED:
            signed, verified = event, None
        elif before == CLOSED and after == VERIFIED:
            verified = event
    if signed is not None and submitted is not None and submitted.at > signed.at:
        submitted = None  # submitted again after the close-out: that is not this close-out's
    return Trail(_step(submitted), _step(signed), _step(verified))


def closed_out(problems) -> list[Problem]:
    """The closed-out (已销号 and 已核验销号) of `problems`, with what their forms read."""
    if hasattr(problems, "filter"):
        problems = problems.filter(state__in=CLOSED_STATES)
    chosen = [p for p in problems if p.state in CLOSED_STATES]
    prefetch_related_objects(
        chosen,
        "round",
        "unit",
        Prefetch(
            "measures",
            Measure.objects.filter(withdrawn=False)
            .order_by("position", "id")
            .select_related("lead_section")
            .prefetch_related("responsible_sections"),
            to_attr="form_measures",
        ),
        Prefetch(
            "events",
            Event.objects.filter(action=Event.Action.TRANSITION)
            .order_by("at", "id")
            .select_related("actor"),
            to_attr="form_events",
        ),
    )
    evidence: dict[int, list] = {}
    files = (
        Evidence.objects.filter(report__problem__in=[p.pk for p in chosen])
        .order_by("report__created_at", "id")
        .values_list("report__problem_id", "original_name", "size", "report__created_at")
    )
    for problem_id, *fields in files:
        evidence.setdefault(problem_id, []).append(fields)
    for problem in chosen:
        problem.form_evidence = evidence.get(problem.pk, [])
    _name_problems(chosen)
    return chosen


def _name_problems(chosen: list[Problem]) -> None:
    """Set each problem's `form_name`: its area numbered as the round's 整改方案 numbers it (in
    the order of the round's problems, withdrawn ones left out, those without an area under
    其他问题), its number in the feedback (else its place in its area) and its title."""
    rounds = {p.round_id for p in chosen}
    firsts = (
        Problem.objects.filter(round_id__in=rounds)
        .exclude(state=State.WITHDRAWN)
        .values("round_id", "area")
        .annotate(first=Min("position"), first_id=Min("id"))
        .order_by("round_id", "first", "first_id")
    )
    areas: dict[int, dict[str, int]] = {}
    for row in firsts:
        numbers = areas.setdefault(row["round_id"], {})
        numbers[row["area"] or OTHER_AREA] = len(numbers) + 1
    places = _places([p for p in chosen if not p.number.strip(NUMBER_MARKS)])
    for problem in chosen:
        numbers = areas.get(problem.round_id, {})
        area = problem.area or OTHER_AREA
        parts = []
        if set(numbers) != {OTHER_AREA}:  # a round without areas names none
            parts.append(
                f"（{ordinal(numbers.get(area, len(numbers) + 1))}）{cap(area, LIMITS['area'])}"
            )
        number = problem.number.strip(NUMBER_MARKS) or str(places.get(problem.pk, ""))
        number = cap(number, LIMITS["number"])
        parts.append(number if number.startswith("第") else f"第{number}项")
        parts.append(" ".join(problem.title.split()))
        problem.form_name = " · ".join(parts)


def _places(unnumbered: list[Problem]) -> dict[int, int]:
    """The place (1, 2, …) of each problem without a number among its area's in its round."""
    if not unnumbered:
        return {}
    groups = {(p.round_id, p.area) for p in unnumbered}
    rows = (
        Problem.objects.filter(round_id__in={r for r, _ in groups}, area__in={a for _, a in groups})
        .exclude(state=State.WITHDRAWN)
        .order_by("round_id", "position", "id")
        .values_list("round_id", "area", "id")
    )
    counts: dict[tuple, int] = {}
    places = {}
    for round_id, area, pk in rows.iterator():
        counts[round_id, area] = counts.get((round_id, area), 0) + 1
        places[pk] = counts[round_id, area]
    return places


def check_closed_out(problem: Problem) -> None:
    """Refuse the form of a problem that is not closed out."""
    if problem.state not in CLOSED_STATES:
        raise Refused(
            f"该问题当前为“{problem.get_state_display()}”，尚未销号，不能打印销号审批表。",
            f"problem {problem.pk} is {problem.state}, not closed out",
        )


def _closed_count(problems) -> int:
    if hasattr(problems, "filter"):
        return problems.filter(state__in=CLOSED_STATES).count()
    return sum(1 for p in problems if p.state in CLOSED_STATES)


def closeout_docx(problems) -> bytes:
    """The forms of the closed-out problems among `problems` (a queryset or a list), one page
    each, in their order. Refuses when none is closed out, or when there are more than
    MAX_FORMS."""
    count = _closed_count(problems)  # before any problem is loaded
    if not count:
        raise Refused(
            "没有已销号的问题，无需打印销号审批表。", "no closed-out problem to print a form of"
        )
    if count > MAX_FORMS:
        raise Refused(
            f"已销号问题共 {count} 个，超过一次打印上限 {MAX_FORMS} 个，请分批打印。",
            f"{count} forms: more than {MAX_FORMS}",
        )
    chosen = closed_out(problems)
    document = Document()
    _page_setup(document)
    body = document.element.body
    for paragraph in list(document.paragraphs):
        body.remove(paragraph._element)
    for n, problem in enumerate(chosen):
        _form(document, problem, first=n == 0)
    core = document.core_properties
    core.title, core.author = TITLE, "整改闭环管理系统"
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def _page_setup(document) -> None:
    """A4 and GB/T 9704's margins; no line grid (a form's rows are as tall as their text)."""
    section = document.sections[0]
    set_page(section)
    section.footer_distance = Mm(20)
    normal = document.styles["Normal"]
    normal.font.size = TEXT_SIZE
    set_fonts(normal.element, BODY_FONT)


def _paragraph(paragraph, text: str, *, font=BODY_FONT, size=TEXT_SIZE, align=None, bold=False):
    format = paragraph.paragraph_format
    format.space_before = format.space_after = Pt(0)
    format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    format.line_spacing = TEXT_LINE if size == TEXT_SIZE else Pt(size.pt * 1.5)
    if align is not None:
        paragraph.alignment = align
    run = paragraph.add_run(text)
    run.font.size = size
    run.font.bold = bold
    set_fonts(run._element, font)
    return paragraph


def _form(document, problem: Problem, *, first: bool) -> None:
    title = _paragraph(
        document.add_paragraph(),
        TITLE,
        font=TITLE_FONT,
        size=Pt(22),
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    title.paragraph_format.page_break_before = not first
    title.paragraph_format.space_after = Pt(6)
    round = problem.round
    head = f"被巡察单位：{cap(problem.unit.name, LIMITS['unit'])}"
    line = _paragraph(document.add_paragraph(), head, size=Pt(12))
    line.paragraph_format.space_after = Pt(4)
    table = document.add_table(rows=0, cols=4)
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    source = f"{round.title}（{round.inspecting_body}，{round.get_kind_display()}"
    source += f"，反馈日期 {round.feedback_date:%Y-%m-%d}）" if round.feedback_date else "）"
    _wide(table, "问题来源", [cap(source, LIMITS["source"])])
    whole = "……（全文见整改台账）"
    described = [cap(problem.form_name, LIMITS["problem"], whole)]
    if problem.description.strip() and problem.description.strip() != problem.title.strip():
        described.append(cap(problem.description, LIMITS["description"], whole))
    _wide(table, "问题描述", described)
    _wide(table, "整改措施", _measure_lines(problem.form_measures))
    _wide(table, "佐证材料清单", _evidence_lines(problem.form_evidence))
    steps = trail(problem.form_events)
    _wide(table, "申请销号", [_said(steps.submitted, "申请人", "整改完成情况")])
    _wide(table, "审核签批", [_said(steps.signed, "签批人", "意见")])
    _wide(table, "验收核实", [_said(steps.verified, "核实人", "意见", missing="尚未核验")])
    _signatures(table)


def _said(step: Step | None, role: str, note_label: str, missing: str = "（无记录）") -> str:
    return step.text(role, note_label) if step else missing


def _measure_lines(measures: list) -> list[str]:
    lines = []
    for n, measure in enumerate(measures[: LIMITS["measures"]], start=1):
        sections = [measure.lead_section] if measure.lead_section else []
        sections += [s for s in measure.responsible_sections.all() if s not in sections]
        names = "、".join(s.name for s in sections) or "未定"
        done = f"{measure.completed_on:%Y-%m-%d}" if measure.completed_on else "未填"
        text = cap(measure.text, LIMITS["measure"])
        lines.append(f"{n}. {text}（责任科室：{cap(names, LIMITS['sections'])}；完成日期：{done}）")
    if len(measures) > LIMITS["measures"]:
        lines.append(f"另有 {len(measures) - LIMITS['measures']} 条措施，详见整改台账。")
    elif any(len(m.text) > LIMITS["measure"] for m in measures):
        lines.append("措施全文详见整改台账。")
    return lines or ["（无整改措施）"]


def _evidence_lines(files: list) -> list[str]:
    lines = []
    for n, (name, size, at) in enumerate(files[: LIMITS["evidence"]], start=1):
        shown = file_text(name)
        lines.append(f"{n}. {shown}（{size_text(size)}，{timezone.localtime(at):%Y-%m-%d}）")
    if len(files) > LIMITS["evidence"]:
        lines.append(f"另有 {len(files) - LIMITS['evidence']} 个文件，详见系统中的整改进展。")
    return lines or ["（未上传佐证材料）"]


def _row(table):
    row = table.add_row()
    for cell, width in zip(row.cells, COLUMN_WIDTHS, strict=True):
        cell.width = width
    return row


def _label(cell, text: str) -> None:
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    _paragraph(cell.paragraphs[0], text, font=HEADING_1_FONT, align=WD_ALIGN_PARAGRAPH.CENTER)


def _wide(table, label: str, lines: list[str]) -> None:
    """A row of a label and one text across the other three columns."""
    row = _row(table)
    row.height, row.height_rule = Pt(HEIGHTS[label]), WD_ROW_HEIGHT_RULE.AT_LEAST
    _label(row.cells[0], label)
    cell = row.cells[1].merge(row.cells[3])
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    _paragraph(cell.paragraphs[0], lines[0])
    for line in lines[1:]:
        _paragraph(cell.add_paragraph(), line)


def _signatures(table) -> None:
    """单位意见 and 核验单位意见: blank, for the signature, the seal and the date."""
    row = _row(table)
    row.height, row.height_rule = SIGNATURE_HEIGHT, WD_ROW_HEIGHT_RULE.AT_LEAST
    for column, label in ((0, "单位意见"), (2, "核验单位意见")):
        _label(row.cells[column], label)
        cell = row.cells[column + 1]
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM
        _paragraph(cell.paragraphs[0], "（签字盖章）", align=WD_ALIGN_PARAGRAPH.RIGHT)
        _paragraph(cell.add_paragraph(), "年　　月　　日", align=WD_ALIGN_PARAGRAPH.RIGHT)
    _no_split(row)


def _no_split(row) -> None:
    """The signature row is never split across pages."""
    properties = row._tr.get_or_add_trPr()
    cant = OxmlElement("w:cantSplit")
    cant.set(qn("w:val"), "true")
    properties.append(cant)
