"""Matching an identity asserted by a sign-in service (OIDC, LDAP) to a person of the directory.

Single sign-on never creates anyone and never grants anything: it only finds the account the
directory (通讯录) already holds, by login or by employee number (`orgs.models.Person`).
"""

import logging

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser

log = logging.getLogger(__name__)


def match_person(login: str | None, employee_number: str | None) -> AbstractUser | None:
    """The active directory person the sign-in service names, or None.

    The login (`User.username`, compared exactly after trimming spaces) is tried first, then the
    employee number (`Person.employee_number`). A blank value is never matched (many people have
    no employee number). A match that is inactive (a person who has left) counts as no match, and
    so does nothing at all: the caller refuses the sign-in. Nothing is created or changed here —
    the person keeps exactly the roles the directory gave them.

    A login that matches an inactive account does not fall through to the employee number: the
    service named someone who has left, and signing in someone else would be wrong.

    A system administrator (superuser) is never signed in by a sign-in service: the account is
    the installation's own, signed in with its password at /admin/login/, and an identity
    service's "admin" (or an entry carrying the administrator's employee number) is not it.
    """
    users = get_user_model().objects.select_related("person")
    login = (login or "").strip()
    employee_number = (employee_number or "").strip()
    if login:
        user = users.filter(username=login).first()
        if user is not None:
            return _signable(user)
    if employee_number:
        user = users.filter(person__employee_number=employee_number).first()
        if user is not None:
            return _signable(user)
    return None


def _signable(user) -> AbstractUser | None:
    if user.is_superuser:
        log.warning("single sign-on refused for superuser %s: administrators sign in locally", user)
        return None
    return user if user.is_active else None
