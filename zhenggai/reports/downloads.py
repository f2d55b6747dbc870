"""A workbook written from problems and sent as a download, or refused with the reason on the
page it came from: the one way the ledger and the three lists are downloaded."""

import logging
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.contrib import messages
from django.shortcuts import redirect

from zhenggai.lib.http import XLSX, generated_download
from zhenggai.lib.sweep import temp_dir
from zhenggai.lib.xlsx import WriteFailed
from zhenggai.reports.ledger_xlsx import MAX_ROWS, TooManyRows
from zhenggai.reports.lists_xlsx import MAX_TASKS

log = logging.getLogger(__name__)


def too_many(exc: TooManyRows) -> str:
    """Why a workbook is refused, in Chinese: too many measures for a sheet, or problems."""
    measures = getattr(exc, "measures", None)
    if measures is not None:
        return f"共 {measures} 项整改措施，超过单次导出上限 {MAX_TASKS} 项，请缩小筛选范围。"
    return f"共 {exc.count} 个问题，超过单次导出上限 {MAX_ROWS} 个，请缩小筛选范围。"


def workbook_download(request, write: Callable, problems, title: str, back: str):
    """`write(problems, path, title=title)` into a temporary file, sent as `title`.xlsx; a
    refusal is a message on `back`."""
    with tempfile.TemporaryDirectory(prefix="zhenggai-export-", dir=temp_dir()) as work:
        path = Path(work) / "export.xlsx"
        try:
            write(problems, path, title=title)
        except TooManyRows as exc:
            messages.error(request, too_many(exc))
            return redirect(back)
        except WriteFailed:
            log.exception("the workbook %r failed", title)
            messages.error(request, "导出失败（服务器写文件出错），请稍后重试或联系管理员。")
            return redirect(back)
        handle = path.open("rb")  # still readable once its directory is gone
    return generated_download(handle, f"{title[:100]}.xlsx", XLSX)
