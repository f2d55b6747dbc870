"""Why a legacy file (.doc, .wps, .xls, .et) could not be read is said in Chinese, each reason
in its own words, not as a damaged file in general."""

from pathlib import Path

import pytest

from zhenggai.intake import IntakeError, parse_file
from zhenggai.ledger.import_drafts import REASONS_ZH

SAMPLES = Path(__file__).resolve().parents[2] / "intake" / "tests" / "samples"


def chinese(reason: str) -> str:
    """The first wording whose English words the reason holds, as the draft page picks it."""
    return next(chinese for english, chinese in REASONS_ZH if english in reason)


def reason_of(path: Path, **options) -> str:
    with pytest.raises(IntakeError) as refused:
        parse_file(path, **options)
    return str(refused.value)


def test_libreoffice_absent(monkeypatch):
    monkeypatch.setenv("ZHENGGAI_SOFFICE", "/nonexistent/soffice")
    assert "未安装 LibreOffice" in chinese(reason_of(SAMPLES / "ledger_merged.doc"))


def test_conversion_timed_out(monkeypatch, tmp_path):
    slow = tmp_path / "soffice"
    slow.write_text("#!/bin/sh\nexec sleep 30\n")
    slow.chmod(0o755)
    monkeypatch.setenv("ZHENGGAI_SOFFICE", str(slow))
    assert "转换超时" in chinese(reason_of(SAMPLES / "ledger_sheets.xls", timeout=0.5))


def test_conversion_failed(monkeypatch, tmp_path):
    failing = tmp_path / "soffice"
    failing.write_text("#!/bin/sh\nexit 3\n")
    failing.chmod(0o755)
    monkeypatch.setenv("ZHENGGAI_SOFFICE", str(failing))
    assert "转换失败" in chinese(reason_of(SAMPLES / "ledger_merged.wps"))


def test_uploads_beyond_the_importers_bounds(monkeypatch):
    from zhenggai.intake import outline
    from zhenggai.intake.readers import docx as word

    monkeypatch.setattr(word, "MAX_ROWS", 1)
    assert "表格行数过多" in chinese(reason_of(SAMPLES / "table_many.docx"))
    seed = next((SAMPLES.parents[2] / "demo" / "seeds").glob("000_*.txt"))
    monkeypatch.setattr(outline, "MAX_LINES", 1)
    assert "文件行数过多" in chinese(reason_of(seed))
    monkeypatch.setattr(outline, "MAX_LINES", 200_000)
    monkeypatch.setattr(outline, "MAX_PROBLEMS", 1)
    assert "问题过多" in chinese(reason_of(seed))
