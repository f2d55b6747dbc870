"""Each reader gives the same outline as the plain text of a seed."""

import pytest

from zhenggai.intake import IntakeError, parse_file
from zhenggai.intake.readers.text import decode
from zhenggai.intake.tests.conftest import SEEDS, expected_outline, outline_of
from zhenggai.intake.tests.make import docx_file, pdf_file, xlsx_file


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_text_in_any_encoding_gives_the_same_outline(seed, tmp_path, encoding):
    name, text = seed
    if encoding == "gb18030":
        text = text.replace(
            "\xa0", " "
        )  # GBK has no no-break space; GB18030 does, but keep it plain
    path = tmp_path / "seed.txt"
    path.write_bytes(text.replace("\n", "\r\n").encode(encoding))
    assert outline_of(parse_file(path)) == expected_outline(name)


def test_undecodable_bytes_are_refused():
    with pytest.raises(IntakeError):
        decode(b"\xff\xfe\xfa" * 10 + b"\x81")


def test_docx_with_typed_numbers_gives_the_same_outline(seed, tmp_path):
    name, text = seed
    path = docx_file(text.splitlines(), tmp_path / "seed.docx")
    assert outline_of(parse_file(path)) == expected_outline(name)


def test_docx_with_word_generated_numbers_gives_the_same_outline(seed, tmp_path):
    name, text = seed
    path = docx_file(text.splitlines(), tmp_path / "seed.docx", auto_numbered=True)
    assert outline_of(parse_file(path)) == expected_outline(name)


def test_xlsx_ledger_gives_the_same_problems(seed, tmp_path):
    name, text = seed
    document = parse_file(SEEDS / name)
    again = parse_file(xlsx_file(document, tmp_path / "ledger.xlsx"))
    assert again.kind == "ledger"
    assert [(p.number, p.title, p.path) for p in again.problems] == expected_outline(name)
    assert [len(p.measures) for p in again.problems] == [len(p.measures) for p in document.problems]


def test_xlsx_header_is_found_under_a_title_and_with_variant_names(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["某局巡察反馈问题整改台账"])
    sheet.append([])
    sheet.append(["编号", "方面", "存在问题", "整改举措", "牵头科室", "完成时限", "完成情况"])
    sheet.append(
        ["1", "政治建设", "学习不深入。如：……", "1.建立制度\n2.开展学习", "办公室", "立行立改", ""]
    )
    sheet.append(["2", "", "作风不实", "加强督查", "综合科", "2024年6月30日", ""])
    book.save(tmp_path / "l.xlsx")
    problems = parse_file(tmp_path / "l.xlsx").problems
    assert [(p.number, p.title, p.path) for p in problems] == [
        ("1", "学习不深入", ["政治建设"]),
        ("2", "作风不实", ["政治建设"]),
    ]
    # The cell's own numbering is dropped: the ledger numbers measures itself.
    assert [m.text for m in problems[0].measures] == ["建立制度", "开展学习"]
    assert problems[0].deadline.kind == "immediate" and problems[1].deadline.date == "2024-06-30"


@pytest.mark.browser
def test_pdf_gives_the_same_outline(seed, tmp_path):
    name, text = seed
    path = pdf_file(text.splitlines(), tmp_path / "seed.pdf")
    assert outline_of(parse_file(path)) == expected_outline(name)


def test_a_pdf_without_text_is_read_by_ocr_which_finds_nothing_on_a_blank_page(tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(BLANK_PDF)
    with pytest.raises(IntakeError) as refused:
        parse_file(path)
    assert "OCR found no text" in str(refused.value)


BLANK_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n"
    b"0000000101 00000 n \ntrailer<</Size 4/Root 1 0 R>>\nstartxref\n170\n%%EOF\n"
)
