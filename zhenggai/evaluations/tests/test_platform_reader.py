"""Reading a 好差评 platform's exports: one test per sample file, then the cells one by one."""

import ast
from datetime import date, datetime
from pathlib import Path

import pytest

from zhenggai.evaluations import platform
from zhenggai.evaluations.platform import columns, values
from zhenggai.evaluations.values import DIMENSION_LABELS

SAMPLES = Path(__file__).parent / "samples"
UNIT_CODE = "11330100002400001B"


def read(name: str, kind: str = platform.RATINGS):
    return platform.read(SAMPLES / name, kind)


def test_a_file_with_only_its_header_has_no_rows():
    result = read("ratings_empty.xlsx")
    assert result.rows == [] and result.problems == []
    assert result.header_line == 1
    assert result.columns["record_id"] == "评价编号"


def test_one_row_is_read_with_every_national_field():
    (rating,) = read("ratings_one.xlsx").rows
    assert rating.line == 2
    assert rating.record_id == "PJ202610120001"
    assert rating.level == 5
    assert rating.channel == "web" and rating.channel_text == "PC端"
    assert rating.rated_at == datetime(2026, 10, 12, 9, 30)
    assert rating.department == "区科技局"
    assert rating.service_item == "高新技术企业认定"
    assert rating.case_number == "BJ2026101200001"
    assert rating.comment == "办理很快"
    assert rating.phone == "13800138000"


def test_many_rows_with_a_level_no_scheme_has_reported_on_its_line():
    result = read("ratings_many.xlsx")
    assert len(result.rows) == 23
    assert [p.message for p in result.problems if p.fatal] == ["第12行：满意度“较好”无法识别"]
    by_line = {rating.line: rating for rating in result.rows}
    assert by_line[5].level == 2 and by_line[5].comment == "窗口无人，等候一小时"
    assert by_line[8].level == 1 and by_line[8].comment == ""
    assert {r.channel for r in result.rows} == {"web", "qr", "device", "sms", "other"}
    assert by_line[5].dimensions == {
        "service_efficiency": 5,
        "service_level": 5,
        "service_attitude": 4,
    }
    assert by_line[6].credit_code == UNIT_CODE
    assert by_line[24].rated_at == datetime(2026, 10, 21, 15, 20)  # "2026/10/21 15:20"
    assert by_line[25].rated_at == datetime(2026, 10, 22, 9, 30)  # "20261022093000"


def test_a_gbk_csv_is_read_with_other_provinces_headers():
    result = read("ratings_gbk.csv")
    assert result.format == "csv" and result.encoding == "gb18030"
    assert result.columns["record_id"] == "记录号"
    assert result.columns["department"] == "实施主体"
    assert [(r.record_id, r.level, r.channel) for r in result.rows] == [
        ("HC0001", 5, "qr"),
        ("HC0002", 2, "web"),
        ("HC0003", 3, "device"),
    ]
    assert result.rows[1].comment == "材料要求反复变化，跑了三次"
    assert result.rows[1].rated_at == datetime(2026, 10, 9, 16, 40)


def test_a_utf8_csv_with_a_byte_order_mark_is_read():
    result = read("ratings_utf8_bom.csv")
    assert result.encoding == "utf-8-sig"
    assert result.columns["record_id"] == "评价编号"  # not "\ufeff评价编号"
    assert result.rows[0].record_id == "PJ202610120001"


def test_the_header_is_found_below_the_titles_and_a_total_line_is_skipped():
    result = read("ratings_title_rows.xlsx")
    assert result.header_line == 3
    assert [r.line for r in result.rows] == [4, 5]
    assert result.problems == []


def test_a_merged_dimension_heading_over_two_header_rows_is_read():
    result = read("ratings_split_header.xlsx")
    assert result.header_line == 3
    assert result.rows[0].dimensions == {
        "service_efficiency": 5,
        "service_level": 4,
        "service_attitude": 5,
    }


def test_a_broken_workbook_is_unreadable_with_a_chinese_reason():
    with pytest.raises(platform.Unreadable) as refused:
        read("ratings_broken.xlsx")
    assert "损坏" in refused.value.message


def test_missing_required_columns_are_named():
    with pytest.raises(platform.Unreadable) as refused:
        read("ratings_missing_columns.csv")
    assert refused.value.message == "第1行的表头缺少必需的列：评价时间。"


def test_service_counts_with_both_ways_of_writing_a_month():
    result = read("service_counts.xlsx", platform.SERVICE_COUNTS)
    assert [(r.department, r.credit_code, r.month, r.count) for r in result.rows] == [
        ("区科技局", "", date(2026, 10, 1), 1200),
        ("", UNIT_CODE, date(2026, 11, 1), 1350),
        ("区教育局", "", date(2026, 10, 1), 800),
    ]
    assert [p.message for p in result.problems] == [
        "第5行：月份“2026年13月”无法识别（应为 2026-10 或 2026年10月）",
        "第6行：办件量“-5”不是非负整数",
    ]


