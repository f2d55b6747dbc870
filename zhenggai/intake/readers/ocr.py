"""Scans read by OCR: a photo or scan of a printed page (PNG, JPEG), or a PDF whose pages hold
no text, rendered page by page. RapidOCR (PP-OCRv4 models on ONNX Runtime, shipped inside its
wheel: nothing is fetched) finds text boxes, each with a confidence; boxes on one baseline make
a line, and lines that wrapped at the right margin are joined back into their paragraph, as
readers/pdf.py joins them for PDFs with text; so is a long line that ends no sentence, for text
wrapped by a count of characters ends ragged. A line that begins with a heading number or a
label, or is indented, or is in another size of type, begins a paragraph."""

import functools
import math
import re
import statistics
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from zhenggai.intake.extract import LABEL, MEASURES_FOLLOW, PROBLEM_LABEL
from zhenggai.intake.model import IntakeError, SourceLine, SourcePage
from zhenggai.intake.outline import ENDING
from zhenggai.intake.readers.pdf import HEADING, clean

# Pages of a PDF are rendered at this resolution: 三号 text (the body of official documents)
# reads as well at 150 dpi (99.9% of characters right), but 9 pt text in tables reads 98.8% at
# 150 and 99.7% at 200, in about the same time (the recogniser sees each line 48 px high).
RENDER_DPI = 200
# The long side of the image OCR sees, in pixels: an A4 page at 200 dpi. Larger pages and
# photos are scaled down to it, which also bounds the time a page takes.
MAX_SIDE = 2400
# Text boxes are found on the page scaled down to this long side (PaddleOCR's own default), and
# read from the full image. Measured on A4 pages at 200 dpi against RapidOCR's 2000: a page in
# half the CPU time and 560 MB of peak memory instead of 1,100, and as many characters right or
# more (99.9% instead of 94% for 9 pt text, 99.6% instead of 99.3% for 三号).
DETECT_SIDE = 960
# ONNX Runtime's threads. One: measured on this 2-core machine while other work ran, a page took
# 2.2 s and 2.0 s of CPU with one thread against 3.2–3.9 s and 2.9–3.4 s with two (its threads
# spin waiting for each other), and it leaves a core to the site while a scan is read.
THREADS = 1
MIN_SCORE = 0.5  # a box read with less confidence is noise (RapidOCR's own bound)
# A box longer than this many times its height is a rule or a smear, not a line of text (a full
# line of 三号 text is 25–30 times its height); reading it would cost the recogniser time and
# memory that grow with the square of its length.
MAX_BOX_RATIO = 100
MAX_PAGES = 100
# An image with more pixels, or a PDF page whose images hold more, is refused before it is
# decoded: a 600 dpi A4 scan has 35 million, a 48-megapixel phone photo 48 million.
MAX_PIXELS = 50_000_000
MAX_OBJECTS = 100_000  # drawing objects on one PDF page
NESTING = 64  # levels of forms within forms searched for images
# A line the recogniser is less sure of than this is marked for the user to check. Measured on
# the samples and on typeset pages of 9 pt to 三号 at 150–200 dpi: clean lines score 0.97–1.00,
# a faint blurred line 0.54–0.78, a page number read as "-2=" 0.63. Below MIN_SCORE a box is
# dropped as noise.
LOW_CONFIDENCE = 0.9
PREVIEW_WIDTH = 1000  # pixels, of the page image kept for the preview
# A line that ends past this share of the text's width and ends no sentence is taken as wrapped
# (when the next line begins no heading, label or indent). A line wrapped by a count of
# characters ends short of the margin by its narrow digits and Latin letters: a line holding
# "0791-1234567；…qsxscj@163.c" ended at 74% of the width. A signature or a short heading
# ends well before.
LONG = 0.6
# Two lines whose characters' pitch differs by more than this are in two sizes of type: a
# title (二号, 22 pt) and the body (三号, 16 pt) differ by 1.2–1.4 as OCR measures them, lines of
# one size by up to 1.07 (brackets and digits spaced differently).
SAME_FACE = 1.12
MIN_PITCH_UNITS = 12  # half-width characters on a line for its pitch to be measured
# A line ends a sentence with one of these, perhaps before a closing quote or bracket. A colon
# does not: "牵头科室：" at the end of a line has its value on the next.
SENTENCE_ENDS = re.compile(r"[。；;！!？?…][”’」』》）)]*$")
# Nothing begins a paragraph with these: a line that does ran on from the line before.
RUNS_ON = re.compile(r"^[，,。．、；;：:！!？?）)》”’」』]")
# A page number on its own line ("— 2 —", "-2-", "第2页 共5页"): not part of the text.
FOLIO = re.compile(
    r"^[\s\-—–－=_~一]*(\d{1,4}|第\s*\d{1,4}\s*页(\s*共\s*\d{1,4}\s*页)?)[\s\-—–－=_~一]*$"
)


