"""A longer fuzz run of the importer than the test suite's: random and mutated documents of
every format, each of which must parse or end in IntakeError within a time bound. Word files
with ledger tables are among them; legacy files (.doc, .xls) go through LibreOffice, a few
seconds each, so fewer of them are tried (LEGACY, none when LibreOffice is absent); so do scans
(OCR: a photo, a scan and a scanned PDF, changed as a phone or a broken scanner might).

    python scripts/fuzz_intake.py [EXAMPLES [LEGACY [OCR]]]
"""

import copy
import io
import random
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from zhenggai.intake import IntakeError, parse_file, parse_lines  # noqa: E402
from zhenggai.intake.tests.make import docx_file, xlsx_file  # noqa: E402
from zhenggai.lib import soffice  # noqa: E402

SEEDS = sorted((ROOT / "zhenggai" / "demo" / "seeds").glob("*.txt"))
SAMPLES = ROOT / "zhenggai" / "intake" / "tests" / "samples"
LIMIT_SECONDS = 5
# A conversion may take this long before it is killed; the case, a little longer.
CONVERSION_SECONDS = 30
LEGACY_LIMIT_SECONDS = CONVERSION_SECONDS + 10
OCR_LIMIT_SECONDS = 30  # a page takes 2–5 s on two busy cores; two pages at most


def mutate(data: bytes, rng: random.Random) -> bytes:
    data = bytearray(data)
    for _ in range(rng.randint(1, 20)):
        choice = rng.random()
        position = rng.randrange(len(data)) if data else 0
        if choice < 0.4 and data:
            data[position] = rng.randrange(256)
        elif choice < 0.7:
            del data[position : position + rng.randint(1, 200)]
        else:
            data[position:position] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 50)))
    return bytes(data)


def flip(data: bytes, rng: random.Random) -> bytes:
    """Bytes changed in place past the header: a compound file's sectors stay where they are,
    so that LibreOffice, not the container's check, meets the damage."""
    data = bytearray(data)
    for _ in range(rng.randint(1, 40)):
        data[rng.randrange(512, len(data))] = rng.randrange(256)
    return bytes(data)


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SPANS = ["0", "-3", "2", "7", "1000000000", "x", ""]


def mutate_table(data: bytes, rng: random.Random) -> bytes:
    """A Word file whose tables are reshaped: rows and cells dropped or doubled, cells spanning
    odd numbers of columns, merges begun or continued anywhere. The zip and the XML stay sound,
    so that the table reader, not the unzipping, meets the damage."""
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(data)) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    root = etree.fromstring(parts["word/document.xml"])
    cells = list(root.iter(f"{W}tr", f"{W}tc"))
    for _ in range(rng.randint(1, 12)):
        element = rng.choice(cells)
        action = rng.randrange(4)
        if action == 0 and element.getparent() is not None:
            element.getparent().remove(element)
        elif action == 1 and element.getparent() is not None:
            element.addnext(copy.deepcopy(element))
        elif element.tag == f"{W}tc":
            properties = element.find(f"{W}tcPr")
            if properties is None:
                properties = etree.SubElement(element, f"{W}tcPr")
                element.insert(0, properties)
            name = "gridSpan" if action == 2 else "vMerge"
            value = rng.choice(SPANS) if action == 2 else rng.choice(["restart", "continue", ""])
            etree.SubElement(properties, f"{W}{name}").set(f"{W}val", value)
    parts["word/document.xml"] = etree.tostring(root)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for name, content in parts.items():
            out.writestr(name, content)
    return buffer.getvalue()


def _cropped(image, rng: random.Random):
    width, height = image.size
    left, top = rng.randrange(width), rng.randrange(height)
    return image.crop((left, top, rng.randint(left + 1, width), rng.randint(top + 1, height)))


def _thresholded(image, rng: random.Random):
    cut = rng.randrange(256)
    return image.point(lambda value: 255 if value > cut else 0)


def _noisy(image, rng: random.Random):
    from PIL import Image

    noise = Image.effect_noise(image.size, rng.uniform(10, 120))
    return Image.blend(image, noise, rng.uniform(0.1, 0.9))


