"""How the preview says a draft was read: every reader and legacy format worded in Chinese, the
rules that shaped the outline, OCR's count of doubtful lines, and which rows hold them."""

from zhenggai.intake.readers import READERS
from zhenggai.ledger import import_warnings
from zhenggai.ledger.import_reading import (
    CONVERTED_ZH,
    READERS_ZH,
    low_lines,
    low_lines_in,
    reading_zh,
)


def test_every_reader_has_a_wording():
    assert set(READERS_ZH) == set(READERS)
    for reader in READERS:
        assert reading_zh({"reader": reader}).summary


def test_every_legacy_format_has_a_wording():
    assert set(CONVERTED_ZH) == {"doc", "wps", "xls", "et"}


def test_the_reader_and_the_format_it_was_converted_from():
    assert reading_zh({"reader": "docx_table"}).summary == "按Word表格识别"
    converted = reading_zh({"reader": "docx", "converted_from": "wps"})
    assert converted.summary == "由 WPS 文字（.wps）转换后按Word文档的标题层次识别"
    sheet = reading_zh({"reader": "xlsx", "converted_from": "et"})
    assert sheet.summary == "由 WPS 表格（.et）转换后按Excel台账识别"


def test_ocr_counts_its_pages_and_doubtful_lines():
    pages = [
        {"number": n, "lines": [{"text": "甲", "low": n == 2}, {"text": "乙", "low": n > 1}]}
        for n in range(1, 11)
    ]
    summary = reading_zh({"reader": "ocr_pdf", "pages": pages}).summary
    assert summary == "OCR识别（扫描版PDF），共 10 页，10 行置信度低，请核对标黄的文字"
    sure = reading_zh({"reader": "ocr_image", "pages": [{"number": 1, "lines": []}]}).summary
    assert sure == "OCR识别（图片），共 1 页，没有置信度低的文字，仍请对照原件核对"


def test_the_rules_that_shaped_the_outline_are_named(monkeypatch):
    monkeypatch.setitem(
        import_warnings.RULES_ZH, "feedback_top_level", "反馈意见的一级标题即为问题"
    )
    reading = reading_zh({"reader": "docx", "rules": ["feedback_top_level", "not_worded_yet"]})
    assert reading.rules == ["反馈意见的一级标题即为问题"]


def test_drafts_from_before_readers_were_named_say_nothing():
    assert reading_zh({"problems": []}).summary == ""


def _lows(*texts):
    return low_lines({"pages": [{"lines": [{"text": t, "low": True} for t in texts]}]})


def test_a_row_holds_the_doubtful_lines_of_its_title_description_and_measures():
    lows = _lows(
        "（四）财务报销审核把关不严。",  # the heading: its number taken off the title
        "整改情况：复查2023年以来报销凭证，退回",  # a label the outline took off the measure
        "不合规票据3张。",  # a measure's second line
        "一、",  # too short to tell which row
    )
    row = {
        "title": "财务报销审核把关不严",
        "description": "",
        "measures": "复查2023年以来报销凭证，退回不合规票据3张。",
    }
    assert low_lines_in(row, lows) == [
        "（四）财务报销审核把关不严。",
        "整改情况：复查2023年以来报销凭证，退回",
        "不合规票据3张。",
    ]
    other = {"title": "理论学习不够深入", "description": "", "measures": "每月集中学习一次。"}
    assert low_lines_in(other, lows) == []


def test_full_width_and_spaces_do_not_hide_a_line():
    lows = _lows("已开展专题学习６次 。")
    assert low_lines_in({"title": "学习", "measures": "已开展专题学习6次。"}, lows)
