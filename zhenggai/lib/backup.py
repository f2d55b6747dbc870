"""Backups: the database and every stored file in one archive with a manifest of checksums, and
their restoration into an empty installation.

The archive is a tar file: `manifest.json` first (what the archive holds, with each member's size
and SHA-256), then the database (`database.sqlite3`, a copy by SQLite's online backup API, or
`database.pgdump`, pg_dump's custom format), then each stored file under `files/`.

Plain tar by default: evidence is mostly PDF, JPEG and Office files, compressed already, and a
PostgreSQL dump compresses itself; gzip (`.tar.gz`) would spend a CPU-second per 50-100 MB for a
few percent, and needs a second pass (the tar is written, then compressed). It pays only for a
large SQLite database with few files.

The manifest comes first but its checksums are known only once every file has been read: the
files are listed first, the manifest is written with placeholder checksums of the same length,
and rewritten in place at the end (files that vanished meanwhile are left out and the JSON padded
with spaces). So the storage is read once, streamed, in constant memory.

Every file written here (the archive, its temporary copies, a restored SQLite database) is
created with mode 0600 whatever the umask: an archive holds password hashes, authenticator keys,
recovery codes and sessions.

Nothing here knows the apps: it works on a database connection and a storage (Django's storage
API only, so that it works with local disk and S3 alike).
"""

import gzip
import hashlib
import io
import json
import logging
import os
import re
import shutil
import sqlite3
import subprocess  # nosec B404: pg_dump and pg_restore, with lists of arguments
import tarfile
import tempfile
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from importlib import metadata
from pathlib import Path, PurePosixPath

from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from zhenggai.lib.sweep import temp_dir

log = logging.getLogger(__name__)

FORMAT = 1
MANIFEST = "manifest.json"
FILES = "files/"
DUMPS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
CHUNK = 1 << 20
PLACEHOLDER = "0" * 64
# The worker's archives; rotation deletes nothing else.
ARCHIVE_NAME = re.compile(r"^zhenggai-(\d{8}-\d{6})\.tar(\.gz)?$")
PARTIAL = ".partial-"
DAY = 24 * 3600


class BackupError(Exception):
    """Why a backup or a restore did not happen (English, for the command line and the log)."""


@dataclass
class Written:
    path: Path
    vendor: str
    database_bytes: int
    files: int
    file_bytes: int
    archive_bytes: int
    seconds: float
    vanished: list[str] = field(default_factory=list)


@dataclass
class Restored:
    manifest: dict
    files: int
    file_bytes: int
    database_bytes: int
    seconds: float
    # Migrations this version has that the archive's database has not: `zhenggai migrate`.
    pending_migrations: list[str] = field(default_factory=list)


# Writing ------------------------------------------------------------------------------------


def stored_files(storage, directory: str = "") -> Iterator[str]:
    """The name of every file in `storage`, through its listdir (local disk or S3)."""
    try:
        folders, files = storage.listdir(directory)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{directory}/{name}" if directory else name
    for folder in folders:
        yield from stored_files(storage, f"{directory}/{folder}" if directory else folder)


def write_backup(output: Path, *, connection, storage) -> Written:
    """Write the archive to `output` (.tar or .tar.gz): under a temporary name in the same
    directory, renamed when complete, so that a failure leaves no partial archive."""
    output = Path(output)
    if not output.name.endswith((".tar", ".tar.gz")):
        raise BackupError(f"{output.name}: the archive's name must end in .tar or .tar.gz")
    if not output.parent.is_dir():
        raise BackupError(f"{output.parent}: no such directory")
    started = time.monotonic()
    vendor = connection.vendor
    partial = output.with_name(f".{output.name}{PARTIAL}{os.getpid()}")
    partial.unlink(missing_ok=True)  # left by a killed backup of the same process id
    try:
        with tempfile.TemporaryDirectory(dir=temp_dir(), prefix="backup-") as work:
            dump = Path(work) / DUMPS.get(vendor, "database")
            dump_database(connection, dump)
            manifest = _manifest(connection, storage, dump)
            plain = output.name.endswith(".tar")
            tar_path = partial if plain else Path(work) / "archive.tar"
            vanished = _write_tar(tar_path, manifest, dump, storage)
            if not plain:
                _compress(tar_path, partial)
        os.replace(partial, output)
        _sync_directory(output.parent)
    finally:
        partial.unlink(missing_ok=True)
    files = manifest["files"]
    return Written(
        path=output,
        vendor=vendor,
        database_bytes=manifest["database"]["size"],
        files=len(files),
        file_bytes=sum(entry["size"] for entry in files),
        archive_bytes=output.stat().st_size,
        seconds=time.monotonic() - started,
        vanished=vanished,
    )


