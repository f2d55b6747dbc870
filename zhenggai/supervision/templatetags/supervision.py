from django import template
from django.utils.html import format_html

from zhenggai.supervision.models import Escalation

register = template.Library()

_BADGES = {
    level.value: format_html('<span class="esc esc-{}">{}</span>', level.value, level.label)
    for level in Escalation.Level
}


@register.filter
def escalation_badge(level: int) -> str:
    """The badge of a problem's highest open supervision order ("" when it has none)."""
    return _BADGES.get(level, "")
