"""Files on a shared S3 store (moto's server on loopback, as MinIO would be): uploads land in
the bucket, downloads stream through the same access checks as from local disk, readers that
need a path get a temporary copy, the sweep sees the store, and no page hands out its URL."""

import hashlib
import time
import tracemalloc
from io import BytesIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from zhenggai.demo.load import SEEDS
from zhenggai.evaluations import imports as rating_imports
from zhenggai.intake import parse_lines
from zhenggai.ledger import import_background
from zhenggai.ledger.import_background import read_draft
from zhenggai.ledger.models import Evidence, ImportDraft
from zhenggai.lib import samples
from zhenggai.lib.storage import local_copy, stored_files
from zhenggai.lib.sweep import DAY, sweep, temp_dir
from zhenggai.lib.tests.s3server import PREFIX
from zhenggai.reports import documents, services
from zhenggai.reports.content import NOTICE
from zhenggai.reports.documents import DocumentError
from zhenggai.reports.models import DocumentTemplate, default_notice

PDF = samples.pdf("meeting minutes")
RATINGS = Path(__file__).parents[2] / "evaluations" / "tests" / "samples" / "ratings_many.xlsx"


def key(file) -> str:
    return f"{PREFIX}/{file.name}"


def no_store_url(s3, *bodies: bytes) -> None:
    host = s3.endpoint.removeprefix("http://").encode()
    for body in bodies:
        assert host not in body and b"X-Amz-Signature" not in body and s3.name.encode() not in body


def copies() -> list[Path]:
    return list(temp_dir().glob("zhenggai-copy-*"))


@pytest.fixture
def problem(world):
    return world.problem(approve=True)


def report(client, world, problem, name="整改会议纪要.pdf", data=PDF):
    client.force_login(world.staff)
    response = client.post(
        reverse("report_create", args=[problem.pk]),
        {"text": "已召开专题会议", "files": SimpleUploadedFile(name, data)},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return Evidence.objects.get()


def test_evidence_lands_in_the_bucket_and_downloads_to_members_only(client, world, problem, s3):
    evidence = report(client, world, problem)
    assert s3.keys() == [key(evidence.file)] and s3.body(key(evidence.file)) == PDF
    grants = s3.client.get_object_acl(Bucket=s3.name, Key=key(evidence.file))["Grants"]
    assert [g["Grantee"].get("URI") for g in grants] == [None]  # the owner's only: private
    client.force_login(world.discipline)
    response = client.get(reverse("evidence_download", args=[evidence.pk]))
    assert response.status_code == 200 and response.streaming
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Length"] == str(len(PDF))
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    client.force_login(world.outsider)
    assert client.get(reverse("evidence_download", args=[evidence.pk])).status_code == 404


def test_a_file_missing_from_the_bucket_is_a_404_not_a_crash(client, world, problem, s3):
    evidence = report(client, world, problem)
    s3.client.delete_object(Bucket=s3.name, Key=key(evidence.file))
    client.force_login(world.discipline)
    assert client.get(reverse("evidence_download", args=[evidence.pk])).status_code == 404


def test_pages_and_the_admin_never_carry_the_store_or_a_signed_url(client, world, problem, s3):
    evidence = report(client, world, problem)
    client.force_login(world.rect_office)
    client.post(
        reverse("document_upload", args=[world.round.pk]),
        {"file": SimpleUploadedFile("反馈意见.pdf", PDF)},
    )
    services.upload_template(world.unit.pk, "notice", template("联系人"), by=world.rect_office)
    pages = [
        client.get(reverse("problem_detail", args=[problem.pk])),
        client.get(reverse("round_detail", args=[world.round.pk])),
        client.get(reverse("notice_edit", args=[world.round.pk])),
    ]
    assert [page.status_code for page in pages] == [200, 200, 200]
    assert reverse("evidence_download", args=[evidence.pk]) in pages[0].content.decode()
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "x")
    client.force_login(admin)
    pages += [
        client.get(reverse(f"admin:{model}_change", args=[pk]))
        for model, pk in [
            ("ledger_evidence", evidence.pk),
            ("rounds_rounddocument", world.round.documents.get().pk),
            ("reports_documenttemplate", DocumentTemplate.objects.get().pk),
        ]
    ]
    assert [page.status_code for page in pages[3:]] == [200, 200, 200]
    no_store_url(s3, *(page.content for page in pages))


def test_a_round_document_is_kept_in_the_bucket_and_served_from_it(client, world, s3):
    client.force_login(world.rect_office)
    response = client.post(
        reverse("document_upload", args=[world.round.pk]),
        {"file": SimpleUploadedFile("反馈意见.pdf", PDF)},
    )
    assert response.status_code == 302
    document = world.round.documents.get()
    assert s3.keys() == [key(document.file)]
    client.force_login(world.leader)
    url = reverse("document_download", args=[world.round.pk, document.pk])
    assert b"".join(client.get(url).streaming_content) == PDF
    client.force_login(world.outsider)
    assert client.get(url).status_code == 404


def template(paragraph: str) -> SimpleUploadedFile:
    document = Document(BytesIO(documents.builtin_template()))
    document.add_paragraph(paragraph)
    out = BytesIO()
    document.save(out)
    return SimpleUploadedFile("我的模板.docx", out.getvalue())


