"""Pages, files and exports served to a signed-in person are never stored by a browser's or a
proxy's cache (a shared office computer, a caching proxy): Cache-Control: no-store."""

from django.utils.cache import add_never_cache_headers


class NoStoreWhenSignedInMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
            response["Cache-Control"] += ", private"
        return response
