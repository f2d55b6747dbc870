"""Oversized bodies and non-UTF-8 form data are refused before anything reads them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhenggai.lib import samples
from zhenggai.public.models import Opinion
from zhenggai.reports import services as reports
from zhenggai.reports.models import default_notice

TWO_GB = str(2 * 1024**3)


@pytest.fixture
def published(world):
    world.problem()
    notice = reports.save_notice(default_notice(world.round), by=world.rect_office)
    return reports.publish_notice(notice, by=world.leader)


def test_a_huge_body_to_a_public_page_is_refused_from_its_length(client, published):
    url = reverse("public_notice", args=[published.pk])
    response = client.post(url, {"text": "意见"}, CONTENT_LENGTH=TWO_GB)
    assert response.status_code == 413 and "提交的内容过大" in response.content.decode()
    assert not Opinion.objects.exists()
    assert client.post(reverse("login"), {}, CONTENT_LENGTH=TWO_GB).status_code == 413


def test_forms_of_signed_in_people_take_a_forms_size(client, world, settings):
    client.force_login(world.inspector)
    url = reverse("problem_create", args=[world.round.pk])
    too_big = str(settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 128 * 1024)
    assert client.post(url, {"title": "x"}, CONTENT_LENGTH=too_big).status_code == 413
    assert client.post(url, {"title": "正常的问题"}).status_code == 302


def test_upload_views_take_files_up_to_their_own_limit(client, world, settings):
    problem = world.problem(approve=True)
    client.force_login(world.staff)
    url = reverse("report_create", args=[problem.pk])
    pdf = samples.pdf("0" * 4000)

    def post():
        files = {"text": "进展", "files": SimpleUploadedFile("a.pdf", pdf)}
        return client.post(url, files).status_code

    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000  # the default for other forms: an upload view
    assert post() != 413  # does not use it
    settings.UPLOAD_MAX_BYTES = 1000
    assert post() == 413


@pytest.mark.parametrize("charset", ["latin-1", "gb18030", "x-unknown"])
def test_form_data_in_another_charset_is_refused_in_chinese(client, published, charset):
    content_type = f"application/x-www-form-urlencoded; charset={charset}"
    for url in (reverse("login"), reverse("public_notice", args=[published.pk])):
        response = client.generic("POST", url, b"text=%E6%84%8F", content_type=content_type)
        assert response.status_code == 400 and "UTF-8" in response.content.decode()
    ok = "application/x-www-form-urlencoded; charset=UTF-8"
    assert client.post(reverse("login"), "username=a", content_type=ok).status_code == 200


def test_every_view_that_takes_files_declares_its_limit():
    """A view with a file field would otherwise refuse any upload over a form's size."""
    from django.urls import URLResolver, get_resolver

    takes_files = {
        "report_create",
        "document_upload",
        "import_upload",
        "round_import_upload",
        "template_upload",
        "escalation_answer",
        "progress_import_upload",
        "rating_import_upload",
        "score_import_upload",
        "entry_create",
        "appeal_create",
        "api-report-list",
        "api-report-detail",
    }

    def patterns(entries):  # the included URL modules' too
        for entry in entries:
            if isinstance(entry, URLResolver):
                yield from patterns(entry.url_patterns)
            else:
                yield entry

    declared = {
        pattern.name
        for pattern in patterns(get_resolver().url_patterns)
        if getattr(getattr(pattern, "callback", None), "body_limit", None) == "UPLOAD_MAX_BYTES"
    }
    assert declared == takes_files


def test_people_not_signed_in_cannot_send_an_upload_views_size(client, world):
    problem = world.problem(approve=True)
    url = reverse("report_create", args=[problem.pk])
    response = client.post(url, {"text": "x"}, CONTENT_LENGTH=str(1024 * 1024))
    assert response.status_code == 413


def test_a_repeated_or_encoded_charset_is_read_as_django_reads_it(client, published):
    url = reverse("public_notice", args=[published.pk])
    for content_type in (
        "multipart/form-data; boundary=B; charset=utf-8; charset=latin-1",
        "multipart/form-data; boundary=B; charset*=UTF-8''latin-1",
    ):
        body = (
            b'--B\r\nContent-Disposition: form-data; name="text"\r\n\r\n\xe6\x84\x8f\r\n--B--\r\n'
        )
        response = client.generic("POST", url, body, content_type=content_type)
        assert response.status_code == 400, content_type
