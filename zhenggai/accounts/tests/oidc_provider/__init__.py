"""A real OpenID Connect provider (django-oauth-toolkit) for the single sign-on tests, run in a
subprocess of its own by `serve.py`: its own settings, URLs and SQLite file, never our project."""
