"""People's names: one field, 姓名, written the way Chinese writes it (欧阳娜娜).

Storage: the whole 姓名 lives in the user's `first_name`; `last_name` is unused (migration
orgs 0002 moved what it held into `first_name`, surname first). Django's `get_full_name()`
joins "first last" with a space, which is wrong for Chinese, so nothing in the project calls
it: every place that names a person goes through `person_name` (a user object) or `full_name`
(values read with `values_list`, see `NAME_FIELDS`), and templates through the `person` filter.
"""

import re

# What to read of a user (with `values_list`, prefixed by the relation) to name them.
NAME_FIELDS = ("first_name", "last_name", "username")

_HAN = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
_SPACE_BETWEEN_HAN = re.compile(rf"(?<={_HAN})\s+(?={_HAN})")
# A name in Latin letters (or pinyin) keeps its Western order and a space: "Anna Li".
_LATIN = re.compile(r"^[A-Za-z\u00c0-\u024f .'·-]+$")


def normalize_name(name: str) -> str:
    """A 姓名 as stored: trimmed, inner runs of spaces made single, and no spaces between Han
    characters ("欧阳 娜娜" → "欧阳娜娜")."""
    name = " ".join((name or "").split())
    return _SPACE_BETWEEN_HAN.sub("", name)


def join_name(first_name: str, last_name: str) -> str:
    """One 姓名 from Django's two fields, as they may have been filled before 姓名 was one
    field: surname (`last_name`) first, no space, for a Chinese name; "first last" for a name
    in Latin letters; `first_name` alone when it already starts with the surname."""
    first, last = normalize_name(first_name), normalize_name(last_name)
    if not last:
        return first
    if not first:
        return last
    if first.startswith(last):
        return first
    if _LATIN.match(first) and _LATIN.match(last):
        return f"{first} {last}"
    return normalize_name(f"{last}{first}")


def full_name(first_name: str | None, last_name: str | None = "", username: str | None = "") -> str:
    """How the interface names a person from the values of `NAME_FIELDS`: their 姓名, else
    their login name ("" for no one)."""
    return join_name(first_name or "", last_name or "") or (username or "")


def person_name(user, empty: str = "") -> str:
    """How the interface, reminders, exports and history name a user: their 姓名 (欧阳娜娜),
    else their login name; `empty` for no user."""
    if user is None:
        return empty
    return full_name(user.first_name, user.last_name, user.username) or empty


def person_label(user) -> str:
    """A user in a list to choose from, where two people may share a 姓名: "欧阳娜娜（ouyang）"."""
    name = join_name(user.first_name, user.last_name)
    return f"{name}（{user.username}）" if name and name != user.username else user.username
