"""System checks of the reminders' settings: the site address their links point to."""

import urllib.parse

from django.conf import settings
from django.core.checks import Error, Warning

from zhenggai.lib.env import envbool, envstr


def check_site_url(app_configs=None, **kwargs) -> list:
    """ZHENGGAI_SITE_URL must be an http(s) address, and set outside debug, demo and tests:
    otherwise every link in a reminder points to http://127.0.0.1:8000, which no recipient
    can open."""
    value = envstr("ZHENGGAI_SITE_URL").strip()
    if not value:
        if settings.DEBUG or settings.DEMO or envbool("ZHENGGAI_TESTING"):
            return []
        return [
            Warning(
                "ZHENGGAI_SITE_URL is not set: links in reminders point to "
                f"{settings.SITE_URL}, which recipients cannot open.",
                hint="Set ZHENGGAI_SITE_URL to the address people open the site at, "
                "e.g. https://zhenggai.example.gov.cn, for the web server and the worker.",
                id="supervision.W001",
            )
        ]
    parts = urllib.parse.urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return [
            Error(
                f"ZHENGGAI_SITE_URL must be an http:// or https:// address, not {value!r}.",
                hint="e.g. https://zhenggai.example.gov.cn",
                id="supervision.E001",
            )
        ]
    return []
