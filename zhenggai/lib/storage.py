"""Stored files (evidence, documents, templates, import drafts) wherever the storage keeps them:
on local disk, or in an S3-compatible store (ZHENGGAI_STORAGE=s3) that several web servers share.

Code that holds a stored file goes through these helpers, never through `.path` (which an
object store does not have) or `.url` (which would hand out the object behind the access
check):

- `local_copy(file)`: a path on local disk for readers that need one (the importer, LibreOffice,
  OCR): the file itself on local storage, else a temporary copy streamed from the store.
- `open_for_download(file)`: an open binary stream and its size, for the download views; from
  an S3 store the object's body is streamed as it arrives (django-storages' own `open()` first
  downloads the whole object into a spooled temporary file, in memory by default).
- `stored_files(storage)`: every stored name with its modified time (the daily sweep), from an
  S3 store by one listing instead of a request per file.
"""

import logging
import posixpath
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from django.core.files.storage import Storage, default_storage

log = logging.getLogger(__name__)

CHUNK = 64 * 1024


def is_s3(storage: Storage) -> bool:
    """Whether `storage` is django-storages' S3 backend (boto3 is imported only when it is).
    `__class__`, not type(): the default storage is a lazy object passing it through."""
    return storage.__class__.__module__.startswith("storages.backends.s3")


def _own_path(file) -> str | None:
    try:
        return file.path
    except NotImplementedError:  # a store without local files
        return None


@contextmanager
def local_copy(file) -> Iterator[str]:
    """A local filesystem path holding the content of the stored `file` (a FieldFile) for as
    long as the block runs. On local storage it is the file itself (read it, do not change or
    remove it); otherwise a temporary copy in the data directory's temporary folder, removed
    when the block ends, also on error (a killed process's copy is swept with the other
    temporary files). The copy keeps the stored name's extension: readers go by it."""
    own = _own_path(file)
    if own is not None:
        yield own
        return
    from zhenggai.lib.sweep import temp_dir  # the sweep lists stored files through this module

    work = Path(tempfile.mkdtemp(prefix="zhenggai-copy-", dir=temp_dir()))
    try:
        path = work / posixpath.basename(file.name)
        stream, _size = open_for_download(file)
        with stream, path.open("wb") as out:
            shutil.copyfileobj(stream, out, CHUNK)
        yield str(path)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def open_for_download(file) -> tuple[BinaryIO, int]:
    """An open binary stream of the stored `file` (a FieldFile) and its size in bytes, read in
    chunks as it is sent. FileNotFoundError when the store has no such file."""
    storage = file.storage
    if is_s3(storage):
        return _s3_stream(storage, file.name)
    handle = storage.open(file.name, "rb")
    return handle, handle.size


class S3Body:
    """An S3 object's body as a plain read-only stream: `read(n)` takes the next chunk from
    the connection (nothing is buffered beyond it), `close()` releases the connection."""

    def __init__(self, body, name: str):
        self._body = body
        self.name = name

    def read(self, size: int = -1) -> bytes:
        return self._body.read(None if size is None or size < 0 else size)

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        self._body.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _s3_key(storage, name: str) -> str:
    from storages.utils import clean_name

    # The key django-storages itself stores `name` under (the prefix joined, checked against
    # climbing out of it).
    return storage._normalize_name(clean_name(name))


def _s3_stream(storage, name: str) -> tuple[S3Body, int]:
    from botocore.exceptions import ClientError

    client = storage.connection.meta.client
    try:
        found = client.get_object(Bucket=storage.bucket_name, Key=_s3_key(storage, name))
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
            raise FileNotFoundError(f"no object {name!r} in {storage.bucket_name}") from None
        raise
    return S3Body(found["Body"], posixpath.basename(name)), found["ContentLength"]


def stored_files(storage: Storage | None = None) -> Iterator[tuple[str, float]]:
    """(name, modified time as a timestamp) of every file in `storage` (the default one)."""
    storage = default_storage if storage is None else storage
    if is_s3(storage):
        yield from _s3_listing(storage)
    else:
        yield from _walk(storage, "")


def _s3_listing(storage) -> Iterator[tuple[str, float]]:
    location = storage.location.strip("/")
    prefix = f"{location}/" if location else ""
    pages = storage.connection.meta.client.get_paginator("list_objects_v2")
    for page in pages.paginate(Bucket=storage.bucket_name, Prefix=prefix):
        for entry in page.get("Contents", ()):
            if not entry["Key"].endswith("/"):  # a "folder" some tools make
                yield entry["Key"][len(prefix) :], entry["LastModified"].timestamp()


def _walk(storage: Storage, directory: str) -> Iterator[tuple[str, float]]:
    try:
        folders, files = storage.listdir(directory)
    except FileNotFoundError:
        return
    for name in files:
        path = f"{directory}/{name}" if directory else name
        yield path, storage.get_modified_time(path).timestamp()
    for folder in folders:
        yield from _walk(storage, f"{directory}/{folder}" if directory else folder)
