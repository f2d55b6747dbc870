"""Building .docx, .xlsx and .pdf versions of the seed documents, for the reader tests."""

from pathlib import Path

from zhenggai.intake import headings

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

# Word's own numbering for the two heading levels most documents use: 一、 and （一）.
NUMBERING = f"""<w:numbering xmlns:w="{W_NS}">
<w:abstractNum w:abstractNumId="90">
 <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
 <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
</w:abstractNum>
<w:num w:numId="90"><w:abstractNumId w:val="90"/></w:num>
</w:numbering>"""
AUTO_LEVELS = {"cn、": 0, "(cn)": 1}


def docx_file(lines: list[str], path: Path, *, auto_numbered: bool = False) -> Path:
    """A Word file of `lines`, one paragraph each; with `auto_numbered`, the 一、 and （一）
    headings carry Word's generated numbers instead of typed ones."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn

    document = docx.Document()
    if auto_numbered:
        numbering = document.part.numbering_part.element
        definitions = parse_xml(NUMBERING)
        abstract, num = definitions[0], definitions[1]
        numbering.insert(0, abstract)  # abstract definitions come before the lists using them
        numbering.append(num)
    for line in lines:
        found = headings.numbering(headings.normalise(line)) if auto_numbered else None
        if found and found[0] in AUTO_LEVELS:
            paragraph = document.add_paragraph(found[2])
            num_pr = parse_xml(
                f'<w:numPr xmlns:w="{W_NS}"><w:ilvl w:val="{AUTO_LEVELS[found[0]]}"/>'
                f'<w:numId w:val="90"/></w:numPr>'
            )
            paragraph._p.get_or_add_pPr().insert(0, num_pr)
            assert paragraph._p.pPr.find(qn("w:numPr")) is not None
        else:
            document.add_paragraph(line)
    document.save(str(path))
    return path


def xlsx_file(document, path: Path) -> Path:
    """A ledger sheet of a parsed document: a title row, then the offices' columns."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([f"{document.org or ''}整改台账"])
    sheet.append(["序号", "问题类别", "问题描述", "整改措施", "牵头单位", "责任单位", "整改时限"])
    for problem in document.problems:
        sheet.append(
            [
                problem.number,
                " / ".join(problem.path),
                problem.title,
                "\n".join(m.text for m in problem.measures),
                "、".join(problem.lead_units),
                "、".join(problem.responsible_units),
                problem.deadline.date if problem.deadline and problem.deadline.date else "",
            ]
        )
    book.save(str(path))
    return path


def pdf_file(lines: list[str], path: Path) -> Path:
    """A PDF with a text layer, printed by headless Chromium from the lines as HTML."""
    from html import escape

    from playwright.sync_api import sync_playwright

    from zhenggai.lib.browser import launch_chromium

    body = "".join(f"<p>{escape(line)}</p>" for line in lines if line.strip())
    html = f'<html><head><meta charset="utf-8"><style>p{{margin:0 0 4px}}</style></head><body>{body}</body></html>'
    with sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page()
        page.set_content(html)
        page.pdf(path=str(path), format="A4")
        browser.close()
    return path


def docx_with_tables(blocks: list, path: Path) -> Path:
    """A Word file of `blocks`: a string is a paragraph, a list of rows a table. In a row, None
    continues the cell above it (a vertical merge, as one problem over its measures' rows) and
    "<" the cell to its left (a horizontal merge, as a heading over two columns)."""
    import docx

    document = docx.Document()
    for block in blocks:
        if isinstance(block, str):
            document.add_paragraph(block)
            continue
        width = max(len(row) for row in block)
        table = document.add_table(rows=len(block), cols=width)
        table.style = "Table Grid"
        _merge(table, block)
        for r, row in enumerate(block):
            for c, value in enumerate(row):
                if value not in (None, "<"):
                    table.cell(r, c).text = value
    document.save(str(path))
    return path


def _merge(table, rows: list) -> None:
    def cell(r: int, c: int):
        return rows[r][c] if r < len(rows) and c < len(rows[r]) else ""

    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value in (None, "<"):
                continue
            if cell(r + 1, c) is None:
                last = r + 1
                while cell(last + 1, c) is None:
                    last += 1
                table.cell(r, c).merge(table.cell(last, c))
            if cell(r, c + 1) == "<":
                last = c + 1
                while cell(r, last + 1) == "<":
                    last += 1
                table.cell(r, c).merge(table.cell(r, last))
