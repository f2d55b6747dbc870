"""A manifest of the wrong shape (a name that is not a string, a list missing, a size that is
text) is refused with a clear message, by the verification and the restore alike, before
anything else is read."""

import io
import json
import tarfile
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage
from django.db import connection

from zhenggai.lib.backup import BackupError, read_manifest, restore_backup, verify_archive

SHA = "ab" * 32


def valid() -> dict:
    return {
        "format": 1,
        "created_at": "2026-01-05T02:00:00+00:00",
        "zhenggai_version": "1.0",
        "vendor": "sqlite",
        "migrations": ["auth.0001_initial"],
        "tables": ["auth_user"],
        "database": {"name": "database.sqlite3", "size": 3, "sha256": SHA},
        "files": [{"name": "evidence/a.pdf", "size": 5, "sha256": SHA}],
    }


def archive_with(tmp_path: Path, manifest) -> Path:
    path = tmp_path / "backup.tar"
    data = json.dumps(manifest).encode()
    with tarfile.open(path, "w") as tar:
        info = tarfile.TarInfo("manifest.json")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    return path


def without(key: str):
    return lambda m: m.pop(key)


def setting(*keys, value):
    def change(manifest):
        place = manifest
        for key in keys[:-1]:
            place = place[key]
        place[keys[-1]] = value

    return change


MALFORMED = {
    "a file's name is a number": (setting("files", 0, "name", value=5), '"files" is missing'),
    "a file is a string": (setting("files", 0, value="evidence/a.pdf"), '"files" is missing'),
    "a file's size is text": (setting("files", 0, "size", value="5"), '"files" is missing'),
    "a file's checksum is short": (setting("files", 0, "sha256", value="ab"), '"files"'),
    "a file twice": (lambda m: m["files"].append(dict(m["files"][0])), "names a file twice"),
    "no files": (without("files"), '"files" is missing'),
    "no migrations": (without("migrations"), '"migrations" is missing'),
    "tables a string": (setting("tables", value="auth_user"), '"tables" is missing'),
    "a table a number": (setting("tables", value=[1]), '"tables" is missing'),
    "no database": (without("database"), '"database" is missing'),
    "the database's size a float": (setting("database", "size", value=3.0), '"database"'),
    "the database of another kind": (
        setting("database", "name", value="database.pgdump"),
        '"database" is missing',
    ),
    "an unknown kind": (setting("vendor", value="oracle"), "kind 'oracle' is not known"),
    "the version a number": (setting("zhenggai_version", value=1), '"zhenggai_version"'),
    "the format true": (setting("format", value=True), "format True is not known"),
    "a list": (lambda m: None, "not a JSON object"),
}


def test_the_valid_manifest_passes(tmp_path):
    assert read_manifest(archive_with(tmp_path, valid())) == valid()


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_a_malformed_manifest_is_refused_with_a_message(tmp_path, case):
    change, message = MALFORMED[case]
    manifest = valid()
    change(manifest)
    archive = archive_with(tmp_path, [manifest] if case == "a list" else manifest)
    with pytest.raises(BackupError, match=message) as refused:
        verify_archive(archive)
    assert str(refused.value).startswith(f"{archive}: ")


@pytest.mark.django_db
def test_the_restore_refuses_a_malformed_manifest_before_anything_is_written(tmp_path):
    manifest = valid()
    manifest["files"][0]["name"] = ["evidence", "a.pdf"]
    archive = archive_with(tmp_path, manifest)
    storage = FileSystemStorage(location=tmp_path / "files")
    with pytest.raises(BackupError, match='the manifest is damaged: "files" is missing'):
        restore_backup(archive, connection=connection, storage=storage, in_use={})
    assert sorted(path.name for path in tmp_path.iterdir()) == ["backup.tar"]
