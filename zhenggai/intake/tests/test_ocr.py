"""Scans read by OCR: a phone photo (JPEG), a scan (PNG) and a PDF without a text layer, all of
the first pages of a real rectification notice (samples/make_scans.py made them), and the
refusals that keep a hostile or broken file from taking time or memory."""

import difflib
import json
import math
import socket
import struct
import sys
import time
import zlib
from pathlib import Path

import pytest
from PIL import Image

from zhenggai.intake import IntakeError, parse_file, parse_lines
from zhenggai.intake.readers import MAX_BYTES, Context, ocr
from zhenggai.intake.tests.conftest import EXPECTED, expected_outline, outline_of

SAMPLES = Path(__file__).resolve().parent / "samples"
TRUTH = json.loads((SAMPLES / "scans.json").read_text(encoding="utf-8"))
SEED = TRUTH["seed"]
QUICK = 3.0  # seconds a refusal may take: it must come before any OCR


def truth_lines(page: int) -> list[str]:
    return [line["text"] for line in TRUTH["pages"][page - 1]]


def truth_paragraphs(pages: list[int]) -> list[str]:
    out: list[str] = []
    for page in pages:
        for line in TRUTH["pages"][page - 1]:
            if line["starts"] or not out:
                out.append(line["text"])
            else:
                out[-1] += line["text"]
    return out


def similarity(read: str, truth: str) -> float:
    return difflib.SequenceMatcher(None, read, truth, autojunk=False).ratio()


def page_text(document, number: int) -> str:
    return "".join(line.text for line in document.pages[number - 1].lines)


@pytest.fixture(scope="module")
def photo():
    return parse_file(SAMPLES / "scan_page1.jpg")


@pytest.fixture(scope="module")
def scan():
    return parse_file(SAMPLES / "scan_page2.png")


