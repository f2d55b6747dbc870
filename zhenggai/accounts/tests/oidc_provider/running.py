"""Start and stop the test identity provider (a subprocess on 127.0.0.1), and walk a person
through it over HTTP as a browser would."""

import json
import os
import select
import subprocess  # nosec B404 (runs our own provider module with a fixed argument list)
import sys
from dataclasses import dataclass
from pathlib import Path

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

ROOT = Path(__file__).resolve().parents[4]
PASSWORD = "provider password"
CLIENT_ID, CLIENT_SECRET = "zhenggai", "zhenggai-client-secret"
CONSENT_CLIENT_ID = "zhenggai-asks-consent"
CALLBACK = "http://testserver/oidc/callback/"
# The browser tests' live server: any port on localhost (RFC 8252 loopback redirects).
LIVE_CALLBACK = "http://localhost/oidc/callback/"
# The provider's users and the claims it asserts about each: the login our directory knows them
# by, their employee number, or neither.
CLAIMS = {
    "zhangsan": {"preferred_username": "staff"},
    "lisi": {"preferred_username": "li.si@idp.example", "employee_number": "E-1001"},
    "stranger": {"preferred_username": "stranger", "employee_number": "E-9999"},
    "wangwu": {"preferred_username": "gone"},
    "nameless": {},
}


@dataclass
class Provider:
    url: str
    process: subprocess.Popen

    def settings(self) -> dict:
        """What an installation would set through ZHENGGAI_OIDC_* for this provider."""
        return {
            "OIDC_ENABLED": True,
            "OIDC_RP_CLIENT_ID": CLIENT_ID,
            "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{self.url}/o/authorize/",
            "OIDC_OP_TOKEN_ENDPOINT": f"{self.url}/o/token/",
            "OIDC_OP_USER_ENDPOINT": f"{self.url}/o/userinfo/",
            "OIDC_OP_JWKS_ENDPOINT": f"{self.url}/o/.well-known/jwks.json",
            "OIDC_OP_LOGOUT_URL": "",
        }

    def browser(self, username: str) -> requests.Session:
        """A session signed in at the provider, as the person would be in their browser."""
        session = requests.Session()
        login = f"{self.url}/accounts/login/"
        session.get(login, timeout=10).raise_for_status()
        form = {"username": username, "password": PASSWORD}
        form["csrfmiddlewaretoken"] = session.cookies["csrftoken"]
        response = session.post(login, data=form, allow_redirects=False, timeout=10)
        assert response.status_code == 302, f"{username} could not sign in at the provider"
        return session

    def authorize(self, browser: requests.Session, authorize_url: str) -> str:
        """Follow our redirect to the provider; return where it sends the browser back to."""
        response = browser.get(authorize_url, allow_redirects=False, timeout=10)
        assert response.status_code == 302, response.text[:500]
        return response.headers["Location"]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _private_key_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def start(directory: Path) -> Provider:
    (directory / "key.pem").write_text(_private_key_pem())
    (directory / "claims.json").write_text(json.dumps(CLAIMS))
    apps = [
        {"client_id": CLIENT_ID, "skip_authorization": True},
        {"client_id": CONSENT_CLIENT_ID, "skip_authorization": False},
    ]
    for app in apps:
        app.update(client_secret=CLIENT_SECRET, redirect_uri=f"{CALLBACK} {LIVE_CALLBACK}")
    setup = {"users": dict.fromkeys(CLAIMS, PASSWORD), "applications": apps}
    (directory / "setup.json").write_text(json.dumps(setup))
    env = {**os.environ, "PROVIDER_DIR": str(directory)}
    for name in ("DJANGO_SETTINGS_MODULE", "ZHENGGAI_DATA_DIR", "DATABASE_URL"):
        env.pop(name, None)
    process = subprocess.Popen(  # nosec B603 (our interpreter and module, no shell)
        [sys.executable, "-m", "zhenggai.accounts.tests.oidc_provider.serve"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=open(directory / "provider.log", "w"),  # noqa: SIM115 (the child keeps it)
        text=True,
    )
    ready, _, _ = select.select([process.stdout], [], [], 60)
    line = process.stdout.readline() if ready else ""
    if not line.strip().isdigit():
        process.kill()
        log = (directory / "provider.log").read_text()
        raise RuntimeError(f"the test identity provider did not start:\n{log[-3000:]}")
    return Provider(url=f"http://127.0.0.1:{line.strip()}", process=process)
