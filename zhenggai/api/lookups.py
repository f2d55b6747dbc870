"""Ids in an API path, read as the pages read them."""

from django.http import Http404

from zhenggai.lib.http import as_id


def path_id(value) -> int:
    """The id in a path, or 404, as DRF's own lookup answers a malformed one (never a number
    the database cannot hold)."""
    found = as_id(str(value))
    if found is None:
        raise Http404("not an id")
    return found
