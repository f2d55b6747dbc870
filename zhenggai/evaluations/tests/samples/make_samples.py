"""Writes the sample exports of a 好差评 platform that the reader's tests read (run it again
after changing a sample here: `python zhenggai/evaluations/tests/samples/make_samples.py`).

The units are those of `zhenggai.testing.make_world`: 区科技局 (whose credit code the tests
set to UNIT_CODE) below the office, 市财政局 outside it, 区教育局 nowhere."""

import io
from datetime import datetime
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent
UNIT_CODE = "11330100002400001B"  # valid by GB 32100 (values.credit_code_is_valid)
HEADER = [
    "评价编号",
    "满意度",
    "评价渠道",
    "评价时间",
    "部门名称",
    "统一社会信用代码",
    "事项名称",
    "办件编号",
    "评价内容",
    "联系电话",
]
ONE = [
    "PJ202610120001",
    "非常满意",
    "PC端",
    datetime(2026, 10, 12, 9, 30),
    "区科技局",
    "",
    "高新技术企业认定",
    "BJ2026101200001",
    "办理很快",
    "13800138000",
]


def _many() -> list[list]:
    """Twenty-four rows: every level, word and number, each channel, the unit named three
    ways, a line the reader refuses, and three rows no unit of the office answers to."""
    channels = ["PC端", "移动端", "二维码", "评价器", "政务服务终端", "短信", "默认"]
    levels = ["非常满意", "满意", "基本满意", 5, 4, "5", "满意", "非常满意"]
    names = ["区科技局", "区 科技局", "区科技局\u3000"]
    rows = []
    for n in range(1, 21):
        rows.append(
            [
                f"PJ2026101{n:05d}",
                levels[n % len(levels)],
                channels[n % len(channels)],
                datetime(2026, 10, 1 + n % 20, 9 + n % 8, 5 * (n % 12)),
                names[n % len(names)],
                UNIT_CODE if n % 5 == 0 else "",
                "高新技术企业认定" if n % 2 else "科技型中小企业评价",
                f"BJ20261{n:05d}",
                "服务周到" if n % 3 == 0 else "",
                "",
                *([5, 5, 4] if n % 4 == 0 else ["", "", ""]),
            ]
        )
    rows[10][1] = "较好"  # line 12: a level no platform scheme has
    rows[3][1] = "不满意"  # line 5: a 差评 with a reason
    rows[3][8] = "窗口无人，等候一小时"
    rows[6][1] = 1  # line 8: a 差评 without a word
    rows[6][8] = ""
    rows.append(["PJ202610200021", "满意", "PC端", datetime(2026, 10, 20, 10, 0), "市财政局"])
    rows.append(["PJ202610200022", "满意", "二维码", datetime(2026, 10, 20, 11, 0), "区教育局"])
    rows.append(
        ["PJ202610200023", "基本满意", "短信", "2026/10/21 15:20", "", "91330100MA2B3C4D5N"]
    )
    rows.append(["PJ202610200024", "5", "移动端", "20261022093000", "区科技局"])
    return rows


def _sheet(rows: list[list], header=HEADER, above: list[list] = ()) -> openpyxl.Workbook:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "评价数据"
    for row in above:
        sheet.append(row)
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    return book


def _csv(rows: list[list], header: list[str]) -> str:
    def cell(value) -> str:
        if isinstance(value, datetime):
            value = f"{value:%Y/%m/%d %H:%M}"
        value = str(value)
        return f'"{value}"' if "," in value or '"' in value else value

    return "\r\n".join(",".join(cell(v) for v in row) for row in [header, *rows]) + "\r\n"


def main() -> None:
    dims = [*HEADER, "服务效率", "服务水平", "服务态度"]
    _sheet([]).save(HERE / "ratings_empty.xlsx")
    _sheet([ONE]).save(HERE / "ratings_one.xlsx")
    _sheet(_many(), dims).save(HERE / "ratings_many.xlsx")
    above = [["某省政务服务“好差评”评价数据"], ["导出时间：2026-11-01 08:00:00", "", "单位：条"]]
    titled = _sheet([ONE, ["PJ202610120002", "满意", *ONE[2:]]], above=above)
    titled.active.merge_cells("A1:J1")
    titled.active.append(["合计：2 条"])
    titled.save(HERE / "ratings_title_rows.xlsx")
    gbk_header = ["记录号", "评价等级", "渠道", "评价时间", "实施主体", "事项名称", "办件号"]
    gbk_header.append("文字评价")
    gbk_rows = [
        ["HC0001", "非常满意", "二维码", datetime(2026, 10, 8, 10, 15), "区科技局", "", "", ""],
        [
            "HC0002",
            "不满意",
            "移动端",
            datetime(2026, 10, 9, 16, 40),
            "区科技局",
            "高新技术企业认定",
        ]
        + ["BJ-HC-2", "材料要求反复变化，跑了三次"],
        ["HC0003", "基本满意", "评价器", datetime(2026, 10, 9, 17, 0), "区科技局", "", "", "一般"],
    ]
    (HERE / "ratings_gbk.csv").write_bytes(_csv(gbk_rows, gbk_header).encode("gbk"))
    (HERE / "ratings_utf8_bom.csv").write_bytes(
        b"\xef\xbb\xbf" + _csv([ONE[:9]], HEADER[:9]).encode("utf-8")
    )
    missing = [h for h in HEADER if h != "评价时间"]
    (HERE / "ratings_missing_columns.csv").write_text(
        _csv([[v for h, v in zip(HEADER, ONE, strict=True) if h != "评价时间"]], missing),
        encoding="utf-8",
    )
    buffer = io.BytesIO()
    _sheet([ONE]).save(buffer)
    (HERE / "ratings_broken.xlsx").write_bytes(buffer.getvalue()[:1500])
    split = openpyxl.Workbook()
    sheet = split.active
    sheet.append(["某市好差评数据"])
    sheet.append([*HEADER, "分项评价"])
    sheet.append([None] * len(HEADER) + ["服务效率", "服务水平", "服务态度"])
    sheet.merge_cells(start_row=2, end_row=2, start_column=11, end_column=13)
    sheet.append([*ONE, 5, 4, 5])
    split.save(HERE / "ratings_split_header.xlsx")
    counts = _sheet(
        [
            ["区科技局", "", "2026-10", 1200],
            ["", UNIT_CODE, "2026年11月", "1,350"],
            ["区教育局", "", "2026-10", 800],
            ["区科技局", "", "2026年13月", 10],
            ["区科技局", "", "2026-09", -5],
        ],
        header=["部门名称", "统一社会信用代码", "月份", "办件量"],
    )
    counts.save(HERE / "service_counts.xlsx")


if __name__ == "__main__":
    main()
