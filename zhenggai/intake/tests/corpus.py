"""The corpus of real published documents (tests/corpus/): each text or ledger beside its truth,
written by hand from reading it; parsed and scored check by check. Plain Python, no Django."""

import json
import re
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from zhenggai.intake.model import ParsedDocument
from zhenggai.intake.parse import parse_file

CORPUS = Path(__file__).resolve().parent / "corpus"
SOURCES = (".txt", ".tsv")  # a .tsv is a ledger: tab-separated cells, one row per line
KINDS = ("report", "plan", "feedback", "ledger")
ROUND_KINDS = ("巡察", "巡视", "专项巡察", "审计", "督查", "评价")
DECLARED_KEYS = ("areas", "problems", "long_term", "completed")
REQUIRED = {"source": str, "found_with": str, "kind": str, "round_kind": str, "complete": bool}
OPTIONAL = {
    "declared": dict,
    "problems": int,
    "first_problems": list,
    "paths": list,
    "lead_units": list,
    "notes": str,
}

# What a title may differ by and still be the same title: spacing, quotation marks, the
# punctuation it ends with, and full- or half-width forms (NFKC).
_QUOTES = re.compile(r"[\s“”\"‘’']")
_TRAILING = re.compile(r"[。；;，,：:]+$")


@dataclass
class Entry:
    name: str
    source: Path
    truth: dict


@dataclass
class Result:
    name: str
    checks: int = 0
    right: int = 0
    wrong: list[str] = field(default_factory=list)
    failure: str = ""  # the exception, when the document did not parse

    def check(self, label: str, parsed, expected) -> None:
        self.checks += 1
        if parsed == expected:
            self.right += 1
        else:
            self.wrong.append(f"{label}: parsed {parsed!r}, truth {expected!r}")


def normalised(title: str) -> str:
    text = _QUOTES.sub("", unicodedata.normalize("NFKC", title or ""))
    return _TRAILING.sub("", text)


def format_errors(truth: dict) -> list[str]:
    """What is wrong with a truth file against the corpus format (README.md); [] if nothing."""
    return _type_errors(truth) or _value_errors(truth)


def _type_errors(truth: dict) -> list[str]:
    errors = [f"missing {key}" for key in REQUIRED if key not in truth]
    for key, value in truth.items():
        expected = REQUIRED.get(key) or OPTIONAL.get(key)
        if expected is None:
            errors.append(f"unknown key {key}")
        elif not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            errors.append(f"{key} should be {expected.__name__}")
    return errors


def _value_errors(truth: dict) -> list[str]:
    errors = []
    if truth["kind"] not in KINDS:
        errors.append(f"kind {truth['kind']!r} is not one of {KINDS}")
    if truth["round_kind"] not in ROUND_KINDS:
        errors.append(f"round_kind {truth['round_kind']!r} is not one of {ROUND_KINDS}")
    for key, value in truth.get("declared", {}).items():
        if key not in DECLARED_KEYS or not isinstance(value, int) or isinstance(value, bool):
            errors.append(f"declared {key}: {value!r}")
    if "problems" in truth and not truth["complete"]:
        errors.append("problems is given only for a complete text")
    firsts = truth.get("first_problems", [])
    if len(firsts) > 3 or not all(isinstance(t, str) and t for t in firsts):
        errors.append("first_problems: up to 3 titles")
    errors += _per_problem_errors(truth, "paths", len(firsts))
    errors += _per_problem_errors(truth, "lead_units", len(firsts))
    return errors


def _per_problem_errors(truth: dict, key: str, firsts: int) -> list[str]:
    value = truth.get(key)
    if value is None:
        return []
    if len(value) > firsts:
        return [f"{key}: more entries than first_problems"]
    if not all(isinstance(item, list) and all(isinstance(s, str) for s in item) for item in value):
        return [f"{key}: a list of lists of strings"]
    return []


def entries(folder: Path = CORPUS) -> list[Entry]:
    """Every document with its truth, by name."""
    found = []
    for source in sorted(folder.iterdir()):
        if source.suffix in SOURCES:
            truth_path = source.with_suffix(".json")
            truth = json.loads(truth_path.read_text(encoding="utf-8"))
            found.append(Entry(source.stem, source, truth))
    return found


def parse(entry: Entry) -> ParsedDocument:
    if entry.source.suffix == ".tsv":
        with tempfile.TemporaryDirectory() as folder:
            return parse_file(workbook_of(entry.source, Path(folder)))
    return parse_file(entry.source)


def workbook_of(tsv: Path, folder: Path) -> Path:
    """An .xlsx of a .tsv's rows, as an office would hand the ledger in."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for line in tsv.read_text(encoding="utf-8").splitlines():
        sheet.append(line.split("\t"))
    path = folder / f"{tsv.stem}.xlsx"
    book.save(path)
    return path


def score(entry: Entry, document: ParsedDocument) -> Result:
    """The checks of one document: kind, the four declared totals, the problem count of a
    complete text, and each first problem's title, path and lead sections as the truth gives
    them. A text that reaches no problem (first_problems []) is right when none is parsed."""
    truth, result = entry.truth, Result(entry.name)
    result.check("kind", document.kind, truth["kind"])
    declared = truth.get("declared", {})
    for key in DECLARED_KEYS:
        result.check(f"declared {key}", document.declared.get(key), declared.get(key))
    if "problems" in truth:
        result.check("problems", len(document.problems), truth["problems"])
    firsts = truth.get("first_problems", [])
    problems = document.problems
    if not firsts and "first_problems" in truth and not truth["complete"]:
        result.check("no problem in the text", [p.title for p in problems[:1]], [])
    for n, title in enumerate(firsts):
        parsed = normalised(problems[n].title) if n < len(problems) else None
        result.check(f"problem {n + 1} title", parsed, normalised(title))
    for n, path in enumerate(truth.get("paths", [])):
        parsed = [normalised(p) for p in problems[n].path] if n < len(problems) else None
        result.check(f"problem {n + 1} path", parsed, [normalised(p) for p in path])
    for n, units in enumerate(truth.get("lead_units", [])):
        parsed = problems[n].lead_units if n < len(problems) else None
        result.check(f"problem {n + 1} lead units", parsed, units)
    return result


def measure(folder: Path = CORPUS) -> list[Result]:
    """Each document's result; a document that fails to parse has every check wrong."""
    results = []
    for entry in entries(folder):
        try:
            result = score(entry, parse(entry))
        except Exception as exc:  # a crash is scored here, and test_corpus fails on it
            result = score(entry, ParsedDocument(file=entry.name, kind=""))
            result.right, result.failure = 0, repr(exc)
            result.wrong = [f"parse failed: {exc!r}"]
        results.append(result)
    return results


def share(results: list[Result]) -> float:
    checks = sum(r.checks for r in results)
    return sum(r.right for r in results) / checks if checks else 0.0


def wrong_report(results: list[Result]) -> str:
    """Every wrong check, grouped by document."""
    lines = []
    for result in results:
        if result.wrong:
            lines.append(f"{result.name}: {result.right}/{result.checks}")
            lines.extend(f"  {wrong}" for wrong in result.wrong)
    return "\n".join(lines)