def private_file(path: Path):
    """A new file, open for writing, that only its owner may read (0600 whatever the umask).
    Fails if `path` exists: nothing is written through a link someone left there."""
    return os.fdopen(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600), "wb")


def dump_database(connection, target: Path) -> None:
    """A consistent copy of the database in `target`, taken while the application writes."""
    private_file(target).close()  # sqlite3 and pg_dump write into it, keeping its mode
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            # All pages in one step, under one read lock: a consistent snapshot. In WAL mode
            # writers go on meanwhile.
            connection.connection.backup(copy)
        finally:
            copy.close()
    elif connection.vendor == "postgresql":
        _run_pg(
            "pg_dump",
            ["--format=custom", "--no-password", f"--file={target}"],
            connection.settings_dict,
        )
    else:
        raise BackupError(f"backups of {connection.vendor} databases are not supported")


def _manifest(connection, storage, dump: Path) -> dict:
    entries = []
    for name in sorted(stored_files(storage)):
        entries.append({"name": name, "size": storage.size(name), "sha256": PLACEHOLDER})
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
    return {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(timespec="seconds"),
        "zhenggai_version": _version(),
        "vendor": connection.vendor,
        "migrations": sorted(
            f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations()
        ),
        "tables": tables,
        "database": {"name": dump.name, "size": dump.stat().st_size, "sha256": _sha256(dump)},
        "files": entries,
    }


def _version() -> str:
    try:
        return metadata.version("zhenggai")
    except metadata.PackageNotFoundError:
        return "unknown"


def _manifest_bytes(manifest: dict) -> bytes:
    return json.dumps(manifest, ensure_ascii=False, indent=1).encode()


def _write_tar(path: Path, manifest: dict, dump: Path, storage) -> list[str]:
    """Write the tar; fill in the files' checksums in the manifest. Returns the names of the
    files that vanished between the listing and their reading (deleted meanwhile)."""
    placeholder = _manifest_bytes(manifest)
    vanished = []
    with private_file(path) as raw:
        with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
            tar.copybufsize = CHUNK
            tar.addfile(_member(MANIFEST, len(placeholder)), io.BytesIO(placeholder))
            manifest_at = tar.offset - _padded(len(placeholder))
            with open(dump, "rb") as source:
                tar.addfile(_member(manifest["database"]["name"], dump.stat().st_size), source)
            for entry in manifest["files"]:
                if not _add_stored(tar, storage, entry):
                    vanished.append(entry["name"])
        kept = [entry for entry in manifest["files"] if entry["name"] not in vanished]
        final = _manifest_bytes({**manifest, "files": kept})
        if len(final) > len(placeholder):
            raise BackupError("the manifest grew while the backup ran")
        raw.seek(manifest_at)
        raw.write(final + b" " * (len(placeholder) - len(final)))
        raw.flush()
        os.fsync(raw.fileno())
    manifest["files"] = kept
    return vanished


def _add_stored(tar: tarfile.TarFile, storage, entry: dict) -> bool:
    name = entry["name"]
    try:
        source = storage.open(name, "rb")
        reader = _HashingReader(source)  # reads ahead: a vanished file fails before its header
    except FileNotFoundError:
        log.warning("backup: %s was deleted while the backup ran; left out", name)
        return False
    with source:
        try:
            tar.addfile(_member(FILES + name, entry["size"]), reader)
        except OSError as error:  # tarfile's "unexpected end of data"
            raise BackupError(f"{name} changed while it was backed up ({error})") from error
        if reader.read(1):
            raise BackupError(f"{name} grew while it was backed up")
    entry["sha256"] = reader.hexdigest()
    return True


class _HashingReader:
    """A file's reader that computes its SHA-256 on the way."""

    def __init__(self, source):
        self._source = source
        self._sha = hashlib.sha256()
        self._ahead = source.read(CHUNK)

    def read(self, size: int = -1) -> bytes:
        if self._ahead:
            if 0 <= size < len(self._ahead):
                data, self._ahead = self._ahead[:size], self._ahead[size:]
            else:
                rest = -1 if size < 0 else size - len(self._ahead)
                data, self._ahead = self._ahead + (self._source.read(rest) if rest else b""), b""
        else:
            data = self._source.read(size)
        self._sha.update(data)
        return data

    def hexdigest(self) -> str:
        return self._sha.hexdigest()