def test_a_report_template_is_read_from_the_bucket(world, s3):
    world.problem()
    own = services.upload_template(
        world.unit.pk, "notice", template("本单位联系人：{{ issuer }}"), by=world.rect_office
    )
    assert s3.keys() == [key(own.file)]
    lines = [
        p.text
        for p in Document(BytesIO(documents.docx(default_notice(world.round), NOTICE))).paragraphs
    ]
    assert "本单位联系人：中共区科技局党组" in lines
    s3.client.delete_object(Bucket=s3.name, Key=key(own.file))
    with pytest.raises(DocumentError) as lost:
        documents.docx(default_notice(world.round), NOTICE)
    assert "模板文件已丢失" in lost.value.message


def test_an_import_draft_in_the_bucket_is_read_and_confirmed_through_a_copy(client, world, s3):
    seed = SEEDS / "000_d078411bcb7ae7e7.txt"
    client.force_login(world.rect_office)
    response = client.post(
        reverse("import_upload", args=[world.round.pk]),
        {"file": SimpleUploadedFile(seed.name, seed.read_bytes())},
    )
    draft = ImportDraft.objects.get()
    assert response["Location"] == reverse("import_preview", args=[world.round.pk, draft.pk])
    assert len(draft.parsed["problems"]) == 8 and s3.keys() == [key(draft.file)]
    assert copies() == []  # the importer's copy is gone
    page = client.get(response["Location"])
    formset = page.context["formset"]
    total = str(formset.total_form_count())
    data = {"form-TOTAL_FORMS": total, "form-INITIAL_FORMS": total}
    for n, form in enumerate(formset.forms):
        for name, value in form.initial.items():
            if name != "include":
                data[f"form-{n}-{name}"] = value
            elif value:
                data[f"form-{n}-include"] = "on"
    assert client.post(response["Location"], data).status_code == 302
    kept = world.round.documents.get()  # the confirmed file, kept with the round
    assert world.round.problems.count() == 8 and s3.body(key(kept.file)) == seed.read_bytes()


def test_a_rating_export_in_the_bucket_is_read_through_a_copy(world, s3):
    upload = SimpleUploadedFile(RATINGS.name, RATINGS.read_bytes())
    draft = rating_imports.start_import(upload, by=world.evaluator, office=world.office)
    assert len(draft.parsed["rows"]) == 23 and s3.keys() == [key(draft.file)]
    assert copies() == []


def test_a_copy_goes_when_its_reader_fails(world, s3):
    name = default_storage.save("imports/2026/12/草稿.docx", ContentFile(b"content"))
    file = ImportDraft(file=name).file
    with pytest.raises(RuntimeError), local_copy(file) as path:
        assert Path(path).read_bytes() == b"content" and path.endswith(".docx")
        assert Path(path).parent.parent == temp_dir()
        raise RuntimeError("the reader broke")
    assert not Path(path).exists() and copies() == []


def test_the_sweep_sees_the_bucket(client, world, problem, s3):
    evidence = report(client, world, problem)
    orphan = default_storage.save("imports/2026/11/killed-mid-import.txt", ContentFile(b"x"))
    listed = dict(stored_files())
    assert sorted(listed) == sorted([evidence.file.name, orphan])
    assert abs(listed[orphan] - time.time()) < 300
    assert sweep().files == []  # young
    assert sweep(now=time.time() + 2 * DAY).files == [orphan]
    assert s3.keys() == [key(evidence.file)]


def test_a_large_download_streams_in_constant_memory(client, world, problem, s3, tmp_path):
    evidence = report(client, world, problem)
    size = 50 * 1024 * 1024
    big = tmp_path / "big.bin"
    with big.open("wb") as out:
        block = bytes(range(256)) * 4096  # 1 MB
        for _ in range(size // len(block)):
            out.write(block)
    expected = hashlib.sha256(big.read_bytes()).hexdigest()
    s3.client.upload_file(str(big), s3.name, key(evidence.file))
    client.force_login(world.discipline)
    digest = hashlib.sha256()
    tracemalloc.start()
    try:
        response = client.get(reverse("evidence_download", args=[evidence.pk]))
        received = 0
        for chunk in response.streaming_content:
            digest.update(chunk)
            received += len(chunk)
        response.close()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert response["Content-Length"] == str(size) and received == size
    assert digest.hexdigest() == expected
    assert peak < 2 * 1024 * 1024, f"peak {peak / 2**20:.1f} MB for a {size / 2**20:.0f} MB file"


def test_the_worker_reads_a_scan_from_the_bucket_through_a_copy(client, world, s3, monkeypatch):
    client.force_login(world.inspector)
    client.post(
        reverse("import_upload", args=[world.round.pk]),
        {"file": SimpleUploadedFile("扫描件.png", samples.png())},
    )
    draft = ImportDraft.objects.get()
    assert draft.status == ImportDraft.Status.READING and s3.keys() == [key(draft.file)]
    given = {}

    def reader(path, *, progress, workdir, timeout):  # the OCR's place: what it was handed
        given["path"], given["bytes"] = path, Path(path).read_bytes()
        progress(1, 1)
        return parse_lines(
            ["一、存在的问题", "（一）理论学习不够深入。", "整改情况：每月集中学习。"], path
        )

    monkeypatch.setattr(import_background, "parse_file", reader)
    read_draft("import", draft.pk)
    draft.refresh_from_db()
    assert draft.status == ImportDraft.Status.OPEN and len(draft.parsed["problems"]) == 1
    assert given["bytes"] == samples.png() and Path(given["path"]).parent.parent == temp_dir()
    assert not Path(given["path"]).exists() and copies() == []
