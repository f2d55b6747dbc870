"""Plain text in UTF-8 (with or without BOM), UTF-16, or GB18030/GBK: detected, not assumed."""

from pathlib import Path

from zhenggai.intake.model import IntakeError

BOMS = [(b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")]


def looks_like_text(head: bytes) -> bool:
    if any(head.startswith(bom) for bom, _ in BOMS):
        return True
    return b"\x00" not in head[:1024]


def decode(data: bytes) -> str:
    """Text from bytes: a BOM says the encoding; else UTF-8 if it decodes, else GB18030 (which
    covers GBK and GB2312) if it decodes, else refuse."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise IntakeError(
                    f"the text starts as {encoding} but is not ({exc.reason})"
                ) from None
    if data[:2000].count(b"\x00") > len(data[:2000]) // 4:
        # UTF-16 without a BOM: zero bytes stand beside ASCII.
        for encoding in ("utf-16-le", "utf-16-be"):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                continue
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise IntakeError("the text is neither UTF-8, UTF-16 nor GB18030/GBK")


def read(path: Path) -> list[str]:
    return decode(path.read_bytes()).splitlines()
