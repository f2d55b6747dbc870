"""Evidence is checked by content, limited in size, and served only as an attachment."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhenggai.ledger import services
from zhenggai.ledger.models import Evidence, ProgressReport
from zhenggai.lib import samples
from zhenggai.lib.errors import Refused

PDF = samples.pdf()
PNG = samples.png()


def docx_bytes(extra: dict | None = None) -> bytes:
    return samples.docx(extra)


@pytest.fixture
def problem(world):
    return world.problem(approve=True)


def upload(world, problem, name, data):
    return services.report_progress(
        problem, by=world.staff, text="进展", files=[SimpleUploadedFile(name, data)]
    )


@pytest.mark.parametrize(
    "name,data,kind",
    [
        ("会议纪要.pdf", PDF, "application/pdf"),
        ("现场照片.png", PNG, "image/png"),
        (
            "制度文件.docx",
            docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ],
)
def test_accepted_evidence_is_typed_by_content(world, problem, name, data, kind):
    report = upload(world, problem, name, data)
    evidence = report.evidence.get()
    assert evidence.content_type == kind and evidence.original_name == name
    assert evidence.size == len(data) and len(evidence.sha256) == 64


@pytest.mark.parametrize(
    "name,data,message",
    [
        ("说明.pdf", b"just some text pretending to be a pdf", "只接受"),
        ("报告.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200, "只接受"),  # a Windows executable
        ("报告.docx", b"\x7fELF\x02\x01\x01" + b"\x00" * 200, "只接受"),  # a Linux executable
        ("脚本.png", b"<script>alert(1)</script>", "只接受"),
        ("空.pdf", b"", "空"),
        ("压缩包.docx", docx_bytes({"word/media/bomb.bin": b"\0" * (5 * 1024 * 1024)}), "压缩炸弹"),
        ("普通压缩包.docx", b"PK\x03\x04" + b"\0" * 100, "损坏"),
    ],
)
def test_refused_evidence_leaves_nothing_behind(world, problem, name, data, message):
    with pytest.raises(Refused) as refused:
        upload(world, problem, name, data)
    assert message in refused.value.message and name in refused.value.message
    assert not ProgressReport.objects.filter(problem=problem).exists()
    assert not Evidence.objects.exists()


def test_a_plain_zip_is_not_a_document(world, problem):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/readme.txt", "no document part")
    with pytest.raises(Refused) as refused:
        upload(world, problem, "材料.docx", buffer.getvalue())
    assert "不是 Word 或 Excel" in refused.value.message


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("纪要.docx", samples.docx({"word/setup.exe": b"MZ" + b"\0" * 100}), "可执行程序"),
        ("纪要.pdf", samples.pdf() + b"<script>alert(1)</script>", "网页脚本"),
        ("照片.png", samples.png() + b"<html><script>alert(1)</script>", "网页脚本"),
        ("伪装.pdf", b"%PDF-1.4\n<script>alert(1)</script>\n%%EOF\n", "网页脚本"),
        ("夹带.pdf", samples.pdf("x" * 300_000 + "<html>" + "y" * 300_000), "网页脚本"),
        ("夹带.png", samples.png() + "<script>".encode("utf-16-le") + b"\0" * 400_000, "网页脚本"),
        ("空壳.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "无法打开"),
        ("照片.gif", b"GIF89a" + b"\0" * 40, "图片已损坏"),
        (
            "纪要.doc",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "WordDocument".encode("utf-16-le"),
            "损坏",
        ),
    ],
)
def test_polyglots_and_disguises_are_refused_by_parsing(world, problem, name, data, message):
    with pytest.raises(Refused) as refused:
        upload(world, problem, name, data)
    assert message in refused.value.message
    assert not Evidence.objects.exists()


def test_evidence_over_the_size_limit_is_refused(world, problem, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    with pytest.raises(Refused) as refused:
        upload(world, problem, "大文件.pdf", PDF + b"\0" * 2048)
    assert "大小限制" in refused.value.message


def test_download_is_an_attachment_with_a_chinese_name(client, world, problem):
    evidence = upload(world, problem, "整改会议纪要（第1次）.pdf", PDF).evidence.get()
    client.force_login(world.discipline)
    response = client.get(reverse("evidence_download", args=[evidence.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    # RFC 6266 with RFC 5987 encoding of the UTF-8 name.
    assert "filename*=utf-8''%E6%95%B4%E6%94%B9" in disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"


def test_the_upload_form_shows_the_refusal_in_chinese(client, world, problem):
    client.force_login(world.staff)
    response = client.post(
        reverse("report_create", args=[problem.pk]),
        {"text": "进展", "files": SimpleUploadedFile("a.pdf", b"MZ" * 50)},
    )
    assert response.status_code == 400
    assert "只接受 PDF、Word、Excel 和图片文件" in response.content.decode()


def test_files_are_stored_outside_the_static_and_web_roots(world, problem, settings):
    evidence = upload(world, problem, "纪要.pdf", PDF).evidence.get()
    path = evidence.file.path
    assert not path.startswith(str(settings.STATIC_ROOT))
    assert evidence.file.name.endswith(".bin")  # no user-chosen name or extension on disk


def ole(*streams: str) -> bytes:
    return samples.compound_file(*streams)


def test_legacy_office_files_are_told_apart_and_others_refused(world, problem):
    report = upload(world, problem, "旧版纪要.doc", ole("WordDocument", "1Table"))
    assert report.evidence.get().content_type == "application/msword"
    with pytest.raises(Refused) as refused:
        upload(world, problem, "安装包.doc", ole("SummaryInformation", "MsiFile"))
    assert "复合文档" in refused.value.message
    with pytest.raises(Refused) as refused:
        upload(world, problem, "宏.doc", ole("WordDocument", "_VBA_PROJECT"))
    assert "宏" in refused.value.message


def test_documents_with_macros_are_refused(world, problem):
    with pytest.raises(Refused) as refused:
        upload(world, problem, "宏.docx", docx_bytes({"word/vbaProject.bin": b"x" * 100}))
    assert "宏" in refused.value.message


def test_a_download_carries_the_extension_of_its_content(client, world, problem):
    evidence = upload(world, problem, "纪要.exe", PDF).evidence.get()
    client.force_login(world.leader)
    response = client.get(reverse("evidence_download", args=[evidence.pk]))
    assert (
        response["Content-Disposition"].endswith(".exe.pdf")
        or ".exe.pdf" in response["Content-Disposition"]
    )


def test_a_failed_report_leaves_no_file_behind(world, problem, settings, monkeypatch):
    from pathlib import Path

    from zhenggai.ledger import services as ledger_services

    def fail(*args, **kwargs):
        raise RuntimeError("disk full while writing history")

    monkeypatch.setattr(ledger_services.evidence, "record", fail)
    with pytest.raises(RuntimeError):
        upload(world, problem, "纪要.pdf", PDF)
    root = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    assert not [p for p in root.rglob("*") if p.is_file()]
    assert not ProgressReport.objects.filter(problem=problem).exists()


def test_no_report_on_a_withdrawn_measure(world):
    problem = world.problem(measures=2)
    measure = world.measure(problem)
    services.withdraw_measure(measure, by=world.leader, reason="重复", base_version=None)
    measure.refresh_from_db()
    with pytest.raises(Refused):
        services.report_progress(problem, by=world.leader, text="x", measure=measure)
