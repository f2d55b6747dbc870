"""Sample documents to try the import with, kept with the demo (zhenggai/demo/samples/, made by
its make_samples.py): a scanned notice, a Word file whose ledger is a table, and a Word 97-2003
file. The upload page links to them; the demo reads the scan into a draft."""

from pathlib import Path

FOLDER = Path(__file__).resolve().parents[1] / "demo" / "samples"
# File name → what it is, as the upload page lists it.
SAMPLES = {
    "扫描的整改通报.png": "扫描的整改情况通报（PNG 图片，OCR 识别）",
    "整改台账表格.docx": "整改台账为表格的 Word 文件（.docx）",
    "巡察反馈意见.doc": "Word 97-2003 格式的反馈意见（.doc，经 LibreOffice 转换）",
}


def sample_path(name: str) -> Path | None:
    """The sample file of that name, if it is one (never a path the name would lead to)."""
    return FOLDER / name if name in SAMPLES and (FOLDER / name).is_file() else None
