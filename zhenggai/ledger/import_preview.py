"""The preview of an import draft, page by page, and the outline the user leaves in it: rows left
out, merged, retitled, described, moved, given a lead section or split, made into the document
that is imported."""

import re

from django.conf import settings
from django.core.paginator import Paginator
from django.db import transaction

from zhenggai.intake.ledger import CONTINUATION
from zhenggai.intake.model import Deadline, ParsedDocument, ParsedMeasure, ParsedProblem
from zhenggai.ledger.import_drafts import lock_open
from zhenggai.ledger.models import ImportDraft
from zhenggai.lib.errors import Refused
from zhenggai.rounds.models import NewRoundDraft

# As the preview writes a path: "方面 / 类别" (a bare "/" may belong to a heading: “1+1/N”).
PATH_SEPARATOR = re.compile(r"\s+/\s+|\s*›\s*")


def preview_rows(draft: ImportDraft | NewRoundDraft, initial_rows) -> list[dict]:
    """Every row of a draft's preview: as the user left them on the pages they saved, else as
    parsed (`initial_rows(parsed)`)."""
    return draft.parsed.get("rows") or initial_rows(draft.parsed)


def preview_page(rows: list[dict], number) -> tuple[int, int, int]:
    """(page number, first row, page count) of page `number` of the preview, as every list of
    the site pages (Django's Paginator: a page out of range is the nearest one)."""
    page = Paginator(rows, settings.IMPORT_PAGE_SIZE).get_page(number)
    return page.number, (page.number - 1) * settings.IMPORT_PAGE_SIZE, page.paginator.num_pages


def keep_page(
    draft: ImportDraft | NewRoundDraft, rows: list[dict], start: int, page: list[dict], **also
) -> list[dict]:
    """Keep the rows of one preview page, as the user left them, on the open draft (with
    `also`: what else the page holds, e.g. the new round's fields as typed)."""
    with transaction.atomic():
        locked = lock_open(draft)
        if start + len(page) > len(rows):
            raise Refused("该页内容已变化，请重新打开核对页面。", "preview page out of range")
        rows = [*rows[:start], *page, *rows[start + len(page) :]]
        locked.parsed = {**locked.parsed, **also, "rows": rows}
        locked.save(update_fields=["parsed"])
    draft.parsed = locked.parsed
    return rows


def rows_to_document(draft: ImportDraft | NewRoundDraft, rows: list[dict]) -> ParsedDocument:
    """The outline as the user left it: rows left out, merged into the one above, retitled,
    described, moved to another level, given a lead section, or split where a measure line
    starts with #."""
    original = draft.parsed.get("problems", [])
    problems: list[ParsedProblem] = []
    for row in rows:
        if row.get("include"):
            index = row.get("source")
            known = index is not None and 0 <= index < len(original)
            _add_row(problems, row, original[index] if known else {})
    untitled = [n for n, p in enumerate(problems, start=1) if not p.title]
    if untitled:
        raise Refused(
            f"导入的第 {untitled[0]} 个问题没有标题，请填写或不导入该行。", "untitled problem"
        )
    return ParsedDocument(
        file=draft.original_name,
        kind=draft.parsed.get("kind", "report"),
        org=draft.parsed.get("org"),
        problems=problems,
    )


def _add_row(problems: list[ParsedProblem], row: dict, source: dict) -> None:
    """Add the problems of one preview row (`source`: the parsed problem it shows) to
    `problems`: merged into the last one, or one for each piece it is split into."""
    path = [p for p in PATH_SEPARATOR.split(row.get("path", "")) if p]
    lead = row.get("lead", "").strip()
    deadline = source.get("deadline")
    facts = _facts(row, source)
    # The description as the preview shows it (a row from before it did: the parsed one).
    described = row["description"] if "description" in row else source.get("text", "")
    described = described.strip()
    for n, (number, title, lines) in enumerate(_pieces(row)):
        measures = [_measure(line, facts) for line in lines]
        if n == 0 and row.get("merge") and problems:
            _merge(problems[-1], title, described, measures, lead)
            continue
        problems.append(
            ParsedProblem(
                number=number,
                title=title,
                path=path,
                text=described if n == 0 else "",
                measures=measures,
                lead_units=[lead] if lead else [],
                responsible_units=source.get("responsible_units", []),
                deadline=Deadline(**deadline) if deadline else None,
            )
        )


def _facts(row: dict, source: dict) -> dict[str, dict]:
    """The parsed measures of `source` by their text, whose sections, owners and deadline a
    row's unchanged measure lines keep: none once the user changed the lead section."""
    lead_kept = row.get("lead", "").strip() == (source.get("lead_units") or [""])[0]
    return {m["text"]: m for m in source.get("measures", [])} if lead_kept else {}


def measure_sources(row: dict, source: dict) -> list[dict | None]:
    """For each measure line of a preview row, the parsed measure it is imported with (its
    sections, owners and deadline), or None for a line the user wrote or changed."""
    facts = _facts(row, source)
    return [facts.get(line) for _, _, lines in _pieces(row) for line in lines]


def _merge(previous: ParsedProblem, title: str, described: str, measures, lead: str) -> None:
    """A row merged into the problem above: its measures, title and description join it."""
    previous.measures += measures
    previous.text = "\n".join(t for t in (previous.text, title, described) if t)
    if lead and lead not in previous.lead_units:
        previous.lead_units.append(lead)


def _pieces(row: dict) -> list[tuple[str, str, list[str]]]:
    """(number, title, measures) of a preview row, split where a line starts with #; a line
    indented by a space continues the measure above it."""
    pieces = [(row.get("number", ""), row.get("title", "").strip(), [])]
    for line in row.get("measures", "").splitlines():
        if not line.strip():
            continue
        if CONTINUATION.match(line) and pieces[-1][2]:
            pieces[-1][2][-1] += "\n" + line[1:].rstrip()
        elif line.strip().startswith("#"):
            pieces.append(("", line.strip().lstrip("#").strip(), []))
        else:
            pieces[-1][2].append(line.strip())
    return pieces


def _measure(text: str, facts: dict) -> ParsedMeasure:
    """A measure line of the preview, with the owners and deadline its source gave it when the
    line is unchanged and the user kept the parsed lead section."""
    source = facts.get(text)
    if not source:
        return ParsedMeasure(text)
    deadline = source.get("deadline")
    return ParsedMeasure(
        text,
        lead_units=source.get("lead_units"),
        responsible_units=source.get("responsible_units"),
        deadline=Deadline(**deadline) if deadline else None,
        leader=source.get("leader", ""),
        owner=source.get("owner", ""),
    )
