"""Parsing speed: a 30 KB document, `zhenggai parse` as a whole process, and growth from
0.5 MB to 5 MB. Figures go into bench/results.json."""

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from zhenggai.intake import parse_file, parse_lines  # noqa: E402
from zhenggai.intake.readers.docx import chinese_number  # noqa: E402

RESULTS = HERE / "results.json"
SEED = ROOT / "zhenggai" / "demo" / "seeds" / "002_114e543c5f058e51.txt"


def median_ms(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 2)


def synthetic(target_bytes: int) -> str:
    """A report of many areas, categories and problems, each with measures, about this size."""
    parts, area = ["中共某区某局党组关于巡察整改情况的通报", "二、问题整改情况"], 0
    while sum(len(p.encode()) for p in parts) < target_bytes:
        area += 1
        parts.append(f"（{chinese_number(area % 99 + 1)}）聚焦第{area}个方面存在的问题")
        for category in range(1, 4):
            parts.append(f"{category}. 第{area}-{category}类问题有差距")
            for problem in range(1, 5):
                parts.append(
                    f"（{problem}）关于“第{area}-{category}-{problem}个问题不够深入”问题的整改情况。"
                )
                parts.append(
                    "整改情况：一是建立健全学习制度，全年开展集中学习12次；二是完善台账，"
                    "逐项明确责任人和完成时限；三是加强督导检查，对发现的问题及时通报。"
                )
    return "\n".join(parts)


def main() -> None:
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    lines = SEED.read_text(encoding="utf-8").splitlines()
    results["parse_30kb"] = {
        "median_ms": median_ms(lambda: parse_lines(lines), 50),
        "bytes": SEED.stat().st_size,
    }
    command = [sys.executable, "-m", "zhenggai.cli", "parse", str(SEED), "--json"]
    results["parse_cli_process"] = {
        "median_ms": median_ms(
            lambda: subprocess.run(command, capture_output=True, check=True, cwd=ROOT), 10
        )
    }
    with tempfile.TemporaryDirectory() as folder:
        for label, size in (("parse_0_5mb", 500_000), ("parse_5mb", 5_000_000)):
            path = Path(folder) / f"{label}.txt"
            path.write_text(synthetic(size), encoding="utf-8")
            document = parse_file(path)
            results[label] = {
                "median_ms": median_ms(lambda p=path: parse_file(p), 3),
                "bytes": path.stat().st_size,
                "problems": len(document.problems),
            }
    small, large = results["parse_0_5mb"], results["parse_5mb"]
    results["parse_5mb"]["ratio_to_0_5mb"] = round(large["median_ms"] / small["median_ms"], 2)
    results["parse_5mb"]["size_ratio"] = round(large["bytes"] / small["bytes"], 2)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    for key in ("parse_30kb", "parse_cli_process", "parse_0_5mb", "parse_5mb"):
        print(key, results[key])


if __name__ == "__main__":
    main()
