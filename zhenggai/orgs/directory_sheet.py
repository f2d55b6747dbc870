"""The directory workbook (通讯录): four sheets (单位, 科室, 人员, 角色) and a 填写说明 sheet.

Writing: XlsxWriter, one header row per sheet, text-formatted cells (an employee number or a
mobile keeps its leading zeros), drop-down lists on 类型 and 角色. The template carries one
example row per sheet whose first cell starts with "示例："; the reader skips such rows, so a
template sent back untouched imports nothing. The export of the current directory has the same
shape, so exporting and importing it back changes nothing.

Reading: openpyxl read-only. Each sheet is found by its name and its header by its labels
(columns may be reordered; a column left out is a field the import leaves alone; extra columns
are ignored). Bounded like the progress sheet: the file's size, the lines read per sheet (blank
ones included), the columns read per line, and each cell's length. No Django models here: rows
come back as plain dataclasses for `orgs.directory` to check and plan.
"""

import datetime
import zipfile
from dataclasses import dataclass, field

import xlsxwriter
from openpyxl import load_workbook

from zhenggai.orgs.models import Role, Unit

UNITS, SECTIONS, PEOPLE, ROLES, NOTES = "单位", "科室", "人员", "角色", "填写说明"
EXAMPLE = "示例："
# (field, header label, width): the labels are what the reader looks for.
COLUMNS = {
    UNITS: [
        ("name", "名称", 28),
        ("kind", "类型", 18),
        ("parent", "上级单位", 28),
        ("credit_code", "统一社会信用代码", 24),
    ],
    SECTIONS: [("unit", "所属单位", 28), ("name", "科室名称", 24)],
    PEOPLE: [
        ("name", "姓名", 12),
        ("username", "登录名", 18),
        ("employee_number", "工号", 14),
        ("mobile", "手机号", 16),
        ("email", "电子邮箱", 28),
    ],
    ROLES: [
        ("username", "登录名", 18),
        ("employee_number", "工号", 14),
        ("where", "单位或科室", 32),
        ("role", "角色", 14),
        ("title", "职务", 20),
    ],
}
# The columns a sheet must have: without them, no row of it means anything.
REQUIRED = {
    UNITS: ("name", "kind"),
    SECTIONS: ("unit", "name"),
    PEOPLE: ("name", "username"),
    ROLES: ("where", "role"),
}
KIND_LABELS = {
    Unit.Kind.OFFICE.label: Unit.Kind.OFFICE,
    Unit.Kind.UNIT.label: Unit.Kind.UNIT,
    # What people write for the same things.
    "巡察机构": Unit.Kind.OFFICE,
    "评价机构": Unit.Kind.OFFICE,
    "单位": Unit.Kind.UNIT,
}
ROLE_LABELS = {label: value for value, label in Role.choices}
EXAMPLES = {
    UNITS: [f"{EXAMPLE}区科技局", Unit.Kind.UNIT.label, "区委巡察办", "11330100MB1234567X"],
    SECTIONS: [f"{EXAMPLE}区科技局", "办公室"],
    PEOPLE: [f"{EXAMPLE}张三", "zhangsan", "0001234", "13800138000", "zhangsan@example.gov.cn"],
    ROLES: [f"{EXAMPLE}zhangsan", "", "区科技局/办公室", Role.SECTION_STAFF.label, "科员"],
}
NOTES_TEXT = [
    (
        "本表用途",
        "一次导入全部单位、科室、人员和角色（通讯录）。上传后先预览将新建、修改和停用的内容，确认后才导入。",
    ),
    (
        "示例行",
        f"各表第 2 行为示例，首格以“{EXAMPLE}”开头，导入时跳过；可直接在其下填写，也可删除。",
    ),
    (
        "单位",
        "名称必填且在本表中不重复；类型选“巡察机构/评价机构”或“被巡察单位”；上级单位填上级的名称（如“区委巡察办”），重名时可写路径（如“市委巡察办/区委巡察办”），最上级留空。系统中已有的单位不能移动到别的上级下。",
    ),
    ("科室", "所属单位须是“单位”表中的单位；同一单位的科室名称不重复。"),
    (
        "人员",
        "姓名、登录名必填；登录名和工号各不重复。按登录名或工号对应系统中已有的人员：登录名改了而工号相同，视为同一人并修改其登录名。手机号为 11 位；留空的格表示清空该项，整列删去则不修改该项。新建人员没有密码，通过统一身份认证登录，或由管理员设置密码。",
    ),
    (
        "角色",
        "每行一个角色：填登录名或工号（须在“人员”表中），单位或科室写“区科技局”或“区科技局/办公室”（单位须在“单位”表中），角色从下拉列表中选。一人可有多行、多个角色。“科室人员”须在科室上，其他角色在单位或巡察机构上。",
    ),
    (
        "停用",
        "在“单位”表所列单位（含其科室）中有角色、但不在“人员”表中的人员，导入时停用（不删除，历史记录保留）；系统管理员不会被停用。表中人员在这些单位中未列出的角色将被撤销。",
    ),
]
MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000  # rows with something in them, per sheet (a city: 20,000 people)
MAX_LINES = 2 * MAX_ROWS  # lines read per sheet, blank ones included
MAX_COLUMNS = 32
HEADER_SEARCH_ROWS = 10
# A cell longer than any field takes is cut here; the field's own check then refuses it.
MAX_CELL = 1_000
VALIDATED_ROWS = 20_000  # rows of the drop-down lists in the template
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class Unreadable(Exception):
    """`message` is Chinese for the interface; str(exc) is English for logs."""

    def __init__(self, message: str, reason: str):
        super().__init__(reason)
        self.message = message


