"""Small helpers for views."""

from django.http import FileResponse

from zhenggai.lib.uploads import download_name


def posted(request):
    """The form data of a POST (even an empty one), or None for an unbound form."""
    return request.POST if request.method == "POST" else None


def posted_files(request):
    return request.FILES if request.method == "POST" else None


def as_id(value) -> int | None:
    """A primary key from form text, or None (ASCII digits only: "²".isdigit() is true)."""
    value = (value or "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) < 19 else None


def attachment(file, name: str, content_type: str) -> FileResponse:
    """Serve a stored file as a download, never inline, under its original (Chinese) name."""
    response = FileResponse(
        file.open("rb"),
        as_attachment=True,
        filename=download_name(name, content_type),
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
