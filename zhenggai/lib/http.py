"""Small helpers for views."""


def posted(request):
    """The form data of a POST (even an empty one), or None for an unbound form."""
    return request.POST if request.method == "POST" else None


def posted_files(request):
    return request.FILES if request.method == "POST" else None
