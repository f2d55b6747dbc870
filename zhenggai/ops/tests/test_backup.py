"""A backup restores into an empty installation: every table, every row and every stored file
come back the same. A damaged archive, a non-empty target or a database of another kind is
refused before anything is written. On SQLite and on PostgreSQL (scripts/with-postgres), the
restore going into a second, new database on the same server."""

import hashlib
import io
import json
import os
import stat
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection, connections

from zhenggai.ledger import services
from zhenggai.lib import backup, samples
from zhenggai.lib.backup import (
    DUMPS,
    MANIFEST,
    BackupError,
    restore_backup,
    scheduled_backup,
    stored_files,
    verify_archive,
    write_backup,
)
from zhenggai.ops.management.commands.restore import in_use_tables

pytestmark = pytest.mark.django_db(transaction=True)  # pg_dump sees only what is committed

ZHENGGAI = Path(sys.executable).parent / "zhenggai"


@pytest.fixture
def seeded(world):
    """The world, with evidence files (one of several megabytes) and a document."""
    problem = world.problem("有佐证的问题", approve=True)
    services.report_progress(
        problem,
        by=world.staff,
        text="已整改",
        files=[
            SimpleUploadedFile("会议纪要.pdf", samples.pdf("minutes")),
            SimpleUploadedFile("现场照片.png", samples.png()),
        ],
    )
    default_storage.save("documents/大文件.bin", ContentFile(os.urandom(3 * 2**20 + 5)))
    return world


@pytest.fixture
def target(tmp_path):
    """A new, empty database of the tests' kind (and its connection), and the data directory
    of the installation restored into it."""
    home = tmp_path / "restored"
    home.mkdir()
    if connection.vendor == "sqlite":
        restored = _connect(str(home / "zhenggai.sqlite3"))
        yield restored, home
        restored.close()
        return
    name = f"restored_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    restored = _connect(name)
    yield restored, home
    restored.close()
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def _connect(name: str):
    default = connections["default"]
    return type(default)({**default.settings_dict, "NAME": name}, alias="restored")


def _backup(tmp_path) -> Path:
    archive = tmp_path / "backup.tar"
    write_backup(archive, connection=connection, storage=default_storage)
    return archive


def _contents(db) -> dict:
    """Every row of every table, in every column."""
    out = {}
    with db.cursor() as cursor:
        for table in sorted(db.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {db.ops.quote_name(table)}")
            columns = [column[0] for column in cursor.description]
            rows = [
                tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)
                for row in cursor.fetchall()
            ]
            out[table] = (columns, sorted(rows, key=repr))
    return out


def _files(storage) -> dict[str, str]:
    out = {}
    for name in stored_files(storage):
        with storage.open(name, "rb") as source:
            out[name] = hashlib.sha256(source.read()).hexdigest()
    return out


def _untouched(restored, home: Path) -> bool:
    """Nothing was written: no database (or one without tables), no file, no leftovers."""
    if connection.vendor == "sqlite":
        database_empty = not (home / "zhenggai.sqlite3").exists()
    else:
        with restored.cursor() as cursor:
            database_empty = restored.introspection.table_names(cursor) == []
    return database_empty and not (home / "files").exists() and list(home.iterdir()) == []


