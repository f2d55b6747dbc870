"""Importing a parsed document into a round: all of it, in order, once, or nothing."""

import json
import subprocess
import sys

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from zhenggai.demo.load import SEEDS
from zhenggai.intake import ParseWarning, parse_file
from zhenggai.ledger import imports
from zhenggai.ledger.imports import import_document
from zhenggai.ledger.models import Event, Problem
from zhenggai.lib.errors import NotAllowed, Refused

PLAN = SEEDS / "003_7f775de377682fdb.txt"


def upload_of(path):
    return SimpleUploadedFile(path.name, path.read_bytes())


def test_import_keeps_outline_order_measures_sections_and_history(world):
    document = parse_file(PLAN)
    result = import_document(document, world.round, by=world.rect_office, upload=upload_of(PLAN))
    problems = list(world.round.problems.order_by("position"))
    assert [(p.number, p.title, p.path) for p in problems] == [
        (p.number, p.title, p.path) for p in document.problems
    ]
    first = problems[0].measures.get()
    assert first.lead_section.name == "资管科" and first.lead_section.parent == world.unit
    assert str(first.deadline) == "2024-02-05"
    assert result.document.content_type == "text/plain"
    assert Event.objects.filter(problem=problems[0], action="created").count() == 2


def test_the_same_file_is_not_imported_twice(world):
    document = parse_file(PLAN)
    import_document(document, world.round, by=world.inspector, upload=upload_of(PLAN))
    with pytest.raises(Refused) as refused:
        import_document(document, world.round, by=world.inspector, upload=upload_of(PLAN))
    earlier = timezone.localtime(world.round.documents.get().uploaded_at)
    assert f"已于 {earlier:%Y-%m-%d %H:%M}" in refused.value.message  # the local time
    assert world.round.problems.count() == len(document.problems)
    import_document(document, world.round, by=world.inspector, upload=upload_of(PLAN), force=True)
    assert world.round.problems.count() == 2 * len(document.problems)


def test_only_the_offices_import(world):
    with pytest.raises(NotAllowed):
        import_document(parse_file(PLAN), world.round, by=world.staff)


def test_a_failure_half_way_leaves_nothing(world, monkeypatch):
    calls = {"n": 0}
    original = imports._import_problem

    def fail_on_third(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("disk full")
        return original(*args, **kwargs)

    monkeypatch.setattr(imports, "_import_problem", fail_on_third)
    with pytest.raises(RuntimeError):
        import_document(parse_file(PLAN), world.round, by=world.inspector, upload=upload_of(PLAN))
    assert not Problem.objects.exists() and not world.round.documents.exists()


def run(tmp_path, *args):
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith(("ZHENGGAI_", "DATABASE_"))}
    env.update(ZHENGGAI_DEBUG="true", ZHENGGAI_DATA_DIR=str(tmp_path))
    return subprocess.run(
        [sys.executable, "-m", "zhenggai.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


CREATE_OFFICE = (
    "from zhenggai.orgs.services import create_unit; create_unit('区委巡察办', 'office')"
)


@pytest.mark.skipif(
    "DATABASE_URL" in __import__("os").environ, reason="runs on its own SQLite file"
)
def test_the_import_command(tmp_path):
    assert run(tmp_path, "migrate", "-v0").returncode == 0
    seed = str(SEEDS / "004_9a9a5644509a9b72.txt")
    unknown = run(tmp_path, "import", seed, "--unit", "璧山区科学技术局")
    assert unknown.returncode != 0 and "give --office" in unknown.stderr
    office = run(tmp_path, "import", seed, "--unit", "璧山区科学技术局", "--office", "区委巡察办")
    assert office.returncode != 0 and "no inspection office named" in office.stderr
    made = run(tmp_path, "shell", "-c", CREATE_OFFICE)
    assert made.returncode == 0, made.stderr
    first = run(
        tmp_path, "import", seed, "--unit", "璧山区科学技术局", "--office", "区委巡察办", "--json"
    )
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout) == {"round": 1, "problems": 26}
    again = run(tmp_path, "import", seed, "--unit", "璧山区科学技术局", "--round", "1")
    assert again.returncode != 0 and "imported into round 1 already" in again.stderr
    second = run(tmp_path, "import", seed, "--unit", "璧山区科学技术局")
    assert second.returncode != 0 and "add --round 1 --force" in second.stderr
    wrong = run(tmp_path, "import", seed, "--unit", "别的单位", "--round", "1")
    assert wrong.returncode != 0 and "is not a round of unit" in wrong.stderr
    (tmp_path / "x.bin").write_bytes(b"\0\1\2" * 50)
    broken = run(tmp_path, "import", str(tmp_path / "x.bin"), "--unit", "璧山区科学技术局")
    assert broken.returncode != 0 and "not a supported document" in broken.stderr


@pytest.mark.parametrize(
    "warning, chinese",
    [
        (
            ParseWarning("declared_problems_mismatch", declared=37, parsed=36),
            "写明有 37 个问题，但识别出 36 个",
        ),
        (
            ParseWarning("declared_areas_mismatch", declared=4, parsed=3),
            "写明有 4 个方面，但识别出 3 个",
        ),
        (ParseWarning("traditional_chinese"), "繁体中文"),
        (ParseWarning("date_lost_characters", text="2021412日"), "“2021412日”缺字"),
        (ParseWarning("several_rounds", rounds=2), "包含 2 个轮次"),
        ({"code": "something_new", "args": {}}, "请逐条核对"),
    ],
)
def test_the_preview_says_every_warning_in_chinese(warning, chinese):
    kept = warning.as_json() if isinstance(warning, ParseWarning) else warning  # as a draft has it
    assert chinese in imports.warning_zh(kept)
    assert chinese in imports.warning_zh(warning)


def test_a_draft_saved_before_warnings_had_codes_shows_its_sentences_as_they_are():
    sentence = "the document declares 37 problems but 36 were parsed"
    assert imports.warning_zh(sentence) == sentence
