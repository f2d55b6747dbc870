"""Units' templates render within limits of time, memory and size, at upload and at download."""

import time

import pytest

from zhenggai.lib.errors import Refused
from zhenggai.reports import services, template_render
from zhenggai.reports.models import DocumentTemplate
from zhenggai.reports.tests.test_documents import edited_template


@pytest.fixture
def quick_limits(monkeypatch):
    monkeypatch.setattr(template_render, "CPU_SECONDS", 1)
    monkeypatch.setattr(template_render, "WALL_SECONDS", 4)


def _refusal(world, paragraph: str) -> str:
    with pytest.raises(Refused) as refused:
        services.upload_template(
            world.unit.pk, "notice", edited_template(paragraph), by=world.rect_office
        )
    assert not DocumentTemplate.objects.exists()
    return refused.value.message


@pytest.mark.parametrize(
    "paragraph",
    [
        "{{ ('x' * 100000000)|length }}",
        "{{ [0] * 100000000 }}",
        "{{ 10 ** 10000000 }}",
    ],
)
def test_huge_values_are_refused_before_they_are_built(world, paragraph):
    started = time.monotonic()
    assert "过大" in _refusal(world, paragraph)
    assert time.monotonic() - started < 3


def test_nested_loops_are_stopped_at_the_time_limit(world, quick_limits):
    started = time.monotonic()
    message = _refusal(
        world, "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}"
    )
    assert "时间" in message or "用时过长" in message
    assert time.monotonic() - started < 8


def test_memory_is_limited(world, quick_limits):
    message = _refusal(world, "{{ ('x'|center(3000000000))|length }}")
    assert "限制" in message


def test_a_runaway_template_already_stored_is_stopped_at_download_too(world, quick_limits):
    from django.core.files.base import ContentFile

    from zhenggai.reports import documents
    from zhenggai.reports.models import default_notice

    world.problem()
    loops = "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}"
    DocumentTemplate.objects.create(
        unit=world.unit,
        kind="notice",
        file=ContentFile(edited_template(loops).read(), name="t.docx"),
        original_name="t.docx",
        uploaded_by=world.rect_office,
    )
    with pytest.raises(documents.DocumentError):
        documents.docx(default_notice(world.round), "notice")


def test_an_ordinary_template_still_renders_quickly(world):
    world.problem()
    services.upload_template(
        world.unit.pk, "notice", edited_template("联系人：{{ issuer }}"), by=world.rect_office
    )
    assert DocumentTemplate.objects.count() == 1


def test_renders_at_once_are_limited(world, settings):
    from zhenggai.lib.slots import slot

    settings.RENDER_CONCURRENCY = 1
    world.problem()
    with slot("render", 1):  # another request is rendering
        message = _refusal(world, "联系人：{{ issuer }}")
    assert "请稍后再试" in message


@pytest.mark.django_db(transaction=True)
def test_the_test_render_holds_no_transaction(monkeypatch):
    """On SQLite a transaction holds the write lock: a slow render must not stop every writer."""
    from django.db import transaction

    from zhenggai.reports import documents
    from zhenggai.testing import make_world

    world = make_world()
    seen = []
    real = documents.render
    monkeypatch.setattr(
        documents,
        "render",
        lambda *a: seen.append(transaction.get_connection().in_atomic_block) or real(*a),
    )
    services.upload_template(
        world.unit.pk, "notice", edited_template("联系人：{{ issuer }}"), by=world.rect_office
    )
    assert seen == [False] and DocumentTemplate.objects.count() == 1