@pytest.fixture(scope="module")
def scanned_pdf(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pages")
    calls: list[tuple[int, int]] = []
    document = parse_file(
        SAMPLES / "scan_2pages.pdf", progress=lambda *done: calls.append(done), workdir=folder
    )
    return document, calls, folder


def test_a_photographed_page_gives_its_title_and_the_problems_it_shows(photo):
    assert photo.reader == "ocr_image"
    assert photo.org == EXPECTED[SEED]["org"]
    assert outline_of(photo) == outline_of(parse_lines(truth_paragraphs([1])))
    assert outline_of(photo) == expected_outline(SEED)[:1]


def test_a_scanned_pdf_gives_the_problems_of_its_pages_in_order(scanned_pdf):
    document, _calls, _folder = scanned_pdf
    assert document.reader == "ocr_pdf"
    assert document.org == EXPECTED[SEED]["org"]
    assert outline_of(document) == expected_outline(SEED)[:3]
    assert [page.number for page in document.pages] == [1, 2]


def test_a_heading_that_wrapped_is_joined_and_page_numbers_are_left_out(scanned_pdf):
    document, _calls, _folder = scanned_pdf
    area = "聚焦履职责任情况，查找政治偏差方面存在的问题及整改情况"
    assert {tuple(problem.path) for problem in document.problems} == {(area,)}
    assert not any(ocr.FOLIO.match(line.text) for page in document.pages for line in page.lines)


def test_the_pages_are_read_nearly_to_the_character(photo, scan, scanned_pdf):
    document, _calls, _folder = scanned_pdf
    faint = TRUTH["faint"]["line"]
    clear_page_2 = "".join(truth_lines(2)[:faint] + truth_lines(2)[faint + 1 :])
    assert similarity(page_text(photo, 1), "".join(truth_lines(1))) > 0.98
    assert similarity(page_text(document, 1), "".join(truth_lines(1))) > 0.98
    assert similarity(page_text(document, 2), "".join(truth_lines(2))) > 0.95
    clear_lines = [line.text for line in scan.pages[0].lines if not line.low]
    assert similarity("".join(clear_lines), clear_page_2) > 0.98


def test_progress_is_reported_after_each_page(scanned_pdf):
    _document, calls, _folder = scanned_pdf
    assert calls == [(1, 2), (2, 2)]


def test_a_faint_blurred_line_is_marked_low_and_the_clear_ones_are_not(scan):
    lines = scan.pages[0].lines
    low = [n for n, line in enumerate(lines) if line.low]
    assert len(low) == 1 and scan.low_confidence_lines == 1
    faint = TRUTH["faint"]["line"]
    before, after = truth_lines(2)[faint - 1], truth_lines(2)[faint + 1]
    assert similarity(lines[low[0] - 1].text, before) > 0.9
    assert similarity(lines[low[0] + 1].text, after) > 0.9
    assert lines[low[0]].confidence < ocr.LOW_CONFIDENCE
    assert all(line.confidence >= ocr.LOW_CONFIDENCE for line in lines if not line.low)


def test_page_images_are_kept_in_the_workdir(scanned_pdf):
    document, _calls, folder = scanned_pdf
    for page in document.pages:
        image = Path(page.image)
        assert image.parent == folder and image.suffix == ".png"
        assert image.stat().st_size < 400_000
        with Image.open(image) as kept:
            assert kept.width == ocr.PREVIEW_WIDTH


def test_no_page_image_is_kept_without_a_workdir(photo):
    assert photo.pages[0].image is None


def test_no_network_is_asked_for_while_the_models_load_and_read(monkeypatch, tmp_path):
    def refuse(*args, **kwargs):
        raise AssertionError("OCR tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    ocr._engine.cache_clear()  # load the models again, under the guard
    image = Image.open(SAMPLES / "scan_page1.jpg").crop((100, 200, 1150, 560))
    image.save(tmp_path / "title.png")
    lines, pages = ocr.read_image(tmp_path / "title.png", Context())
    assert lines[0].startswith("中共开封市龙亭区") and pages[0].lines


def test_a_server_without_the_ocr_libraries_says_so(monkeypatch):
    monkeypatch.setitem(sys.modules, "cv2", None)  # as when libGL is missing: import fails
    ocr._engine.cache_clear()
    try:
        with pytest.raises(IntakeError) as refusal:
            parse_file(SAMPLES / "scan_page1.jpg")
    finally:
        ocr._engine.cache_clear()
    assert "OCR is not available" in str(refusal.value)


# Refusals: each must come quickly, before any page is read.


def refused(path: Path, **kwargs) -> str:
    started = time.monotonic()
    with pytest.raises(IntakeError) as refusal:
        parse_file(path, **kwargs)
    assert time.monotonic() - started < QUICK
    return str(refusal.value)


def png_header(width: int, height: int) -> bytes:
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    chunk = b"IHDR" + header
    return (
        b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + chunk + struct.pack(">I", zlib.crc32(chunk))
    )


def test_a_huge_image_just_under_the_size_limit_is_refused_without_decoding(tmp_path):
    path = tmp_path / "bomb.png"
    with path.open("wb") as handle:
        handle.write(png_header(20_000, 2_600))  # 52 million pixels
        handle.write(struct.pack(">I", MAX_BYTES - 1024) + b"IDAT")
        handle.truncate(MAX_BYTES - 100)
    assert "too many pixels" in refused(path)


def test_an_image_beyond_pillows_own_bomb_guard_is_refused(tmp_path):
    data = bytearray((SAMPLES / "scan_page1.jpg").read_bytes())
    sof = data.index(b"\xff\xc0")  # baseline frame header: precision, height, width
    data[sof + 5 : sof + 9] = struct.pack(">HH", 60_000, 60_000)
    path = tmp_path / "bomb.jpg"
    path.write_bytes(bytes(data))
    assert "too many pixels" in refused(path)


def test_a_pdf_page_holding_a_huge_image_is_refused_before_rendering(tmp_path):
    path = tmp_path / "bomb.pdf"
    path.write_bytes(pdf_with_image(40_000, 40_000))
    assert "too many pixels" in refused(path)


def test_a_pdf_of_too_many_pages_is_refused(tmp_path):
    import pypdfium2

    document = pypdfium2.PdfDocument.new()
    for _ in range(ocr.MAX_PAGES + 1):
        document.new_page(595, 842)
    document.save(tmp_path / "long.pdf")
    assert "too many pages for OCR" in refused(tmp_path / "long.pdf")


@pytest.mark.parametrize("name", ["scan_page1.jpg", "scan_page2.png", "scan_2pages.pdf"])
def test_a_damaged_scan_is_refused(tmp_path, name):
    data = (SAMPLES / name).read_bytes()
    path = tmp_path / name
    path.write_bytes(data[: len(data) // 3])
    reason = refused(path)
    assert "damaged" in reason or "not a readable PDF" in reason


def test_a_blank_scan_says_no_text_was_found(tmp_path):
    path = tmp_path / "blank.png"
    Image.new("L", (1240, 1754), 250).save(path)
    with pytest.raises(IntakeError) as refusal:
        parse_file(path)
    assert "OCR found no text" in str(refusal.value)


@pytest.mark.parametrize("size", [(4000, 1), (1, 4000), (2400, 6), (3, 3)])
def test_a_sliver_of_an_image_is_not_blown_up_for_the_detector(tmp_path, size):
    # RapidOCR scales an image narrower than 736 px up to it: 2400×6 would become 294,400×736.
    path = tmp_path / "sliver.png"
    image = Image.new("L", size, 255)
    image.paste(0, (0, size[1] // 3, size[0], size[1] // 2 + 1))
    image.save(path)
    started = time.monotonic()
    with pytest.raises(IntakeError) as refusal:
        parse_file(path)
    assert "OCR found no text" in str(refusal.value)
    assert time.monotonic() - started < 10


def test_a_scan_that_runs_past_its_time_is_stopped_between_pages():
    with pytest.raises(IntakeError) as refusal:
        parse_file(SAMPLES / "scan_2pages.pdf", timeout=0.0)
    assert "OCR took longer than" in str(refusal.value)


def pdf_with_image(width: int, height: int, *, depth: int = 0) -> bytes:
    """A one-page PDF whose image claims `width`×`height` pixels (its data is a few bytes),
    drawn on the page or from inside `depth` forms nested one in another."""
    image = 4 + depth
    forms = [
        b"<</Type/XObject/Subtype/Form/BBox[0 0 1 1]/Resources<</XObject<</X0 %d 0 R>>>>"
        b"/Length 6>>stream\n/X0 Do\nendstream" % (4 + level + 1)
        for level in range(depth)
    ]
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]"
        b"/Resources<</XObject<</X0 4 0 R>>>>/Contents %d 0 R>>" % (image + 1),
        *forms,
        b"<</Type/XObject/Subtype/Image/Width %d/Height %d/ColorSpace/DeviceGray"
        b"/BitsPerComponent 8/Filter/FlateDecode/Length 8>>stream\nxxxxxxxx\nendstream"
        % (width, height),
        b"<</Length 30>>stream\nq 595 0 0 842 0 0 cm /X0 Do Q\nendstream",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj" % number + body + b"endobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


@pytest.mark.parametrize("depth", [1, 4, 6, 12])
def test_a_huge_image_inside_nested_forms_is_refused_before_rendering(tmp_path, depth):
    path = tmp_path / "nested.pdf"
    path.write_bytes(pdf_with_image(40_000, 40_000, depth=depth))
    assert "too many pixels" in refused(path)


@pytest.mark.parametrize("size", [(4000, 1), (7000, 2)])
def test_a_sliver_read_with_a_workdir_keeps_a_page_image_of_one_pixel_at_least(tmp_path, size):
    path = tmp_path / "sliver.png"
    Image.new("L", size, 0).save(path)
    image = Image.open(path)
    kept = ocr._keep(image, 1, tmp_path / "pages")
    assert Image.open(kept).size[1] >= 1


def test_a_16_bit_grey_scan_is_read_like_its_8_bit_self(tmp_path, photo):
    import numpy

    grey = numpy.asarray(Image.open(SAMPLES / "scan_page1.jpg").convert("L"), dtype="uint16")
    path = tmp_path / "deep.png"
    Image.fromarray(grey * 257).save(path)  # 0–255 spread over 0–65535
    assert Image.open(path).mode.startswith("I;16")
    assert similarity(page_text(parse_file(path), 1), page_text(photo, 1)) > 0.95


# The layout rules, on boxes as the recogniser gives them: no OCR, no image.


def box(x: float, y: float, text: str, *, size: float = 36, score: float = 0.99):
    width = sum(size / 2 if c.isascii() else size for c in text)  # digits and Latin: half
    quad = [[x, y], [x + width, y], [x + width, y + size], [x, y + size]]
    return [quad, text, score]


def turned(result: list, degrees: float) -> list:
    """The boxes of a page photographed `degrees` askew."""
    cos, sin = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    return [
        [[[x * cos - y * sin, x * sin + y * cos] for x, y in quad], text, score]
        for quad, text, score in result
    ]


def read(result: list) -> list[str]:
    return ocr.paragraphs([ocr._lines(ocr._boxes(result))])


def test_boxes_on_one_baseline_are_joined_left_to_right():
    lines = ocr._lines(ocr._boxes([box(254, 100, "监督检查"), box(100, 102, "一、加强")]))
    assert [line.text for line in lines] == ["一、加强监督检查"]


def test_boxes_far_apart_on_one_line_are_kept_apart_as_table_cells():
    lines = ocr._lines(ocr._boxes([box(100, 100, "1"), box(300, 100, "学习不深入")]))
    assert [line.text for line in lines] == ["1 学习不深入"]


def test_a_line_that_reached_the_margin_runs_on_and_a_short_one_ends_the_paragraph():
    result = [
        box(172, 100, "二是做好政策宣传和解读，特别是对一些专业"),  # indented, to the margin
        box(100, 160, "性较强的重要政策措施，要及时宣传解读到位，"),
        box(100, 220, "做到应知尽知。"),
        box(172, 280, "三是建立工作群，及时传达相关优惠政策。"),
    ]
    assert read(result) == [
        "二是做好政策宣传和解读，特别是对一些专业性较强的重要政策措施，要及时宣传解读到位，做到应知尽知。",
        "三是建立工作群，及时传达相关优惠政策。",
    ]


def test_a_heading_number_or_an_indent_begins_a_paragraph_after_a_full_line():
    result = [
        box(100, 100, "整改情况：围绕科工局工作实际，研究制定了具体工作"),
        box(100, 160, "（二）谋划不够深入。"),
        box(100, 220, "整改情况：围绕科工局工作实际，研究制定了具体工作"),
        box(172, 280, "转变思想提高认识。"),
    ]
    assert read(result) == [
        "整改情况：围绕科工局工作实际，研究制定了具体工作",
        "（二）谋划不够深入。",
        "整改情况：围绕科工局工作实际，研究制定了具体工作",
        "转变思想提高认识。",
    ]


def test_a_centred_title_runs_on_and_the_body_in_smaller_type_does_not():
    title = [
        box(100, 100, "中共开封市龙亭区科学技术和工业信息化局党", size=50),  # 100–1100
        box(225, 170, "组关于区委优化营商环境专项巡察", size=50),  # centred
        box(425, 240, "整改情况的通报", size=50),
        box(100, 320, "现将巡察整改情况予以公布。这里是一段正文"),  # not indented
    ]
    assert read(title) == [
        "中共开封市龙亭区科学技术和工业信息化局党组关于区委优化营商环境专项巡察整改情况的通报",
        "现将巡察整改情况予以公布。这里是一段正文",
    ]


def test_a_paragraph_runs_on_from_one_page_to_the_next():
    first = [
        box(172, 100, "一是深入学习贯彻讲话精神，开展集中专题学"),  # 172–892
        box(100, 160, "习交流活动，切实提高学习成效，有力指导实践"),  # 100–856: to the margin
    ]
    second = [
        box(100, 100, "工作。"),
        box(172, 160, "二是研究制定工作措施，激发全体成员干事热情"),
    ]
    pages = [ocr._lines(ocr._boxes(first)), ocr._lines(ocr._boxes(second))]
    assert ocr.paragraphs(pages) == [
        "一是深入学习贯彻讲话精神，开展集中专题学习交流活动，切实提高学习成效，有力指导实践工作。",
        "二是研究制定工作措施，激发全体成员干事热情",
    ]


def test_a_page_photographed_askew_keeps_its_lines_and_margins():
    upright = []
    for n in range(12):
        upright.append(box(172, 100 + 120 * n, "一是深入学习贯彻讲话精神，开展集中专题学"))
        upright.append(box(100, 160 + 120 * n, "习交流活动，切实提高学习成效。"))
    paragraph = "一是深入学习贯彻讲话精神，开展集中专题学习交流活动，切实提高学习成效。"
    assert read(turned(upright, 3)) == [paragraph] * 12


# A notice typed without indents and wrapped by a count of characters (scan_unindented.png,
# made by samples/make_scans.py), as its paragraphs were typed.
TYPED = [
    "中共青山县林业局党组关于县委第二巡察组巡察反馈意见整改情况的通报",
    "2025年3月10日至4月25日，县委第二巡察组对县林业局党组开展了常规巡察，反馈了2个方面4个问题。"
    "现将整改情况予以公布。",
    "一、贯彻落实上级决策部署方面",
    "（一）森林防火责任落实不到位。",
    "整改情况：修订《森林防火责任制实施办法》，落实护林员包片责任，牵头科室：防火办。"
    "完成时限：2025年9月30日。",
    "（二）古树名木保护措施不力。",
    "整改情况：对全县古树名木逐株建档，设置保护标牌126块。牵头科室：资源管理科。完成时限：长期坚持。",
    "二、全面从严治党方面",
    "（一）财务管理制度执行不严。",
    "整改情况：清理2023年以来报销凭证，退回不合规票据5张。牵头科室：财务科。"
    "完成时限：2025年10月31日。",
    "（二）党员教育管理不够规范。",
    "整改情况：建立党员积分管理台账，开展专题党课4次。牵头科室：机关党委。"
    "完成时限：2025年11月30日。",
    "欢迎广大干部群众对巡察整改落实情况进行监督。联系电话：0791-7654321；"
    "电子邮箱：lyj@qsxian.gov.cn。",
    "中共青山县林业局党组",
    "2025年10月20日",
]


def facts(document) -> list[tuple]:
    return [
        (p.title, p.lead_units, p.deadline, [m.text for m in p.measures]) for p in document.problems
    ]


@pytest.fixture(scope="module")
def unindented():
    lines, _pages = ocr.read_image(SAMPLES / "scan_unindented.png", Context())
    return lines


def test_a_scan_typed_without_indents_gives_its_paragraphs_as_typed(unindented):
    assert len(unindented) == len(TYPED)
    for read_paragraph, typed in zip(unindented, TYPED, strict=True):
        assert similarity(read_paragraph, typed) > 0.97, (read_paragraph, typed)


def test_a_scan_typed_without_indents_keeps_each_problems_section_and_deadline(unindented):
    document, typed = parse_lines(unindented), parse_lines(TYPED)
    assert facts(document) == facts(typed)
    assert [len(p.measures) for p in document.problems] == [1, 1, 1, 1]
    assert all(p.lead_units and p.deadline for p in document.problems)


def test_a_long_line_that_ends_no_sentence_runs_on_though_short_of_the_margin():
    result = [
        box(100, 100, "整改情况：制定实施方案，企业开办时间压缩至1个工作日以内。牵头"),  # 100–1252
        box(100, 160, "科室：登记注册科。完成时限：2025年9月30日。"),
        box(100, 220, "整改情况：开展校园周边食品安全专项整治，立案查处11起。牵头科室："),
        box(100, 280, "食品安全监管科。完成时限：长期坚持。"),
        box(100, 340, "整改情况：梳理执法权力事项，查找廉政风险点，制定防控措施。完成时限：20"),
        box(100, 400, "25年11月30日。"),
    ]
    assert read(result) == [
        "整改情况：制定实施方案，企业开办时间压缩至1个工作日以内。牵头科室：登记注册科。完成时限：2025年9月30日。",
        "整改情况：开展校园周边食品安全专项整治，立案查处11起。牵头科室：食品安全监管科。完成时限：长期坚持。",
        "整改情况：梳理执法权力事项，查找廉政风险点，制定防控措施。完成时限：2025年11月30日。",
    ]


def test_a_line_that_begins_with_a_full_stop_runs_on_after_a_sentence_or_a_short_line():
    result = [
        box(100, 100, "整改情况：梳理执法权力事项，制定防控措施。牵头科室：法规科"),
        box(100, 160, "。完成时限：2025年12月31日。"),
        box(100, 220, "（三）违反中央八项规定精神问题仍有发生。"),
    ]
    assert read(result) == [
        "整改情况：梳理执法权力事项，制定防控措施。牵头科室：法规科。完成时限：2025年12月31日。",
        "（三）违反中央八项规定精神问题仍有发生。",
    ]


def test_a_sentence_a_label_a_signature_or_a_table_row_ends_a_ragged_line():
    result = [
        box(100, 100, "整改情况：修订主体责任清单，每季度专题研究一次。"),  # short of the margin
        box(100, 160, "整改情况：修订局党组落实主体责任清单，每季度专题研究一次，并"),
        box(100, 220, "完成时限：2025年10月31日。"),  # a label of its own
        box(100, 280, "中共青山县市场监督管理局党组"),  # a signature: short
        box(100, 340, "2025年10月15日"),
        box(100, 400, "1"),
        box(300, 400, "主体责任落实有差距办公室长期坚持"),
        box(100, 460, "2"),
        box(300, 460, "廉政风险防控不到位法规科长期坚持"),
    ]
    assert read(result) == [
        "整改情况：修订主体责任清单，每季度专题研究一次。",
        "整改情况：修订局党组落实主体责任清单，每季度专题研究一次，并",
        "完成时限：2025年10月31日。",
        "中共青山县市场监督管理局党组",
        "2025年10月15日",
        "1 主体责任落实有差距办公室长期坚持",
        "2 廉政风险防控不到位法规科长期坚持",
    ]


def test_the_call_for_supervision_begins_a_paragraph_after_a_full_line():
    result = [
        box(100, 100, "整改情况：健全报销审核制度，核查2023年以来报销凭证，完成"),  # to the margin
        box(100, 160, "欢迎广大干部群众对整改情况进行监督。电话：0371-1234567。"),  # not indented
    ]
    assert read(result) == [
        "整改情况：健全报销审核制度，核查2023年以来报销凭证，完成",
        "欢迎广大干部群众对整改情况进行监督。电话：0371-1234567。",
    ]


def test_a_title_wider_than_the_text_does_not_set_its_right_margin():
    result = [
        box(
            120, 40, "中共青山县市场监督管理局党组关于巡察反馈意见整改情况的通报", size=44
        ),  # to 1352
        box(100, 100, "根据县委统一部署，县委第三巡察组对县市场监督管理局党组开"),  # 100–1108
        box(100, 160, "展了常规巡察，指出了3个方面9个问题。"),
        box(100, 220, "一、贯彻落实党的路线方针政策和上级决策部署方面"),
        box(100, 280, "整改情况：制定《进一步压缩企业开办时间实施方案》，企业开"),
        box(100, 340, "办时间压缩至1个工作日以内。"),
    ]
    assert read(result) == [
        "中共青山县市场监督管理局党组关于巡察反馈意见整改情况的通报",
        "根据县委统一部署，县委第三巡察组对县市场监督管理局党组开展了常规巡察，指出了3个方面9个问题。",
        "一、贯彻落实党的路线方针政策和上级决策部署方面",
        "整改情况：制定《进一步压缩企业开办时间实施方案》，企业开办时间压缩至1个工作日以内。",
    ]


def test_a_page_number_is_not_text():
    assert all(ocr.FOLIO.match(folio) for folio in ("— 2 —", "-2=", "－3－", "第2页 共5页", "12"))
    assert not ocr.FOLIO.match("1.坚持深化理论武装") and not ocr.FOLIO.match("（一）")


def test_a_line_is_as_sure_as_its_least_sure_box():
    lines = ocr._lines(
        ocr._boxes([box(100, 100, "整改", score=0.98), box(300, 100, "情况", score=0.6)])
    )
    assert lines[0].confidence == 0.6