@dataclass
class Box:
    """A text box, in page coordinates corrected for the page's skew."""

    left: float
    top: float
    right: float
    bottom: float
    text: str
    score: float

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass
class Line:
    """The boxes on one baseline, left to right."""

    boxes: list[Box] = field(default_factory=list)

    @property
    def left(self) -> float:
        return min(box.left for box in self.boxes)

    @property
    def right(self) -> float:
        return max(box.right for box in self.boxes)

    @property
    def middle(self) -> float:
        return statistics.fmean(box.middle for box in self.boxes)

    @property
    def height(self) -> float:
        return max(box.height for box in self.boxes)

    @property
    def text(self) -> str:
        parts, last = [], None
        for box in sorted(self.boxes, key=lambda box: box.left):
            # Boxes far apart on one line are columns of a table: keep them apart.
            if last is not None and box.left - last.right > max(box.height, last.height):
                parts.append(" ")
            parts.append(box.text)
            last = box
        return clean("".join(parts).strip())

    @property
    def confidence(self) -> float:
        # A line is only as sure as its least sure box.
        return min(box.score for box in self.boxes)


def read_image(path: Path, context) -> tuple[list[str], list[SourcePage]]:
    """The paragraphs and the page of a photo or scan of one page (PNG, JPEG)."""
    started = time.monotonic()
    image = _open_image(path)
    lines = _read(image)
    page = _page(1, lines, image, context.workdir)
    context.report(1, 1)
    _check_time(path, started, context.timeout)
    return _found(path, [lines], [page])


def read_pdf(path: Path, context) -> tuple[list[str], list[SourcePage]]:
    """The paragraphs and pages of a PDF without a text layer, page by page. The caller's
    timeout bounds the whole document; it is checked between pages, and a page is bounded by
    MAX_SIDE and MAX_PIXELS."""
    import pypdfium2

    started = time.monotonic()
    try:
        document = pypdfium2.PdfDocument(str(path))
    except Exception as exc:  # PdfiumError: damaged, encrypted, not a PDF at all
        raise IntakeError(f"{path}: a damaged PDF that cannot be rendered ({exc})") from None
    try:
        total = len(document)
        if total > MAX_PAGES:
            raise IntakeError(
                f"{path}: {total} pages is too many pages for OCR (at most {MAX_PAGES})"
            )
        read, pages = [], []
        for index in range(total):
            image = _render(path, document, index)
            lines = _read(image)
            read.append(lines)
            pages.append(_page(index + 1, lines, image, context.workdir))
            context.report(index + 1, total)
            _check_time(path, started, context.timeout)
    finally:
        document.close()
    return _found(path, read, pages)


def _found(path: Path, read: list[list[Line]], pages: list[SourcePage]):
    if not any(read):
        raise IntakeError(f"{path}: OCR found no text in the scan")
    return paragraphs(read), pages


def _check_time(path: Path, started: float, budget: float) -> None:
    if time.monotonic() - started > budget:
        raise IntakeError(f"{path}: OCR took longer than {budget:.0f} seconds; refused")


