"""An Excel ledger's title is its title row above the header when the row reads as one (ends
in 台账/清单/一览表/明细表 or starts with 关于); a note or a heading there is not."""

import openpyxl
import pytest

from zhenggai.intake import parse_file
from zhenggai.intake.ledger import parse_rows

HEADER = ["序号", "问题类别", "存在问题", "整改措施", "牵头单位", "整改时限"]
ROWS = [
    [
        "1",
        "政治建设",
        "意识形态工作责任制落实不到位",
        "每半年专题研究意识形态工作",
        "办公室",
        "2025年12月31日",
    ],
    ["2", "廉政建设", "政府采购程序不严格", "修订内部采购管理办法", "财务股", "2025年10月31日"],
]


@pytest.mark.parametrize(
    "title",
    [
        "县文化旅游局巡察反馈问题整改台账",
        "关于县委第二巡察组反馈问题的整改任务清单",
        "县统计局审计反馈问题整改一览表",
        "县统计局巡察整改问题明细表（截至2025年6月30日）",
    ],
)
def test_a_title_row_above_the_header_is_the_ledgers_title(tmp_path, title):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    sheet.append(["填报单位：县文化旅游局", "", "", "填报时间：2025年7月1日"])
    for row in (HEADER, *ROWS):
        sheet.append(row)
    book.save(tmp_path / "台账.xlsx")
    document = parse_file(tmp_path / "台账.xlsx")
    assert document.title == title
    assert len(document.problems) == 2


def test_a_title_repeated_across_merged_cells_is_read_once():
    title = "县文化旅游局巡察反馈问题整改台账"
    document = parse_rows([[title] * len(HEADER), HEADER, *ROWS])
    assert document.title == title


@pytest.mark.parametrize(
    "above",
    [
        [],
        [["创文进行时丨27个问题清单曝光,要求限期整改"]],
        [["填报单位：县文化旅游局", "", "填报时间：2025年7月1日"]],
    ],
)
def test_rows_that_do_not_read_as_a_title_give_none(above):
    assert parse_rows([*above, HEADER, *ROWS]).title is None
