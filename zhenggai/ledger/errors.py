"""Kept while the apps move to `zhenggai.lib.errors`, where the refusals now live."""

from zhenggai.lib.errors import Conflict, NotAllowed, Refused

__all__ = ["Conflict", "NotAllowed", "Refused"]
