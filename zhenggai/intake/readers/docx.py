"""Word documents: paragraphs and table rows in order, with the numbers Word generates itself
(kept in the paragraph's numbering properties, not its text) reconstructed."""

from pathlib import Path

from zhenggai.intake.model import IntakeError

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CHINESE = "零一二三四五六七八九十"


def chinese_number(n: int) -> str:
    if n <= 10:
        return CHINESE[n]
    if n < 20:
        return "十" + (CHINESE[n - 10] if n > 10 else "")
    tens, ones = divmod(n, 10)
    return CHINESE[tens] + "十" + (CHINESE[ones] if ones else "")


def _format(fmt: str, n: int) -> str:
    if fmt in (
        "chineseCounting",
        "chineseCountingThousand",
        "ideographTraditional",
        "japaneseCounting",
        "taiwaneseCounting",
    ):
        return chinese_number(n)
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n)
    if fmt == "lowerLetter":
        return chr(ord("a") + n - 1)
    if fmt == "upperLetter":
        return chr(ord("A") + n - 1)
    return str(n)


class _Numbering:
    """Counters per list and level, rendering each level's text pattern ("（%1）")."""

    def __init__(self, document):
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}
        self.counters: dict[str, list[int]] = {}
        part = getattr(document.part, "numbering_part", None)
        if part is None:
            return
        root = part.element
        abstract = {}
        for a in root.findall(f"{W}abstractNum"):
            levels = {}
            for lvl in a.findall(f"{W}lvl"):
                ilvl = int(lvl.get(f"{W}ilvl"))
                fmt = lvl.find(f"{W}numFmt")
                text = lvl.find(f"{W}lvlText")
                start = lvl.find(f"{W}start")
                levels[ilvl] = (
                    fmt.get(f"{W}val") if fmt is not None else "decimal",
                    text.get(f"{W}val") if text is not None else "%1.",
                    int(start.get(f"{W}val")) if start is not None else 1,
                )
            abstract[a.get(f"{W}abstractNumId")] = levels
        for num in root.findall(f"{W}num"):
            ref = num.find(f"{W}abstractNumId")
            if ref is None:
                continue
            for ilvl, spec in abstract.get(ref.get(f"{W}val"), {}).items():
                self.levels[(num.get(f"{W}numId"), ilvl)] = spec

    def label(self, num_id: str, ilvl: int) -> str:
        if (num_id, ilvl) not in self.levels:
            return ""
        counters = self.counters.setdefault(num_id, [0] * 9)
        fmt, pattern, start = self.levels[(num_id, ilvl)]
        counters[ilvl] = (counters[ilvl] or start - 1) + 1
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = 0
        text = pattern
        for level in range(ilvl + 1):
            spec = self.levels.get((num_id, level))
            value = counters[level] or (spec[2] if spec else 1)
            text = text.replace(f"%{level + 1}", _format(spec[0] if spec else "decimal", value))
        return text


def _paragraph_text(paragraph, numbering: _Numbering) -> str:
    text = paragraph.text
    ppr = paragraph._p.pPr
    if ppr is not None and ppr.numPr is not None and ppr.numPr.numId is not None:
        num_id = str(ppr.numPr.numId.val)
        ilvl = ppr.numPr.ilvl.val if ppr.numPr.ilvl is not None else 0
        label = numbering.label(num_id, int(ilvl))
        if label and not text.startswith(label):
            text = label + text
    return text


def read(path: Path) -> list[str]:
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises many kinds on a damaged file
        raise IntakeError(f"{path}: not a readable Word document ({type(exc).__name__})") from None
    numbering = _Numbering(document)
    lines: list[str] = []
    for block in document.element.body.iterchildren():
        if block.tag == f"{W}p":
            lines.append(_paragraph_text(Paragraph(block, document), numbering))
        elif block.tag == f"{W}tbl":
            for row in Table(block, document).rows:
                cells = []
                for cell in row.cells:
                    value = cell.text.strip()
                    if not cells or cells[-1] != value:  # merged cells repeat their text
                        cells.append(value)
                lines.append("\t".join(cells))
    return lines
