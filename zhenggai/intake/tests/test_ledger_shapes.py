"""Ledgers as offices make them: the problem column under any of its names, two header rows under
merged cells, one sheet per area, merged cells down the rows of a category or of a problem's
measures, and a total row at the end."""

import openpyxl
import pytest

from zhenggai.intake import IntakeError, parse_file
from zhenggai.intake.ledger import find_header, parse_rows


def workbook(path, sheets: dict[str, list[list]], merges: dict[str, list[str]] | None = None):
    """An .xlsx of `sheets` ({name: rows}); `merges` names each sheet's merged ranges."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for cells in (merges or {}).get(name, []):
            sheet.merge_cells(cells)
    book.save(str(path))
    return path


def titles(document) -> list[tuple[str, str, list[str]]]:
    return [(p.number, p.title, p.path) for p in document.problems]


@pytest.mark.parametrize(
    "name", ["整改任务", "存在问题", "问题描述", "反馈问题", "问题表现", "具体问题"]
)
def test_the_problem_column_goes_by_any_of_its_names(name):
    rows = [
        ["序号", name, "整改措施", "责任单位", "完成时限"],
        ["1", "学习不深入", "建立制度", "办公室", "2024年6月30日"],
    ]
    assert titles(parse_rows(rows)) == [("1", "学习不深入", [])]


def test_a_task_column_beside_a_problem_column_is_not_the_problem():
    rows = [
        ["序号", "存在问题", "整改任务", "整改措施", "责任单位"],
        ["1", "学习不深入", "提高学习质量", "建立制度", "办公室"],
    ]
    problem = parse_rows(rows).problems[0]
    assert problem.title == "学习不深入" and [m.text for m in problem.measures] == ["建立制度"]


def test_two_header_rows_under_merged_cells(tmp_path):
    rows = [
        ["区科技局巡察反馈问题整改台账"],
        ["序号", "问题类别", "反馈问题", "整改措施", None, "责任", None],
        [None, None, None, "具体措施", "完成时限", "牵头单位", "责任单位"],
        ["1", "政治建设", "学习不深入", "建立制度", "2024年3月31日", "办公室", "人事科、财务科"],
    ]
    merges = ["A1:G1", "A2:A3", "B2:B3", "C2:C3", "D2:E2", "F2:G2"]
    path = workbook(tmp_path / "l.xlsx", {"台账": rows}, {"台账": merges})
    document = parse_file(path)
    [problem] = document.problems
    assert (problem.number, problem.title, problem.path) == ("1", "学习不深入", ["政治建设"])
    [measure] = problem.measures
    assert measure.text == "建立制度" and measure.deadline.date == "2024-03-31"
    assert measure.lead_units == ["办公室"] and measure.responsible_units == ["人事科", "财务科"]


def test_the_header_found_in_two_rows_names_its_last_row():
    rows = [
        ["序号", "问题清单", "任务清单", "", "责任清单", ""],
        ["", "", "整改措施", "完成时限", "牵头单位", "责任单位"],
        ["1", "学习不深入", "建立制度", "立行立改", "办公室", "人事科"],
    ]
    last, columns = find_header(rows)
    assert last == 1
    assert columns == {
        "number": 0,
        "problem": 1,
        "measures": 2,
        "deadline": 3,
        "lead": 4,
        "responsible": 5,
    }


def test_a_data_row_under_the_header_is_not_taken_for_a_second_header_row():
    rows = [["序号", "问题", "整改措施", "责任单位"], ["一", "作风问题", "加强督查", "纪检组"]]
    assert find_header(rows)[0] == 0
    assert titles(parse_rows(rows)) == [("一", "作风问题", [])]


AREA_ROWS = {
    "政治建设": [["序号", "存在问题", "整改措施"], ["1", "学习不深入", "建立制度"]],
    "作风建设": [["序号", "存在问题", "整改措施"], ["1", "作风不实", "加强督查"]],
}


def test_one_sheet_per_area_names_the_area(tmp_path):
    sheets = {"填表说明": [["本表由各科室填写"]], **AREA_ROWS}
    document = parse_file(workbook(tmp_path / "l.xlsx", sheets))
    assert titles(document) == [
        ("1", "学习不深入", ["政治建设"]),
        ("1", "作风不实", ["作风建设"]),
    ]


def test_sheets_with_a_category_column_keep_it_and_not_the_sheet_name(tmp_path):
    header = ["序号", "问题类别", "存在问题", "整改措施"]
    sheets = {
        "第一部分": [header, ["1", "政治建设", "学习不深入", "建立制度"]],
        "第二部分": [header, ["2", "作风建设", "作风不实", "加强督查"]],
    }
    document = parse_file(workbook(tmp_path / "l.xlsx", sheets))
    assert [p.path for p in document.problems] == [["政治建设"], ["作风建设"]]


def test_sheets_named_by_default_are_no_areas(tmp_path):
    sheets = dict(zip(["Sheet1", "Sheet2"], AREA_ROWS.values(), strict=True))
    document = parse_file(workbook(tmp_path / "l.xlsx", sheets))
    assert [p.path for p in document.problems] == [[], []]


def test_a_workbook_without_a_ledger_header_is_refused(tmp_path):
    path = workbook(tmp_path / "l.xlsx", {"A": [["姓名", "电话"]], "B": [["说明"]]})
    with pytest.raises(IntakeError) as refused:
        parse_file(path)
    assert "no header row" in str(refused.value) and "2 sheets" in str(refused.value)


@pytest.mark.parametrize("total", ["合计", "总计", "共计", "合  计", "小计"])
def test_a_total_row_at_the_end_is_not_a_problem(total):
    rows = [
        ["序号", "存在问题", "整改措施", "责任单位"],
        ["1", "学习不深入", "建立制度", "办公室"],
        [total, "1个问题", "1条措施", ""],
    ]
    assert titles(parse_rows(rows)) == [("1", "学习不深入", [])]


def test_a_total_in_the_problem_column_is_not_a_problem_either():
    rows = [
        ["序号", "存在问题", "整改措施", "责任单位"],
        ["1", "学习不深入", "建立制度", "办公室"],
        ["", "共计：1个问题", "", ""],
    ]
    assert len(parse_rows(rows).problems) == 1


def test_merged_category_cells_carry_down(tmp_path):
    rows = [
        ["序号", "问题类别", "存在问题", "整改措施"],
        ["1", "政治建设", "学习不深入", "建立制度"],
        ["2", None, "意识形态工作不到位", "修订细则"],
        ["3", "作风建设", "作风不实", "加强督查"],
    ]
    path = workbook(tmp_path / "l.xlsx", {"台账": rows}, {"台账": ["B2:B3"]})
    assert [p.path for p in parse_file(path).problems] == [["政治建设"], ["政治建设"], ["作风建设"]]


def test_a_problem_merged_over_its_measures_rows_keeps_each_rows_section_and_deadline(tmp_path):
    rows = [
        ["序号", "存在问题", "整改措施", "牵头单位", "完成时限"],
        ["1", "学习不深入", "建立制度", "办公室", "2024年3月31日"],
        [None, None, "开展学习", "机关党委", "长期坚持"],
        [None, None, "督促检查", None, None],
        ["2", "作风不实", "加强督查", "纪检组", "立行立改"],
    ]
    path = workbook(
        tmp_path / "l.xlsx", {"台账": rows}, {"台账": ["A2:A4", "B2:B4", "D3:D4", "E3:E4"]}
    )
    first, second = parse_file(path).problems
    assert [m.text for m in first.measures] == ["建立制度", "开展学习", "督促检查"]
    # The section and deadline merged over the last two rows are each row's.
    assert [m.lead_units for m in first.measures] == [["办公室"], ["机关党委"], ["机关党委"]]
    assert [m.deadline.kind for m in first.measures] == ["date", "ongoing", "ongoing"]
    assert first.lead_units == ["办公室", "机关党委"] and first.deadline is None
    assert [m.text for m in second.measures] == ["加强督查"]


def test_a_row_across_the_sheet_heads_the_problems_below_it(tmp_path):
    rows = [
        ["序号", "存在问题", "整改措施", "责任单位"],
        ["一、党的政治建设方面", None, None, None],
        ["1", "学习不深入", "建立制度", "办公室"],
        ["二、作风建设方面", None, None, None],
        ["2", "作风不实", "加强督查", "纪检组"],
    ]
    path = workbook(tmp_path / "l.xlsx", {"台账": rows}, {"台账": ["A2:D2", "A4:D4"]})
    assert titles(parse_file(path)) == [
        ("1", "学习不深入", ["党的政治建设方面"]),
        ("2", "作风不实", ["作风建设方面"]),
    ]


def test_a_problem_without_measures_is_still_a_problem():
    rows = [["序号", "反馈问题", "整改措施", "责任单位"], ["1", "学习不深入", "", ""]]
    assert titles(parse_rows(rows)) == [("1", "学习不深入", [])]


@pytest.mark.parametrize(
    "total, declared",
    [("4个问题", 4), ("共计:问题1项", 1), ("3个方面5个问题", 5), ("58条措施", None)],
)
def test_the_total_row_declares_the_problems_it_counts(total, declared):
    rows = [["序号", "存在问题", "整改措施"], ["1", "学习不深入", "建立制度"], ["合计", total, ""]]
    assert parse_rows(rows).declared.get("problems") == declared


def test_the_totals_of_sheets_add_up_and_a_title_row_may_declare_them(tmp_path):
    sheets = {name: [*rows, ["合计", "1个问题"]] for name, rows in AREA_ROWS.items()}
    document = parse_file(workbook(tmp_path / "l.xlsx", sheets))
    assert document.declared == {"problems": 2} and document.warnings == []
    titled = {"台账": [["荆州市创文督查27个问题清单"], *AREA_ROWS["政治建设"]]}
    document = parse_file(workbook(tmp_path / "t.xlsx", titled))
    assert document.declared == {"problems": 27}
    assert [w.code for w in document.warnings] == ["declared_problems_mismatch"]


def test_the_place_a_check_found_problems_at_is_their_category(tmp_path):
    rows = [
        ["序号", "督查点位", "具体问题", "责任单位", "整改时限"],
        [1, "市科技馆", "院内电动车未按指定区域停放", "市科技馆", "3天"],
        [2, None, "灭火器过期未更换", "市科技馆", "3天"],
    ]
    path = workbook(tmp_path / "l.xlsx", {"台账": rows})
    assert [p.path for p in parse_file(path).problems] == [["市科技馆"], ["市科技馆"]]


def test_a_sheet_claiming_excels_full_width_is_read_a_ledgers_width(tmp_path):
    """A sheet's stated size (<dimension ref="A1:XFD…">) pads each row to it in read-only
    mode: 16,384 cells a row would make a short file take gigabytes."""
    import re
    import zipfile

    from zhenggai.intake.readers import xlsx

    rows = [["序号", "存在问题", "整改措施"], *[[n, "学习不深入", "建立制度"] for n in range(500)]]
    plain = workbook(tmp_path / "plain.xlsx", {"台账": rows})
    wide = tmp_path / "wide.xlsx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(wide, "w") as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.startswith("xl/worksheets/"):
                data = re.sub(rb'<dimension ref="[^"]+"/>', b'<dimension ref="A1:XFD501"/>', data)
            out.writestr(info, data)
    [(_, read)] = xlsx.read(wide)
    assert max(len(row) for row in read) == xlsx.MAX_COLUMNS
    assert len(parse_file(wide).problems) == 500
