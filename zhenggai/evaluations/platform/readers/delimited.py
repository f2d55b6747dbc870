"""CSV (and tab-separated) text as platforms export it: UTF-8 with or without a byte order mark,
UTF-16 with one, or GB18030/GBK (what Excel on a Chinese Windows saves)."""

import csv
import io
from pathlib import Path

from zhenggai.evaluations.platform.model import Unreadable

DELIMITERS = (",", "\t", ";", "|")


def looks_like_text(head: bytes, path: Path | None = None) -> bool:
    if head.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return True
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            head.decode(encoding)
            return True
        except UnicodeDecodeError as exc:
            if exc.start >= len(head) - 4:  # a character cut at the end of the probe
                return True
    return False


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding) of the file's bytes."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        raise Unreadable(
            "文本编码无法识别（支持 UTF-8 和 GBK/GB18030）。", "neither UTF-8 nor GB18030"
        ) from None


def _delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the most columns, most alike."""
    lines = [line for line in text.splitlines()[:30] if line.strip()]

    def score(delimiter: str) -> tuple[int, int]:
        counts = [line.count(delimiter) for line in lines]
        return (max(counts, default=0), -len(set(counts)))

    return max(DELIMITERS, key=score)


def read(path: Path):
    from zhenggai.evaluations.platform.readers import MAX_ROWS, Table

    text, encoding = decode(path.read_bytes())
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    rows = []
    try:
        while True:
            line = reader.line_num + 1  # the physical line the record starts on
            try:
                cells = next(reader)
            except StopIteration:
                break
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) > MAX_ROWS:
                raise Unreadable(
                    f"文件超过 {MAX_ROWS} 行，请拆分后分批导入。", f"more than {MAX_ROWS} rows"
                )
            rows.append((line, cells))
    except csv.Error as exc:
        raise Unreadable(
            f"第{reader.line_num}行：CSV 格式有误（引号不成对等），无法读取。", f"csv: {exc}"
        ) from None
    return Table(format="csv", rows=rows, encoding=encoding)
