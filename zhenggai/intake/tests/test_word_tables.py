"""A ledger (台账) pasted into Word is read from its table like an Excel ledger: merged cells,
tables broken across pages or one per area, and a report whose appendix is the ledger, which
gives one outline (the table's) without doubles."""

import copy
import io
import tempfile
import time
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhenggai.intake import IntakeError, parse_file
from zhenggai.intake.readers import docx as word
from zhenggai.intake.tests.make import docx_with_tables

SAMPLES = Path(__file__).resolve().parent / "samples"
# Seconds that tell a hang from a refusal (how fast reading is, is measured in bench/).
HANG = 20
HEADER = ["序号", "存在问题", "整改措施", "责任单位", "整改时限"]
AREAS = ["党的政治建设方面", "全面从严治党方面", "干部队伍建设方面"]


def outline(document) -> list[tuple[str, str, list[str]]]:
    return [(p.number, p.title, p.path) for p in document.problems]


def deadlines(problem) -> list[tuple[str, str | None]]:
    return [(m.deadline.kind, m.deadline.date) for m in problem.measures]


# ---------------------------------------------------------------- the samples


def test_a_table_with_its_header_only_leaves_the_text_to_be_read():
    document = parse_file(SAMPLES / "table_empty.docx")
    assert document.reader == "docx" and document.problems == []


def test_a_table_of_one_problem():
    document = parse_file(SAMPLES / "table_one_row.docx")
    assert (document.reader, document.kind) == ("docx_table", "ledger")
    [problem] = document.problems
    assert (problem.number, problem.path) == ("1", [])
    assert problem.title == "学习不深入（第1项）"
    assert problem.text == "学习不深入（第1项）。个别支部学习流于形式，以读代学。"
    assert [m.text for m in problem.measures] == [
        "开展专题学习研讨，形成学习台账",
        "建立长效机制，定期督促检查",
    ]
    assert problem.lead_units == [] and problem.responsible_units == ["人事科"]
    assert problem.deadline.date == "2024-06-30"


def test_many_rows_under_headings_across_the_table_and_broken_across_pages():
    document = parse_file(SAMPLES / "table_many.docx")
    assert document.reader == "docx_table"
    assert [p.number for p in document.problems] == [str(n) for n in range(1, 25)]
    assert [p.path for p in document.problems] == [[area] for area in AREAS for _ in range(8)]
    # The rows of the second table (no header of its own) carry on the first's columns.
    last = document.problems[-1]
    assert last.responsible_units == ["办公室"] and last.deadline.kind == "ongoing"
    assert len(last.measures) == 2


def test_a_report_whose_appendix_is_the_ledger_gives_one_outline():
    document = parse_file(SAMPLES / "table_merged.docx")
    assert (document.reader, document.kind) == ("docx_table", "report")
    # The table's problems, once: not the text's two (一、二), not the total row.
    assert outline(document) == [
        ("1", "学习不深入", ["政治建设"]),
        ("2", "意识形态工作责任制落实不到位", ["政治建设"]),
        ("3", "作风不实", ["作风建设"]),
    ]
    # The text still says who, when and how many.
    assert document.org == "中共某区科技局党组"
    assert document.title == "中共某区科技局党组关于巡察整改情况的报告"
    assert document.inspector == "区委第二巡察组"
    assert document.dates == {
        "inspection_start": "2023-03-01",
        "inspection_end": "2023-04-30",
        "feedback": "2023-06-05",
        "report": "2023-11-20",
    }
    assert document.declared == {"areas": 2, "problems": 3}
    assert [w.code for w in document.warnings] == ["table_outline_used"]
    assert document.warnings[0].args == {"text": 2, "table": 3}


def test_one_problem_merged_over_its_measures_rows_keeps_each_measures_section_and_deadline():
    first, _, third = parse_file(SAMPLES / "table_merged.docx").problems
    assert [m.text for m in first.measures] == ["建立学习制度", "开展专题学习"]
    assert deadlines(first) == [("date", "2023-07-31"), ("ongoing", None)]
    assert [m.lead_units for m in first.measures] == [["办公室"], ["机关党委"]]
    # A section cell merged over both rows is each row's.
    assert [m.responsible_units for m in first.measures] == [["各科室"], ["各科室"]]
    assert first.lead_units == ["办公室", "机关党委"] and first.deadline is None
    assert deadlines(third) == [("date", "2023-09-30"), ("date", "2023-10-31")]
    assert [m.lead_units for m in third.measures] == [["纪检组"], ["纪检组"]]


