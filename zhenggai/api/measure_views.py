"""Measures (with ETag and If-Match), progress reports and their evidence, change requests."""

# (prefix under /api/v1/, viewset, basename): this module's resources (api/routes.py).
ROUTES = []
