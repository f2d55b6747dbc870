"""Supervision orders (督办单), notices, the office's opinions, the dashboard's figures."""

# (prefix under /api/v1/, viewset, basename): this module's resources (api/routes.py).
ROUTES = []
