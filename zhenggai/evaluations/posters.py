"""Rating points' QR codes and printable A4 posters (评价二维码海报).

QR codes are made here by segno, never by a web service. A poster is drawn with reportlab in
its built-in Chinese CID font STSong-Light (Adobe-GB1): the PDF needs no font file of ours,
and every PDF reader and printer shows it with its own Song typeface. The QR code is drawn as
vector rectangles, so it prints sharp at any size.
"""

import io
from collections.abc import Iterable

import segno
from django.conf import settings
from django.urls import reverse
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

from zhenggai.evaluations.models import RatingPoint
from zhenggai.evaluations.services.bad_reviews import evaluation_office_of
from zhenggai.evaluations.values import Channel, Level, Mode

SONG = "STSong-Light"
LATIN = "Helvetica"
LATIN_BOLD = "Helvetica-Bold"
BLUE = colors.HexColor("#1d4e89")
RED = colors.HexColor("#b3261e")
PALE_RED = colors.HexColor("#fbe9e7")
PALE_BLUE = colors.HexColor("#eaf1f8")
GREY = colors.HexColor("#555555")
# Punctuation that never starts a line (避头点).
NO_LINE_START = set("，。、；：？！）》」”’")

_fonts_ready = False


def _register_fonts() -> None:
    global _fonts_ready
    if not _fonts_ready:
        pdfmetrics.registerFont(UnicodeCIDFont(SONG))
        _fonts_ready = True


def rating_url(point: RatingPoint, channel: str = Channel.QR) -> str:
    """The absolute address of a point's rating page; a channel other than the QR code's is
    named in the link (`?c=device` on a hall's rating tablet, `?c=sms` in a text message)."""
    url = settings.SITE_URL + reverse("rate", args=[point.code])
    return url if channel == Channel.QR else f"{url}?c={channel}"


def qr_svg(url: str) -> bytes:
    """The QR code of `url` as a small SVG image (medium error correction: a poster survives
    a crease or a smudge)."""
    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(out, kind="svg", scale=8, border=2, xmldecl=False)
    return out.getvalue()


