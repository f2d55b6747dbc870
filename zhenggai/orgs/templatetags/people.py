"""`{% load people %}`: `{{ user|person }}` names a person the one way (zhenggai.lib.names)."""

from django import template

from zhenggai.lib.names import person_name

register = template.Library()


@register.filter
def person(user, empty: str = "—") -> str:
    """A user as the interface names them: their 姓名 (欧阳娜娜), else their login name."""
    return person_name(user, empty)