def test_one_table_per_area_takes_its_caption_as_the_area():
    document = parse_file(SAMPLES / "table_per_area.docx")
    assert document.reader == "docx_table"
    assert [p.path for p in document.problems] == [[area] for area in AREAS for _ in range(3)]
    assert document.warnings == []  # the captions are the tables' areas, not another outline


def test_a_damaged_word_file_is_refused():
    with pytest.raises(IntakeError) as refused:
        parse_file(SAMPLES / "table_broken.docx")
    assert "damaged" in str(refused.value)


def test_the_reader_gives_tables_on_their_grid_with_merges_as_excel_leaves_them():
    read = word.read(SAMPLES / "table_merged.docx")
    [rows] = read.tables
    assert rows[0] == ["序号", "问题类别", "存在问题", "整改措施", "整改措施", "责任", "责任"]
    assert rows[1] == ["", "", "", "具体措施", "完成时限", "牵头单位", "责任单位"]
    assert rows[3] == ["", "", "", "开展专题学习", "长期坚持", "机关党委", ""]
    # The lines keep each row as before: merged cells once, continued merges with their text.
    start, end = read.table_lines[0]
    assert end - start == len(rows)
    assert (
        read.lines[start + 3] == "1\t政治建设\t学习不深入\t开展专题学习\t长期坚持\t机关党委\t各科室"
    )


# ---------------------------------------------------------------- shapes built here


def test_a_table_that_is_no_ledger_is_read_as_text(tmp_path):
    path = docx_with_tables(
        [
            "某局关于巡察整改情况的报告",
            "一、问题整改情况",
            "（一）学习不深入的问题",
            "整改情况：建立制度。",
            [["姓名", "职务", "电话"], ["张三", "科长", "12345"]],
        ],
        tmp_path / "contacts.docx",
    )
    document = parse_file(path)
    assert document.reader == "docx"
    assert outline(document) == [("一", "学习不深入的问题", ["问题整改情况"])]


def test_a_problem_repeated_on_each_of_its_rows_is_one_problem(tmp_path):
    rows = [
        HEADER,
        ["1", "学习不深入", "建立制度", "办公室", "2024年3月31日"],
        ["1", "学习不深入", "开展学习", "人事科", "长期坚持"],
        ["2", "作风不实", "加强督查", "纪检组", "立行立改"],
    ]
    document = parse_file(docx_with_tables(["整改台账", rows], tmp_path / "t.docx"))
    assert [(p.number, len(p.measures)) for p in document.problems] == [("1", 2), ("2", 1)]
    assert deadlines(document.problems[0]) == [("date", "2024-03-31"), ("ongoing", None)]
    assert document.problems[0].responsible_units == ["办公室", "人事科"]


def test_a_table_repeating_its_header_on_the_next_page_is_one_ledger(tmp_path):
    path = docx_with_tables(
        [
            "整改台账",
            [HEADER, ["1", "学习不深入", "建立制度", "办公室", "立行立改"]],
            [HEADER, ["2", "作风不实", "加强督查", "纪检组", "立行立改"]],
        ],
        tmp_path / "t.docx",
    )
    assert outline(parse_file(path)) == [("1", "学习不深入", []), ("2", "作风不实", [])]


def test_problems_under_a_task_column_in_a_plan(tmp_path):
    rows = [
        ["序号", "整改任务", "整改措施", "牵头单位", "完成时限"],
        ["1", "规范“三重一大”决策", "修订议事规则", "办公室", "2024年6月底前"],
    ]
    path = docx_with_tables(["某局巡察整改工作方案", rows], tmp_path / "plan.docx")
    document = parse_file(path)
    assert (document.kind, document.reader) == ("plan", "docx_table")
    assert document.problems[0].title == "规范“三重一大”决策"
    assert document.problems[0].deadline.date == "2024-06-30"


