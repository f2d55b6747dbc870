"""Stored files on local disk through the storage API: readers get the file's own path, a
missing file is a 404, and nothing links a stored file's URL (only the access-checked views
serve files, whichever storage keeps them)."""

import re
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import reverse

from zhenggai.ledger import services
from zhenggai.ledger.models import ImportDraft
from zhenggai.lib import samples
from zhenggai.lib.storage import is_s3, local_copy, open_for_download, stored_files
from zhenggai.lib.sweep import temp_dir


def test_on_local_disk_a_reader_gets_the_file_itself(db):
    name = default_storage.save("imports/2026/12/草稿.txt", ContentFile("内容".encode()))
    file = ImportDraft(file=name).file
    with local_copy(file) as path:
        assert path == default_storage.path(name)
    assert Path(path).is_file() and not list(temp_dir().glob("zhenggai-copy-*"))
    stream, size = open_for_download(file)
    with stream:
        assert stream.read() == "内容".encode() and size == len("内容".encode())
    assert [entry for entry, _ in stored_files()] == [name] and not is_s3(default_storage)


def test_a_stored_file_gone_from_the_disk_is_a_404(client, world):
    problem = world.problem(approve=True)
    report = services.report_progress(
        problem, by=world.staff, text="进展", files=[SimpleUploadedFile("纪要.pdf", samples.pdf())]
    )
    evidence = report.evidence.get()
    Path(evidence.file.path).unlink()
    client.force_login(world.discipline)
    assert client.get(reverse("evidence_download", args=[evidence.pk])).status_code == 404


def test_no_admin_page_shows_a_stored_file_as_a_link():
    # The admin links a file field to storage.url(): on S3 a signed URL past every access check.
    for model, model_admin in admin.site._registry.items():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                assert field.name in (model_admin.exclude or ()), f"{model.__name__}.{field.name}"


def test_no_template_links_a_stored_file_by_its_url():
    names = {
        field.name
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, models.FileField)
    }
    pattern = re.compile(r"\b(?:{})\.url\b".format("|".join(sorted(names))))
    found = [
        f"{path}: {match.group(0)}"
        for path in (Path(settings.BASE_DIR) / "zhenggai").rglob("*.html")
        for match in pattern.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []
