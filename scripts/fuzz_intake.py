"""A longer fuzz run of the importer than the test suite's: random and mutated documents of
every format, each of which must parse or end in IntakeError within a time bound.

    python scripts/fuzz_intake.py [EXAMPLES]
"""

import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from zhenggai.intake import IntakeError, parse_file, parse_lines  # noqa: E402
from zhenggai.intake.tests.make import docx_file, xlsx_file  # noqa: E402

SEEDS = sorted((ROOT / "zhenggai" / "demo" / "seeds").glob("*.txt"))
LIMIT_SECONDS = 5


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


def main(examples: int) -> None:
    rng = random.Random(2026)
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        lines = SEEDS[0].read_text(encoding="utf-8").splitlines()
        originals = {
            ".txt": SEEDS[0].read_bytes(),
            ".docx": docx_file(lines, folder / "seed.docx").read_bytes(),
            ".xlsx": xlsx_file(parse_lines(lines), folder / "seed.xlsx").read_bytes(),
        }
        outcomes = {"parsed": 0, "refused": 0}
        slowest = 0.0
        for n in range(examples):
            suffix = rng.choice(list(originals))
            path = folder / f"case{suffix}"
            path.write_bytes(mutate(originals[suffix], rng))
            started = time.perf_counter()
            try:
                parse_file(path)
                outcomes["parsed"] += 1
            except IntakeError:
                outcomes["refused"] += 1
            elapsed = time.perf_counter() - started
            slowest = max(slowest, elapsed)
            if elapsed > LIMIT_SECONDS:
                raise SystemExit(f"case {n} ({suffix}) took {elapsed:.1f} s")
    print(f"{examples} cases: {outcomes}; slowest {slowest * 1000:.0f} ms; no crash, no hang")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
