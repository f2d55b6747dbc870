from django import template

register = template.Library()


@register.filter
def person(user, empty: str = "—") -> str:
    """A user as the interface names them: full name, else login name."""
    if user is None:
        return empty
    return user.get_full_name() or user.username
