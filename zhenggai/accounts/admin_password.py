"""Password sign-in for the system administrator only, used when password sign-in is turned off.

With `ZHENGGAI_PASSWORD_LOGIN=false` everyone signs in through the unified identity service (or
LDAP); this backend takes ModelBackend's place so that a superuser can still sign in with the
account's password, and only on the admin's own login page (/admin/login/): the ordinary login
page refuses passwords altogether, and no other account's password is accepted anywhere.
It keeps ModelBackend's permission checks for the admin site.
"""

from django.contrib.auth.backends import ModelBackend
from django.urls import reverse


class AdminPasswordBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None or request.path != reverse("admin:login"):
            return None
        user = super().authenticate(request, username=username, password=password, **kwargs)
        return user if user is not None and user.is_superuser else None
