"""Whatever arrives ends in a result or a clean IntakeError, quickly: never a crash or a hang."""

import io
import time
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhenggai.intake import IntakeError, parse_file, parse_lines
from zhenggai.intake.tests.conftest import SEEDS
from zhenggai.intake.tests.make import docx_file, xlsx_file

OUTLINE_ALPHABET = "一二三四五六七八九十、（）()1234567890.．)）①②是在“”方面问题整改情况：:。，\n \u3000\xa0关于学习"


@settings(max_examples=300, deadline=2000)
@given(st.text(OUTLINE_ALPHABET, max_size=400))
def test_any_outline_like_text_parses(text):
    document = parse_lines(text.splitlines())
    for problem in document.problems:
        assert isinstance(problem.title, str)


@settings(max_examples=100, deadline=2000)
@given(st.text(max_size=2000))
def test_any_text_at_all_parses(text):
    parse_lines(text.splitlines())


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.binary(max_size=3000), st.sampled_from([".txt", ".docx", ".xlsx", ".pdf", ""]))
def test_any_bytes_end_cleanly(tmp_path, data, suffix):
    path = tmp_path / f"file{suffix}"
    path.write_bytes(data)
    try:
        parse_file(path)
    except IntakeError:
        pass


def truncated(data: bytes, fraction: float) -> bytes:
    return data[: int(len(data) * fraction)]


@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.9])
@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_truncated_office_files_are_refused(tmp_path, kind, fraction):
    lines = (SEEDS / "000_d078411bcb7ae7e7.txt").read_text(encoding="utf-8").splitlines()
    if kind == "docx":
        whole = docx_file(lines, tmp_path / "whole.docx").read_bytes()
    else:
        whole = xlsx_file(parse_lines(lines), tmp_path / "whole.xlsx").read_bytes()
    path = tmp_path / f"cut.{kind}"
    path.write_bytes(truncated(whole, fraction))
    with pytest.raises(IntakeError):
        parse_file(path)


def test_corrupt_pdf_is_refused(tmp_path):
    path = tmp_path / "bad.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 20)
    with pytest.raises(IntakeError):
        parse_file(path)


def test_a_docx_zip_bomb_is_refused_without_expanding_it(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * (50 * 1024 * 1024))
    path = tmp_path / "bomb.docx"
    path.write_bytes(buffer.getvalue())
    started = time.perf_counter()
    with pytest.raises(IntakeError) as refused:
        parse_file(path)
    assert "zip bomb" in str(refused.value)
    assert time.perf_counter() - started < 2


def test_a_huge_text_parses_in_bounded_time(tmp_path):
    text = (SEEDS / "002_114e543c5f058e51.txt").read_text(encoding="utf-8")
    started = time.perf_counter()
    document = parse_lines((text * 30).splitlines())  # 900 KB: the closing ends the problems
    assert len(document.problems) == 36
    assert time.perf_counter() - started < 10


def test_an_oversized_file_is_refused_before_reading(tmp_path, monkeypatch):
    from zhenggai.intake import readers

    monkeypatch.setattr(readers, "MAX_BYTES", 100)
    path = tmp_path / "big.txt"
    path.write_text("一、问题\n" * 50, encoding="utf-8")
    with pytest.raises(IntakeError) as refused:
        parse_file(path)
    assert "limit" in str(refused.value)


def test_memory_stays_bounded_on_a_large_document(tmp_path):
    import sys
    import tracemalloc
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bench"))
    from intake import synthetic

    path = tmp_path / "large.txt"
    path.write_text(synthetic(2_000_000), encoding="utf-8")
    tracemalloc.start()
    document = parse_file(path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert len(document.problems) > 5000
    assert peak < 150 * 1024 * 1024, f"peak {peak // 2**20} MB for a 2 MB document"
