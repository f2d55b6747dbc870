"""lib.pdf: a Word paper made PDF by LibreOffice with the project's font map, a few at a time,
and refused in Chinese (PdfRefused, a Refused) when it cannot be made."""

import subprocess
import xml.etree.ElementTree as ET

import pytest

from zhenggai.lib import pdf
from zhenggai.lib.errors import Refused


def _fake_soffice(tmp_path, body: str):
    """A stand-in for soffice: it is called as lib.soffice calls it ($7 the output directory)."""
    program = tmp_path / "soffice"
    program.write_text(f"#!/bin/sh\n{body}\n")
    program.chmod(0o755)
    return str(program)


@pytest.fixture
def machine(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    settings.PDF_CONCURRENCY, settings.SOFFICE_TIMEOUT = 2, 10
    return settings


def test_without_libreoffice_the_pdf_is_refused_in_chinese(machine):
    machine.SOFFICE = "/nonexistent/soffice"
    assert pdf.soffice() is None and not pdf.available()
    with pytest.raises(pdf.PdfRefused) as refused:
        pdf.to_pdf(b"PK")
    assert refused.value.message == pdf.NO_PDF
    assert "LibreOffice" in refused.value.message and "Word" in refused.value.message
    assert isinstance(refused.value, Refused)  # the views' `except Refused` catch it


def test_libreoffice_is_handed_the_document_and_the_projects_font_map(machine, tmp_path):
    seen = tmp_path / "seen"
    machine.SOFFICE = _fake_soffice(
        tmp_path,
        f'printf "%s" "$FONTCONFIG_FILE" > {seen}\ncp "$8" {tmp_path}/handed.docx\n'
        'printf "%%PDF-1.4 made" > "$7/document.pdf"',
    )
    assert pdf.to_pdf(b"the docx") == b"%PDF-1.4 made"
    assert (tmp_path / "handed.docx").read_bytes() == b"the docx"
    assert seen.read_text() == str(pdf.FONTS)
    assert pdf.FONTS.parent.name == "lib" and pdf.FONTS.is_file()


def test_the_font_map_gives_every_gb9704_font_a_server_font():
    families = {
        match.find("test/string").text: [s.text for s in match.findall("edit/string")]
        for match in ET.parse(pdf.FONTS).getroot().findall("match")
    }
    assert set(families) == {"方正小标宋简体", "仿宋_GB2312", "楷体_GB2312", "黑体", "宋体"}
    assert all(any("Noto" in name for name in names) for names in families.values())


def test_a_conversion_that_fails_or_writes_nothing_is_refused(machine, tmp_path):
    machine.SOFFICE = _fake_soffice(tmp_path, "exit 3")
    with pytest.raises(pdf.PdfRefused) as refused:
        pdf.to_pdf(b"x")
    assert refused.value.message == pdf.PDF_FAILED == "生成 PDF 失败，请下载 Word 版本。"
    machine.SOFFICE = _fake_soffice(tmp_path, "exit 0")  # soffice's way of not loading a file
    with pytest.raises(pdf.PdfRefused) as refused:
        pdf.to_pdf(b"x")
    assert refused.value.message == pdf.PDF_FAILED and "wrote no" in refused.value.reason


def test_a_conversion_that_overruns_is_killed_with_what_it_started(machine, tmp_path):
    machine.SOFFICE = _fake_soffice(tmp_path, "sleep 41.5 &\nsleep 41.5")
    machine.SOFFICE_TIMEOUT = 1
    with pytest.raises(pdf.PdfRefused) as refused:
        pdf.to_pdf(b"x")
    assert refused.value.message == "生成 PDF 超时，请稍后重试或下载 Word 版本。"
    left = subprocess.run(["pgrep", "-f", "sleep 41.5"], capture_output=True, text=True).stdout
    assert left.strip() == ""


def test_conversions_beyond_the_limit_are_asked_to_wait(machine):
    machine.PDF_CONCURRENCY = 1
    with pdf.pdf_slot():
        with pytest.raises(pdf.PdfRefused) as refused:
            with pdf.pdf_slot():
                pass
    assert refused.value.message == "服务器正在生成其他 PDF，请稍后再试，或下载 Word 版本。"
    with pdf.pdf_slot():  # free again
        pass


def test_a_busy_machine_refuses_before_starting_libreoffice(machine, tmp_path):
    started = tmp_path / "started"
    machine.SOFFICE = _fake_soffice(tmp_path, f"touch {started}")
    machine.PDF_CONCURRENCY = 1
    with pdf.pdf_slot(), pytest.raises(pdf.PdfRefused):
        pdf.to_pdf(b"x")
    assert not started.exists()
