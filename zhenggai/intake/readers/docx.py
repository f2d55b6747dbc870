"""Word documents: paragraphs and table rows in order, with the numbers Word generates itself
(kept in the paragraph's numbering properties, not its text) reconstructed."""

from pathlib import Path

from zhenggai.intake.model import IntakeError

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CHINESE = "零一二三四五六七八九十"


def chinese_number(n: int) -> str:
    """1 → 一, 12 → 十二, 35 → 三十五, 108 → 一百零八 (and plain digits beyond 999)."""
    if n < 0 or n > 999:
        return str(n)
    if n <= 10:
        return CHINESE[n]
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    text = CHINESE[hundreds] + "百" if hundreds else ""
    if tens:
        text += ("" if tens == 1 and not hundreds else CHINESE[tens]) + "十"
    elif hundreds and ones:
        text += "零"
    return text + (CHINESE[ones] if ones else "")


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
    if fmt in ("lowerLetter", "upperLetter") and 1 <= n <= 26:
        return chr(ord("a" if fmt == "lowerLetter" else "A") + n - 1)
    return str(n)


class _Numbering:
    """Counters per list and level, rendering each level's text pattern ("（%1）")."""

    def __init__(self, document):
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}
        self.counters: dict[str, list[int]] = {}
        try:
            self._read(document)
        except (ValueError, TypeError, KeyError, AttributeError):
            self.levels = {}  # damaged numbering definitions: numbers stay as typed

    def _read(self, document):
        try:
            part = document.part.numbering_part
        except (KeyError, NotImplementedError):
            return
        root = part.element
        abstract = {}
        for a in root.findall(f"{W}abstractNum"):
            levels = {}
            for lvl in a.findall(f"{W}lvl"):
                ilvl = int(lvl.get(f"{W}ilvl") or 0)
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
        """The number Word shows for the next paragraph of this list level ("" if unknown)."""
        try:
            return self._label(num_id, ilvl)
        except (ValueError, TypeError, IndexError, OverflowError):
            return ""  # numbering that does not hold together: keep the paragraph's own text

    def _label(self, num_id: str, ilvl: int) -> str:
        if not 0 <= ilvl <= 8 or (num_id, ilvl) not in self.levels:
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
    try:
        ppr = paragraph._p.pPr
        if ppr is None or ppr.numPr is None or ppr.numPr.numId is None:
            return text
        num_id = str(ppr.numPr.numId.val)
        ilvl = ppr.numPr.ilvl.val if ppr.numPr.ilvl is not None else 0
    except (ValueError, TypeError):  # numbering properties that do not parse
        return text
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
            # A soft line break (Shift+Enter) starts a new line as surely as a new paragraph.
            lines.extend(_paragraph_text(Paragraph(block, document), numbering).split("\n"))
        elif block.tag == f"{W}tbl":
            for row in Table(block, document).rows:
                cells = []
                for cell in row.cells:
                    value = cell.text.strip()
                    if not cells or cells[-1] != value:  # merged cells repeat their text
                        cells.append(value)
                lines.append("\t".join(cells))
    return lines
