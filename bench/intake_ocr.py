"""OCR of a 10-page scanned PDF (no text layer) built from the scan samples (the photo of page 1
and the scan of page 2 of seed 000, five times each): total seconds in a fresh process (models
loaded once), seconds a page, the resident peak of that process (ru_maxrss: ONNX Runtime
allocates outside Python, where tracemalloc does not see), and how much of the text it read
right. The target: under a minute on this machine (2 cores). Figures go into
bench/results.json under "intake_ocr"."""

import difflib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

RESULTS = HERE / "results.json"
KEY = "intake_ocr"
SAMPLES = ROOT / "zhenggai" / "intake" / "tests" / "samples"
PAGES = 10
TARGET_SECONDS = 60


def scanned_pdf(path: Path) -> Path:
    """PAGES pages of the sample images, as a scanner makes a PDF: one image a page, no text."""
    from PIL import Image

    images = [
        Image.open(SAMPLES / ("scan_page1.jpg" if n % 2 == 0 else "scan_page2.png")).convert("L")
        for n in range(PAGES)
    ]
    images[0].save(path, save_all=True, append_images=images[1:], resolution=150, quality=75)
    return path


def child(path: str) -> None:
    """Read the PDF in this fresh process and print the figures as JSON."""
    import resource

    from zhenggai.intake import parse_file

    marks: list[float] = []
    started = time.perf_counter()
    document = parse_file(path, progress=lambda done, total: marks.append(time.perf_counter()))
    total = time.perf_counter() - started
    truth = json.loads((SAMPLES / "scans.json").read_text(encoding="utf-8"))["pages"]
    ratios = []
    for page in document.pages:
        read = "".join(line.text for line in page.lines)
        expected = "".join(line["text"] for line in truth[(page.number - 1) % 2])
        ratios.append(difflib.SequenceMatcher(None, read, expected, autojunk=False).ratio())
    usage = resource.getrusage(resource.RUSAGE_SELF)
    figures = {
        "total_s": round(total, 2),
        "s_per_page": round(total / len(document.pages), 2),
        # Without loading the models and the first page: what each further page costs.
        "s_per_page_warm": round((marks[-1] - marks[0]) / (len(marks) - 1), 2),
        "first_page_s": round(marks[0] - started, 2),
        "characters_right": round(sum(ratios) / len(ratios), 4),
        "characters_right_photo_page": round(ratios[0], 4),
        "characters_right_scan_page": round(ratios[1], 4),
        "low_confidence_lines": document.low_confidence_lines,
        "lines": sum(len(page.lines) for page in document.pages),
        # CPU time of the process (all its threads), which other work on the machine does not
        # lengthen as it does the wall time.
        "cpu_s_per_page": round((usage.ru_utime + usage.ru_stime) / len(document.pages), 2),
        "peak_rss_kb": usage.ru_maxrss,
    }
    print(json.dumps(figures))


def in_child(*args: str) -> str:
    """Run this script in a fresh process, as a shell's child: a process forked from this one
    would count this one's memory as its own (Linux keeps the larger peak across the exec)."""
    out = subprocess.run(
        ["sh", "-c", '"$0" "$@"', sys.executable, __file__, *args],
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip().splitlines()[-1]


def engine_only() -> None:
    """The resident peak of a process that only loads the OCR engine."""
    import resource

    from zhenggai.intake.readers import ocr

    ocr._engine()
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def main() -> None:
    from zhenggai.intake.readers import ocr

    with tempfile.TemporaryDirectory() as folder:
        path = scanned_pdf(Path(folder) / "scan_10_pages.pdf")
        load = os.getloadavg()[0]
        figures = json.loads(in_child("--child", str(path)))
        figures["pdf_bytes"] = path.stat().st_size
    figures["pages"] = PAGES
    figures["peak_rss_mb"] = round(figures.pop("peak_rss_kb") / 1024)
    figures["engine_only_rss_mb"] = round(int(in_child("--engine")) / 1024)
    figures["target_s"] = TARGET_SECONDS
    figures["target_met"] = figures["total_s"] < TARGET_SECONDS
    figures["settings"] = {
        "render_dpi": ocr.RENDER_DPI,
        "detect_side": ocr.DETECT_SIDE,
        "max_side": ocr.MAX_SIDE,
        "angle_classifier": False,
        "threads": ocr.THREADS,
    }
    figures["cpus"] = os.cpu_count()
    figures["load_average_before"] = round(load, 2)
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results[KEY] = figures
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(KEY, figures)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2])
    elif sys.argv[1:2] == ["--engine"]:
        engine_only()
    else:
        main()