@dataclass
class Row:
    """One filled row of a sheet: its line in the file and its cells by field (text, stripped;
    a field whose column the sheet lacks is absent)."""

    line: int
    cells: dict[str, str]

    def get(self, name: str) -> str:
        return self.cells.get(name, "")


@dataclass
class Workbook:
    """The four sheets as read, and which fields each sheet has a column for."""

    rows: dict[str, list[Row]] = field(default_factory=dict)
    present: dict[str, set[str]] = field(default_factory=dict)


# -- writing ---------------------------------------------------------------------------------


def _book(target):
    return xlsxwriter.Workbook(
        target,
        {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False},
    )


def _formats(book) -> dict:
    base = {"font_name": "宋体", "font_size": 10, "border": 1, "num_format": "@"}
    return {
        "header": book.add_format({**base, "bold": True, "bg_color": "#D9E1F2"}),
        "cell": book.add_format(base),
        "example": book.add_format({**base, "italic": True, "font_color": "#808080"}),
        "column": book.add_format({"num_format": "@"}),
        "wrap": book.add_format({"font_name": "宋体", "font_size": 10, "text_wrap": True}),
    }


def _sheet(book, formats, name: str):
    sheet = book.add_worksheet(name)
    for column, (_, label, width) in enumerate(COLUMNS[name]):
        sheet.set_column(column, column, width, formats["column"])
        sheet.write_string(0, column, label, formats["header"])
    sheet.freeze_panes(1, 0)
    return sheet


def _lists(sheets: dict) -> None:
    """Drop-down lists of 类型 and 角色: a guide, the import checks every value."""
    kinds = [Unit.Kind.OFFICE.label, Unit.Kind.UNIT.label]
    sheets[UNITS].data_validation(
        1,
        1,
        VALIDATED_ROWS,
        1,
        {"validate": "list", "source": kinds, "error_message": "请从列表中选择单位类型。"},
    )
    sheets[ROLES].data_validation(
        1,
        3,
        VALIDATED_ROWS,
        3,
        {"validate": "list", "source": list(ROLE_LABELS), "error_message": "请从列表中选择角色。"},
    )


def _notes(book, formats) -> None:
    sheet = book.add_worksheet(NOTES)
    sheet.set_column(0, 0, 12)
    sheet.set_column(1, 1, 90, formats["wrap"])
    sheet.write_row(0, 0, ["项目", "说明"], formats["header"])
    for row, (topic, text) in enumerate(NOTES_TEXT, start=1):
        sheet.write_string(row, 0, topic)
        sheet.write_string(row, 1, text, formats["wrap"])
    roles = "、".join(ROLE_LABELS)
    sheet.write_string(len(NOTES_TEXT) + 1, 0, "角色名称")
    sheet.write_string(len(NOTES_TEXT) + 1, 1, roles, formats["wrap"])


def write_workbook(target, rows: dict[str, list[list[str]]] | None = None) -> None:
    """Write the workbook to `target` (a path or a binary file): the template (example rows)
    when `rows` is None, else the given rows of each sheet (the export)."""
    book = _book(target)
    formats = _formats(book)
    sheets = {name: _sheet(book, formats, name) for name in COLUMNS}
    for name, sheet in sheets.items():
        lines = [EXAMPLES[name]] if rows is None else rows.get(name, [])
        style = formats["example"] if rows is None else formats["cell"]
        for line, cells in enumerate(lines, start=1):
            for column, value in enumerate(cells):
                sheet.write_string(line, column, value, style)
    _lists(sheets)
    _notes(book, formats)
    sheets[UNITS].activate()
    book.close()


# -- reading ---------------------------------------------------------------------------------


def _label(value) -> str:
    return "".join(str(value or "").split())


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        value = value.isoformat()
    return str(value).strip()[:MAX_CELL]


