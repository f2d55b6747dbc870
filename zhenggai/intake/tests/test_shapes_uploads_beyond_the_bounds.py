"""An upload is bounded within the importer, whatever shape hides its size: lines counted after
headings run together are split, problems counted before their facts are read, and the rows of
a Word document's tables counted as an Excel workbook's are. Each is refused with a reason."""

import time
from pathlib import Path

import pytest

from zhenggai.intake import IntakeError, outline, parse_file, parse_lines
from zhenggai.intake.readers import docx as word

SAMPLES = Path(__file__).parent / "samples"


def test_one_line_of_headings_run_together_counts_as_many_lines():
    line = "。一、" * (outline.MAX_LINES + 1)
    started = time.perf_counter()
    with pytest.raises(IntakeError) as refused:
        parse_lines([line], "run.txt")
    assert str(refused.value) == f"run.txt: too many lines, more than {outline.MAX_LINES}"
    assert time.perf_counter() - started < 10


def test_more_problems_than_the_bound_are_refused(monkeypatch):
    monkeypatch.setattr(outline, "MAX_PROBLEMS", 50)
    lines = ["关于巡察整改情况的报告", *(f"{n}.学习不深入。" for n in range(1, 52))]
    with pytest.raises(IntakeError) as refused:
        parse_lines(lines, "many.txt")
    assert str(refused.value) == "many.txt: too many problems, more than 50"
    assert len(parse_lines(lines[:51]).problems) == 50


def test_word_table_rows_beyond_the_bound_are_refused(monkeypatch):
    rows = sum(len(table) for table in word.read(SAMPLES / "table_many.docx").tables)
    monkeypatch.setattr(word, "MAX_ROWS", rows - 1)
    with pytest.raises(IntakeError) as refused:
        parse_file(SAMPLES / "table_many.docx")
    assert str(refused.value).endswith(f"too many rows, more than {rows - 1}")
    monkeypatch.setattr(word, "MAX_ROWS", rows)
    assert parse_file(SAMPLES / "table_many.docx").problems
