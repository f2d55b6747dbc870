"""The parser's warnings: codes with arguments, worded in English from one template per code."""

import ast
import copy
import json
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from zhenggai.intake import ParseWarning, parse_lines
from zhenggai.intake.tests.conftest import SEEDS
from zhenggai.intake.warning import ENGLISH

PACKAGE = Path(__file__).resolve().parents[1]


def emitted_codes() -> set[str]:
    """Every code the parser's source makes a ParseWarning of (each written out as a string)."""
    codes = set()
    for path in PACKAGE.rglob("*.py"):
        if "tests" in path.relative_to(PACKAGE).parts or path.name == "warning.py":
            continue  # warning.py makes them from a code it is given
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            callee = getattr(node, "func", None)
            if getattr(callee, "id", getattr(callee, "attr", None)) != "ParseWarning":
                continue
            code = node.args[0] if node.args else None
            assert isinstance(code, ast.Constant), f"{path.name}:{node.lineno}: write the code out"
            codes.add(code.value)
    return codes


def test_every_code_emitted_has_its_english_template_and_no_template_is_left_over():
    assert emitted_codes() == set(ENGLISH)


def test_a_warning_reads_and_compares_as_its_english_message():
    warning = ParseWarning("declared_problems_mismatch", declared=37, parsed=36)
    assert warning == "the document declares 37 problems but 36 were parsed"
    assert "declares" in warning and warning.message == str(warning)
    assert (warning.code, warning.args) == (
        "declared_problems_mismatch",
        {"declared": 37, "parsed": 36},
    )


def test_copies_keep_the_code():
    warning = ParseWarning("several_rounds", rounds=2)
    for copied in (copy.deepcopy(warning), pickle.loads(pickle.dumps(warning))):
        assert (copied.code, copied.args, copied) == (warning.code, warning.args, warning)


def test_an_unknown_code_fails_where_it_is_made():
    with pytest.raises(KeyError):
        ParseWarning("no_such_code")


def test_run_together_totals_are_told_apart():
    text = ["巡察反馈1636个问题。", "一、存在的问题", "（一）学习不够"] + [
        f"{n}.问题{n}" for n in range(1, 37)
    ]
    document = parse_lines(text)
    codes = [w.code for w in document.warnings]
    assert "declared_problems_run_together" in codes, document.warnings


def test_the_document_as_json_gives_each_warning_its_code_arguments_and_message():
    document = parse_lines(
        ["2021412日至612日，工委第三巡察组对区发改局进行了巡察。", "一、问题", "（一）甲"]
    )
    assert document.as_json()["warnings"] == [
        {
            "code": "date_lost_characters",
            "args": {"text": "2021412日"},
            "message": "a date lost characters in the source (2021412日): no date taken from it",
        }
    ]


def test_parse_json_prints_warnings_as_objects():
    seed = str(SEEDS / "002_114e543c5f058e51.txt")
    result = subprocess.run(
        [sys.executable, "-m", "zhenggai.cli", "parse", seed, "--json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    warnings = json.loads(result.stdout)[0]["warnings"]
    assert warnings and all(set(w) == {"code", "args", "message"} for w in warnings)
    assert {w["code"] for w in warnings} >= {"date_lost_characters"}