def _open_image(path: Path):
    from PIL import Image, ImageOps

    try:
        image = Image.open(path)
    except Image.DecompressionBombError:
        raise IntakeError(f"{path}: too many pixels, more than {MAX_PIXELS}") from None
    except Exception as exc:  # Pillow raises many kinds on a damaged file
        raise IntakeError(f"{path}: a damaged image ({type(exc).__name__})") from None
    width, height = image.size
    if width * height > MAX_PIXELS:
        # The header says so: refused before the pixels are decoded.
        raise IntakeError(f"{path}: {width}×{height} is too many pixels, more than {MAX_PIXELS}")
    try:
        # A JPEG decodes at 1/2, 1/4 or 1/8 of its size straight away when that is enough.
        image.draft("RGB", _fitted(image.size))
        image = ImageOps.exif_transpose(image)  # a phone photo taken sideways
        if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
            image = _on_white(image)
        if image.mode.startswith("I"):  # 16-bit grey: scaled to 8 bits, not clipped to white
            image = image.convert("I").point(lambda value: value * (1 / 256))
        image = image.convert("L")
    except Exception as exc:  # truncated data, bad EXIF, odd modes
        raise IntakeError(f"{path}: a damaged image ({type(exc).__name__})") from None
    if max(image.size) > MAX_SIDE:
        image.thumbnail((MAX_SIDE, MAX_SIDE))
    return image


def _fitted(size: tuple[int, int]) -> tuple[int, int]:
    scale = min(1.0, MAX_SIDE / max(size))
    return max(1, math.ceil(size[0] * scale)), max(1, math.ceil(size[1] * scale))


def _on_white(image):
    from PIL import Image

    image = image.convert("RGBA")
    return Image.alpha_composite(Image.new("RGBA", image.size, "white"), image)


def _render(path: Path, document, index: int):
    """The page as a greyscale image at RENDER_DPI (less for a page larger than A4)."""
    try:
        page = document[index]
        width, height = page.get_size()
        _check_page(path, page, index)
        if min(width, height) < 1:
            raise IntakeError(f"{path}: page {index + 1} has no size")
        scale = min(RENDER_DPI / 72, MAX_SIDE / max(width, height))
        return page.render(scale=scale, grayscale=True).to_pil().convert("L")
    except IntakeError:
        raise
    except Exception as exc:  # PdfiumError and the like on a damaged page
        raise IntakeError(f"{path}: a damaged PDF, page {index + 1} ({exc})") from None


def _check_page(path: Path, page, index: int) -> None:
    """Refuse a page whose images would take too long or too much memory to decode."""
    import pypdfium2.raw as pdfium_c

    # Objects are counted however deep forms nest them: an image inside four forms decodes as
    # surely as one on the page.
    objects = pixels = 0
    for found in page.get_objects(max_depth=NESTING):
        objects += 1
        if objects > MAX_OBJECTS:
            raise IntakeError(
                f"{path}: page {index + 1}: too many drawing objects (over {MAX_OBJECTS})"
            )
        if found.type == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            width, height = found.get_px_size()
            pixels += width * height
    if pixels > MAX_PIXELS:
        raise IntakeError(
            f"{path}: page {index + 1}: its images hold too many pixels ({pixels}, more than {MAX_PIXELS})"
        )


@functools.cache
def _engine():
    """One recogniser a process: loading the models takes a while. OpenCV, which RapidOCR
    needs, loads system libraries (libGL, from Debian's libgl1) that a bare server may lack."""
    try:  # onnxruntime and OpenCV: imported only when a scan comes
        import cv2  # noqa: F401
        from rapidocr_onnxruntime import RapidOCR
    except ImportError as exc:
        raise IntakeError(f"OCR is not available on this server ({exc})") from None
    return RapidOCR(intra_op_num_threads=THREADS)


def _read(image) -> list[Line]:
    """The lines OCR finds on a page image, top to bottom, page numbers left out."""
    lines = _lines(_boxes(_recognise(image)))
    return [line for line in lines if not FOLIO.match(line.text)]


