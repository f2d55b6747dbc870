"""The actions history records, by code. History is one table (`Event`); the ledger lists its own
actions, and every other app registers those of its own records (`register`, at start-up), so
that no app edits another's list and no migration of one app sits in another's folder."""

from django.core.exceptions import ImproperlyConfigured
from django.db import models

_LABELS: dict[str, str] = {}


def register(actions: type[models.TextChoices]) -> None:
    """Make an app's actions known to history, with their Chinese labels."""
    for code, text in actions.choices:
        if _LABELS.get(code, text) != text:
            raise ImproperlyConfigured(f"history action {code!r} is registered twice")
        _LABELS[code] = str(text)


def label(code: str) -> str:
    return _LABELS.get(code, code)


def choices() -> list[tuple[str, str]]:
    return sorted(_LABELS.items(), key=lambda item: item[1])