def _with_document_xml(path: Path, xml: bytes, target: Path) -> Path:
    """The Word file at `path` with its document part replaced by `xml`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = xml if info.filename == "word/document.xml" else source.read(info)
            out.writestr(info.filename, data)
    target.write_bytes(buffer.getvalue())
    return target


def test_a_cell_claiming_to_span_a_million_columns_is_cut(tmp_path):
    source = SAMPLES / "table_one_row.docx"
    with zipfile.ZipFile(source) as archive:
        xml = archive.read("word/document.xml")
    spanning = b'<w:tc><w:tcPr><w:gridSpan w:val="1000000000"/>'
    xml = xml.replace(b"<w:tc><w:tcPr>", spanning, 1)
    path = _with_document_xml(source, xml, tmp_path / "span.docx")
    started = time.perf_counter()
    read = word.read(path)
    assert max(len(row) for row in read.tables[0]) == word.MAX_COLUMNS
    assert time.perf_counter() - started < HANG


def test_a_docx_shaped_bomb_of_table_rows_is_refused_in_bounded_time(tmp_path):
    """A sound Word file whose table part expands to 64 MB of rows (100 to 200 times its packed
    size: below what the whole archive is refused for, above what Word's XML ever expands)."""
    source = SAMPLES / "table_one_row.docx"
    with zipfile.ZipFile(source) as archive:
        xml = archive.read("word/document.xml")
    start, end = xml.index(b"<w:tr>", xml.index(b"<w:tr>") + 1), xml.index(b"</w:tbl>")
    rows = xml[start:end] * (64 * 2**20 // (end - start))
    bomb = _with_document_xml(source, xml[:start] + rows + xml[end:], tmp_path / "bomb.docx")
    assert bomb.stat().st_size < 2**20
    started = time.perf_counter()
    with pytest.raises(IntakeError) as refused:
        parse_file(bomb)
    assert "zip bomb" in str(refused.value)
    assert time.perf_counter() - started < HANG


def test_a_word_part_larger_than_python_docx_should_hold_is_refused(tmp_path, monkeypatch):
    from zhenggai.intake import readers

    monkeypatch.setattr(readers, "MAX_WORD_PART", 10_000)
    with pytest.raises(IntakeError) as refused:
        parse_file(SAMPLES / "table_many.docx")
    assert "word/document.xml expands to" in str(refused.value)


def test_a_docx_whose_sizes_lie_is_refused_in_bounded_time(tmp_path):
    """The zip's directory says the document part is small; its data expands far beyond."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(SAMPLES / "table_one_row.docx") as source:
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
            for info in source.infolist():
                data = source.read(info)
                if info.filename == "word/document.xml":
                    data = data.replace(b"</w:body>", b" " * (64 * 2**20) + b"</w:body>")
                out.writestr(info.filename, data)
    packed = bytearray(buffer.getvalue())
    # Rewrite the central directory's uncompressed size of the document part to 1 KB.
    name = b"word/document.xml"
    at = packed.rindex(name) - 46  # central directory header: name at offset 46
    assert packed[at : at + 4] == b"PK\x01\x02"
    packed[at + 24 : at + 28] = (1024).to_bytes(4, "little")
    path = tmp_path / "lying.docx"
    path.write_bytes(bytes(packed))
    started = time.perf_counter()
    with pytest.raises(IntakeError):
        parse_file(path)
    assert time.perf_counter() - started < HANG


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
EDITS = st.tuples(
    st.sampled_from(["drop", "double", "gridSpan", "vMerge", "gridBefore"]),
    st.integers(0, 10_000),
    st.sampled_from(["0", "-3", "2", "7", "1000000000", "x", "", "restart", "continue"]),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(EDITS, max_size=12))
def test_any_reshaped_ledger_table_ends_cleanly(edits):
    """Rows and cells dropped or doubled, spans and merges of any value anywhere: a result or
    IntakeError, quickly."""
    from lxml import etree

    source = SAMPLES / "table_merged.docx"
    with zipfile.ZipFile(source) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    elements = list(root.iter(f"{W}tr", f"{W}tc"))
    for action, index, value in edits:
        element = elements[index % len(elements)]
        if element.getparent() is None:
            continue
        if action == "drop":
            element.getparent().remove(element)
        elif action == "double":
            element.addnext(copy.deepcopy(element))
        else:
            properties = f"{W}tcPr" if element.tag == f"{W}tc" else f"{W}trPr"
            holder = element.find(properties)
            if holder is None:
                holder = etree.Element(properties)
                element.insert(0, holder)
            etree.SubElement(holder, f"{W}{action}").set(f"{W}val", value)
    with tempfile.TemporaryDirectory() as folder:
        path = _with_document_xml(source, etree.tostring(root), Path(folder) / "t.docx")
        started = time.perf_counter()
        try:
            document = parse_file(path)
        except IntakeError:
            return
        assert document.reader in ("docx", "docx_table")
        assert time.perf_counter() - started < HANG
