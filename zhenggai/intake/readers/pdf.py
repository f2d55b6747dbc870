"""PDFs with a text layer. Lines that wrapped at the right margin are joined back into their
paragraph; radicals that some fonts map characters to (⻰ for 龙, ⼯ for 工) are read as the
characters. A scanned PDF (pages of images, no text) gives no lines: the registry has it read
by OCR (readers/ocr.py)."""

import logging
import re
import unicodedata
from pathlib import Path

from zhenggai.intake.model import IntakeError

MAX_PAGES = 500
# CJK Radicals Supplement forms that fonts use for whole characters; NFKC leaves these alone
# (it does map the Kangxi radicals, U+2F00–U+2FD5).
RADICALS = str.maketrans(
    "⺟⺠⻁⻄⻅⻆⻉⻋⻓⻔⻘⻙⻚⻛⻜⻝⻢⻣⻤⻥⻦⻧⻨⻩⻬⻮⻯⻰⻳",
    "母民虎西见角贝车长门青韦页风飞食马骨鬼鱼鸟卤麦黄齐齿龙龙龟",
)
HEADING = re.compile(
    r"^\s*([一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.．、)）])"
)


def clean(text: str) -> str:
    text = "".join(
        unicodedata.normalize("NFKC", c) if "\u2f00" <= c <= "\u2fdf" else c for c in text
    )
    return text.translate(RADICALS)


def _page_lines(page) -> list[str]:
    lines = page.extract_text_lines(return_chars=False)
    if not lines:
        return []
    right = max(line["x1"] for line in lines)
    size = max((line["bottom"] - line["top"]) for line in lines) or 10
    out: list[str] = []
    wrapped = False
    for line in lines:
        text = clean(line["text"])
        if wrapped and out and not HEADING.match(text):
            out[-1] += text
        else:
            out.append(text)
        wrapped = line["x1"] >= right - 1.5 * size
    return out


def has_text(path: Path, pages: int = 3) -> bool:
    """Whether the first `pages` pages hold any text (a scan holds none); a PDF that cannot be
    opened counts as text, so that reading it says what is wrong."""
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    try:
        import pdfplumber

        with pdfplumber.open(str(path)) as document:
            return any(page.chars for page in document.pages[:pages])
    except Exception:  # pdfminer raises many kinds on a damaged file; read() reports it
        return True


def read(path: Path) -> list[str]:
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    try:
        import pdfplumber

        with pdfplumber.open(str(path)) as pdf:
            if len(pdf.pages) > MAX_PAGES:
                raise IntakeError(f"{path}: more than {MAX_PAGES} pages")
            lines: list[str] = []
            for page in pdf.pages:
                lines.extend(_page_lines(page))
    except IntakeError:
        raise
    except Exception as exc:  # pdfminer raises many kinds on a damaged file
        raise IntakeError(f"{path}: not a readable PDF ({type(exc).__name__})") from None
    return lines