def _recognise(image) -> list:
    """(corners, text, score) of each text box on a greyscale page. RapidOCR's own pipeline
    detects at up to 2000 px and cannot be told less, so its detector and recogniser are called
    here: boxes found on the page scaled to DETECT_SIDE, read from the full image. No angle
    classifier: pages are upright (a photo's EXIF turns it so), and it costs time on each line."""
    engine = _engine()  # first: it says so when OpenCV cannot load
    import cv2
    import numpy

    full = cv2.cvtColor(numpy.asarray(image), cv2.COLOR_GRAY2BGR)
    small, (across, down) = _for_detection(full, int(engine.text_det.limit_side_len))
    found, _elapsed = engine.text_det(small)
    if found is None or len(found) == 0:
        return []
    height, width = full.shape[:2]
    quads = []
    for quad in found:
        quad = quad / numpy.array([across, down])
        quad[:, 0] = quad[:, 0].clip(0, width - 1)
        quad[:, 1] = quad[:, 1].clip(0, height - 1)
        long, short = sorted(numpy.ptp(quad, axis=0), reverse=True)
        if long <= MAX_BOX_RATIO * max(short, 1):
            quads.append(quad.astype(numpy.float32))
    if not quads:
        return []
    read, _elapsed = engine.text_rec(engine.get_crop_img_list(full, quads))
    return [
        (quad.tolist(), text, float(score))
        for quad, (text, score) in zip(quads, read, strict=True)
        if score >= MIN_SCORE
    ]


def _for_detection(full, short_side: int):
    """The page scaled so that its long side is at most DETECT_SIDE, then padded with white so
    that both sides are at least `short_side`: RapidOCR's detector would scale a narrower image
    up to that, without bound for a sliver of a few pixels. Returns it and the scale each way."""
    import cv2

    height, width = full.shape[:2]
    scale = min(1.0, DETECT_SIDE / max(height, width))
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    small = (
        full if size == (width, height) else cv2.resize(full, size, interpolation=cv2.INTER_AREA)
    )
    below, right = max(0, short_side - size[1]), max(0, short_side - size[0])
    if below or right:
        white = (255, 255, 255)
        small = cv2.copyMakeBorder(small, 0, below, 0, right, cv2.BORDER_CONSTANT, value=white)
    return small, (size[0] / width, size[1] / height)


def _boxes(result: list) -> list[Box]:
    """Text boxes turned back by the page's skew, so that margins are upright again."""
    angle = _skew([quad for quad, _text, _score in result])
    cos, sin = math.cos(-angle), math.sin(-angle)
    boxes = []
    for quad, text, score in result:
        xs = [x * cos - y * sin for x, y in quad]
        ys = [x * sin + y * cos for x, y in quad]
        boxes.append(Box(min(xs), min(ys), max(xs), max(ys), text, float(score)))
    return boxes


def _skew(quads: list) -> float:
    """The page's rotation in radians: the median slope of the long boxes' top edges."""
    slopes = []
    for (x0, y0), (x1, y1), _br, (_x3, y3) in quads:
        if x1 - x0 > 4 * abs(y3 - y0):
            slopes.append(math.atan2(y1 - y0, x1 - x0))
    return statistics.median(slopes) if slopes else 0.0


def _lines(boxes: list[Box]) -> list[Line]:
    lines: list[Line] = []
    for box in sorted(boxes, key=lambda box: box.middle):
        last = lines[-1] if lines else None
        if last is not None and abs(box.middle - last.middle) < 0.5 * min(box.height, last.height):
            last.boxes.append(box)
        else:
            lines.append(Line([box]))
    return lines


@dataclass
class Laid:
    """A line as the paragraphs see it: its text and where it stands on the page."""

    text: str
    indented: bool  # begins a paragraph
    reaches: bool  # runs to the right margin, so its paragraph may go on
    long: bool  # ends past LONG of the text's width
    pitch: (
        float | None
    )  # the width of a full-width character, None for a table row or a few characters
    cells: bool  # boxes far apart: a row of a table


def _layout(lines: list[Line]) -> list[Laid]:
    """Each line's text, whether it is indented (so begins a paragraph), whether it runs to the
    right margin (so its paragraph may go on in the next line) or nearly, and its characters'
    pitch. A centred line is not taken as indented: a title's second line is centred too."""
    if not lines:
        return []
    size = statistics.median(line.height for line in lines)
    full = [line.left for line in lines if line.right - line.left > 5 * size]
    margin = min(full or [line.left for line in lines])
    texts = [line.text for line in lines]
    pitches = [
        None if " " in text else _pitch(line, text) for line, text in zip(lines, texts, strict=True)
    ]
    right = _right_margin(lines, pitches)
    laid = []
    for line, text, pitch in zip(lines, texts, pitches, strict=True):
        indent, short = line.left - margin, right - line.right
        centred = abs(indent - short) < size
        laid.append(
            Laid(
                text=text,
                indented=indent > size and not centred,
                reaches=short <= 1.5 * size and indent <= 3 * size,
                long=line.right >= margin + LONG * (right - margin),
                pitch=pitch,
                cells=" " in text,
            )
        )
    return laid


