from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def person(user, empty: str = "—") -> str:
    """A user as the interface names them: full name, else login name."""
    if user is None:
        return empty
    return user.get_full_name() or user.username


_LIGHTS = {
    level: format_html('<span class="light {}" title="{}">{}</span>', level, title, text)
    for level, text, title in [
        ("red", "红灯", "逾期"),
        ("yellow", "黄灯", "临期"),
        ("green", "绿灯", "正常"),
    ]
}


@register.filter
def light(level: str) -> str:
    """The warning light of a measure or problem ("" when it has none)."""
    return _LIGHTS.get(level, "")
