"""The importer on the corpus of real published documents (tests/corpus/, see its README):
the truth files follow the format, every document parses, and the share of checks read right
stays at or above FLOOR (raise it as the rules improve; never lower it)."""

import json
from collections import Counter
from pathlib import Path

from zhenggai.intake.model import ParsedDocument, ParsedProblem
from zhenggai.intake.tests import corpus

# The share of checks right when the corpus was measured last (bench/intake_corpus.py: 435 of
# 437 checks on 57 documents), rounded down; raise it as the rules improve, never lower it.
FLOOR = 0.99
# What the corpus holds at least: documents, round kinds and document kinds. The issue asks for
# 30, 4 and 4: the fourth document kind, ledgers (.tsv), is still to come.
DOCUMENTS, ROUND_KINDS, KINDS = 30, 4, 3


def test_every_truth_file_follows_the_format():
    entries = corpus.entries()
    errors = {e.name: corpus.format_errors(e.truth) for e in entries}
    assert not {name: found for name, found in errors.items() if found}
    names = {path.stem for path in corpus.CORPUS.glob("*.json")}
    assert names == {e.name for e in entries}, "a truth file without its document"


def test_the_corpus_is_large_and_varied_enough():
    entries = corpus.entries()
    rounds = Counter(e.truth["round_kind"] for e in entries)
    kinds = Counter(e.truth["kind"] for e in entries)
    assert len(entries) >= DOCUMENTS, f"{len(entries)} documents"
    assert len(rounds) >= ROUND_KINDS, rounds
    assert len(kinds) >= KINDS, kinds


def test_every_document_parses():
    failed = {r.name: r.failure for r in corpus.measure() if r.failure}
    assert not failed


def test_the_share_of_checks_right_is_at_least_the_floor():
    results = corpus.measure()
    share = corpus.share(results)
    assert share >= FLOOR, f"{share:.3f} < {FLOOR}\n" + corpus.wrong_report(results)


def test_a_check_compares_titles_as_a_ledger_shows_them():
    assert corpus.normalised("“学习 不深入”。") == corpus.normalised("学习不深入")
    assert corpus.normalised("（一）") == corpus.normalised("(一)")
    assert corpus.normalised("学习不深入") != corpus.normalised("学习不够深入")


def test_a_document_is_scored_check_by_check():
    truth = {"source": "test", "found_with": "test", "kind": "report", "round_kind": "巡察"}
    truth |= {"complete": True, "declared": {"areas": 3, "completed": 4}, "problems": 2}
    truth |= {"first_problems": ["“学习不深入”", "作风不实"], "paths": [["问题整改情况"]]}
    truth |= {"lead_units": [["办公室"], []]}
    document = ParsedDocument(
        file="x",
        kind="report",
        declared={"areas": 3, "problems": 2, "completed": 4},
        problems=[
            ParsedProblem("一", "学习不深入。", ["问题整改情况："], lead_units=["办公室"]),
            ParsedProblem("二", "作风不够实", ["问题整改情况"]),
        ],
    )
    result = corpus.score(corpus.Entry("x", Path("x.txt"), truth), document)
    # kind, four declared, problem count, two titles, one path, two lead-unit lists
    assert (result.checks, result.right) == (11, 9)
    assert result.wrong == [
        "declared problems: parsed 2, truth None",
        "problem 2 title: parsed '作风不够实', truth '作风不实'",
    ]


def test_an_incomplete_text_that_reaches_no_problem_is_right_only_with_none_parsed():
    truth = {"source": "t", "found_with": "t", "kind": "report", "round_kind": "巡察"}
    truth |= {"complete": False, "first_problems": []}
    entry = corpus.Entry("x", Path("x.txt"), truth)
    found = ParsedDocument(
        file="x", kind="report", problems=[ParsedProblem("（一）", "加强领导", [])]
    )
    assert corpus.score(entry, ParsedDocument(file="x", kind="report")).wrong == []
    assert corpus.score(entry, found).wrong == [
        "no problem in the text: parsed ['加强领导'], truth []"
    ]


def test_a_ledger_is_read_from_its_tsv_through_a_workbook(tmp_path):
    (tmp_path / "ledger.tsv").write_text(
        "序号\t存在问题\t整改措施\t牵头单位\t整改时限\n1\t学习不深入\t建立学习制度\t办公室\t长期坚持\n",
        encoding="utf-8",
    )
    truth = {"source": "t", "found_with": "t", "kind": "ledger", "round_kind": "巡察"}
    truth |= {"complete": True, "problems": 1, "first_problems": ["学习不深入"]}
    (tmp_path / "ledger.json").write_text(json.dumps(truth, ensure_ascii=False), "utf-8")
    (entry,) = corpus.entries(tmp_path)
    document = corpus.parse(entry)
    assert document.kind == "ledger"
    assert [p.title for p in document.problems] == ["学习不深入"]
