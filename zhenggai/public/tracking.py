"""Tracking codes: the sender of an opinion reads its reply on the public page with the code they
were given on sending, and nothing else about its handling.

A code is 12 characters from an alphabet without look-alikes (no 0/O, 1/I/L), about 59 bits
drawn with `secrets`: not guessable, and lookups are rate-limited besides. It is stored as the
bare 12 characters and shown in groups of four ("K7QM-4XZP-2HNR"); what a person types is read
whatever its case, spaces, hyphens or full-width forms.
"""

import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from zhenggai.public.models import Opinion

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 12
GROUP = 4
# Separators people type or paste between the groups (NFKC has already made full-width ones
# half-width): whitespace, hyphens and dashes, underscores, dots.
_SEPARATORS = re.compile(r"[\s\-_.\u2010-\u2015\u2212\u30fc\u00b7]+")

# What the public is told of each state of the triage.
PUBLIC_STATUS = {
    Opinion.Status.NEW: "已收到，正在处理",
    Opinion.Status.ACCEPTED: "已受理",
    Opinion.Status.ANSWERED: "已办结",
    Opinion.Status.DISMISSED: "不予受理",
}
# The states whose handling note is the reply the sender reads.
REPLIED = {Opinion.Status.ANSWERED, Opinion.Status.DISMISSED}


def new_code() -> str:
    """A fresh code, normalised (as stored)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(text: str) -> str:
    """A typed code as stored, or "" when it cannot be one."""
    code = _SEPARATORS.sub("", unicodedata.normalize("NFKC", text or "")).upper()
    if len(code) != LENGTH or any(c not in ALPHABET for c in code):
        return ""
    return code


def grouped(code: str) -> str:
    """A stored code as shown: K7QM4XZP2HNR → K7QM-4XZP-2HNR."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


@dataclass(frozen=True)
class PublicReply:
    """All the lookup shows: nothing of who handled the opinion, the sender, or other opinions."""

    code: str
    sent_at: datetime
    status: str
    notice_pk: int | None  # a link while the notice is published
    notice_title: str  # "" when the notice has been withdrawn
    reply: str
    replied_at: datetime | None


def public_reply(opinion: Opinion) -> PublicReply:
    notice = opinion.notice
    published = notice.is_published and notice.published_content
    replied = opinion.status in REPLIED
    return PublicReply(
        code=grouped(opinion.tracking_code),
        sent_at=opinion.created_at,
        status=PUBLIC_STATUS[opinion.status],
        notice_pk=notice.pk if published else None,
        notice_title=notice.published_content.get("title", "") if published else "",
        reply=opinion.handling_note if replied else "",
        replied_at=opinion.handled_at if replied else None,
    )
