"""Rate limits per token: each personal token (or, in the browser, each signed-in person) may
make `ZHENGGAI_API_RATE` requests (default 600 a minute); past that the API answers 429 in its
one error shape with `Retry-After`.

DRF's sliding window, kept in the configured cache (the database, shared by every server
process). The login's counter (lib/ratelimit.py) claims one cache key per admitted attempt,
which is exact under concurrency but reads all N places on every request: fine for 5 logins,
not for 600 calls a minute. A few requests more than the rate may pass when many arrive at the
same moment; that is acceptable for a limit that protects capacity, not a secret."""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from zhenggai.api.models import ApiToken


class PerToken(SimpleRateThrottle):
    scope = "token"

    def get_rate(self) -> str | None:
        # Read at each request rather than once at import (DRF's default), so that a changed
        # REST_FRAMEWORK setting (and a test's override) takes effect.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view) -> str:
        auth, user = request.auth, request.user
        if isinstance(auth, ApiToken):
            ident = f"token:{auth.prefix}"
        elif user is not None and user.is_authenticated:
            ident = f"user:{user.pk}"
        elif getattr(auth, "pk", None) is not None:
            # Another credential (a device's key): counted by itself.
            ident = f"{type(auth).__name__}:{auth.pk}"
        else:
            ident = f"address:{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