def _member(name: str, size: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = int(time.time())
    info.mode = 0o600
    return info


def _padded(size: int) -> int:
    return -(-size // tarfile.BLOCKSIZE) * tarfile.BLOCKSIZE


def _compress(source: Path, target: Path) -> None:
    with open(source, "rb") as plain, private_file(target) as raw:
        # Level 6: most of the gain of 9 at a third of the time.
        with gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6, mtime=0) as packed:
            shutil.copyfileobj(plain, packed, CHUNK)
        raw.flush()
        os.fsync(raw.fileno())


def _sha256(path: Path) -> str:
    sha = hashlib.sha256()
    with open(path, "rb") as source:
        while chunk := source.read(CHUNK):
            sha.update(chunk)
    return sha.hexdigest()


def _sync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# PostgreSQL's programs ---------------------------------------------------------------------


def _pg_program(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=lambda p: int(p.parts[-3])
    )
    if not versions:
        raise BackupError(f"{name} not found: install PostgreSQL's client programs")
    return str(versions[-1])


def _pg_env(settings_dict: dict) -> dict:
    """The connection for pg_dump and pg_restore, by libpq's environment variables: the
    password never appears on a command line (where `ps` would show it)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    options = settings_dict.get("OPTIONS") or {}
    for key, value in {
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": settings_dict.get("PORT"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGDATABASE": settings_dict.get("NAME"),
        "PGSSLMODE": options.get("sslmode"),
    }.items():
        if value:
            env[key] = str(value)
    return env


def _run_pg(name: str, args: list[str], settings_dict: dict) -> None:
    run = subprocess.run(  # nosec B603: a full path and a list of arguments, no shell
        [_pg_program(name), *args],
        env=_pg_env(settings_dict),
        capture_output=True,
        text=True,
        check=False,
    )
    if run.returncode:
        raise BackupError(f"{name} failed: {run.stderr.strip()[-2000:]}")


# Reading and restoring -------------------------------------------------------------------


DAMAGED = (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile)
SHA256 = re.compile(r"^[0-9a-f]{64}$")


def _open_file(path: Path):
    try:
        return open(path, "rb")
    except FileNotFoundError:
        raise BackupError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise BackupError(f"{path}: a directory, not an archive") from None


def _open(path: Path, source) -> tarfile.TarFile:
    """The archive in `source`, an open file, from its beginning."""
    source.seek(0)
    try:
        return tarfile.open(fileobj=source, mode="r:*")
    except DAMAGED as error:
        raise BackupError(f"{path}: not a Zhenggai backup, or damaged ({error})") from error


def read_manifest(path: Path, *, source=None) -> dict:
    """The archive's manifest, checked for shape (not yet against the members). `source`:
    the archive, open already (else `path` is opened)."""
    if source is None:
        with _open_file(path) as source:
            return read_manifest(path, source=source)
    with _open(path, source) as tar:
        try:
            first = tar.next()
            data = tar.extractfile(first).read() if first and first.name == MANIFEST else None
        except DAMAGED as error:
            raise BackupError(f"{path}: damaged ({error})") from error
    if data is None:
        raise BackupError(f"{path}: not a Zhenggai backup (no {MANIFEST} first)")
    try:
        manifest = json.loads(data)
    except ValueError as error:
        raise BackupError(f"{path}: the manifest is damaged ({error})") from error
    _check_manifest(path, manifest)
    return manifest


def _check_manifest(path: Path, manifest: dict) -> None:
    if not isinstance(manifest, dict):
        raise BackupError(f"{path}: the manifest is damaged (not a JSON object)")
    version = manifest.get("format")
    if type(version) is not int or version != FORMAT:
        raise BackupError(
            f"{path}: archive format {version!r} is not known to this version "
            f"(which reads format {FORMAT})"
        )
    problem = _header_problem(manifest) or _members_problem(manifest)
    if problem:
        raise BackupError(f"{path}: the manifest is damaged: {problem}")
    for entry in manifest["files"]:
        parts = PurePosixPath(entry["name"]).parts
        if not parts or entry["name"].startswith("/") or ".." in parts or "\\" in entry["name"]:
            raise BackupError(f"{path}: the manifest names a file outside the storage")


def _header_problem(manifest: dict) -> str | None:
    """What is wrong with the manifest's description of the archive, or None."""
    for key in ("created_at", "zhenggai_version", "vendor"):
        if not isinstance(manifest.get(key), str):
            return f'"{key}" is missing or not a string'
    if manifest["vendor"] not in DUMPS:
        return f"the database kind {manifest['vendor']!r} is not known"
    for key in ("migrations", "tables"):
        value = manifest.get(key)
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            return f'"{key}" is missing or not a list of names'
    return None


def _members_problem(manifest: dict) -> str | None:
    """What is wrong with the manifest's list of members, or None."""
    database = manifest.get("database")
    if not _is_member(database) or database["name"] != DUMPS[manifest["vendor"]]:
        return '"database" is missing or not the name, size and SHA-256 of the database'
    files = manifest.get("files")
    if not isinstance(files, list) or not all(_is_member(entry) for entry in files):
        return '"files" is missing or not a list of names, sizes and SHA-256 checksums'
    if len({entry["name"] for entry in files}) != len(files):
        return '"files" names a file twice'
    return None


def _is_member(entry) -> bool:
    """{"name": a non-empty string, "size": a count of bytes, "sha256": 64 hex digits}."""
    if not isinstance(entry, dict):
        return False
    name, size, sha256 = entry.get("name"), entry.get("size"), entry.get("sha256")
    return (
        isinstance(name, str)
        and bool(name)
        and type(size) is int
        and size >= 0
        and isinstance(sha256, str)
        and bool(SHA256.match(sha256))
    )


def _expected(manifest: dict) -> dict[str, tuple[int, str]]:
    expected = {FILES + e["name"]: (e["size"], e["sha256"]) for e in manifest["files"]}
    database = manifest["database"]
    expected[database["name"]] = (database["size"], database["sha256"])
    return expected


def verify_archive(path: Path, *, database_to: Path | None = None, source=None) -> dict:
    """Read every member and check it against the manifest: nothing missing, nothing extra,
    every size and checksum right. The database is copied to `database_to` on the way.
    `source`: the archive, open already (else `path` is opened). Returns the manifest."""
    if source is None:
        with _open_file(path) as source:
            return verify_archive(path, database_to=database_to, source=source)
    manifest = read_manifest(path, source=source)
    expected = _expected(manifest)
    database = manifest["database"]["name"]
    with _open(path, source) as tar:
        try:
            for index, member in enumerate(tar):
                if index == 0:
                    continue  # the manifest, read already
                if member.name not in expected or not member.isreg():
                    raise BackupError(f"{path}: unexpected member {member.name}")
                size, sha256 = expected.pop(member.name)
                into = database_to if member.name == database else None
                if member.size != size or _copy(tar.extractfile(member), into) != sha256:
                    raise BackupError(
                        f"{path}: {member.name} does not match its checksum: the archive is "
                        "damaged; nothing was restored"
                    )
        except DAMAGED as error:
            raise BackupError(
                f"{path}: the archive is truncated or damaged ({error}); nothing was restored"
            ) from error
    if expected:
        raise BackupError(
            f"{path}: the archive is truncated: {len(expected)} members missing "
            f"(first: {sorted(expected)[0]}); nothing was restored"
        )
    return manifest


def _copy(source, into: Path | None) -> str:
    sha = hashlib.sha256()
    out = private_file(into) if into else None
    try:
        while chunk := source.read(CHUNK):
            sha.update(chunk)
            if out:
                out.write(chunk)
    finally:
        if out:
            out.close()
    return sha.hexdigest()


def restore_backup(path: Path, *, connection, storage, in_use: dict[str, str]) -> Restored:
    """Restore the archive into the database of `connection` and into `storage`, which must
    hold no data yet: `in_use` maps the tables that mark an installation in use to what they
    hold ("users"). Every checksum is verified before anything is written, and every file's
    again as it is written (through the same open file: a file put in the archive's place
    meanwhile is not read); the files written are removed again if a check or the database
    fails."""
    started = time.monotonic()
    path = Path(path)
    with _open_file(path) as source:
        manifest = read_manifest(path, source=source)
        pending = _check_target(path, manifest, connection, storage, in_use)
        with tempfile.TemporaryDirectory(dir=_work_dir(connection), prefix=".restore-") as work:
            dump = Path(work) / manifest["database"]["name"]
            if verify_archive(path, database_to=dump, source=source) != manifest:
                raise BackupError(
                    f"{path}: the archive changed while it was read; nothing was restored"
                )
            written = _write_files(path, source, manifest, storage)
            try:
                _load_database(connection, dump)
            except BaseException:
                _remove(storage, written)
                raise
    return Restored(
        manifest=manifest,
        files=len(written),
        file_bytes=sum(entry["size"] for entry in manifest["files"]),
        database_bytes=manifest["database"]["size"],
        seconds=time.monotonic() - started,
        pending_migrations=pending,
    )


def _work_dir(connection) -> Path:
    """Where the database is unpacked: next to a SQLite file (so that it replaces the file
    by a rename, atomically), in the temporary directory for PostgreSQL."""
    if connection.vendor == "sqlite":
        return _sqlite_path(connection).parent
    return temp_dir()


def _sqlite_path(connection) -> Path:
    name = str(connection.settings_dict["NAME"])
    if connection.is_in_memory_db():
        raise BackupError("the database is in memory: restore into a database file")
    return Path(name)


def _check_target(path: Path, manifest: dict, connection, storage, in_use: dict) -> list[str]:
    """Refuse a target that is not empty or not the same kind; return the pending
    migrations."""
    if manifest["vendor"] != connection.vendor:
        raise BackupError(
            f"{path} holds a {manifest['vendor']} database and this installation uses "
            f"{connection.vendor}: restore it into an installation with a {manifest['vendor']} "
            "database (DATABASE_URL)"
        )
    known = {f"{app}.{name}" for app, name in MigrationLoader(None).disk_migrations}
    unknown = sorted(set(manifest["migrations"]) - known)
    if unknown:
        raise BackupError(
            f"{path} was made by Zhenggai {manifest['zhenggai_version']}, whose database has "
            f"migrations this version does not know ({', '.join(unknown[:5])}): install that "
            "version (or a newer one) and restore again"
        )
    used = _tables_in_use(connection, in_use)
    if used:
        raise BackupError(
            f"This installation is not empty: it has {' and '.join(used)}. A backup is restored "
            "only into a new installation: point DATABASE_URL at a new, empty database (or "
            "ZHENGGAI_DATA_DIR at an empty directory, for SQLite) and the storage at an empty "
            "one, run `zhenggai restore` again there, then switch over to it."
        )
    _check_tables(path, manifest, connection)
    clash = sorted({entry["name"] for entry in manifest["files"]} & set(stored_files(storage)))
    if clash:
        raise BackupError(
            f"The storage already holds {len(clash)} of the archive's files (first: {clash[0]}): "
            "restore into an empty storage"
        )
    return sorted(known - set(manifest["migrations"]))


def _tables_in_use(connection, in_use: dict[str, str]) -> list[str]:
    if connection.vendor == "sqlite" and not connection.is_in_memory_db():
        if not Path(connection.settings_dict["NAME"]).exists():
            return []  # a new installation: the file is made by the restore
    used = []
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
        for table, what in in_use.items():
            if table in tables:
                quoted = connection.ops.quote_name(table)
                cursor.execute(f"SELECT 1 FROM {quoted} LIMIT 1")  # nosec B608: a model's table
                if cursor.fetchone():
                    used.append(what)
    return used


def _check_tables(path: Path, manifest: dict, connection) -> None:
    """PostgreSQL: pg_restore --clean replaces the tables the archive holds; a table it does
    not hold would be left behind, from another version or another application."""
    if connection.vendor != "postgresql":
        return  # SQLite: the whole file is replaced
    with connection.cursor() as cursor:
        extra = sorted(set(connection.introspection.table_names(cursor)) - set(manifest["tables"]))
    if extra:
        raise BackupError(
            f"The database has tables {path} does not ({', '.join(extra[:5])}): restore into a "
            "new, empty database (createdb) instead"
        )


def _write_files(path: Path, source, manifest: dict, storage) -> list[str]:
    """Write every file of the archive through the storage, each checked against its size
    and checksum again as it is written (the archive may have been written to since it was
    verified); if one fails, remove those written and fail."""
    expected = {FILES + entry["name"]: entry for entry in manifest["files"]}
    written = []
    try:
        with _open(path, source) as tar:
            for member in tar:
                if member.name.startswith(FILES):
                    _write_file(path, tar, member, expected, storage, written)
        if expected:
            raise BackupError(_changed(path, sorted(expected)[0]))
    except DAMAGED as error:
        _remove(storage, written)
        raise BackupError(f"{_changed(path, 'the archive')} ({error})") from error
    except BaseException:
        _remove(storage, written)
        raise
    return written


def _write_file(path: Path, tar, member, expected: dict, storage, written: list[str]) -> None:
    entry = expected.pop(member.name, None)
    if entry is None or not member.isreg() or member.size != entry["size"]:
        raise BackupError(_changed(path, member.name))
    reader = _Checking(tar.extractfile(member))
    try:
        saved = storage.save(entry["name"], reader)
    except BaseException:
        _remove(storage, [entry["name"]])  # what the storage wrote of it (the name was free)
        raise
    written.append(saved)
    if saved != entry["name"]:
        raise BackupError(f"the storage saved {entry['name']} as {saved}")
    reader.read()  # to the end, should the storage have stopped short
    if reader.hexdigest() != entry["sha256"]:
        raise BackupError(_changed(path, member.name))


def _changed(path: Path, what: str) -> str:
    return (
        f"{path}: {what} changed after it was verified (written to while the restore ran); "
        "the files written were removed and the database was not touched"
    )


class _Checking(io.RawIOBase):
    """A member's reader that computes its SHA-256 on the way (not seekable: a storage
    cannot read a part twice)."""

    def __init__(self, source):
        super().__init__()
        self._source = source
        self._sha = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self._source.read(len(buffer))
        buffer[: len(data)] = data
        self._sha.update(data)
        return len(data)

    def hexdigest(self) -> str:
        return self._sha.hexdigest()


def _remove(storage, names: list[str]) -> None:
    for name in names:
        try:
            storage.delete(name)
        except OSError as error:
            log.warning("restore: could not remove %s again (%s)", name, error)


def _load_database(connection, dump: Path) -> None:
    if connection.vendor == "sqlite":
        _replace_sqlite(connection, dump)
    else:
        connection.close()
        _run_pg(
            "pg_restore",
            [
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                # The tables of a migrated but empty installation are replaced (a new database
                # has none: nothing to drop).
                "--clean",
                "--if-exists",
                "--no-password",
                f"--dbname={connection.settings_dict['NAME']}",
                str(dump),
            ],
            connection.settings_dict,
        )
    connection.close()


def _replace_sqlite(connection, dump: Path) -> None:
    """Replace the database file by a rename. The write-ahead log of the old file goes first:
    left in place, SQLite would replay it over the new one."""
    target = _sqlite_path(connection)
    connection.close()
    if target.exists():
        old = sqlite3.connect(target)
        try:
            old.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            old.close()
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    os.replace(dump, target)
    _sync_directory(target.parent)


# The worker's daily backup ---------------------------------------------------------------


def scheduled_backup(
    directory: Path, *, keep: int, connection, storage, now: datetime | None = None
) -> tuple[Written, list[str]]:
    """A backup named zhenggai-YYYYMMDD-HHMMSS.tar in `directory`; then only the last `keep`
    such archives are kept. Returns the archive written and the names removed."""
    directory = Path(directory)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    name = f"zhenggai-{timezone.localtime(now):%Y%m%d-%H%M%S}.tar"
    written = write_backup(directory / name, connection=connection, storage=storage)
    return written, rotate(directory, keep=keep)


def _archives(directory: Path) -> list[Path]:
    if not directory.is_dir():
        return []
    return sorted(
        (entry for entry in directory.iterdir() if ARCHIVE_NAME.match(entry.name)),
        key=lambda entry: ARCHIVE_NAME.match(entry.name).group(1),
    )


def rotate(directory: Path, *, keep: int, now: float | None = None) -> list[str]:
    """Delete all but the last `keep` archives named like the worker's, and partial archives
    a killed backup left (older than a day). Nothing else in the directory is touched."""
    directory = Path(directory)
    archives = _archives(directory)
    removed = archives[: max(len(archives) - max(keep, 1), 0)]
    now = time.time() if now is None else now
    for entry in directory.iterdir() if directory.is_dir() else ():
        stem, _, _ = entry.name.lstrip(".").partition(PARTIAL)
        if entry.name.startswith(".") and PARTIAL in entry.name and ARCHIVE_NAME.match(stem):
            if now - entry.stat().st_mtime > DAY:
                removed.append(entry)
    for entry in removed:
        entry.unlink(missing_ok=True)
        log.info("backup: removed %s", entry.name)
    return [entry.name for entry in removed]


def latest_backup(directory: Path) -> tuple[Path, datetime] | None:
    """The newest of the worker's archives in `directory` and when it was made (from its
    name, in the local time zone), or None."""
    archives = _archives(Path(directory))
    if not archives:
        return None
    stamp = ARCHIVE_NAME.match(archives[-1].name).group(1)
    return archives[-1], timezone.make_aware(datetime.strptime(stamp, "%Y%m%d-%H%M%S"))
