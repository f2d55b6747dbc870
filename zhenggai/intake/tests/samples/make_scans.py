"""Make the scanned-page samples the OCR tests read, from a real rectification notice (the
first seed): its first two pages typeset at print size as a Chinese official document is
(A4, 28 mm left margin, 156 mm lines, 三号 body text, 22 lines a page, the first line of each
paragraph indented two characters, the page number at the foot), then spoilt like a scan or a
phone photo (slight rotation, blur, uneven light, noise, JPEG compression).

    .venv/bin/python zhenggai/intake/tests/samples/make_scans.py

Writes, next to this script:
- scan_page1.jpg  page 1 as a phone photo (JPEG);
- scan_page2.png  page 2 as a scan (PNG), one line of which is faint and blurred on purpose;
- scan_2pages.pdf both pages as images in a PDF without a text layer;
- scans.json      the truth: each page's lines as typeset, which begin a paragraph, which is
                  the faint one;
- scan_unindented.png  a notice typed as some offices type one: no indents, a title in a larger
                  face, lines broken by a count of characters (so ragged at the right, shorter
                  where digits are), labels and dates cut across lines ("牵头" / "科室：…",
                  "完成时限：20" / "25年…", "法规科" / "。完成时限"), then scanned; its lines in
                  UNINDENTED below are the truth.
The outputs are committed, so that the tests need neither this font nor this script."""

import json
import time
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont, ImageOps

HERE = Path(__file__).resolve().parent
SEED = HERE.parents[2] / "demo" / "seeds" / "000_d078411bcb7ae7e7.txt"
FONTS = Path("/usr/share/fonts/opentype/noto")
SC = 2  # the Simplified Chinese face in the Noto CJK collections

DPI = 150
MM = DPI / 25.4
PAGE = (round(210 * MM), round(297 * MM))
LEFT, TOP = round(28 * MM), round(37 * MM)
WIDTH, HEIGHT = round(156 * MM), round(225 * MM)
PITCH = HEIGHT / 22  # 22 lines a page
BODY = round(16 / 72 * DPI)  # 三号
TITLE = round(22 / 72 * DPI)  # 二号
PAPER, INK = 243, 25
# A line may not begin with these; they hang at the end of the line before.
NO_START = "，。、；：！？）》”’"
FAINT = (2, 13)  # (page, line): the line made faint and blurred
STAMP = time.strptime("2023-04-23", "%Y-%m-%d")  # the notice's date, as the PDF's


def font(name: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONTS / name), size, index=SC)


def wrap(text: str, face: ImageFont.FreeTypeFont, indent: float) -> list[tuple[str, float]]:
    """The lines `text` breaks into across the measure: (text, left offset)."""
    lines, start = [], 0
    while start < len(text):
        offset = indent if not lines else 0
        end = start + 1
        while end < len(text) and face.getlength(text[start : end + 1]) <= WIDTH - offset:
            end += 1
        while end < len(text) and text[end] in NO_START:
            end += 1
        lines.append((text[start:end], offset))
        start = end
    return lines


def paragraphs(seed: list[str]) -> list[tuple[str, str]]:
    """(style, text) of the seed's paragraphs: its first two lines are the title."""
    texts = [line.strip() for line in seed if line.strip()]
    styles = ["title", "title"] + [
        "heading" if text[:2] in ("一、", "二、", "三、") else "body" for text in texts[2:]
    ]
    return list(zip(styles, texts, strict=True))


def typeset(seed: list[str]) -> list[list[dict]]:
    """Each page's lines: text, face, size, position, and whether it begins a paragraph."""
    faces = {
        "title": font("NotoSerifCJK-Bold.ttc", TITLE),
        "heading": font("NotoSansCJK-Regular.ttc", BODY),
        "body": font("NotoSerifCJK-Regular.ttc", BODY),
    }
    pages: list[list[dict]] = [[]]
    y = TOP
    for style, text in paragraphs(seed):
        face = faces[style]
        pitch = TITLE * 1.5 if style == "title" else PITCH
        for n, (line, offset) in enumerate(wrap(text, face, 0 if style == "title" else 2 * BODY)):
            if y + pitch > TOP + HEIGHT:
                pages.append([])
                y = TOP
            x = LEFT + offset
            if style == "title":
                x = LEFT + (WIDTH - face.getlength(line)) / 2
            pages[-1].append({"text": line, "style": style, "x": x, "y": y, "starts": n == 0})
            y += pitch
    return pages


def draw(page: list[dict], number: int, faint: int | None) -> Image.Image:
    faces = {
        "title": font("NotoSerifCJK-Bold.ttc", TITLE),
        "heading": font("NotoSansCJK-Regular.ttc", BODY),
        "body": font("NotoSerifCJK-Regular.ttc", BODY),
    }
    image = Image.new("L", PAGE, PAPER)
    pen = ImageDraw.Draw(image)
    for line in page:
        pen.text((line["x"], line["y"]), line["text"], font=faces[line["style"]], fill=INK)
    folio = font("NotoSerifCJK-Regular.ttc", round(14 / 72 * DPI))
    label = f"— {number} —"
    pen.text(
        ((PAGE[0] - folio.getlength(label)) / 2, TOP + HEIGHT + 9 * MM), label, font=folio, fill=INK
    )
    if faint is not None:
        line = page[faint]
        box = (LEFT - 10, round(line["y"]) - 12, LEFT + WIDTH + 10, round(line["y"] + PITCH) - 8)
        region = image.crop(box)
        # A line printed with a dry ribbon and scanned out of focus: grey and soft.
        region = Image.blend(region, Image.new("L", region.size, PAPER), 0.72)
        region = region.filter(ImageFilter.GaussianBlur(2.2))
        image.paste(region, box)
    return image


