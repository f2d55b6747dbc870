"""姓名 is one field, in the order Chinese writes it, and one function names a person everywhere."""

import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.template import Context, Template

from zhenggai.lib.names import full_name, join_name, normalize_name, person_label, person_name
from zhenggai.testing import make_user

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "first, last, shown",
    [
        ("欧阳娜娜", "", "欧阳娜娜"),  # the one field
        ("娜娜", "欧阳", "欧阳娜娜"),  # Django's two fields, surname first
        ("欧阳娜娜", "欧阳", "欧阳娜娜"),  # the surname already written into the name
        ("", "欧阳", "欧阳"),
        (" 欧阳  娜娜 ", "", "欧阳娜娜"),  # no space between Han characters
        ("Anna", "Li", "Anna Li"),  # a name in Latin letters keeps its order
        ("", "", ""),
    ],
)
def test_join_name(first, last, shown):
    assert join_name(first, last) == shown


def test_a_person_is_named_by_their_name_else_their_login_name(db):
    assert person_name(make_user("ouyang", "欧阳娜娜")) == "欧阳娜娜"
    nameless = make_user("nameless")
    nameless.first_name = ""
    assert person_name(nameless) == "nameless"
    assert person_name(None) == "" and person_name(None, "—") == "—"
    assert full_name("娜娜", "欧阳", "ouyang") == "欧阳娜娜"
    assert full_name(None, None, "ouyang") == "ouyang"
    assert person_label(make_user("ouyang2", "欧阳娜娜")) == "欧阳娜娜（ouyang2）"
    assert normalize_name("张  三") == "张三"


def test_templates_name_a_person_through_the_one_filter(db):
    user = make_user("ouyang", "欧阳娜娜")
    for library in ("people", "ledger"):
        template = Template("{% load " + library + " %}{{ u|person }}|{{ nobody|person }}")
        assert template.render(Context({"u": user, "nobody": None})) == "欧阳娜娜|—"


def test_nothing_names_a_person_by_djangos_get_full_name():
    """Django's get_full_name() puts the given name first ("娜娜 欧阳"); every place that names
    a person goes through zhenggai.lib.names instead."""
    offenders = []
    for path in ROOT.rglob("*"):
        if path.suffix not in {".py", ".html", ".txt"} or "migrations" in path.parts:
            continue
        if path.name == "names.py" or path == Path(__file__):
            continue
        text = path.read_text(encoding="utf-8", errors="ignore")
        if "get_full_name" in text or re.search(r"get_short_name|\blast_name\s*=", text):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


@pytest.mark.django_db(transaction=True)
def test_the_migration_joins_the_two_fields_and_goes_back():
    executor = MigrationExecutor(connection)
    executor.migrate([("orgs", "0001_initial")])
    User = get_user_model()
    split = User.objects.create(username="ouyang", first_name="娜娜", last_name="欧阳")
    whole = User.objects.create(username="zhang", first_name="张三")
    latin = User.objects.create(username="anna", first_name="Anna", last_name="Li")

    executor = MigrationExecutor(connection)
    executor.migrate([("orgs", "0002_one_field_name")])
    names = dict(User.objects.values_list("username", "first_name"))
    assert names == {"ouyang": "欧阳娜娜", "zhang": "张三", "anna": "Anna Li"}
    assert set(User.objects.values_list("last_name", flat=True)) == {""}

    # Back: the whole 姓名 stays in first_name, which the code before the migration also shows
    # whole (get_full_name() with an empty last_name).
    executor = MigrationExecutor(connection)
    executor.migrate([("orgs", "0001_initial")])
    for user in (split, whole, latin):
        user.refresh_from_db()
    assert (split.get_full_name(), whole.get_full_name(), latin.get_full_name()) == (
        "欧阳娜娜",
        "张三",
        "Anna Li",
    )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
