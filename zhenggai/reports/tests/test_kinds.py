"""The registry of document kinds: the download names it makes, what it promises of a kind, and
that a new kind is one entry (no migration, no other edit)."""

import dataclasses
import re
from io import BytesIO
from urllib.parse import unquote

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from docx import Document

from zhenggai.reports import content, documents, kinds
from zhenggai.reports.kinds import INTERNAL, PUBLIC, PUBLISHED
from zhenggai.reports.models import DocumentTemplate, default_notice
from zhenggai.reports.pages import document_rows, template_rows
from zhenggai.reports.services import publish_notice, save_notice


def test_the_download_names_are_those_the_pages_link_to():
    assert kinds.DOWNLOADS == {
        "report.docx": ("report", INTERNAL, False),
        "report.pdf": ("report", INTERNAL, True),
        "notice.docx": ("notice", INTERNAL, False),
        "notice.pdf": ("notice", INTERNAL, True),
        "notice-public.docx": ("notice", PUBLIC, False),
        "notice-public.pdf": ("notice", PUBLIC, True),
        "notice-published.docx": ("notice", PUBLISHED, False),
        "notice-published.pdf": ("notice", PUBLISHED, True),
        "plan.docx": ("plan", INTERNAL, False),
        "plan.pdf": ("plan", INTERNAL, True),
    }


def test_codes_fit_the_column_and_the_slug_urls():
    field = DocumentTemplate._meta.get_field("kind")
    for code, kind in kinds.KINDS.items():
        assert code == kind.code and re.fullmatch(r"[-a-z0-9_]+", code)
        assert len(code) <= field.max_length
        reverse("template_download", args=[1, code])  # the <slug:kind> patterns take it


def test_only_the_notice_has_a_public_version():
    """Publishing stores one text per round (Notice.published_content): the notice's."""
    assert [kind for kind in kinds.KINDS.values() if kind.public] == [kinds.NOTICE]


REVIEW = dataclasses.replace(
    kinds.REPORT,
    code="review",
    title="回头看报告",
    genre="回头看报告",
    stem="review",
    announces="现将{what}整改回头看情况报告如下：",
    closing="",
)


@pytest.fixture
def review(monkeypatch):
    monkeypatch.setitem(kinds.KINDS, REVIEW.code, REVIEW)
    return REVIEW


def test_a_new_kind_needs_no_migration(review, db):
    assert ("review", "回头看报告") in DocumentTemplate._meta.get_field("kind").choices
    call_command("makemigrations", "reports", "--check", "--dry-run", verbosity=0)


def test_a_new_kind_is_one_entry(review, world, client):
    world.problem("学习贯彻不深入")
    notice = default_notice(world.round)
    built = content.build(notice, "review", public=False)
    assert built.title.endswith("的回头看报告") and built.closing == "" and built.addressee
    assert built.opening.endswith("现将巡察整改回头看情况报告如下：")
    lines = [p.text for p in Document(BytesIO(documents.docx(notice, "review"))).paragraphs]
    assert lines[0] == built.title
    name = documents.file_name(notice, "review", version=INTERNAL, suffix=".docx")
    assert name.endswith("·回头看报告.docx")
    assert [row[:2] for row in template_rows(world.unit.pk)][-1] == ("review", "回头看报告")
    client.force_login(world.rect_office)
    response = client.get(reverse("template_download", args=[world.round.pk, "review"]))
    assert response.status_code == 200
    disposition = unquote(response["Content-Disposition"])
    assert disposition.endswith(f"{world.unit.name}回头看报告模板.docx")


def test_the_notice_page_offers_every_version_of_every_kind(world):
    notice = default_notice(world.round)
    rows = document_rows(notice)
    assert [row["docx"] for row in rows] == [
        "report.docx",
        "notice.docx",
        "notice-public.docx",
        "plan.docx",
    ]
    assert rows[0]["label"] == f"整改情况报告（报送{world.round.inspecting_body}）"
    assert rows[1]["label"] == "整改情况通报（内部版）"
    assert rows[2]["label"] == "整改情况通报（公开版，按台账当前数据）"
    assert rows[2]["pdf"] == "notice-public.pdf"


def test_the_published_version_is_offered_once_published(world, client):
    world.problem(approve=True)
    notice = save_notice(default_notice(world.round), by=world.rect_office)
    publish_notice(notice, by=world.leader)
    client.force_login(world.rect_office)
    page = client.get(reverse("notice_edit", args=[world.round.pk])).content.decode()
    notice.refresh_from_db()
    when = timezone.localtime(notice.published_at).strftime("%Y-%m-%d %H:%M")
    assert f"<th>整改情况通报（已发布版本，{when}）</th>" in page
    assert reverse("notice_download", args=[world.round.pk, "notice-published.docx"]) in page
