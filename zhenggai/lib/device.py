"""A browser's device token: a random cookie of its own, with nothing about the person in it.

Public forms (an opinion on a notice, a rating) count and tell repeats by device, so that people
behind one shared address are not one sender. Services keep only a keyed hash of it."""

import secrets

from django.conf import settings

DEVICE_COOKIE = "zhenggai_device"


def device_token(request) -> str:
    """The browser's device token, if it carries a well-formed one."""
    token = request.COOKIES.get(DEVICE_COOKIE, "")
    well_formed = 20 <= len(token) <= 64 and token.replace("-", "").replace("_", "").isalnum()
    return token if well_formed else ""


def give_device(request, response):
    """Give a browser without a token one (for a year) on `response`, and return it."""
    if not device_token(request):
        response.set_cookie(
            DEVICE_COOKIE,
            secrets.token_urlsafe(24),
            max_age=365 * 24 * 3600,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response