def _right_margin(lines: list[Line], pitches: list[float | None]) -> float:
    """Where the body text's lines end: the furthest end of a line in the body's size of type
    (the median pitch). A title in a larger face runs past the margin the body keeps."""
    measured = [pitch for pitch in pitches if pitch is not None]
    if not measured:
        return max(line.right for line in lines)
    body = statistics.median(measured)
    return max(
        line.right
        for line, pitch in zip(lines, pitches, strict=True)
        if pitch is None or pitch <= SAME_FACE * body
    )


def _pitch(line: Line, text: str) -> float | None:
    """The width of one full-width character on the line: Latin letters and digits count half."""
    units = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    if units < MIN_PITCH_UNITS:
        return None
    return (line.right - line.left) * 2 / units


def _same_face(before: Laid, after: Laid) -> bool:
    """Whether two lines are in one size of type: a title in 二号 does not run on into body
    text in 三号 (a pitch 1.2–1.4 times as wide)."""
    if before.pitch is None or after.pitch is None:
        return True
    return max(before.pitch, after.pitch) <= SAME_FACE * min(before.pitch, after.pitch)


def _labelled(text: str) -> bool:
    """A line that begins with a label of a problem's body: "完成时限：", "整改情况："."""
    return bool(LABEL.match(text) or MEASURES_FOLLOW.match(text) or PROBLEM_LABEL.match(text))


def _runs_on(before: Laid | None, line: Laid) -> bool:
    """Whether `line` goes on with the paragraph of the line before it. A line may not begin
    with a comma or a full stop; an indent, a heading number, a label ("完成时限：", "整改情况："),
    the call for public supervision that ends the problems ("欢迎广大…") or a type of another
    size begins a paragraph; a line that reached the margin runs on. A long line that ends no
    sentence (its text wrapped by a count of characters, or ragged at the right) runs on too:
    the OCR of a notice typed without indents cut "牵头" / "科室：…", "完成时限：20" /
    "25年11月30日" apart."""
    if before is None:
        return False
    text = line.text
    if RUNS_ON.match(text):
        return True
    if line.indented or HEADING.match(text) or ENDING.match(text) or _labelled(text):
        return False
    if not _same_face(before, line):
        return False
    if before.reaches:
        return True
    return (
        before.long
        and not before.cells
        and not line.cells
        and not SENTENCE_ENDS.search(before.text)
        and not HEADING.match(before.text)
    )


def paragraphs(pages: list[list[Line]]) -> list[str]:
    """The text of the pages as paragraphs; one may run on from a page to the next."""
    out: list[str] = []
    before: Laid | None = None
    for lines in pages:
        for line in _layout(lines):
            if out and _runs_on(before, line):
                out[-1] += line.text
            else:
                out.append(line.text)
            before = line
    return out


def _page(number: int, lines: list[Line], image, workdir: Path | None) -> SourcePage:
    read = [
        SourceLine(line.text, round(line.confidence, 3), line.confidence < LOW_CONFIDENCE)
        for line in lines
    ]
    return SourcePage(number, read, _keep(image, number, workdir))


def _keep(image, number: int, workdir: Path | None) -> str | None:
    """The page image as a PNG for the preview, PREVIEW_WIDTH wide, in `workdir`: in 16 shades
    of grey, which keep it as legible and cut a noisy scan's page from 690 KB to 200 KB."""
    from PIL import ImageOps

    if workdir is None:
        return None
    workdir.mkdir(parents=True, exist_ok=True)
    preview = image
    if image.width > PREVIEW_WIDTH:
        height = max(1, round(image.height * PREVIEW_WIDTH / image.width))  # a sliver stays 1 px
        preview = image.resize((PREVIEW_WIDTH, height))
    path = workdir / f"ocr-page-{number:03d}.png"
    ImageOps.posterize(preview, 4).save(path, optimize=True)
    return str(path)
