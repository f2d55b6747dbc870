from django.contrib.auth.models import AnonymousUser
from django.utils.functional import SimpleLazyObject

from zhenggai.orgs.access import scope_for
from zhenggai.orgs.contacts import whom_to_ask


def scope(request):
    """Expose the user's roles to templates (for showing menus, never for enforcing access),
    and, read only by a page that uses it (the 403 page), whom the user should ask for help."""
    # An error page may be drawn before the authentication middleware ran (a refused Host
    # header answers 400 from CommonMiddleware): then nobody is signed in.
    user = getattr(request, "user", None) or AnonymousUser()
    user_scope = scope_for(user)
    return {
        "user_roles": user_scope.all_roles(),
        "user_is_admin": user_scope.is_admin,
        "whom_to_ask": SimpleLazyObject(lambda: whom_to_ask(user)),
    }
