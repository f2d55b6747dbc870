"""Small helpers for views."""


def posted(request):
    """The form data of a POST (even an empty one), or None for an unbound form."""
    return request.POST if request.method == "POST" else None


def posted_files(request):
    return request.FILES if request.method == "POST" else None


def as_id(value) -> int | None:
    """A primary key from form text, or None (ASCII digits only: "²".isdigit() is true)."""
    value = (value or "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) < 19 else None