def test_a_file_without_a_header_row_says_which_columns_it_needs(tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text("这是一份说明\n没有表格\n", encoding="utf-8")
    with pytest.raises(platform.Unreadable) as refused:
        platform.read(path)
    assert "没有找到表头" in refused.value.message and "“评价编号”" in refused.value.message


def test_an_old_xls_or_a_pdf_is_refused(tmp_path):
    xls = tmp_path / "a.xls"
    xls.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 600)
    with pytest.raises(platform.Unreadable) as refused:
        platform.read(xls)
    assert "另存为 .xlsx" in refused.value.message
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(b"%PDF-1.4\n\x00\x01\x02")
    with pytest.raises(platform.Unreadable):
        platform.read(pdf)


def test_rows_without_an_id_a_time_or_a_unit_and_repeated_ids_are_refused(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        "评价编号,满意度,评价时间,部门名称,联系电话,评价渠道\n"
        ",5,2026-10-01 10:00,区科技局,,\n"
        "A2,5,,区科技局,,\n"
        "A3,5,昨天,区科技局,,\n"
        "A4,5,2026-10-01 10:00,,,\n"
        "A5,5,2026-10-01 10:00,区科技局,请勿来电,飞鸽传书\n"
        "A5,4,2026-10-01 10:00,区科技局,,\n",
        encoding="utf-8",
    )
    result = platform.read(path)
    assert [r.record_id for r in result.rows] == ["A5"]
    assert result.rows[0].phone == "" and result.rows[0].channel == "other"
    assert [(p.message, p.fatal) for p in result.problems] == [
        ("第2行：缺少评价编号", True),
        ("第3行：缺少评价时间", True),
        ("第4行：评价时间“昨天”无法识别", True),
        ("第5行：缺少部门名称和统一社会信用代码", True),
        ("第6行：评价渠道“飞鸽传书”无法识别，按“其他”导入", False),
        ("第6行：联系电话“请勿来电”不是电话号码，未导入该电话", False),
        ("第7行：评价编号“A5”与第6行重复", True),
    ]


@pytest.mark.parametrize(
    "cell, level",
    [
        ("非常满意", 5),
        ("满意", 4),
        (" 基本满意 ", 3),
        ("不满意", 2),
        ("非常不满意", 1),
        (5, 5),
        (4.0, 4),
        ("3", 3),
        ("２", 2),
        ("5星", 5),
        ("五星", 5),
        ("1分", 1),
        ("5-非常满意", 5),
        ("不满意(2)", 2),
        ("较好", None),
        ("6", None),
        (0, None),
        ("4-非常满意", None),
        ("", None),
    ],
)
def test_levels(cell, level):
    assert values.level(cell) == level


@pytest.mark.parametrize(
    "cell, channel",
    [
        ("PC端", "web"),
        ("pc端", "web"),
        ("移动端", "web"),
        ("二维码", "qr"),
        ("评价器", "device"),
        ("政务服务终端", "device"),
        ("短信", "sms"),
        ("默认", "other"),
        ("", "other"),
        ("ＡＰＰ", "web"),
        ("扫码评价", "qr"),
        ("3", None),
    ],
)
def test_channels(cell, channel):
    assert values.channel(cell) == channel


@pytest.mark.parametrize(
    "cell, moment",
    [
        ("2026-10-12 09:30:00", datetime(2026, 10, 12, 9, 30)),
        ("2026/10/12 9:30", datetime(2026, 10, 12, 9, 30)),
        ("2026-10-12T09:30:15", datetime(2026, 10, 12, 9, 30, 15)),
        ("2026年10月12日 9时30分", datetime(2026, 10, 12, 9, 30)),
        ("2026年10月12日", datetime(2026, 10, 12)),
        ("20261012093000", datetime(2026, 10, 12, 9, 30)),
        ("2026-10-12 09:30:00.123", datetime(2026, 10, 12, 9, 30)),
        (46307.5, datetime(2026, 10, 12, 12, 0)),
        (date(2026, 10, 12), datetime(2026, 10, 12)),
        ("2026-02-30 10:00", None),
        ("1899-01-01", None),
        ("下午三点", None),
    ],
)
def test_times(cell, moment):
    assert values.moment(cell) == moment


@pytest.mark.parametrize(
    "cell, month",
    [
        ("2026-10", date(2026, 10, 1)),
        ("2026年10月", date(2026, 10, 1)),
        ("2026/9", date(2026, 9, 1)),
        ("202610", date(2026, 10, 1)),
        (datetime(2026, 10, 5), date(2026, 10, 1)),
        ("2026-13", None),
        ("十月", None),
    ],
)
def test_months(cell, month):
    assert values.month(cell) == month


def test_credit_codes_are_checked_by_gb_32100():
    assert values.credit_code_is_valid(UNIT_CODE)
    assert values.credit_code_is_valid("91350100M000100Y43")  # a published enterprise code
    assert not values.credit_code_is_valid(UNIT_CODE[:-1] + "C")
    assert not values.credit_code_is_valid("11330100002400001")
    assert values.credit_code(" 11330100002400001b ") == UNIT_CODE


def test_the_dimension_columns_are_the_ratings_dimensions():
    named = {field: names[0] for field, names in columns.DIMENSION_COLUMNS.items()}
    assert named == DIMENSION_LABELS


def test_the_reader_package_imports_no_django():
    package = Path(platform.__file__).parent
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            for name in names:
                assert not name.startswith("django"), f"{path.name} imports {name}"
                if name.startswith("zhenggai."):
                    assert name.startswith("zhenggai.evaluations.platform"), path.name
