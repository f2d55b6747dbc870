"""The demo's progress by Excel: 办公室's staff member (keshi) has filled the 进度填报表 of a round
once, imported and confirmed it, and has uploaded it again with new figures, waiting in the
preview, so that a newcomer finds both a record and a preview under 导入进度 on the round page."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from zhenggai.ledger import progress_import, progress_sheet

FIRST = {
    "整改进展": "已召开专题会议研究部署，形成整改工作台账，正在逐项推进。",
    "完成进度（%）": 70,
}
SECOND = {
    "新建制度（项）": 1,
    "整改进展": "已起草管理办法初稿，正在征求意见。",
    "完成进度（%）": 60,
}
AGAIN = {"整改进展": "管理办法已提交党组会审议。", "完成进度（%）": 90}


def _sheet(user, round) -> bytes:
    out = io.BytesIO()
    progress_sheet.write_sheet(out, round, progress_import.sheet_measures(user, round))
    return out.getvalue()


def _filled(data: bytes, edits: list[dict]) -> tuple[bytes, int]:
    """The sheet with its first rows filled in as a section would; how many rows were."""
    book = load_workbook(io.BytesIO(data))
    sheet = book[progress_sheet.SHEET_NAME]
    header = {cell.value: cell.column for cell in sheet[progress_sheet.HEADER_ROW + 1]}
    rows = [r for r in sheet.iter_rows(min_row=progress_sheet.HEADER_ROW + 2) if r[0].value]
    for row, values in zip(rows, edits, strict=False):
        for label, value in values.items():
            sheet.cell(row=row[0].row, column=header[label], value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), min(len(rows), len(edits))


def load_progress_imports(users: dict, rounds: list):
    """An applied import and one waiting in the preview, by keshi, on the first round where 办公室
    carries open measures; None when no round has any."""
    keshi = users["keshi"]
    for round in rounds:
        if not progress_import.may_import_progress(keshi, round):
            continue
        data, filled = _filled(_sheet(keshi, round), [FIRST, SECOND])
        if not filled:
            continue
        upload = SimpleUploadedFile("办公室进度填报表.xlsx", data)
        applied = progress_import.start_progress_import(round, upload, by=keshi)
        progress_import.confirm_progress_import(applied, by=keshi)
        again, _ = _filled(_sheet(keshi, round), [AGAIN])
        upload = SimpleUploadedFile("办公室进度填报表（第二次）.xlsx", again)
        return progress_import.start_progress_import(round, upload, by=keshi)
    return None