def spoil(image: Image.Image, *, seed: int, angle: float, light: float) -> Image.Image:
    """Blur, rotation, uneven light and sensor noise, as a scanner or a phone leaves them."""
    rng = np.random.default_rng(seed)
    image = image.filter(ImageFilter.GaussianBlur(0.6))
    image = image.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=PAPER)
    pixels = np.asarray(image, dtype=np.float32)
    height, width = pixels.shape
    across = np.linspace(0, 1, width)[None, :] * 0.6 + np.linspace(0, 1, height)[:, None] * 0.4
    pixels = pixels * (1 - light * across) + rng.normal(0, 5, pixels.shape)
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))


# The lines of scan_unindented.png as typed: the title, then 34 characters a line.
UNINDENTED_TITLE = "中共青山县林业局党组关于县委第二巡察组巡察反馈意见整改情况的通报"
UNINDENTED = [
    "2025年3月10日至4月25日，县委第二巡察组对县林业局党组开展了常规巡",
    "察，反馈了2个方面4个问题。现将整改情况予以公布。",
    "一、贯彻落实上级决策部署方面",
    "（一）森林防火责任落实不到位。",
    "整改情况：修订《森林防火责任制实施办法》，落实护林员包片责任，牵头",
    "科室：防火办。完成时限：2025年9月30日。",
    "（二）古树名木保护措施不力。",
    "整改情况：对全县古树名木逐株建档，设置保护标牌126块。牵头科室：",
    "资源管理科。完成时限：长期坚持。",
    "二、全面从严治党方面",
    "（一）财务管理制度执行不严。",
    "整改情况：清理2023年以来报销凭证，退回不合规票据5张。牵头科室：财务科",
    "。完成时限：2025年10月31日。",
    "（二）党员教育管理不够规范。",
    "整改情况：建立党员积分管理台账，开展专题党课4次。牵头科室：机关党委。完成时限：20",
    "25年11月30日。",
    "欢迎广大干部群众对巡察整改落实情况进行监督。联系电话：0791-7654321；电子邮箱：lyj@qs",
    "xian.gov.cn。",
    "中共青山县林业局党组",
    "2025年10月20日",
]


def unindented() -> Image.Image:
    """The page of UNINDENTED: every line flush left in 12 pt, 14 mm from the edge, the title
    centred in 14 pt (a pitch 1.17 times the body's, as close as a title comes)."""
    left, width = round(14 * MM), round(182 * MM)
    title = font("NotoSerifCJK-Bold.ttc", round(14 / 72 * DPI))
    body = font("NotoSerifCJK-Regular.ttc", round(12 / 72 * DPI))
    image = Image.new("L", PAGE, PAPER)
    pen = ImageDraw.Draw(image)
    pen.text(
        (left + (width - title.getlength(UNINDENTED_TITLE)) / 2, TOP),
        UNINDENTED_TITLE,
        font=title,
        fill=INK,
    )
    y = TOP + 2 * PITCH
    for line in UNINDENTED:
        assert body.getlength(line) <= width, line
        pen.text((left, y), line, font=body, fill=INK)
        y += PITCH
    return spoil(image, seed=3, angle=0.3, light=0.1)


def main() -> None:
    seed = SEED.read_text(encoding="utf-8").splitlines()
    pages = typeset(seed)[:2]
    faint_page, faint_line = FAINT
    images = [
        spoil(draw(pages[0], 1, None), seed=1, angle=0.8, light=0.18),
        spoil(draw(pages[1], 2, faint_line), seed=2, angle=-0.4, light=0.05),
    ]
    images[0].save(HERE / "scan_page1.jpg", quality=60, optimize=True)
    # Eight grey levels, as a document scanner's small-file mode keeps, make a small PNG.
    ImageOps.posterize(images[1], 3).save(HERE / "scan_page2.png", optimize=True)
    images[0].save(
        HERE / "scan_2pages.pdf",
        save_all=True,
        append_images=images[1:],
        resolution=DPI,
        quality=55,
        # Fixed dates, so that making the samples again gives the same bytes.
        creationDate=STAMP,
        modDate=STAMP,
    )
    truth = {
        "seed": SEED.name,
        "dpi": DPI,
        "faint": {"page": faint_page, "line": faint_line},
        "pages": [
            [{"text": line["text"], "starts": line["starts"]} for line in page] for page in pages
        ],
    }
    (HERE / "scans.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n")
    ImageOps.posterize(unindented(), 3).save(HERE / "scan_unindented.png", optimize=True)
    for name in (
        "scan_page1.jpg",
        "scan_page2.png",
        "scan_2pages.pdf",
        "scans.json",
        "scan_unindented.png",
    ):
        print(name, (HERE / name).stat().st_size, "bytes")


if __name__ == "__main__":
    main()
