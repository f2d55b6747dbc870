"""Making directory workbooks in tests: rows in, an uploaded .xlsx out."""

from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile

from zhenggai.orgs.directory_sheet import PEOPLE, ROLES, SECTIONS, UNITS, write_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook_bytes(units=(), sections=(), people=(), roles=()) -> bytes:
    buffer = BytesIO()
    rows = {UNITS: units, SECTIONS: sections, PEOPLE: people, ROLES: roles}
    write_workbook(buffer, {name: [list(row) for row in value] for name, value in rows.items()})
    return buffer.getvalue()


def upload(data: bytes, name: str = "通讯录.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=XLSX)


# A small county: the office, two units, their sections, five people with six roles.
COUNTY = {
    "units": [
        ["区委巡察办", "巡察机构/评价机构", "", ""],
        ["区教育局", "被巡察单位", "区委巡察办", "11330100MB1234567X"],
        ["区卫健局", "被巡察单位", "区委巡察办", ""],
    ],
    "sections": [["区教育局", "办公室"], ["区教育局", "财务科"], ["区卫健局", "办公室"]],
    "people": [
        ["孙巡察", "sunxc", "A001", "13800000001", "sun@example.gov.cn"],
        ["周局长", "zhoujz", "A002", "13800000002", ""],
        ["吴主任", "wuzr", "A003", "", "wu@example.gov.cn"],
        ["郑科员", "zhengky", "A004", "138 0000 0004", ""],
        ["冯科员", "fengky", "", "", ""],
    ],
    "roles": [
        ["sunxc", "", "区委巡察办", "巡察办", "副主任"],
        ["zhoujz", "", "区教育局", "单位领导", "局长"],
        ["", "A003", "区教育局", "整改办", "办公室主任"],
        ["wuzr", "", "区卫健局", "整改办", ""],
        ["zhengky", "", "区教育局/办公室", "科室人员", "科员"],
        ["fengky", "", "区卫健局/办公室", "科室人员", ""],
    ],
}


def county(**changes) -> bytes:
    return workbook_bytes(**{**COUNTY, **changes})
