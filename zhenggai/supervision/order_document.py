"""A supervision order (督办单) or reminder order (催办单) printed on one A4 page, Word and PDF.

Laid out as the office's papers are (GB/T 9704 page: A4, margins 37/35/28/26 mm): the title in
方正小标宋, the number 〔2026〕第12号 on the right, then one bordered table — the issuing office,
the unit, the problem, the measure, level, demand, answer date, issuer — the answer (text, who,
when, attachment names; ruled blank lines to fill in by hand while there is none), the closing
opinion, and the cells to sign and seal. The page is always made again from the stored order, so
the print of an order and of its answer are kept with it and never drift from it.

One page whatever the order holds: the demand, the answer and the closing opinion are run
together (line breaks made spaces) and cut to
DEMAND_CHARS, ANSWER_CHARS and NOTE_CHARS (with "……（全文见系统）"), the problem's and measure's
titles to TITLE_CHARS, and the attachments listed by name to ATTACHMENT_NAMES in ATTACHMENT_CHARS.

The page, the fonts and the PDF are the project's (zhenggai.lib.word, zhenggai.lib.pdf), as the
reports' are.
"""

from django.db.models import Q
from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from zhenggai.ledger.models import Measure
from zhenggai.lib import pdf
from zhenggai.lib.dates import cn_date
from zhenggai.lib.names import person_name
from zhenggai.lib.word import (
    BODY_FONT,
    HEADING_1_FONT,
    SIZE_2,
    SIZE_3,
    SIZE_SMALL_4,
    TITLE_FONT,
    saved,
    set_fonts,
    set_page,
)
from zhenggai.orgs.models import Unit
from zhenggai.supervision.models import Escalation

LABEL_FONT = HEADING_1_FONT  # 黑体; the title in 二号, the number in 三号, the table in 小四
LINE = Pt(18)
LABEL_WIDTH = Mm(28)
BODY_WIDTH = Mm(128)  # 156 mm type area less the label column
DEMAND_CHARS = 160  # about six lines of the table
ANSWER_CHARS = 160
NOTE_CHARS = 60
TITLE_CHARS = 56  # two lines
ATTACHMENT_NAMES = 3
ATTACHMENT_CHARS = 56  # the names' line: two lines at most
MORE = "……（全文见系统）"
SYSTEM = "系统自动催办"


def capped(text: str, limit: int) -> str:
    """`text` on one run of lines: its line breaks and spaces made one space (so forty short
    lines take the room of their characters, not forty lines), cut at `limit` characters."""
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[:limit] + MORE


def issuer(escalation: Escalation) -> str:
    return person_name(escalation.issued_by) or SYSTEM


def _text(paragraph, text: str, font: str = BODY_FONT, size=SIZE_SMALL_4, bold: bool = False):
    run = paragraph.add_run(text)
    run.font.size, run.font.bold = size, bold
    set_fonts(run._element, font)
    return run


def _tight(paragraph, alignment=WD_ALIGN_PARAGRAPH.LEFT, line=LINE) -> None:
    fmt = paragraph.paragraph_format
    fmt.alignment = alignment
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = line


def _borders(table) -> None:
    """Single lines around and between every cell (the default style has none)."""
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{side}")
        for key, value in (("val", "single"), ("sz", "6"), ("space", "0"), ("color", "000000")):
            line.set(qn(f"w:{key}"), value)
        borders.append(line)
    table._tbl.tblPr.append(borders)


def _widths(table) -> None:
    """Fixed column widths, in the grid as well as the cells (LibreOffice reads the grid)."""
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    table.columns[0].width, table.columns[1].width = LABEL_WIDTH, BODY_WIDTH
    for row in table.rows:
        row.cells[0].width, row.cells[1].width = LABEL_WIDTH, BODY_WIDTH


def _cell(cell, lines: list[str], *, label: bool = False, align=WD_ALIGN_PARAGRAPH.LEFT):
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    first = cell.paragraphs[0]
    for n, line in enumerate(lines or [""]):
        paragraph = first if n == 0 else cell.add_paragraph()
        _tight(paragraph, WD_ALIGN_PARAGRAPH.CENTER if label else align)
        _text(paragraph, line, LABEL_FONT if label else BODY_FONT)


