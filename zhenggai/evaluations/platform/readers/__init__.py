"""Readers turn an exported file into numbered rows of cells. Each reader is a small module with
`read(path) -> Table`; the registry picks one by what the file's first bytes show, never by
its name."""

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from zhenggai.evaluations.platform.model import Unreadable

MAX_BYTES = 50 * 1024 * 1024
MAX_ROWS = 100_000
MAX_UNZIPPED = 300 * 1024 * 1024


@dataclass
class Table:
    """The cells of a file, row by row, each with its line (Excel row or CSV line) number.
    Cells are as the file holds them: text from CSV; text, numbers or datetimes from Excel."""

    format: str
    rows: list[tuple[int, list]] = field(default_factory=list)
    sheet: str = ""
    encoding: str = ""


def _is_xlsx(head: bytes, path: Path) -> bool:
    return head.startswith(b"PK")


def _is_legacy(head: bytes, path: Path) -> bool:
    return head.startswith(bytes.fromhex("D0CF11E0A1B11AE1"))


def _refuse_legacy(path: Path) -> Table:
    raise Unreadable(
        "这是 Excel 97-2003 表格（.xls），无法读取；请在 Excel 或 WPS 中另存为 .xlsx 后再上传。",
        f"{path.name}: a legacy .xls workbook",
    )


def _registry():
    from zhenggai.evaluations.platform.readers import delimited, xlsx

    # (name, test on the first bytes, reader); the first that matches reads the file.
    return [
        ("xlsx", _is_xlsx, xlsx.read),
        ("xls", _is_legacy, _refuse_legacy),
        ("csv", delimited.looks_like_text, delimited.read),
    ]


def zip_is_sound(path) -> None:
    """Refuse a zip (a path or an open file) that is damaged or expands far beyond its size
    (a bomb)."""
    name = Path(getattr(path, "name", None) or str(path)).name
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except Exception:  # BadZipFile, NotImplementedError, EOFError, …
        raise Unreadable("文件已损坏，无法读取。", f"{name}: a damaged zip") from None
    total = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos) or 1
    if len(infos) > 5000 or total > MAX_UNZIPPED or total / packed > 200:
        raise Unreadable(
            "文件解压后异常庞大（疑似压缩炸弹），已拒绝。",
            f"{name}: a zip bomb ({total} bytes)",
        )


def read_table(path: str | Path) -> Table:
    """The rows of the file at `path`, or Unreadable saying why not."""
    path = Path(path)
    if not path.is_file():
        raise Unreadable("文件不存在。", f"{path}: no such file")
    size = path.stat().st_size
    if size == 0:
        raise Unreadable("文件是空的。", f"{path.name}: empty")
    if size > MAX_BYTES:
        raise Unreadable(
            f"文件超过 {MAX_BYTES // (1024 * 1024)} MB，请拆分后分批导入。",
            f"{path.name}: {size} bytes",
        )
    with path.open("rb") as handle:
        head = handle.read(8192)
    for _name, matches, reader in _registry():
        if matches(head, path):
            return reader(path)
    raise Unreadable(
        "只能读取 Excel（.xlsx）或 CSV 文件（UTF-8 或 GBK 编码）。",
        f"{path.name}: neither .xlsx nor text",
    )
