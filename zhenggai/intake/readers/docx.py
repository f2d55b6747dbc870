"""Word documents: paragraphs and table rows in order, with the numbers Word generates itself
(kept in the paragraph's numbering properties, not its text) reconstructed; and each table as
rows of cells on the table's grid, for a ledger (台账) pasted into the document."""

from dataclasses import dataclass, field
from pathlib import Path

from zhenggai.intake.model import IntakeError
from zhenggai.intake.readers.xlsx import MAX_ROWS

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# A table wider than this is cut: a ledger has a dozen columns, and a cell may claim to span
# any number of them (w:gridSpan), which must not become millions of cells.
MAX_COLUMNS = 64
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


def _int(element, name: str, default: int) -> int:
    value = element.get(f"{W}{name}") if element is not None else None
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


# What a paragraph's text is made of: the text of its runs, tabs and line breaks.
TEXT = {f"{W}t": None, f"{W}tab": "\t", f"{W}br": "\n", f"{W}cr": "\n"}


def _text(p) -> str:
    """A paragraph's text, as python-docx gives it but read straight from the XML (a table of
    thousands of cells is read in a blink rather than seconds)."""
    parts = []
    for element in p.iter(*TEXT):
        parts.append(TEXT[element.tag] or element.text or "")
    return "".join(parts)


def _cells(tr) -> list[tuple[str, int, bool]]:
    """(text, columns spanned, continues a vertical merge) of each cell of a row (w:tr)."""
    cells = []
    for tc in tr.iterchildren(f"{W}tc"):
        tc_pr = tc.find(f"{W}tcPr")
        span = _int(tc_pr.find(f"{W}gridSpan") if tc_pr is not None else None, "val", 1)
        merge = tc_pr.find(f"{W}vMerge") if tc_pr is not None else None
        continued = merge is not None and merge.get(f"{W}val") in (None, "continue")
        text = "\n".join(_text(p) for p in tc.iterchildren(f"{W}p")).strip()
        cells.append((text, max(1, min(span, MAX_COLUMNS)), continued))
    return cells


def table_rows(table) -> tuple[list[list[str]], list[str]]:
    """A table (w:tbl) as rows of cell text on its grid, and as lines of text.

    In the rows, a cell spanning columns (w:gridSpan) repeats its text in each, and a cell
    continuing a vertical merge (w:vMerge) is empty, as Excel leaves the cells under a merged
    one, so that the rows of one problem read like a sheet's. In the lines, a row's cells are
    joined by tabs, a merged cell once, with the text of the merge it continues."""
    from lxml import etree

    # As plain elements: python-docx's own element classes make each lookup many times slower.
    table = etree.fromstring(etree.tostring(table), parser=etree.XMLParser(resolve_entities=False))
    rows, lines, above = [], [], []
    for tr in table.iterchildren(f"{W}tr"):
        tr_pr = tr.find(f"{W}trPr")
        before = tr_pr.find(f"{W}gridBefore") if tr_pr is not None else None
        row = [""] * min(_int(before, "val", 0), MAX_COLUMNS)
        whole = list(row)  # with the text of the merges continued
        shown: list[str] = []
        for text, span, continued in _cells(tr):
            span = min(span, MAX_COLUMNS - len(row))
            if span <= 0:
                break
            if continued:
                text, full = "", above[len(row)] if len(row) < len(above) else ""
            else:
                full = text
            row.extend([text] * span)
            whole.extend([full] * span)
            if not shown or shown[-1] != full:  # merged cells once
                shown.append(full)
        rows.append(row)
        lines.append("\t".join(shown))
        above = whole
    return rows, lines


@dataclass
class WordText:
    """A Word document's lines (paragraphs, and each table row with its cells joined by tabs),
    its tables as rows of cells, and where each table's rows sit in `lines` (start, end)."""

    lines: list[str] = field(default_factory=list)
    tables: list[list[list[str]]] = field(default_factory=list)
    table_lines: list[tuple[int, int]] = field(default_factory=list)


def read(path: Path) -> WordText:
    try:
        import docx
        from docx.text.paragraph import Paragraph

        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises many kinds on a damaged file
        raise IntakeError(f"{path}: not a readable Word document ({type(exc).__name__})") from None
    numbering = _Numbering(document)
    read = WordText()
    lines = read.lines
    rows_seen = 0
    for block in document.element.body.iterchildren():
        if block.tag == f"{W}p":
            # A soft line break (Shift+Enter) starts a new line as surely as a new paragraph.
            lines.extend(_paragraph_text(Paragraph(block, document), numbering).split("\n"))
        elif block.tag == f"{W}tbl":
            # Counted before they are read: as many rows as an Excel ledger may hold, over all
            # the tables (a 4 MB file may hold a million small rows).
            rows_seen += sum(1 for _ in block.iterchildren(f"{W}tr"))
            if rows_seen > MAX_ROWS:
                raise IntakeError(f"{path}: too many rows, more than {MAX_ROWS}")
            rows, table_lines = table_rows(block)
            read.table_lines.append((len(lines), len(lines) + len(table_lines)))
            read.tables.append(rows)
            lines.extend(table_lines)
    return read
