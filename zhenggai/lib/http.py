"""Small helpers for views."""

import ipaddress
import logging
from io import BytesIO

from django.conf import settings
from django.http import FileResponse, Http404

from zhenggai.lib.storage import CHUNK, open_for_download
from zhenggai.lib.uploads import download_name

log = logging.getLogger(__name__)


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
    """Serve a stored file (a FieldFile the view has checked the user may read) as a download,
    never inline, under its original (Chinese) name. It is streamed from the storage chunk by
    chunk, also from an S3 store (never a redirect to the store: its objects are private), so
    a large file takes no more memory than a small one. A file missing from the storage is a
    404, logged."""
    try:
        stream, size = open_for_download(file)
    except FileNotFoundError:
        log.warning("stored file %s is missing", file.name)
        raise Http404("file missing from the storage") from None
    response = FileResponse(
        stream,
        as_attachment=True,
        filename=download_name(name, content_type),
        content_type=content_type,
    )
    response.block_size = CHUNK
    response["Content-Length"] = str(size)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def generated_download(data, name: str, content_type: str) -> FileResponse:
    """A file the system made (a 通报, a ranking, a ledger) as a download under its Chinese
    name; `data` is bytes or an open binary file."""
    if isinstance(data, bytes):
        data = BytesIO(data)
    response = FileResponse(data, as_attachment=True, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def client_address(request) -> str:
    """The address a request came from, for rate limits: behind proxies listed in
    ZHENGGAI_TRUSTED_PROXIES, the rightmost X-Forwarded-For address that is not one of them
    (a client can prepend anything, but not append). An IPv6 client is its /64: one host
    holds the whole network."""
    address = request.META.get("REMOTE_ADDR", "")
    if _trusted(address):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        for hop in reversed([part.strip() for part in forwarded.split(",") if part.strip()]):
            if not _trusted(hop):
                address = hop
                break
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        if parsed.ipv4_mapped:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def _trusted(address: str) -> bool:
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(parsed in network for network in settings.TRUSTED_PROXIES)
