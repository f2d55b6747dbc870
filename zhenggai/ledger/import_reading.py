"""How a draft's outline was read, as its preview says it: the reader (and the legacy format it
was converted from), the rules that shaped the outline, and what OCR read with low confidence,
row by row and page by page."""

import re
import unicodedata
from dataclasses import dataclass, field

from zhenggai.ledger.import_warnings import rules_zh

# Every reader of zhenggai.intake.readers.READERS, in Chinese (a test holds them equal).
READERS_ZH = {
    "text": "按文本的标题层次识别",
    "docx": "按Word文档的标题层次识别",
    "docx_table": "按Word表格识别",
    "pdf": "按PDF的文字层识别",
    "ocr_pdf": "OCR识别（扫描版PDF）",
    "ocr_image": "OCR识别（图片）",
    "xlsx": "按Excel台账识别",
}
CONVERTED_ZH = {
    "doc": "Word 97-2003 文档（.doc）",
    "wps": "WPS 文字（.wps）",
    "xls": "Excel 97-2003 表格（.xls）",
    "et": "WPS 表格（.et）",
}
OCR_READERS = ("ocr_pdf", "ocr_image")
# A low-confidence line shorter than this (after spaces are dropped) would be found in many
# rows by chance ("一、"), so only the page panel marks it.
MIN_MATCH = 4
# What the outline takes off a line before it keeps its text: a heading's number ("(一)", "1.",
# "一、") or a label ("整改情况:"), as the line reads once folded (_flat).
LEAD = re.compile(
    r"^(?:\([一二三四五六七八九十百\d]+\)|[一二三四五六七八九十百\d]+[、.]|[^:]{1,8}:)"
)


@dataclass
class Reading:
    """What the preview says about how a draft was read."""

    summary: str = ""
    rules: list[str] = field(default_factory=list)


def reading_zh(parsed: dict) -> Reading:
    """How the outline of `parsed` (a draft's JSON) was found, in Chinese: e.g. "按Word表格识别",
    "由 WPS 文字（.wps）转换后按Word文档的标题层次识别", "OCR识别（图片），共 1 页，3 行置信度低，
    请核对标黄的文字", and each rule that shaped it. Drafts from before readers were named say
    nothing."""
    reader = parsed.get("reader") or ""
    summary = READERS_ZH.get(reader, "")
    if reader in OCR_READERS:
        summary += _ocr_zh(parsed.get("pages") or [])
    converted = parsed.get("converted_from")
    if converted and summary:
        summary = f"由 {CONVERTED_ZH.get(converted, f'.{converted}')}转换后{summary}"
    return Reading(summary=summary, rules=rules_zh(parsed.get("rules") or []))


def _ocr_zh(pages: list[dict]) -> str:
    low = sum(1 for page in pages for line in page.get("lines", []) if line.get("low"))
    if not low:
        return f"，共 {len(pages)} 页，没有置信度低的文字，仍请对照原件核对"
    return f"，共 {len(pages)} 页，{low} 行置信度低，请核对标黄的文字"


def _flat(text: str) -> str:
    """Text as compared: compatibility forms folded (full-width digits), spaces dropped."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def low_lines(parsed: dict) -> list[tuple[str, str, str]]:
    """(text, as compared, without its number or label) of every low-confidence line OCR read
    that is long enough to find."""
    found = []
    for page in parsed.get("pages") or []:
        for line in page.get("lines", []):
            flat = _flat(line.get("text", ""))
            if line.get("low") and len(flat) >= MIN_MATCH:
                found.append((line["text"], flat, LEAD.sub("", flat)))
    return found


def low_lines_in(row: dict, lows: list[tuple[str, str, str]]) -> list[str]:
    """The low-confidence lines a preview row holds, as the row now reads: in its title,
    description or measures (with or without the number or label the outline took off), or
    holding its title. A line the user corrected is no longer found."""
    if not lows:
        return []
    text = _flat("".join(row.get(key) or "" for key in ("title", "description", "measures")))
    title = _flat(row.get("title") or "")
    return [
        line
        for line, flat, core in lows
        if flat in text
        or (len(core) >= MIN_MATCH and core in text)
        or (len(title) >= MIN_MATCH and title in flat)
    ]
