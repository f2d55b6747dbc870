"""Text typed into a form survives an expired session.

A form posted after the session expired is answered by a redirect to the login page, and what
the person typed would be lost. This middleware keeps the posted fields in the (anonymous)
session, which survives signing in, and hands them back when the same person opens the same
page again; `typed_form.js` fills the form with them. They are given back only to the person who
was signed in before (a signed cookie names them and the session they had), never to someone
else at the same computer, and not after they signed out.
"""

import hashlib
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.shortcuts import resolve_url

STASH = "zhenggai_typed_form"
LAST_USER = "zhenggai_last_user"
# Larger posts (an import preview, say) are not kept: the session is no place for them.
MAX_CHARS = 200_000
KEEP_SECONDS = 2 * 3600
NOT_KEPT = {"csrfmiddlewaretoken", "password"}


class KeepTypedFormMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "GET" and request.user.is_authenticated:
            request.typed_form = _given_back(request)
        response = self.get_response(request)
        if request.method == "POST" and not request.user.is_authenticated:
            if _is_login_redirect(response):
                _keep(request)
        elif request.user.is_authenticated:
            _remember_user(request, response)
        return response


def waiting(request) -> dict | None:
    """What is kept for after signing in, if anything (the login page says so)."""
    stash = request.session.get(STASH)
    return stash if stash and time.time() - stash["at"] < KEEP_SECONDS else None


def _is_login_redirect(response) -> bool:
    if response.status_code != 302:
        return False
    return urlsplit(response["Location"]).path == resolve_url(settings.LOGIN_URL)


def _keep(request) -> None:
    # Only a post that still carries the session cookie of the person last signed in here (their
    # session expired; they did not sign out) is kept, and only for them.
    owner = _owner_of_expired_session(request)
    if owner is None:
        return
    fields = [
        [name, value]
        for name, values in request.POST.lists()
        if name not in NOT_KEPT
        for value in values
    ]
    if not fields or sum(len(n) + len(v) for n, v in fields) > MAX_CHARS:
        return
    request.session[STASH] = {
        "path": request.path,
        "fields": fields,
        "files": bool(request.FILES),
        "owner": owner,
        "at": time.time(),
    }


def _given_back(request) -> dict | None:
    stash = waiting(request)
    if stash is None or stash["path"] != request.path:
        return None
    del request.session[STASH]
    if stash["owner"] != str(request.user.pk):  # someone else signed in here: not theirs
        return None
    return stash


def _session_mark(key: str | None) -> str:
    return hashlib.sha256((key or "").encode()).hexdigest()[:16]


def _owner_of_expired_session(request) -> str | None:
    remembered = request.get_signed_cookie(LAST_USER, default=None, salt=LAST_USER)
    session = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not remembered or not session or ":" not in remembered:
        return None
    user, mark = remembered.split(":", 1)
    return user if mark == _session_mark(session) else None


def forget_last_user(response) -> None:
    """After signing out, no text is kept for (or given back to) the person who left."""
    response.delete_cookie(LAST_USER, samesite="Lax")


def _remember_user(request, response) -> None:
    user = f"{request.user.pk}:{_session_mark(request.session.session_key)}"
    if request.get_signed_cookie(LAST_USER, default=None, salt=LAST_USER) != user:
        response.set_signed_cookie(
            LAST_USER,
            user,
            salt=LAST_USER,
            max_age=30 * 24 * 3600,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
