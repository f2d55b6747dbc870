"""At most N of a heavy kind of work at once on this machine (PDF conversions, template renders):
one of N lock files under the data directory, held while working. POSIX only (fcntl)."""

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings


class Busy(Exception):
    """Every slot of that kind is taken: the caller says so in Chinese."""


@contextmanager
def slot(kind: str, count: int) -> Iterator[None]:
    directory = Path(settings.DATA_DIR) / "locks"
    directory.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        handle = (directory / f"{kind}-{n}.lock").open("w")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            continue
        try:
            yield
        finally:
            handle.close()  # closing releases the lock
        return
    raise Busy(kind)