def test_a_backup_restores_every_table_and_file_into_an_empty_installation(
    seeded, target, tmp_path
):
    restored, home = target
    archive = tmp_path / "backup.tar"
    out = io.StringIO()
    call_command("backup", "-o", str(archive), stdout=out)
    assert f"Wrote {archive}: the {connection.vendor} database" in out.getvalue()
    assert "and 3 files" in out.getvalue()

    env = {**os.environ, "ZHENGGAI_DATA_DIR": str(home), "ZHENGGAI_STORAGE": "local"}
    if connection.vendor == "sqlite":
        env.pop("DATABASE_URL", None)
    else:
        url = urlsplit(os.environ["DATABASE_URL"])
        env["DATABASE_URL"] = urlunsplit(url._replace(path=f"/{restored.settings_dict['NAME']}"))
    run = subprocess.run(
        [str(ZHENGGAI), "restore", str(archive)], env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    assert "and 3 files" in run.stdout

    source = _contents(connection)
    assert source["auth_user"][1] and source["ledger_evidence"][1]  # something to compare
    assert _contents(restored) == source
    assert _files(FileSystemStorage(location=home / "files")) == _files(default_storage)
    assert len(_files(default_storage)) == 3


def test_a_non_empty_installation_is_refused(seeded, tmp_path):
    archive = _backup(tmp_path)
    before = _files(default_storage)
    with pytest.raises(CommandError, match="not empty: it has users and rounds"):
        call_command("restore", str(archive))
    assert _files(default_storage) == before


@pytest.mark.parametrize("member", ["files/documents/大文件.bin", "database"])
def test_a_flipped_byte_is_found_before_anything_is_written(seeded, target, tmp_path, member):
    restored, home = target
    archive = _backup(tmp_path)
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        found = tar.getmember(member if member in names else names[1])
        at = found.offset_data + found.size // 2
    data = bytearray(archive.read_bytes())
    data[at] ^= 0x01
    archive.write_bytes(bytes(data))
    with pytest.raises(BackupError, match="does not match its checksum"):
        verify_archive(archive)
    with pytest.raises(BackupError, match="does not match its checksum"):
        _restore(archive, restored, home)
    assert _untouched(restored, home)


def test_a_truncated_archive_is_refused_before_anything_is_written(seeded, target, tmp_path):
    restored, home = target
    archive = _backup(tmp_path)
    with archive.open("r+b") as raw:
        raw.truncate(archive.stat().st_size - 2 * 2**20)
    with pytest.raises(BackupError, match="truncated"):
        _restore(archive, restored, home)
    assert _untouched(restored, home)


def test_an_archive_of_another_database_kind_is_refused(seeded, target, tmp_path):
    restored, home = target
    archive = _backup(tmp_path)
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    _rewrite_manifest(archive, vendor=other)
    with pytest.raises(BackupError, match=f"holds a {other} database and this installation"):
        _restore(archive, restored, home)
    assert _untouched(restored, home)


def test_a_compressed_archive_restores_too(seeded, target, tmp_path):
    restored, home = target
    archive = tmp_path / "backup.tar.gz"
    written = write_backup(archive, connection=connection, storage=default_storage)
    assert written.files == 3 and archive.read_bytes()[:2] == b"\x1f\x8b"
    result = _restore(archive, restored, home)
    assert result.files == 3
    assert _files(FileSystemStorage(location=home / "files")) == _files(default_storage)
    assert _contents(restored)["auth_user"] == _contents(connection)["auth_user"]


def test_a_failed_backup_leaves_no_partial_archive(seeded, tmp_path, settings):
    class Failing(FileSystemStorage):
        def open(self, name, mode="rb"):
            if name.startswith("documents/"):
                raise PermissionError(f"cannot read {name}")
            return super().open(name, mode)

    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(PermissionError):
        write_backup(
            out / "backup.tar",
            connection=connection,
            storage=Failing(location=default_storage.location),
        )
    assert list(out.iterdir()) == []
    assert list((Path(settings.DATA_DIR) / "tmp").iterdir()) == []


def _restore(archive: Path, restored, home: Path):
    return restore_backup(
        archive,
        connection=restored,
        storage=FileSystemStorage(location=home / "files"),
        in_use=in_use_tables(),
    )


def _rewrite_manifest(archive: Path, **changes) -> None:
    """The same archive with some of the manifest's values changed."""
    copy = archive.with_name("copy.tar")
    with tarfile.open(archive) as source, tarfile.open(copy, "w") as tar:
        for member in source:
            data = source.extractfile(member).read()
            if member.name == MANIFEST:
                manifest = json.loads(data)
                manifest.update(changes)
                if "vendor" in changes:
                    manifest["database"]["name"] = DUMPS[changes["vendor"]]
                data = json.dumps(manifest).encode()
                member.size = len(data)
            elif member.name.startswith("database."):
                member.name = manifest["database"]["name"]
            tar.addfile(member, io.BytesIO(data))
    copy.replace(archive)


def test_a_file_deleted_while_the_backup_runs_is_left_out(seeded, tmp_path):
    class Deleting(FileSystemStorage):
        """Deletes the big document between the listing and its reading."""

        def open(self, name, mode="rb"):
            if name.startswith("documents/"):
                self.delete(name)
            return super().open(name, mode)

    archive = tmp_path / "backup.tar"
    written = write_backup(
        archive, connection=connection, storage=Deleting(location=default_storage.location)
    )
    assert written.vanished == ["documents/大文件.bin"] and written.files == 2
    manifest = verify_archive(archive)  # the manifest, shorter, still parses and matches
    assert [entry["name"] for entry in manifest["files"]] == sorted(_files(default_storage))


@pytest.fixture
def umask_022():
    """The umask of `sudo`: files are created readable by all unless made otherwise."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_archives_and_the_restored_database_only_their_owner_may_read(
    seeded, target, tmp_path, umask_022
):
    """They hold password hashes, authenticator keys, recovery codes and sessions."""
    restored, home = target
    for name in ("backup.tar", "backup.tar.gz"):
        call_command("backup", "-o", str(tmp_path / name), stdout=io.StringIO())
        assert _mode(tmp_path / name) == 0o600, name
    written, _ = scheduled_backup(
        tmp_path / "daily", keep=2, connection=connection, storage=default_storage
    )
    assert _mode(written.path) == 0o600 and _mode(tmp_path / "daily") == 0o700

    _restore(tmp_path / "backup.tar", restored, home)
    if connection.vendor == "sqlite":
        assert _mode(home / "zhenggai.sqlite3") == 0o600
    assert sorted(path.name for path in home.iterdir()) == (
        ["files", "zhenggai.sqlite3"] if connection.vendor == "sqlite" else ["files"]
    )


def _last_file_member(archive: Path) -> tarfile.TarInfo:
    with tarfile.open(archive) as tar:
        return [member for member in tar if member.name.startswith("files/")][-1]


def test_an_archive_written_to_after_its_verification_is_caught_as_each_file_is_written(
    seeded, target, tmp_path, monkeypatch
):
    """The second reading checks every file again: a byte changed in place between the two
    readings is found, the files written are removed, and the database is not touched."""
    restored, home = target
    archive = _backup(tmp_path)
    member = _last_file_member(archive)
    verify = backup.verify_archive

    def verify_then_change(path, **kwargs):
        manifest = verify(path, **kwargs)
        with archive.open("r+b") as raw:  # the same file, written in place
            raw.seek(member.offset_data + member.size // 2)
            byte = raw.read(1)
            raw.seek(-1, os.SEEK_CUR)
            raw.write(bytes([byte[0] ^ 0x01]))
        return manifest

    monkeypatch.setattr(backup, "verify_archive", verify_then_change)
    with pytest.raises(BackupError, match=f"{member.name} changed after it was verified"):
        _restore(archive, restored, home)
    assert list(stored_files(FileSystemStorage(location=home / "files"))) == []
    if connection.vendor == "sqlite":
        assert sorted(path.name for path in home.iterdir()) == ["files"]
    else:
        with restored.cursor() as cursor:
            assert restored.introspection.table_names(cursor) == []


def test_an_archive_replaced_after_its_verification_is_not_read(
    seeded, target, tmp_path, monkeypatch
):
    """The restore reads the archive through one open file: another file renamed into its
    place meanwhile is not what is written."""
    restored, home = target
    archive = _backup(tmp_path)
    verify = backup.verify_archive

    def verify_then_replace(path, **kwargs):
        manifest = verify(path, **kwargs)
        other = tmp_path / "other.tar"
        other.write_bytes(b"\0" * archive.stat().st_size)
        other.replace(archive)
        return manifest

    monkeypatch.setattr(backup, "verify_archive", verify_then_replace)
    assert _restore(archive, restored, home).files == 3
    assert _files(FileSystemStorage(location=home / "files")) == _files(default_storage)
