"""Run the test identity provider: `python -m zhenggai.accounts.tests.oidc_provider.serve`.

Reads PROVIDER_DIR/setup.json (users with passwords, applications), migrates a fresh SQLite
database, then serves on 127.0.0.1 at a free port, which it prints as its first line."""

import json
import os
import socketserver
import sys
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import django


class _ThreadingServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        pass


def _set_up(setup: dict) -> None:
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0)
    for username, password in setup["users"].items():
        User.objects.create_user(username, password=password)
    for app in setup["applications"]:
        Application.objects.create(
            name=app["client_id"],
            client_id=app["client_id"],
            client_secret=app["client_secret"],
            client_type=Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
            redirect_uris=app["redirect_uri"],
            post_logout_redirect_uris=app["redirect_uri"],
            skip_authorization=app["skip_authorization"],
            algorithm=Application.RS256_ALGORITHM,
        )


def main() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "zhenggai.accounts.tests.oidc_provider.settings"
    django.setup()
    from django.conf import settings
    from django.core.wsgi import get_wsgi_application

    _set_up(json.loads((settings.DIR / "setup.json").read_text()))
    server = make_server(
        "127.0.0.1", 0, get_wsgi_application(), _ThreadingServer, handler_class=_QuietHandler
    )
    print(server.server_port, flush=True)
    sys.stdout.close()
    server.serve_forever()


if __name__ == "__main__":
    main()
