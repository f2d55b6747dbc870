"""`zhenggai export plan|lists|closeout`: the same files as the web, written whole or not at all.

The three lists (reports.lists_xlsx) and the close-out forms (reports.closeout_form) are other
modules' work; their branches are tested when those modules are present, and skipped saying so
otherwise."""

import importlib.util
import os
from io import BytesIO

import pytest
from django.core.management import CommandError, call_command
from docx import Document

from zhenggai.ledger.models import Problem, State
from zhenggai.lib.xlsx import WriteFailed
from zhenggai.reports import documents
from zhenggai.reports.models import default_notice


def present(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


needs_lists = pytest.mark.skipif(
    not present("zhenggai.reports.lists_xlsx"), reason="reports.lists_xlsx is not in the tree yet"
)
needs_closeout = pytest.mark.skipif(
    not present("zhenggai.reports.closeout_form"),
    reason="reports.closeout_form is not in the tree yet",
)
needs_pdf = pytest.mark.skipif(
    documents.soffice() is None and os.environ.get("CI") != "true",
    reason="LibreOffice is not installed",
)


def texts(data: bytes) -> list[str]:
    return [p.text for p in Document(BytesIO(data)).paragraphs]


def export(*args) -> None:
    call_command("export", *[str(a) for a in args])


def leftovers(folder) -> list:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_the_plan_on_the_command_line_is_the_plan_of_the_web(world, tmp_path):
    world.problem("学习贯彻不深入", measures=2)
    out = tmp_path / "整改方案.docx"
    export("plan", "--round", world.round.pk, "-o", out)
    assert texts(out.read_bytes()) == texts(documents.docx(default_notice(world.round), "plan"))
    assert leftovers(tmp_path) == []


@needs_pdf
def test_the_plan_as_pdf(world, tmp_path):
    world.problem("学习贯彻不深入")
    out = tmp_path / "plan.pdf"
    export("plan", "--round", world.round.pk, "-o", out)
    assert out.read_bytes().startswith(b"%PDF") and leftovers(tmp_path) == []


def test_a_refused_document_leaves_the_old_file_as_it_was(world, tmp_path):
    out = tmp_path / "plan.docx"
    out.write_bytes(b"the plan of last week")
    with pytest.raises(CommandError, match=f"round {world.round.pk} has no problems"):
        export("plan", "--round", world.round.pk, "-o", out)
    assert out.read_bytes() == b"the plan of last week" and leftovers(tmp_path) == []
    with pytest.raises(CommandError, match="export plan needs --round"):
        export("plan", "-o", out)
    with pytest.raises(CommandError, match="writes .docx or .pdf, not plan.xlsx"):
        export("plan", "--round", world.round.pk, "-o", tmp_path / "plan.xlsx")
    with pytest.raises(CommandError, match="no such directory"):
        export("plan", "--round", world.round.pk, "-o", tmp_path / "nowhere" / "plan.docx")


def test_a_sheet_that_fails_half_written_never_takes_the_name(world, tmp_path, monkeypatch):
    world.problem()
    out = tmp_path / "台账.xlsx"
    out.write_bytes(b"yesterday's ledger")

    def half(problems, path, *, title):
        path.write_bytes(b"PK half a workbook")
        raise WriteFailed("the disk is full")

    monkeypatch.setattr("zhenggai.reports.ledger_xlsx.write_ledger", half)
    with pytest.raises(CommandError, match="the disk is full"):
        export("ledger", "--round", world.round.pk, "-o", out)
    assert out.read_bytes() == b"yesterday's ledger" and leftovers(tmp_path) == []


@needs_lists
def test_the_three_lists_of_a_round_and_of_a_unit(world, tmp_path):
    import openpyxl

    from zhenggai.reports.lists_xlsx import SHEETS

    world.problem("学习贯彻不深入", measures=2)
    world.problem("制度执行不严格")
    out = tmp_path / "三张清单.xlsx"
    export("lists", "--round", world.round.pk, "-o", out)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == list(SHEETS) and len(book.sheetnames) == 3
    assert book.worksheets[0]["A1"].value == f"{world.round.subject}{book.sheetnames[0]}"
    export("lists", "--unit", world.unit.pk, "-o", out)
    assert openpyxl.load_workbook(out).sheetnames == list(SHEETS)
    assert leftovers(tmp_path) == []
    with pytest.raises(CommandError, match="--round or --unit"):
        export("lists", "-o", out)
    with pytest.raises(CommandError, match=f"unit {world.other_section.pk} has no problems"):
        export("lists", "--unit", world.other_section.pk, "-o", out)
    with pytest.raises(CommandError, match="writes .xlsx, not x.docx"):
        export("lists", "--round", world.round.pk, "-o", tmp_path / "x.docx")


@needs_closeout
def test_the_closeout_forms_of_a_round(world, tmp_path):
    world.problem("尚未销号的问题")
    out = tmp_path / "销号审批表.docx"
    with pytest.raises(CommandError, match="no closed-out problem"):
        export("closeout", "--round", world.round.pk, "-o", out)
    assert not out.exists() and leftovers(tmp_path) == []
    done = world.problem("已销号的问题")
    Problem.objects.filter(pk=done.pk).update(state=State.CLOSED)
    export("closeout", "--round", world.round.pk, "-o", out)
    document = Document(BytesIO(out.read_bytes()))
    lines = "\n".join(cell.text for table in document.tables for cell in table._cells)
    assert "已销号的问题" in lines and "尚未销号的问题" not in lines


def test_the_command_names_every_export():
    from zhenggai.reports.management.commands.export import Command

    parser = Command().create_parser("zhenggai", "export")
    choices = next(a for a in parser._actions if a.dest == "what").choices
    assert list(choices) == ["ledger", "lists", "report", "notice", "plan", "closeout"]
