"""The importer on the corpus of real published documents (zhenggai/intake/tests/corpus/): the
share of checks read right, time per document and peak memory. Figures go into
bench/results.json under "intake_corpus"; `--wrong` prints every wrong check by document."""

import argparse
import json
import sys
import time
import tracemalloc
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from zhenggai.intake.tests import corpus  # noqa: E402

RESULTS = HERE / "results.json"


def run() -> tuple[dict, list]:
    entries = corpus.entries()
    started = time.perf_counter()
    results = corpus.measure()
    elapsed = time.perf_counter() - started
    # Traced apart from the timing, which tracemalloc would slow down.
    tracemalloc.start()
    for entry in entries:
        try:
            corpus.parse(entry)
        except Exception:  # counted as wrong by measure(); the peak is of what did parse
            pass
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    figures = {
        "share_right": round(corpus.share(results), 4),
        "documents": len(results),
        "checks": sum(r.checks for r in results),
        "right": sum(r.right for r in results),
        "failed": sum(bool(r.failure) for r in results),
        "ms_per_document": round(elapsed * 1000 / max(len(results), 1), 2),
        "peak_memory_kb": round(peak / 1024, 1),
    }
    return figures, results


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--wrong", action="store_true", help="only print the wrong checks")
    args = parser.parse_args(argv)
    figures, results = run()
    if args.wrong:
        print(corpus.wrong_report(results))
        print(f"{figures['right']}/{figures['checks']} right ({figures['share_right']:.1%})")
        return
    stored = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    stored["intake_corpus"] = figures
    RESULTS.write_text(json.dumps(stored, indent=2, ensure_ascii=False) + "\n")
    print(corpus.wrong_report(results))
    print("intake_corpus", figures)


if __name__ == "__main__":
    main(sys.argv[1:])