def rows_of(escalation: Escalation) -> list[tuple[str, list[str]]]:
    """The table's rows, label and lines, as printed (the tests read them back)."""
    problem = escalation.problem
    verb = escalation.get_kind_display()[:2]  # 督办 or 催办
    rows = [
        (f"{verb}单位", [escalation.issuer_name]),
        (f"被{verb}单位", [capped(supervised(escalation), TITLE_CHARS)]),
        ("问题", [capped(f"{problem.number} {problem.title}".strip(), TITLE_CHARS)]),
    ]
    if escalation.measure_id:
        rows.append(("措施", [capped(escalation.measure.text, TITLE_CHARS)]))
    if not escalation.is_urge:  # a 催办单 has no level
        rows.append(("督办级别", [escalation.get_level_display()]))
    rows += [
        (f"{verb}要求", [capped(escalation.demand, DEMAND_CHARS)]),
        ("答复期限", [cn_date(escalation.due_on)]),
        ("下发人", [f"{issuer(escalation)}　{cn_date(escalation.issued_at)}"]),
        ("答复情况", answer_lines(escalation)),
        ("办结意见", decision_lines(escalation)),
    ]
    return rows


def supervised(escalation: Escalation) -> str:
    """被督办单位: the unit, for an office above it; for the unit's own 整改办, the unit's
    sections that lead or carry the measure (or the problem's measures), in one query."""
    unit = escalation.problem.unit
    if not escalation.by_own_office:
        return unit.name
    measures = Measure.objects.filter(problem_id=escalation.problem_id, withdrawn=False)
    if escalation.measure_id:
        measures = Measure.objects.filter(pk=escalation.measure_id)
    sections = Unit.objects.filter(
        Q(pk__in=measures.values("lead_section"))
        | Q(pk__in=measures.values("responsible_sections"))
    ).order_by("path")
    names = "、".join(sections.values_list("name", flat=True))
    return f"{unit.name} {names or '有关科室'}"


def answer_lines(escalation: Escalation) -> list[str]:
    if not escalation.answer:  # ruled lines to answer on paper
        return ["", "", "", "答复人：　　　　　　　　　答复日期：　　年　　月　　日"]
    lines = [capped(escalation.answer, ANSWER_CHARS)]
    names = [a.original_name for a in escalation.attachments.all()]
    if names:
        shown = "；".join(names[:ATTACHMENT_NAMES])
        more = f"等{len(names)}个" if len(names) > ATTACHMENT_NAMES else ""
        lines.append(capped(f"附件：{shown}", ATTACHMENT_CHARS).replace(MORE, "…") + more)
    lines.append(
        f"答复人：{person_name(escalation.answered_by)}　{cn_date(escalation.answered_at)}"
    )
    return lines


def decision_lines(escalation: Escalation) -> list[str]:
    if escalation.status != Escalation.Status.CLOSED:
        return ["", ""]
    note = capped(escalation.decision_note, NOTE_CHARS) or "同意办结。"
    return [note, f"{person_name(escalation.decided_by)}　{cn_date(escalation.decided_at)}"]


def order_docx(escalation: Escalation) -> bytes:
    """The order as a one-page A4 Word document."""
    document = Document()
    set_page(document.sections[0])
    body = document.element.body
    for paragraph in list(document.paragraphs):
        body.remove(paragraph._element)
    title = document.add_paragraph()
    _tight(title, WD_ALIGN_PARAGRAPH.CENTER, Pt(36))
    _text(title, escalation.get_kind_display(), TITLE_FONT, SIZE_2)
    number = document.add_paragraph()
    _tight(number, WD_ALIGN_PARAGRAPH.RIGHT, Pt(30))
    _text(
        number, f"{escalation.issuer_name}　{escalation.number or '（未编号）'}", BODY_FONT, SIZE_3
    )
    rows = rows_of(escalation)
    table = document.add_table(rows=len(rows) + 1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _borders(table)
    for row, (label, lines) in zip(table.rows, rows, strict=False):
        _cell(row.cells[0], [label], label=True)
        _cell(row.cells[1], lines)
    sign = table.rows[-1]
    _cell(sign.cells[0], ["签收"], label=True)
    _cell(
        sign.cells[1],
        ["", "单位负责人（签字）：　　　　　　　　（盖章）", "", "年　　月　　日", ""],
        align=WD_ALIGN_PARAGRAPH.RIGHT,
    )
    _widths(table)
    return saved(document, escalation.reference)


def file_name(escalation: Escalation, suffix: str) -> str:
    """E.g. "区委巡察办催办单〔2026〕第3号·区科技局.docx" (numbers run per office)."""
    number = escalation.number or f"（{escalation.pk}）"
    kind = f"{escalation.issuer_name[:40]}{escalation.get_kind_display()}"
    return f"{kind}{number}·{escalation.problem.unit.name[:40]}{suffix}"


def order_pdf(escalation: Escalation) -> bytes:
    """The order as PDF through LibreOffice (lib.pdf); Refused in Chinese when it cannot be
    made."""
    return pdf.to_pdf(order_docx(escalation))
