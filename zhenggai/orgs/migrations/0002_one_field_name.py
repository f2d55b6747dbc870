"""姓名 becomes one field: the full name, surname first as Chinese writes it, in `first_name`;
`last_name` is left empty (see zhenggai.lib.names)."""

import re

from django.conf import settings
from django.db import migrations

# A copy of zhenggai.lib.names.join_name as it was when this migration was written, so the
# migration keeps doing the same thing whatever later becomes of that module.
_HAN = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
_SPACE_BETWEEN_HAN = re.compile(rf"(?<={_HAN})\s+(?={_HAN})")
_LATIN = re.compile(r"^[A-Za-z\u00c0-\u024f .'·-]+$")
MAX_LENGTH = 150


def _normalize(name):
    return _SPACE_BETWEEN_HAN.sub("", " ".join((name or "").split()))


def _join(first, last):
    first, last = _normalize(first), _normalize(last)
    if not last:
        return first
    if not first or first.startswith(last):
        return first or last
    if _LATIN.match(first) and _LATIN.match(last):
        return f"{first} {last}"
    return _normalize(f"{last}{first}")


def to_one_field(apps, schema_editor):
    """Every user with a surname in `last_name` gets the whole 姓名 in `first_name`."""
    User = apps.get_model(settings.AUTH_USER_MODEL)
    for user in User.objects.exclude(last_name="").only("pk", "first_name", "last_name"):
        user.first_name = _join(user.first_name, user.last_name)[:MAX_LENGTH]
        user.last_name = ""
        user.save(update_fields=["first_name", "last_name"])


def back_to_two_fields(apps, schema_editor):
    """Going back leaves the 姓名 whole in `first_name`. The code before this migration names a
    person by `get_full_name()`, which with an empty `last_name` is `first_name`: the full 姓名
    reads right there, while splitting it again would show it the wrong way round ("娜娜 欧阳")."""


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(to_one_field, back_to_two_fields, elidable=False)]
