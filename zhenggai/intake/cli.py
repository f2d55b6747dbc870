"""`zhenggai parse FILE... [--json]`: the outline of each file, or JSON (one object per file;
its `warnings` a list of {"code", "args", "message"}, the message in English)."""

import argparse
import json
import sys

from zhenggai.intake.model import IntakeError
from zhenggai.intake.parse import parse_file


def outline_text(document) -> str:
    lines = [f"{document.file}: {document.kind}, {document.org or '(organisation not found)'}"]
    if document.inspector:
        lines.append(f"  inspected by: {document.inspector}")
    for key, value in document.dates.items():
        lines.append(f"  {key}: {value}")
    if document.declared:
        lines.append("  declared: " + ", ".join(f"{k} {v}" for k, v in document.declared.items()))
    shown: list[str] = []
    for problem in document.problems:
        for depth, heading in enumerate(problem.path):
            if shown[depth : depth + 1] != [heading]:
                shown = [*shown[:depth], heading]
                lines.append("  " + "  " * depth + heading)
        indent = "  " + "  " * len(problem.path)
        lines.append(f"{indent}[{problem.number or '-'}] {problem.title}")
        for measure in problem.measures:
            lines.append(f"{indent}    - {measure.text[:60]}")
    lines.append(f"  {len(document.problems)} problems")
    lines.extend(f"  warning: {w.message}" for w in document.warnings)
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="zhenggai parse", description=__doc__)
    parser.add_argument("files", nargs="+", metavar="FILE")
    parser.add_argument("--json", action="store_true", help="print a JSON array")
    args = parser.parse_args(argv)
    documents, failed = [], False
    for name in args.files:
        try:
            documents.append(parse_file(name))
        except IntakeError as exc:
            print(f"error: {exc}", file=sys.stderr)
            failed = True
    if args.json:
        json.dump([d.as_json() for d in documents], sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        print("\n\n".join(outline_text(d) for d in documents))
    return 1 if failed else 0
