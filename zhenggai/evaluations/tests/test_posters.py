"""Posters: a valid A4 PDF, one page per point, whose Chinese text can be read back, and a QR
code that carries the point's rating address."""

import io

import pdfplumber
import pytest
from django.urls import reverse

from zhenggai.evaluations.models import RatingPoint
from zhenggai.evaluations.posters import poster_pdf, qr_svg, rating_url
from zhenggai.evaluations.values import Mode


def _text(pdf: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [page.extract_text() or "" for page in doc.pages]


def test_a_poster_is_one_a4_page_with_the_unit_the_point_the_levels_and_the_promise(point):
    pdf = poster_pdf([point])
    assert pdf.startswith(b"%PDF-")
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        assert len(doc.pages) == 1
        assert (round(doc.pages[0].width), round(doc.pages[0].height)) == (595, 842)
    text = _text(pdf)[0].replace("\n", "")
    assert "区科技局" in text
    assert "政务服务中心科技窗口" in text
    for level in ("非常满意", "满意", "基本满意", "不满意", "非常不满意"):
        assert level in text
    assert "被评价单位看不到评价人的任何信息" in text
    assert "一次一评" in text
    assert point.code in text
    assert f"/r/{point.code}/" in text


def test_an_online_point_says_one_rating_per_matter(online_point):
    assert "一事一评" in _text(poster_pdf([online_point]))[0]


def test_the_posters_of_many_points_are_one_page_each_in_order(world, point, online_point):
    pdf = poster_pdf([point, online_point])
    pages = _text(pdf)
    assert len(pages) == 2
    assert point.code in pages[0] and online_point.code in pages[1]


def test_the_qr_code_carries_the_absolute_rating_address(settings, point):
    settings.SITE_URL = "https://zg.example.gov.cn"
    url = rating_url(point)
    assert url == f"https://zg.example.gov.cn{reverse('rate', args=[point.code])}"
    assert rating_url(point, "device") == url + "?c=device"
    svg = qr_svg(url)
    assert svg.lstrip().startswith(b"<svg") and b"<script" not in svg


@pytest.mark.parametrize("kind", RatingPoint.Kind.values)
def test_every_kind_of_point_has_a_poster(world, kind):
    point = RatingPoint.objects.create(
        unit=world.unit,
        section=world.section if kind == RatingPoint.Kind.SECTION else None,
        kind=kind,
        name=f"评价对象{kind}" * 8,  # a long name wraps onto more lines
        mode=Mode.ONLINE,
    )
    assert "评价对象" in _text(poster_pdf([point]))[0]


def test_the_poster_draws_its_qr_code_and_band(point, tmp_path):
    """Rendered as a reader shows it (PDFium): the blue band on top and a QR code of about as
    many dark modules as light ones in the middle of the page."""
    import pypdfium2
    from PIL import ImageStat

    image = pypdfium2.PdfDocument(poster_pdf([point]))[0].render(scale=1).to_pil().convert("L")
    image.save(tmp_path / "poster.png")
    width = image.size[0]  # 595 × 842 at 72 dpi
    assert ImageStat.Stat(image.crop((0, 0, width, 90))).mean[0] < 120  # dark blue, not white
    # The middle 180 pt of the 260 pt code (quiet zone left out).
    left, top = (width - 180) // 2, 250
    qr = image.crop((left, top, left + 180, top + 180)).point(lambda v: 255 if v < 128 else 0)
    assert 0.3 < ImageStat.Stat(qr).mean[0] / 255 < 0.7
