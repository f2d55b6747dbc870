"""The demo's directory (通讯录): the administrator exported the directory, filled in everyone's
employee number (工号) and mobile, and imported it back, so that a newcomer finds an applied
import under 通讯录, with each change shown field by field."""

import io

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from zhenggai.orgs import directory
from zhenggai.orgs.directory_sheet import PEOPLE, write_export
from zhenggai.orgs.models import DirectoryImport


def _filled(data: bytes) -> bytes:
    """The export with an employee number and a mobile for every person."""
    book = load_workbook(io.BytesIO(data))
    sheet = book[PEOPLE]
    header = {cell.value: cell.column for cell in sheet[1]}
    for n, row in enumerate(sheet.iter_rows(min_row=2), start=1):
        if not row[0].value:
            continue
        sheet.cell(row=row[0].row, column=header["工号"], value=f"DEMO{n:04d}")
        sheet.cell(row=row[0].row, column=header["手机号"], value=f"1390000{n:04d}")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def load_directory_import() -> DirectoryImport:
    """Give the demo's people employee numbers and mobiles through one applied directory import
    made from the directory's own export (call it after every demo user and role exists)."""
    admin = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    exported = io.BytesIO()
    write_export(exported)
    upload = SimpleUploadedFile("通讯录（演示）.xlsx", _filled(exported.getvalue()))
    record = directory.preview_directory_import(upload, by=admin)
    if record.plan["errors"]:
        raise RuntimeError(f"the demo's directory sheet has errors: {record.plan['errors'][:3]}")
    return directory.apply_directory_import(record, by=admin)
