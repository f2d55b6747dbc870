"""What every app's views share: refusing a form the user may not use, and showing a refused
action's Chinese message on the form it came from."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from zhenggai.lib.errors import Conflict, NotAllowed, Refused


def require(allowed: bool, why: str) -> None:
    """Refuse (403) a form the user may not use, before they fill it in."""
    if not allowed:
        raise PermissionDenied(why)


def refusal(request, exc: Refused, template: str, context: dict, status: int = 400):
    """Show a refused action's Chinese message on the form it came from."""
    if isinstance(exc, NotAllowed):
        raise PermissionDenied(exc.reason)
    messages.error(request, exc.message)
    return render(request, template, context, status=409 if isinstance(exc, Conflict) else status)
