"""Rows of a file of cases handled (办件量) per unit and month read into `ServiceCountRow`s."""

from zhenggai.evaluations.platform import values
from zhenggai.evaluations.platform.columns import COUNT_COLUMNS, COUNT_REQUIRED
from zhenggai.evaluations.platform.model import ServiceCountRow
from zhenggai.evaluations.platform.rows import Row

COLUMNS = COUNT_COLUMNS
REQUIRED = COUNT_REQUIRED


def read_row(row: Row, seen: dict) -> ServiceCountRow | None:
    name = " ".join(row.text("department").split())[:200]
    code = values.credit_code(row.cell("credit_code"))
    if code and not values.credit_code_is_valid(code):
        row.problem(f"统一社会信用代码“{code}”不符合编码规则（GB 32100），请核对", fatal=False)
    if not name and not code:
        return row.problem("缺少部门名称和统一社会信用代码")
    month = values.month(row.cell("month"))
    if month is None:
        return row.problem(f"月份“{row.text('month')}”无法识别（应为 2026-10 或 2026年10月）")
    count = values.count(row.cell("count"))
    if count is None:
        return row.problem(f"办件量“{row.text('count')}”不是非负整数")
    return ServiceCountRow(row.line, name, code, month, count)