IMAGE_CHANGES = [
    _cropped,  # a sliver, a corner
    lambda image, rng: image.resize((rng.randint(1, 3000), rng.randint(1, 3000))),
    lambda image, rng: image.rotate(rng.choice([90, 180, 270, rng.uniform(-30, 30)]), expand=True),
    lambda image, rng: image.point(lambda value: 255 - value),  # a negative
    _thresholded,
    _noisy,
]


def mutate_image(data: bytes, rng: random.Random) -> bytes:
    """A page image cropped, scaled, turned, inverted, thresholded or flooded with noise, saved
    again as PNG or JPEG; or its bytes damaged."""
    from PIL import Image

    if rng.random() < 0.3:
        return mutate(data, rng)
    image = Image.open(io.BytesIO(data)).convert("L")
    for _ in range(rng.randint(1, 3)):
        image = rng.choice(IMAGE_CHANGES)(image, rng)
    buffer = io.BytesIO()
    image.save(buffer, "PNG" if rng.random() < 0.5 else "JPEG")
    return buffer.getvalue()


def run(cases: list[tuple[str, bytes]], folder: Path, rng: random.Random, limit: float) -> str:
    """Parse each mutated case; its outcomes and the slowest, or SystemExit on a hang."""
    outcomes = {"parsed": 0, "refused": 0}
    slowest = 0.0
    for n, (suffix, original) in enumerate(cases):
        path = folder / f"case{suffix}"
        change = {".doc": flip, ".wps": flip, ".xls": flip, ".et": flip}.get(suffix, mutate)
        if suffix in (".png", ".jpg"):
            change = mutate_image
        if suffix.endswith("-table.docx") and rng.random() < 0.7:
            change = mutate_table
        path.write_bytes(change(original, rng))
        started = time.perf_counter()
        try:
            parse_file(path, timeout=CONVERSION_SECONDS)
            outcomes["parsed"] += 1
        except IntakeError:
            outcomes["refused"] += 1
        elapsed = time.perf_counter() - started
        slowest = max(slowest, elapsed)
        if elapsed > limit:
            raise SystemExit(f"case {n} ({suffix}) took {elapsed:.1f} s")
    return f"{len(cases)} cases: {outcomes}; slowest {slowest * 1000:.0f} ms"


def main(examples: int, legacy: int, ocr: int) -> None:
    rng = random.Random(2026)
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        lines = SEEDS[0].read_text(encoding="utf-8").splitlines()
        originals = {
            ".txt": SEEDS[0].read_bytes(),
            ".docx": docx_file(lines, folder / "seed.docx").read_bytes(),
            ".xlsx": xlsx_file(parse_lines(lines), folder / "seed.xlsx").read_bytes(),
            # A report with a ledger table (merged cells, two header rows), and a ledger broken
            # across two tables.
            "-table.docx": (SAMPLES / "table_merged.docx").read_bytes(),
            "-many-table.docx": (SAMPLES / "table_many.docx").read_bytes(),
        }
        picks = [rng.choice(list(originals)) for _ in range(examples)]
        print(run([(s, originals[s]) for s in picks], folder, rng, LIMIT_SECONDS))
        if legacy and soffice.find() is not None:
            olds = {s: (SAMPLES / f"ledger_{n}{s}").read_bytes() for n, s in LEGACY}
            picks = [rng.choice(list(olds)) for _ in range(legacy)]
            print("legacy", run([(s, olds[s]) for s in picks], folder, rng, LEGACY_LIMIT_SECONDS))
        scans = {s: (SAMPLES / name).read_bytes() for s, name in SCANS}
        picks = [rng.choice(list(scans)) for _ in range(ocr)]
        print("ocr", run([(s, scans[s]) for s in picks], folder, rng, OCR_LIMIT_SECONDS))
    print("no crash, no hang")


LEGACY = [("merged", ".doc"), ("merged", ".wps"), ("sheets", ".xls"), ("sheets", ".et")]
SCANS = [(".jpg", "scan_page1.jpg"), (".png", "scan_page2.png"), ("-scan.pdf", "scan_2pages.pdf")]


if __name__ == "__main__":
    main(
        int(sys.argv[1]) if len(sys.argv) > 1 else 2000,
        int(sys.argv[2]) if len(sys.argv) > 2 else 8,
        int(sys.argv[3]) if len(sys.argv) > 3 else 12,
    )
