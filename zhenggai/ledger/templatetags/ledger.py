from django import template
from django.utils.html import format_html, format_html_join

from zhenggai.lib.names import person_name

register = template.Library()


@register.filter
def person(user, empty: str = "—") -> str:
    """A user as the interface names them: their 姓名, else login name (zhenggai.lib.names)."""
    return person_name(user, empty)


_LIGHTS = {
    level: format_html('<span class="light {}" title="{}">{}</span>', level, title, text)
    for level, text, title in [
        ("red", "红灯", "逾期"),
        ("yellow", "黄灯", "临期"),
        ("green", "绿灯", "正常"),
        ("unset", "未定责任人或时限", "有措施未定责任人或完成时限，或尚未制定措施"),
    ]
}


@register.filter
def light(level: str) -> str:
    """The warning light of a measure or problem ("" when it has none)."""
    return _LIGHTS.get(level, "")


@register.filter
def marker(measure) -> str:
    """A measure's light, and in grey what it lacks ("未定责任人", "未定时限"): in place of
    green (it is not in order), or beside red and yellow. `measure` has `warning` and `gaps`."""
    shown = "" if measure.warning == "unset" else light(measure.warning)
    gaps = format_html_join(
        " ", '<span class="light unset" title="{}">{}</span>', ((g, g) for g in measure.gaps)
    )
    return format_html("{}{}{}", shown, " " if shown and gaps else "", gaps)


_CONCERNS = {"open": "待答复", "answered": "已答复", "closed": "已办结"}


@register.filter
def concern(status: str) -> str:
    """The ledger's marker of the discipline group's concerns on a problem, by their state."""
    if status not in _CONCERNS:
        return ""
    return format_html(
        '<span class="concern c-{}" title="纪检监察组监督意见">监督意见{}</span>',
        status,
        _CONCERNS[status],
    )
