from django import template

from zhenggai.ledger.progress_import import may_import_progress

register = template.Library()


@register.simple_tag
def may_import_progress_into(round, user) -> bool:
    """Whether the round page offers the progress sheet to `user` (progress by Excel)."""
    return may_import_progress(user, round)
