import json
from pathlib import Path

import pytest

SEEDS = Path(__file__).resolve().parents[2] / "demo" / "seeds"
EXPECTED = json.loads((SEEDS / "expected.json").read_text(encoding="utf-8"))
NAMES = sorted(EXPECTED)


def outline_of(document) -> list[tuple[str, str, list[str]]]:
    return [(p.number, p.title, p.path) for p in document.problems]


def expected_outline(name: str) -> list[tuple[str, str, list[str]]]:
    return [(p["number"], p["title"], p["path"]) for p in EXPECTED[name]["problems"]]


@pytest.fixture(params=NAMES)
def seed(request):
    return request.param, (SEEDS / request.param).read_text(encoding="utf-8")
