from django import template

from zhenggai.orgs.first_run import is_fresh

register = template.Library()


@register.simple_tag
def installation_is_fresh() -> bool:
    """Whether no user exists yet: the login page then points to the first-run page."""
    return is_fresh()
