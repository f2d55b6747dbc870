"""The template an office fills in, or checks a platform's export against: one sheet with the
columns read, and a sheet that says what each column takes, with an example."""

import io

import xlsxwriter

from zhenggai.evaluations.platform.columns import (
    COUNT_COLUMNS,
    DIMENSION_COLUMNS,
    RATING_COLUMNS,
)
from zhenggai.evaluations.platform.model import RATINGS

RATING_EXAMPLE = {
    "record_id": "PJ202610120001",
    "level": "非常满意",
    "channel": "二维码",
    "rated_at": "2026-10-12 09:30:00",
    "department": "区科技局",
    "credit_code": "11330100002400001B",
    "service_item": "高新技术企业认定",
    "case_number": "BJ2026101200001",
    "comment": "办理很快，工作人员很耐心",
    "phone": "13800138000",
    "handling_efficiency": "非常满意",
}
RATING_NOTES = {
    "record_id": "必填。平台的评价记录号，同一记录只导入一次",
    "level": "必填。1–5 或 非常满意/满意/基本满意/不满意/非常不满意",
    "channel": "PC端、移动端、二维码、评价器、政务服务终端、短信、默认",
    "rated_at": "必填。如 2026-10-12 09:30:00、2026/10/12 9:30、20261012093000",
    "department": "与统一社会信用代码至少填一项，须与系统中的单位名称一致",
    "credit_code": "18 位，按此优先对应单位",
    "service_item": "与某评价点名称相同时计入该评价点，否则计入“好差评平台（导入）”",
    "case_number": "每个办件评价一次、追评一次",
    "comment": "差评的原因，作为整改问题的标题",
    "phone": "仅评价办可见，用于回访",
}
COUNT_EXAMPLE = {
    "department": "区科技局",
    "credit_code": "11330100002400001B",
    "month": "2026-10",
    "count": 1200,
}
COUNT_NOTES = {
    "department": "与统一社会信用代码至少填一项",
    "credit_code": "18 位，按此优先对应单位",
    "month": "必填。2026-10 或 2026年10月",
    "count": "必填。当月办件数量（非负整数）；同一单位同一月份再次导入时覆盖原值",
}


def _columns(kind: str) -> list[tuple[str, str, object, str]]:
    """(field, header, example, note) of each column of a template."""
    if kind == RATINGS:
        names = {**RATING_COLUMNS, **DIMENSION_COLUMNS}
        example, notes = RATING_EXAMPLE, RATING_NOTES
    else:
        names, example, notes = COUNT_COLUMNS, COUNT_EXAMPLE, COUNT_NOTES
    dimension_note = "可选，分项评价：1–5 或 非常满意…非常不满意"
    return [
        (field, synonyms[0], example.get(field, ""), notes.get(field, dimension_note))
        for field, synonyms in names.items()
    ]


def template_workbook(kind: str) -> bytes:
    """The .xlsx template of `kind` (RATINGS or SERVICE_COUNTS)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
    header = book.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1})
    text = book.add_format({"num_format": "@"})
    columns = _columns(kind)
    sheet = book.add_worksheet("评价数据" if kind == RATINGS else "办件量")
    for position, (_, name, _, _) in enumerate(columns):
        sheet.set_column(position, position, max(12, len(name) * 2 + 2), text)
        sheet.write_string(0, position, name, header)
    sheet.freeze_panes(1, 0)
    # The example stays on the sheet of notes: a template uploaded as it is imports nothing.
    notes = book.add_worksheet("填写说明")
    for position, width in enumerate((18, 36, 24, 70)):
        notes.set_column(position, position, width)
    notes.write_row(0, 0, ["列名", "也可写作", "示例", "说明"], header)
    synonyms = {**RATING_COLUMNS, **DIMENSION_COLUMNS, **COUNT_COLUMNS}
    for row, (field, name, example, note) in enumerate(columns, start=1):
        notes.write_row(row, 0, [name, "、".join(synonyms[field][1:6]), str(example), note])
    book.close()
    return buffer.getvalue()
