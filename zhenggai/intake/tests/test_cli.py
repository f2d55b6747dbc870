"""`zhenggai parse`: a readable outline, or JSON in the documented shape; errors in one line."""

import json
import subprocess
import sys

from zhenggai.intake.tests.conftest import EXPECTED, SEEDS


def run(*args):
    return subprocess.run(
        [sys.executable, "-m", "zhenggai.cli", "parse", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_json_has_one_object_per_file_in_order():
    files = [str(SEEDS / name) for name in sorted(EXPECTED)[:3]]
    result = run(*files, "--json")
    assert result.returncode == 0, result.stderr
    documents = json.loads(result.stdout)
    assert [d["file"] for d in documents] == files
    first = documents[0]
    assert set(first) == {
        "file",
        "kind",
        "org",
        "title",
        "inspector",
        "dates",
        "declared",
        "problems",
        "warnings",
        "reader",
        "converted_from",
        "rules",
        "pages",
    }
    assert first["reader"] == "text" and first["pages"] == []
    assert set(first["dates"]) >= {"inspection_start", "inspection_end", "feedback", "report"}
    assert set(first["declared"]) >= {"areas", "problems", "long_term", "completed"}
    problem = first["problems"][0]
    assert set(problem) == {
        "number",
        "title",
        "path",
        "text",
        "measures",
        "lead_units",
        "responsible_units",
        "deadline",
    }
    assert problem["title"] == "思想不够重视" and problem["measures"][0]["text"]


def test_readable_outline_without_json():
    result = run(str(SEEDS / "004_9a9a5644509a9b72.txt"))
    assert result.returncode == 0
    assert "[1] 中心组学习不够深入" in result.stdout and "26 problems" in result.stdout


def test_an_unreadable_file_exits_non_zero_with_one_line(tmp_path):
    bad = tmp_path / "x.bin"
    bad.write_bytes(b"\x00\x01\x02" * 100)
    result = run(str(bad), str(tmp_path / "missing.txt"))
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2 and all(line.startswith("error: ") for line in lines)


def test_the_package_does_not_import_django():
    code = (
        "import sys, zhenggai.intake, zhenggai.intake.cli; "
        "print(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False"
