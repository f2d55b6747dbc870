"""A book of several sheets (zhenggai.lib.xlsx.Book): rows of the sheets interleaved, numbers
written as numbers, subtotals in bold, and the same workbook whether written here or by a
process of its own; a failure on either side leaves no file."""

import multiprocessing
import time

import openpyxl
import pytest

from zhenggai.lib import xlsx
from zhenggai.lib.xlsx import FIGURES, HEADING, ROW, TOTAL, Book, Sheet

SHEETS = [
    Sheet("甲表", "某局甲表", [("序号", 6), ("事项", 30), ("进度", 8)]),
    Sheet("乙表", "某局乙表", [("序号", 6), ("人员", 12)]),
]


def rows():
    """Rows of both sheets, interleaved as a single pass over the data produces them."""
    yield 0, HEADING, "【第一轮】", None
    for n in range(1, 6):
        yield 0, FIGURES, [str(n), f"事项{n}\n第二行", n * 10], 30.0
        yield 1, ROW, [str(n), f"人员{n}"], None
    yield 0, TOTAL, ["合计", "", 150], 16.5


def cells(path) -> dict:
    book = openpyxl.load_workbook(path)
    return {s.title: [list(r) for r in s.iter_rows(min_row=1, values_only=True)] for s in book}


def test_a_book_writes_each_sheets_rows_in_order_numbers_as_numbers(tmp_path):
    path = tmp_path / "book.xlsx"
    xlsx.write_book(rows(), str(path), SHEETS, "共 5 项")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["甲表", "乙表"]
    first, second = book.worksheets
    assert first["A1"].value == "某局甲表" and second["A1"].value == "某局乙表"
    assert first["A2"].value == second["A2"].value == "共 5 项"
    assert [c.value for c in first[3]] == ["序号", "事项", "进度"]
    assert second.print_title_rows == "$3:$3" and second.freeze_panes == "A4"
    assert first["A4"].value == "【第一轮】"
    assert [c.value for c in first[5]] == ["1", "事项1\n第二行", 10]
    assert first["C5"].data_type == "n" and first["A5"].data_type == "s"
    assert first.row_dimensions[5].height == 30
    assert [c.value for c in first[10]] == ["合计", "", 150]
    assert first["A10"].font.b and first["C10"].font.b and not first["A9"].font.b
    assert [[c.value for c in r] for r in second.iter_rows(min_row=4)] == [
        [str(n), f"人员{n}"] for n in range(1, 6)
    ]


def test_a_book_written_by_a_process_of_its_own_has_the_same_cells(tmp_path, monkeypatch):
    here, there = tmp_path / "here.xlsx", tmp_path / "there.xlsx"
    xlsx.write_book(rows(), str(here), SHEETS, "s")
    monkeypatch.setattr(xlsx, "BATCH", 2)  # several batches, cut across both sheets
    xlsx.write_book_in_process(rows(), str(there), SHEETS, "s")
    assert cells(there) == cells(here)
    assert multiprocessing.active_children() == []


def test_a_failure_while_reading_stops_the_book_writer_and_leaves_no_file(tmp_path):
    def failing():
        yield 0, FIGURES, ["1", "甲", 1], None
        raise RuntimeError("the database went away")

    target = tmp_path / "x.xlsx"
    started = time.monotonic()
    with pytest.raises(RuntimeError):
        xlsx.write_book_in_process(failing(), str(target), SHEETS, "s")
    assert not target.exists()
    assert time.monotonic() - started < 10
    assert multiprocessing.active_children() == []


def test_a_book_writer_that_cannot_write_fails_the_export(tmp_path):
    with pytest.raises(xlsx.WriteFailed):
        xlsx.write_book_in_process(rows(), str(tmp_path / "no" / "x.xlsx"), SHEETS, "s")


def test_a_single_sheet_keeps_its_name_and_takes_no_figure_formats(tmp_path):
    path = tmp_path / "one.xlsx"
    xlsx.write([(ROW, ["1", "甲"], None)], str(path), "t", "s", [("序号", 6), ("问题", 20)])
    assert openpyxl.load_workbook(path).sheetnames == ["整改台账"]
    single = xlsx.SheetWriter(str(tmp_path / "x.xlsx"), "t", [("序号", 6)])
    book = Book(str(tmp_path / "y.xlsx"), SHEETS)
    assert not hasattr(single, "number") and book.sheets[1].number is book.sheets[0].number
    single.close()
    book.close()