def _draw_qr(canvas: Canvas, url: str, x: float, y: float, size: float) -> None:
    """The QR code of `url` in the square of side `size` whose lower left corner is (x, y),
    quiet zone included: one path of each row's runs of dark modules."""
    matrix = segno.make(url, error="m", micro=False).matrix
    border = 2
    module = size / (len(matrix) + 2 * border)
    path = canvas.beginPath()
    for row_no, row in enumerate(matrix):
        top = y + size - (row_no + border + 1) * module
        col = 0
        while col < len(row):
            if not row[col]:
                col += 1
                continue
            start = col
            while col < len(row) and row[col]:
                col += 1
            path.rect(x + (start + border) * module, top, (col - start) * module, module)
    canvas.setFillColor(colors.black)
    canvas.drawPath(path, stroke=0, fill=1)


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Lines of `text` no wider than `width`: Chinese breaks between any two characters, but
    a closing mark stays at the end of its line (it may stick out a little)."""
    lines, line = [], ""
    for char in text:
        too_wide = pdfmetrics.stringWidth(line + char, font, size) > width
        if too_wide and line and char not in NO_LINE_START:
            lines.append(line)
            line = char.lstrip()
        else:
            line += char
    return [*lines, line] if line else lines


def _centred(canvas: Canvas, text: str, y: float, font: str, size: float, width: float) -> float:
    """Draw `text` centred on the page, wrapped to `width`; the y below its last line."""
    canvas.setFont(font, size)
    for line in _wrap(text, font, size, width):
        canvas.drawCentredString(A4[0] / 2, y, line)
        y -= size * 1.35
    return y


def _what_is_rated(point: RatingPoint) -> str:
    what = f"{point.get_kind_display()}：{point.name}"
    if point.section_id and point.kind != RatingPoint.Kind.SECTION:
        what += f"（{point.section.name}）"
    return what


def _levels(canvas: Canvas, y: float, margin: float) -> None:
    """The five levels as a row of boxes, the two 差评 levels tinted."""
    width = (A4[0] - 2 * margin) / 5
    for i, level in enumerate(sorted(Level, reverse=True)):
        x = margin + i * width
        bad = level.value <= Level.DISSATISFIED
        canvas.setFillColor(PALE_RED if bad else PALE_BLUE)
        canvas.setStrokeColor(colors.white)
        canvas.rect(x, y, width, 44, stroke=1, fill=1)
        canvas.setFillColor(RED if bad else BLUE)
        canvas.setFont(SONG, 14)
        canvas.drawCentredString(x + width / 2, y + 24, level.label)
        canvas.setFont(SONG, 9)
        canvas.drawCentredString(x + width / 2, y + 9, "差评" if bad else "好评")


def _page(canvas: Canvas, point: RatingPoint, body: str) -> None:
    page_width, page_height = A4
    margin = 48
    text_width = page_width - 2 * margin
    on_site = point.mode == Mode.ON_SITE
    # The band: what this is.
    canvas.setFillColor(BLUE)
    canvas.rect(0, page_height - 96, page_width, 96, stroke=0, fill=1)
    canvas.setFillColor(colors.white)
    canvas.setFont(SONG, 30)
    canvas.drawCentredString(page_width / 2, page_height - 52, "政务服务  好差评")
    canvas.setFont(SONG, 14)
    canvas.drawCentredString(page_width / 2, page_height - 80, "请扫码对我们的服务作出评价")
    # Who and what is rated.
    canvas.setFillColor(colors.black)
    y = _centred(canvas, point.unit.name, page_height - 140, SONG, 24, text_width)
    canvas.setFillColor(GREY)
    y = _centred(canvas, _what_is_rated(point), y - 4, SONG, 15, text_width)
    once = "每办理一次业务，评价一次（一次一评）" if on_site else "每办一件事，评价一次（一事一评）"
    y = _centred(canvas, once, y - 2, SONG, 13, text_width)
    # The code, its address and its short code.
    qr_size = 260
    y -= qr_size + 8
    url = rating_url(point)
    _draw_qr(canvas, url, (page_width - qr_size) / 2, y, qr_size)
    canvas.setFillColor(colors.black)
    canvas.setFont(LATIN, 11)
    canvas.drawCentredString(page_width / 2, y - 14, url)
    canvas.setFont(SONG, 12)
    label = "评价码："
    code_width = pdfmetrics.stringWidth(point.code, LATIN_BOLD, 18)
    start = (page_width - pdfmetrics.stringWidth(label, SONG, 12) - code_width) / 2
    canvas.drawString(start, y - 38, label)
    canvas.setFont(LATIN_BOLD, 18)
    canvas.drawString(start + pdfmetrics.stringWidth(label, SONG, 12), y - 38, point.code)
    canvas.setFillColor(GREY)
    _centred(canvas, "无法扫码时，请在手机浏览器中输入上面的网址。", y - 58, SONG, 10, text_width)
    # The five levels and what follows a 差评.
    y -= 124
    _levels(canvas, y, margin)
    canvas.setFillColor(colors.black)
    days = settings.BAD_REVIEW_WORKDAYS
    y = _centred(
        canvas,
        f"选择不满意或非常不满意的，请写明原因：差评将在 {days} 个工作日内核实整改，"
        "并可按您留下的电话回访。",
        y - 20,
        SONG,
        11,
        text_width,
    )
    # The promise (背靠背): in a box of its own.
    promise = (
        f"评价信息由{body}直接收集，被评价单位看不到评价人的任何信息。"
        "姓名无需填写；电话选填，仅用于差评回访，只有评价办可见。"
    )
    lines = _wrap(promise, SONG, 12, text_width - 24)
    box_height = 18 * len(lines) + 16
    y -= box_height + 4
    canvas.setStrokeColor(BLUE)
    canvas.setLineWidth(1.2)
    canvas.rect(margin, y, text_width, box_height, stroke=1, fill=0)
    canvas.setFont(SONG, 12)
    for i, line in enumerate(lines):
        canvas.drawString(margin + 12, y + box_height - 24 - i * 18, line)
    canvas.setFillColor(GREY)
    _centred(
        canvas,
        "任何单位和个人不得诱导、强迫或代替您评价。如遇此类情况，请在评价内容中写明。",
        margin - 4,
        SONG,
        9,
        text_width,
    )


def collector_name(unit) -> str:
    """Who collects a unit's ratings, as its posters and rating page name it: EVALUATION_BODY,
    else the office above the unit where its 评价办 works."""
    if settings.EVALUATION_BODY:
        return settings.EVALUATION_BODY
    office = evaluation_office_of(unit)
    return office.name if office else "评价办"


def _bodies(points: list[RatingPoint]) -> dict[int, str]:
    bodies: dict[int, str] = {}
    for point in points:
        if point.unit_id not in bodies:
            bodies[point.unit_id] = collector_name(point.unit)
    return bodies


def poster_pdf(points: Iterable[RatingPoint], *, title: str = "评价二维码") -> bytes:
    """One A4 page per point, in the order given (select_related unit and section)."""
    _register_fonts()
    points = list(points)
    bodies = _bodies(points)
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, pageCompression=1)
    canvas.setTitle(title)
    canvas.setAuthor("整改闭环管理系统")
    for point in points:
        _page(canvas, point, bodies[point.unit_id])
        canvas.showPage()
    canvas.save()
    return out.getvalue()
