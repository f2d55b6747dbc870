"""Searching the ledger's Chinese text.

Chinese has no spaces, so a word index does not find "营商环境" inside "优化营商环境工作". On SQLite
each problem's text is indexed as overlapping two-character pieces ("优化 化营 营商 商环 环境 …")
in an FTS5 table; a query becomes the phrase of its own pieces, which finds exactly the texts
that contain it, through the index. The candidates are then checked with a plain substring match,
so results equal a `LIKE` search, only fast. (A word of Chinese characters needs no check: its
phrase matches exactly the texts containing it, since runs are indexed with a break between.) Elsewhere (PostgreSQL) the substring match runs
alone.
"""

import re

from django.db import connection
from django.db.models.expressions import RawSQL

# The index table. SQL below names it by this constant (marked `nosec B608` for bandit); every
# value in that SQL is a parameter.
TABLE = "ledger_problem_fts"
_CJK = "\u3400-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(f"[{_CJK}]+|[0-9A-Za-z]+")
_ALL_CJK = re.compile(f"[{_CJK}]{{2,}}")
# Put between runs of text so that pieces of two runs never form a phrase across the gap.
BREAK = "zzbreak"


def pieces(text: str, *, breaks: bool = False) -> list[str]:
    """Two-character pieces of every run of Chinese characters; whole words of Latin and digits."""
    out = []
    for run in _TOKEN.findall(text):
        if breaks and out:
            out.append(BREAK)
        if run.isascii():
            out.append(run.lower())
        elif len(run) == 1:
            out.append(run)
        else:
            out.extend(run[i : i + 2] for i in range(len(run) - 1))
    return out


def indexed_text(text: str) -> str:
    return " ".join(pieces(text, breaks=True))


def uses_index() -> bool:
    return connection.vendor == "sqlite"


def index(problem_id: int, text: str) -> None:
    """Put one problem's text into the index (replacing what it held)."""
    if not uses_index():
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE rowid = %s", [problem_id])  # nosec B608
        cursor.execute(
            f"INSERT INTO {TABLE}(rowid, body) VALUES (%s, %s)",  # nosec B608
            [problem_id, indexed_text(text)],
        )


def rebuild() -> None:
    """Index every problem afresh (after bulk loads that bypass the services)."""
    if not uses_index():
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")  # nosec B608
        cursor.execute("SELECT id, search_text FROM ledger_problem")
        rows = [(pk, indexed_text(text)) for pk, text in cursor.fetchall()]
        cursor.executemany(f"INSERT INTO {TABLE}(rowid, body) VALUES (%s, %s)", rows)  # nosec B608


def _phrase(word: str) -> str | None:
    """The index phrase that finds every text containing `word`, or None where the index cannot.

    The index holds pairs of Chinese characters, so it can find a word whose Chinese runs are
    each two characters or more; Latin words are indexed whole, so a word with Latin letters or
    digits (which may sit inside a longer Latin word) is left to the substring match.
    """
    runs = _TOKEN.findall(word)
    if not runs or any(run.isascii() or len(run) < 2 for run in runs):
        return None
    return '"' + " ".join(pieces(word, breaks=True)) + '"'


# A word found in more problems than this is searched by scanning in the ledger's order instead:
# so many matches fill the first page at once, where fetching them all from the index would not.
SELECTIVE = 5000


def _matches_at_most(phrase: str, limit: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM (SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s LIMIT %s)",  # nosec B608
            [phrase, limit + 1],
        )
        return cursor.fetchone()[0]


def search(queryset, words: list[str]):
    """Problems whose text contains every word."""
    for word in words:
        phrase = _phrase(word) if uses_index() else None
        if phrase is not None and _matches_at_most(phrase, SELECTIVE) > SELECTIVE:
            phrase = None
        if phrase is not None:
            queryset = queryset.filter(
                id__in=RawSQL(f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s", [phrase])  # nosec B608 B611
            )
        if phrase is None or not _ALL_CJK.fullmatch(word):
            # The phrase of pieces is exact for a word of Chinese characters only; anything
            # else (punctuation, Latin, one character) is checked as a substring.
            queryset = queryset.filter(search_text__icontains=word)
    return queryset
