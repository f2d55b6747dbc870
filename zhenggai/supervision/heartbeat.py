"""The worker's heartbeat: each check of `zhenggai worker` writes the time to the cache, which
lives in the database and is shared by every process and server, so that `zhenggai doctor`
(or any page) can tell whether a worker is running and when it last looked for work."""

import os
import socket
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.utils import timezone

KEY = "zhenggai:worker-heartbeat"


@dataclass(frozen=True)
class Beat:
    """The last check of a worker: when, which worker (its id, host and process), and how many
    seconds it waits between checks."""

    at: datetime
    worker: str
    host: str
    pid: int
    interval: float


def beat(worker: str, interval: float, *, now: datetime | None = None) -> None:
    """Record that `worker` is checking for work now."""
    value = {
        "at": (now or timezone.now()).isoformat(),
        "worker": worker,
        "host": socket.gethostname(),
        "pid": os.getpid(),
        "interval": interval,
    }
    cache.set(KEY, value, timeout=None)


def last_beat() -> Beat | None:
    """The most recent check of any worker, or None when no worker has ever checked (or the
    entry is unreadable)."""
    value = cache.get(KEY)
    try:
        return Beat(
            at=datetime.fromisoformat(value["at"]),
            worker=str(value["worker"]),
            host=str(value["host"]),
            pid=int(value["pid"]),
            interval=float(value["interval"]),
        )
    except (TypeError, KeyError, ValueError):
        return None
