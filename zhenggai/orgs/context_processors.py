from zhenggai.orgs.access import scope_for


def scope(request):
    """Expose the user's roles to templates (for showing menus, never for enforcing access)."""
    user_scope = scope_for(request.user)
    return {"user_roles": user_scope.all_roles(), "user_is_admin": user_scope.is_admin}
