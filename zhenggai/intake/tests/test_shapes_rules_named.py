"""A parsed document names the rules that shaped its outline, by codes defined in one place
(intake/rules.py) and worded in Chinese for the preview (ledger/import_warnings.RULES_ZH)."""

import ast
from pathlib import Path

import pytest

from zhenggai.intake import parse_lines
from zhenggai.intake.rules import RULES, add
from zhenggai.ledger.import_warnings import RULES_ZH, rules_zh

PACKAGE = Path(__file__).resolve().parents[1]


def used_codes() -> set[str]:
    """Every code the importer's source notes a rule by (add_rule("…"), written out)."""
    codes = set()
    for path in PACKAGE.rglob("*.py"):
        if "tests" in path.relative_to(PACKAGE).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            callee = getattr(node, "func", None)
            if getattr(callee, "id", None) != "add_rule":
                continue
            code = node.args[1]
            assert isinstance(code, ast.Constant), f"{path.name}:{node.lineno}: write the code out"
            codes.add(code.value)
    return codes


def test_every_rule_used_is_defined_with_an_english_and_a_chinese_wording():
    assert used_codes() == set(RULES)
    assert set(RULES_ZH) == set(RULES)
    assert all(RULES[code] and RULES_ZH[code] for code in RULES)


def test_an_unknown_rule_fails_where_it_is_noted():
    with pytest.raises(KeyError):
        add([], "no_such_rule")


def test_a_document_names_its_rules_once_each_and_the_preview_words_them():
    lines = [
        "一、整改工作组织情况",
        "（一）加强组织领导。",
        "二、整改落实情况",
        "1.学习教育方面",
        "关于“学习不深入”问题的整改情况",
        "制定学习计划。",
        "关于“学用脱节”问题的整改情况",
        "开展专题研讨。",
    ]
    document = parse_lines(lines)
    assert document.rules == ["work_sections_left_out", "unnumbered_problem_headings"]
    assert rules_zh(document.rules) == [
        RULES_ZH["work_sections_left_out"],
        RULES_ZH["unnumbered_problem_headings"],
    ]
    assert document.as_json()["rules"] == document.rules


def test_a_document_read_by_numbered_headings_alone_names_no_rule():
    document = parse_lines(["一、存在的问题", "（一）学习不深入。", "整改情况：制定学习计划。"])
    assert document.rules == []
