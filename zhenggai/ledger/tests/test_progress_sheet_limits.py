"""A progress sheet is read within bounds whatever the file declares or holds: its declared
dimension is not trusted, every row read counts, no cell is longer than Excel allows, and what
an import keeps of a sheet's texts is capped."""

import io
import json
import re
import time
import zipfile

import pytest
import xlsxwriter

from zhenggai.ledger import progress_import, progress_sheet
from zhenggai.ledger.tests.test_progress_import import download, fill, key, upload


def crafted(
    rows: list[list[str]], *, dimension: str = "", blank_rows: int = 0, long: str = ""
) -> bytes:
    """A sheet of `rows` under the header 措施编号/整改进展, with its declared dimension
    replaced, `blank_rows` rows of a lone blank cell appended, and the shared string LONG
    made `long` (longer than XlsxWriter writes one), as a hand-made file may."""
    raw = io.BytesIO()
    book = xlsxwriter.Workbook(raw)
    sheet = book.add_worksheet(progress_sheet.SHEET_NAME)
    sheet.write_row(0, 0, ["措施编号", "整改进展"])
    for line, values in enumerate(rows, start=1):
        sheet.write_row(line, 0, values)
    book.close()
    source = zipfile.ZipFile(io.BytesIO(raw.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = _patched(body, dimension, len(rows) + 2, blank_rows)
            if info.filename == "xl/sharedStrings.xml" and long:
                body = body.replace(b"LONG", long.encode())
            target.writestr(info.filename, body)
    return out.getvalue()


def _patched(body: bytes, dimension: str, first: int, blank_rows: int) -> bytes:
    if dimension:
        body = re.sub(
            rb'<dimension ref="[^"]*"/>', f'<dimension ref="{dimension}"/>'.encode(), body
        )
    head, tail = body.split(b"</sheetData>")
    blank = b"".join(
        b'<row r="%d"><c r="A%d" t="inlineStr"><is><t> </t></is></c></row>' % (n, n)
        for n in range(first, first + blank_rows)
    )
    return head + blank + b"</sheetData>" + tail


def test_a_huge_declared_dimension_is_not_walked():
    # openpyxl pads every row to the declared dimension: a million rows of 16,384 columns.
    data = crafted([["M1", "已完成"], ["M2", "推进中"]], dimension="A1:XFD1048576")
    started = time.monotonic()
    read = progress_sheet.read_sheet(io.BytesIO(data))
    assert time.monotonic() - started < 5
    assert [(row.key, row.progress) for row in read.rows] == [("M1", "已完成"), ("M2", "推进中")]


def test_rows_below_a_too_small_declared_dimension_are_read():
    rows = [[f"M{n}", f"进展{n}"] for n in range(1, 301)]
    read = progress_sheet.read_sheet(io.BytesIO(crafted(rows, dimension="A1:B1")))
    assert len(read.rows) == 300 and read.rows[-1].progress == "进展300"


def test_blank_rows_count_against_the_cap(monkeypatch):
    monkeypatch.setattr(progress_sheet, "MAX_LINES", 500)
    data = crafted([["M1", "已完成"]], dimension="A1:XFD1048576", blank_rows=1_000)
    with pytest.raises(progress_sheet.Unreadable) as refused:
        progress_sheet.read_sheet(io.BytesIO(data))
    assert "超过 500 行（含空行）" in refused.value.message


def test_a_cell_longer_than_excel_allows_refuses_the_file():
    data = crafted([["M1", "LONG"]], long="长" * (progress_sheet.MAX_CELL + 1))
    with pytest.raises(progress_sheet.Unreadable) as refused:
        progress_sheet.read_sheet(io.BytesIO(data))
    assert "第 2 行“整改进展”列的内容超过 32767 个字符" in refused.value.message


def test_a_too_long_progress_text_is_cut_refused_and_kept_once(world):
    measure = world.measure(world.problem(approve=True))
    filled = fill(download(world, world.staff), {key(measure): {"整改进展": "很" * 30_000}})
    imp = progress_import.start_progress_import(world.round, upload(filled), by=world.staff)
    (row,) = [r for r in imp.rows if r["measure"] == measure.pk]
    assert len(row["progress"]) == progress_sheet.MAX_TEXT + 1
    (change,) = row["changes"]
    assert change["outcome"] == progress_import.REFUSED and "不能超过 20000 字" in change["why"]
    # The text once (the row's), its change only a 300-character glimpse.
    stored = json.dumps(imp.rows, ensure_ascii=False)
    assert stored.count("很") == progress_sheet.MAX_TEXT + 1 + 300


def test_one_long_text_on_every_row_is_refused_above_the_sheets_bound(monkeypatch):
    # One shared string on every row: small as a file, big as what the import would keep.
    monkeypatch.setattr(progress_sheet, "MAX_SHEET_TEXT", 100_000)
    rows = [[f"M{n}", "LONG"] for n in range(1, 7)]
    data = crafted(rows, long="长" * 30_000)
    assert len(data) < 10_000
    with pytest.raises(progress_sheet.Unreadable) as refused:
        progress_sheet.read_sheet(io.BytesIO(data))
    assert "整改进展和理由合计超过 10 万字" in refused.value.message
