"""Word 97–2003 (.doc), WPS text (.wps), Excel 97–2003 (.xls) and WPS spreadsheets (.et) are
converted by LibreOffice and read as their modern form; when LibreOffice is absent, too slow or
cannot load the file, the reason says so."""

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from zhenggai.intake import IntakeError, parse_file
from zhenggai.intake.readers import needs_background
from zhenggai.lib import soffice

SAMPLES = Path(__file__).resolve().parent / "samples"
PROGRAM = soffice.find()
needs_writer = pytest.mark.skipif(PROGRAM is None, reason="LibreOffice is not installed")
needs_calc = pytest.mark.skipif(
    PROGRAM is None or not list(Path(os.path.realpath(PROGRAM)).parent.glob("libsclo.so*")),
    reason="LibreOffice Calc is not installed",
)


def outline(document) -> list[tuple[str, str, list[str]]]:
    return [(p.number, p.title, p.path) for p in document.problems]


@needs_writer
@pytest.mark.parametrize(
    "name, legacy", [("ledger_merged.doc", "doc"), ("ledger_merged.wps", "wps")]
)
def test_word_and_wps_text_files_read_as_their_docx(name, legacy):
    document = parse_file(SAMPLES / name)
    assert (document.reader, document.converted_from) == ("docx_table", legacy)
    modern = parse_file(SAMPLES / "table_merged.docx")
    assert outline(document) == outline(modern)
    assert [[m.text for m in p.measures] for p in document.problems] == [
        [m.text for m in p.measures] for p in modern.problems
    ]
    assert (document.org, document.dates, document.declared) == (
        modern.org,
        modern.dates,
        modern.declared,
    )


@needs_calc
@pytest.mark.parametrize("name, legacy", [("ledger_sheets.xls", "xls"), ("ledger_sheets.et", "et")])
def test_excel_and_wps_spreadsheets_read_as_their_xlsx(name, legacy):
    document = parse_file(SAMPLES / name)
    assert (document.reader, document.converted_from, document.kind) == ("xlsx", legacy, "ledger")
    assert [p.number for p in document.problems] == ["1", "2", "3", "4", "5", "6", "7", "8"]
    # One sheet per area, and the total row under each is no problem.
    assert [p.path for p in document.problems] == [["党的政治建设方面"]] * 4 + [
        ["全面从严治党方面"]
    ] * 4
    assert document.problems[0].responsible_units == ["人事科"]


def test_legacy_files_are_read_in_the_background():
    for name in ("ledger_merged.doc", "ledger_merged.wps", "ledger_sheets.xls", "ledger_sheets.et"):
        assert needs_background(SAMPLES / name), name
    assert not needs_background(SAMPLES / "table_merged.docx")


@needs_writer
def test_the_converted_file_is_kept_in_the_workdir_or_nowhere(tmp_path, monkeypatch):
    kept = tmp_path / "kept"  # made when missing
    parse_file(SAMPLES / "ledger_merged.doc", workdir=kept)
    # The .docx made, and neither the copy converted nor LibreOffice's profile.
    assert [p.name for p in kept.glob("*/*")] == ["source.docx"]
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(scratch))
    parse_file(SAMPLES / "ledger_merged.doc")
    assert list(scratch.iterdir()) == []


def test_without_libreoffice_the_reason_says_so(monkeypatch):
    monkeypatch.setenv("ZHENGGAI_SOFFICE", "/nonexistent/soffice")
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(IntakeError) as refused:
        parse_file(SAMPLES / "ledger_merged.wps")
    assert "LibreOffice is not installed: a .wps file is read by converting it" in str(
        refused.value
    )


def test_a_conversion_that_overruns_is_killed_and_says_so(tmp_path, monkeypatch):
    marker = f"sleep 41.{os.getpid() % 1000}"
    slow = tmp_path / "soffice"
    slow.write_text(f"#!/bin/sh\n{marker} &\n{marker}\n")  # and what it starts
    slow.chmod(0o755)
    monkeypatch.setenv("ZHENGGAI_SOFFICE", str(slow))
    started = time.perf_counter()
    with pytest.raises(IntakeError) as refused:
        parse_file(SAMPLES / "ledger_sheets.et", timeout=1)
    assert "the conversion timed out" in str(refused.value) and ".et" in str(refused.value)
    assert time.perf_counter() - started < 10
    left = subprocess.run(["pgrep", "-f", marker], capture_output=True, text=True).stdout
    assert left.strip() == ""


@needs_writer
def test_a_file_libreoffice_cannot_load_is_refused_as_a_failed_conversion():
    with pytest.raises(IntakeError) as refused:
        parse_file(SAMPLES / "broken_streams.doc")
    assert "the conversion failed" in str(refused.value)


def test_a_damaged_compound_file_is_refused_without_converting(monkeypatch):
    monkeypatch.setenv("ZHENGGAI_SOFFICE", "/nonexistent/soffice")
    with pytest.raises(IntakeError) as refused:
        parse_file(SAMPLES / "broken_container.doc")
    assert "a damaged Office 97–2003 file" in str(refused.value)


@needs_writer
def test_a_legacy_file_under_any_name_is_converted_by_what_it_holds(tmp_path):
    path = tmp_path / "上传的文件"
    shutil.copyfile(SAMPLES / "ledger_merged.wps", path)
    document = parse_file(path)
    assert (document.reader, document.converted_from) == ("docx_table", "doc")
    assert len(document.problems) == 3