def read_workbook(handle) -> Workbook:
    """Read an uploaded directory workbook (a binary file). Raises Unreadable."""
    try:
        book = load_workbook(handle, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise Unreadable(
            "文件不是有效的 Excel（.xlsx）文件。", f"unreadable workbook: {exc}"
        ) from None
    try:
        missing = [name for name in COLUMNS if name not in book.sheetnames]
        if missing:
            raise Unreadable(
                f"工作簿中缺少“{'”“'.join(missing)}”工作表：请使用本页提供的通讯录模板。",
                f"missing sheets: {', '.join(missing)}",
            )
        result = Workbook()
        for name in COLUMNS:
            sheet = book[name]
            # The dimension a file declares is not trusted (see ledger.progress_sheet).
            sheet.reset_dimensions()
            rows = sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
            result.rows[name], result.present[name] = _read_sheet(name, rows)
        return result
    finally:
        book.close()


def _find_header(name: str, rows) -> tuple[int, dict[str, int]]:
    wanted = {_label(label): key for key, label, _ in COLUMNS[name]}
    for line, row in enumerate(rows, start=1):
        if line > HEADER_SEARCH_ROWS:
            break
        columns: dict[str, int] = {}
        for index, cell in enumerate(row or ()):
            key = wanted.get(_label(cell))
            if key and key not in columns:
                columns[key] = index
        if all(key in columns for key in REQUIRED[name]):
            return line, columns
    labels = "”“".join(label for key, label, _ in COLUMNS[name] if key in REQUIRED[name])
    raise Unreadable(
        f"“{name}”工作表中找不到表头（须含“{labels}”列）：请使用本页提供的通讯录模板。",
        f"no header in sheet {name}",
    )


def _read_sheet(name: str, rows) -> tuple[list[Row], set[str]]:
    rows = iter(rows)
    header_line, columns = _find_header(name, rows)
    found: list[Row] = []
    for line, row in enumerate(rows, start=header_line + 1):
        if line > MAX_LINES:
            raise Unreadable(
                f"“{name}”工作表超过 {MAX_LINES} 行（含空行），请删除多余的行。",
                f"sheet {name}: more than {MAX_LINES} lines",
            )
        cells = {key: _text(row[i] if i < len(row) else None) for key, i in columns.items()}
        if not any(cells.values()):
            continue
        if any(value.startswith(EXAMPLE) for value in cells.values()):
            continue  # the template's example row
        if len(found) >= MAX_ROWS:
            raise Unreadable(
                f"“{name}”工作表超过 {MAX_ROWS} 行，请分批导入。",
                f"sheet {name}: more than {MAX_ROWS} rows",
            )
        found.append(Row(line, cells))
    return found, set(columns)


# -- the export ------------------------------------------------------------------------------


def _labels(units: dict[int, tuple]) -> dict[int, str]:
    """Each unit (not section) by its name, or by its path of names where two share a name."""
    names: dict[str, int] = {}
    for name, kind, _ in units.values():
        if kind != Unit.Kind.SECTION:
            names[name] = names.get(name, 0) + 1

    def path(unit_id: int) -> str:
        parts = []
        while unit_id is not None and len(parts) < 50:
            name, _, parent_id = units[unit_id]
            parts.append(name)
            unit_id = parent_id
        return "/".join(reversed(parts))

    return {
        unit_id: name if names[name] == 1 else path(unit_id)
        for unit_id, (name, kind, _) in units.items()
        if kind != Unit.Kind.SECTION
    }


def directory_rows() -> dict[str, list[list[str]]]:
    """The current directory as the workbook's rows: every unit and section, every active
    person, and the roles of active people (people who left are not listed: a sheet listing
    them would bring them back). Administrators (superuser or staff accounts) are not the
    directory's: neither they nor their roles are listed."""
    from django.contrib.auth import get_user_model

    from zhenggai.orgs.models import Membership, Person

    records = list(
        Unit.objects.order_by("path").values_list("id", "name", "kind", "parent_id", "credit_code")
    )
    units = {pk: (name, kind, parent) for pk, name, kind, parent, _ in records}
    labels = _labels(units)
    kinds = {Unit.Kind.OFFICE: Unit.Kind.OFFICE.label, Unit.Kind.UNIT: Unit.Kind.UNIT.label}
    rows: dict[str, list[list[str]]] = {name: [] for name in COLUMNS}
    for _, name, kind, parent, code in records:
        if kind == Unit.Kind.SECTION:
            rows[SECTIONS].append([labels[parent], name])
        else:
            rows[UNITS].append([name, kinds[kind], labels[parent] if parent else "", code])
    people = dict(Person.objects.values_list("user_id", "employee_number"))
    mobiles = dict(Person.objects.values_list("user_id", "mobile"))
    users = get_user_model().objects.filter(is_active=True, is_superuser=False, is_staff=False)
    users = users.order_by("username")
    for pk, username, name, email in users.values_list("id", "username", "first_name", "email"):
        rows[PEOPLE].append([name, username, people.get(pk, ""), mobiles.get(pk, ""), email])
    memberships = (
        Membership.objects.filter(
            user__is_active=True, user__is_superuser=False, user__is_staff=False
        )
        .order_by("user__username", "unit__path", "role")
        .values_list("user__username", "unit_id", "role", "title")
    )
    role_names = dict(Role.choices)
    for username, unit_id, role, title in memberships:
        name, kind, parent = units[unit_id]
        where = f"{labels[parent]}/{name}" if kind == Unit.Kind.SECTION else labels[unit_id]
        rows[ROLES].append([username, "", where, role_names[role], title])
    return rows


def write_export(target) -> None:
    """The current directory, in the template's shape (see `directory_rows`)."""
    write_workbook(target, directory_rows())
