"""Ratings (read; pushed by devices and platforms with a key bound to their points) and the
assessment months."""

# (prefix under /api/v1/, viewset, basename): this module's resources (api/routes.py).
ROUTES = []
