"""Files sent with an order's answer: checked like evidence, all or nothing, served to readers."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from zhenggai.ledger import services as ledger
from zhenggai.lib import samples
from zhenggai.lib.errors import Refused
from zhenggai.supervision import services
from zhenggai.supervision.models import Escalation, EscalationAttachment

LATER = timezone.localdate() + timedelta(days=7)


@pytest.fixture
def order(world):
    problem = world.problem("项目资金拨付滞后", approve=True)
    measure = world.measure(problem)
    ledger.update_measure(measure, by=world.leader, base_version=measure.version, owner=world.staff)
    return services.issue_escalation(
        problem, by=world.inspector, level=1, demand="书面报告", due_on=LATER, measure=measure
    )


def pdf(name="书面答复.pdf"):
    return SimpleUploadedFile(name, samples.pdf(), "application/pdf")


def stored_files(settings) -> list:
    root = settings.STORAGES["default"]["OPTIONS"]["location"]
    from pathlib import Path

    return [p for p in Path(root).rglob("*") if p.is_file()] if Path(root).exists() else []


def test_an_answer_keeps_its_files_and_history_names_them(world, order):
    services.answer_escalation(
        order, by=world.staff, answer="已报告", files=[pdf(), pdf("纪要.pdf")]
    )
    names = list(order.attachments.values_list("original_name", flat=True))
    assert names == ["书面答复.pdf", "纪要.pdf"]
    event = order.problem.events.get(action="answered")
    assert event.changes["附件"] == ["—", "书面答复.pdf、纪要.pdf"]
    assert order.attachments.first().uploaded_by == world.staff


def test_a_refused_file_refuses_the_whole_answer_and_leaves_nothing(world, order, settings):
    fake = SimpleUploadedFile("答复.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    with pytest.raises(Refused, match="答复.pdf"):
        services.answer_escalation(order, by=world.staff, answer="已报告", files=[pdf(), fake])
    order.refresh_from_db()
    assert order.status == Escalation.Status.OPEN and not EscalationAttachment.objects.exists()
    assert stored_files(settings) == []


def test_a_failure_after_files_were_stored_removes_them(world, order, settings, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("history could not be written")

    monkeypatch.setattr(services, "record", broken)
    with pytest.raises(RuntimeError):
        services.answer_escalation(order, by=world.staff, answer="已报告", files=[pdf()])
    assert not EscalationAttachment.objects.exists()
    assert stored_files(settings) == []


def test_too_many_or_too_large_files_are_refused(world, order, settings):
    with pytest.raises(Refused) as many:
        services.answer_escalation(
            order, by=world.staff, answer="x", files=[pdf(f"{n}.pdf") for n in range(11)]
        )
    assert "最多上传10个附件" in many.value.message
    settings.EVIDENCE_MAX_BYTES = 10
    with pytest.raises(Refused) as large:
        services.answer_escalation(order, by=world.staff, answer="x", files=[pdf()])
    assert "大小限制" in large.value.message
    assert not EscalationAttachment.objects.exists()


def test_the_answer_form_takes_files_and_the_download_is_checked(client, world, order):
    client.force_login(world.staff)
    response = client.post(
        reverse("escalation_answer", args=[order.pk]),
        {"answer": "已书面报告", "files": [pdf(), pdf("纪要.pdf")]},
    )
    assert response.status_code == 302
    item = EscalationAttachment.objects.get(original_name="纪要.pdf")
    url = reverse("order_attachment", args=[item.pk])
    page = client.get(reverse("problem_detail", args=[order.problem_id])).content.decode()
    assert url in page and "纪要.pdf" in page
    for name in ("inspector", "leader", "discipline", "staff"):
        client.force_login(getattr(world, name))
        download = client.get(url)
        assert download.status_code == 200, name
        assert download["Content-Disposition"].startswith("attachment")
        assert "private" in download["Cache-Control"] or "no-store" in download["Cache-Control"]
        assert b"".join(download.streaming_content) == samples.pdf()
    client.force_login(world.outsider)
    assert client.get(url).status_code == 404
    assert client.get(reverse("order_attachment", args=[item.pk + 100])).status_code == 404


def test_a_bad_file_on_the_form_is_named_and_nothing_is_saved(client, world, order):
    client.force_login(world.staff)
    fake = SimpleUploadedFile("答复.pdf", b"not a pdf at all", "application/pdf")
    response = client.post(
        reverse("escalation_answer", args=[order.pk]), {"answer": "已报告", "files": [fake]}
    )
    assert response.status_code == 400
    assert "答复.pdf" in response.content.decode()
    order.refresh_from_db()
    assert order.status == Escalation.Status.OPEN


def test_the_problem_page_with_orders_and_files_keeps_its_queries(
    client, world, order, django_assert_max_num_queries
):
    services.answer_escalation(order, by=world.staff, answer="已报告", files=[pdf()])
    for _ in range(5):
        services.issue_escalation(
            order.problem, by=world.inspector, level=1, demand="再报", due_on=LATER
        )
    client.force_login(world.inspector)
    url = reverse("problem_detail", args=[order.problem_id])
    client.get(url)
    with django_assert_max_num_queries(60) as counted:
        client.get(url)
    few = len(counted.captured_queries)
    for _ in range(5):
        services.issue_escalation(
            order.problem, by=world.inspector, level=1, demand="再报", due_on=LATER
        )
    with django_assert_max_num_queries(few):
        client.get(url)


def test_a_signed_scan_larger_than_a_form_is_taken_with_an_answer_as_with_evidence(
    world, order, client, settings
):
    """The answer's page takes files up to UPLOAD_MAX_BYTES, as a progress report's does, not
    only the 5 MB of a plain form."""
    big = samples.pdf() + b"%" + b"0" * (6 * 1024 * 1024)
    assert len(big) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    client.force_login(world.staff)
    response = client.post(
        reverse("escalation_answer", args=[order.pk]),
        {"answer": "已报告", "files": SimpleUploadedFile("盖章答复.pdf", big, "application/pdf")},
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == Escalation.Status.ANSWERED
    assert order.attachments.get().original_name == "盖章答复.pdf"


def test_an_answer_larger_than_the_upload_limit_is_refused_in_chinese(
    world, order, client, settings
):
    settings.UPLOAD_MAX_BYTES = 6 * 1024 * 1024
    big = samples.pdf() + b"%" + b"0" * (7 * 1024 * 1024)
    client.force_login(world.staff)
    response = client.post(
        reverse("escalation_answer", args=[order.pk]),
        {"answer": "已报告", "files": SimpleUploadedFile("盖章答复.pdf", big, "application/pdf")},
    )
    assert response.status_code == 413 and "提交的内容过大" in response.content.decode()
    order.refresh_from_db()
    assert order.status == Escalation.Status.OPEN and not order.attachments.exists()
