"""A real OpenLDAP server (Debian's slapd) for the LDAP sign-in tests, on loopback.

One slapd per test session, started from a generated slapd.conf with an mdb database in a
temporary directory, as whoever runs the tests (it needs no root: a port above 1024 and files
of its own). Each test gets an organisational unit of its own under ou=people, emptied after it,
and the settings pointing the LDAP backend at it. Without slapd the tests are skipped, except
under CI=true, where they fail.
"""

import base64
import datetime
import hashlib
import ipaddress
import itertools
import os
import secrets
import shutil
import socket
import subprocess  # nosec B404 - starts Debian's slapd by full path, with a list of arguments
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from ldap3 import BASE, LEVEL, Connection, Server

SLAPD = Path("/usr/sbin/slapd")
SCHEMA = Path("/etc/ldap/schema")
MODULES = Path("/usr/lib/ldap")
SUFFIX = "dc=zhenggai,dc=test"
ROOT_DN = f"cn=admin,{SUFFIX}"
READER_DN = f"cn=reader,{SUFFIX}"
PEOPLE = f"ou=people,{SUFFIX}"
LDAP_BACKEND = "zhenggai.accounts.ldap.LdapBackend"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
ADMIN_BACKEND = "zhenggai.accounts.admin_password.AdminPasswordBackend"

_CONF = """\
include {schema}/core.schema
include {schema}/cosine.schema
include {schema}/inetorgperson.schema
pidfile {dir}/slapd.pid
argsfile {dir}/slapd.args
{tls}modulepath {modules}
moduleload back_mdb
database mdb
maxsize 16777216
suffix "{suffix}"
rootdn "{root_dn}"
rootpw {root_hash}
directory {dir}/db
index uid,employeeNumber eq
access to attrs=userPassword by anonymous auth by * none
access to * by users read by * none
"""


def ssha(password: str) -> str:
    """An {SSHA} userPassword value (salted SHA-1), as slappasswd writes it."""
    salt = secrets.token_bytes(8)
    digest = hashlib.sha1(password.encode() + salt).digest()  # nosec B324 - LDAP's own scheme
    return "{SSHA}" + base64.b64encode(digest + salt).decode()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Slapd:
    """A running slapd: its URL, and the passwords of its root and of a read-only service account."""

    url: str
    root_password: str
    reader_password: str
    process: subprocess.Popen
    home: Path
    _ous: itertools.count = field(default_factory=lambda: itertools.count(1))

    def admin(self) -> Connection:
        return Connection(Server(self.url), ROOT_DN, self.root_password, auto_bind=True)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def new_ou(self) -> str:
        return f"ou=t{next(self._ous)},{PEOPLE}"


def _wait_until_answers(process: subprocess.Popen, port: int, log: Path) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"slapd exited with {process.returncode}: {log.read_text()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError(f"slapd did not answer on port {port} within 15 seconds")


def self_signed_certificate(home: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and localhost, signed by itself (it is its own CA file), and
    its key, for StartTLS."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = home / "server.crt", home / "server.key"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


def start_slapd(home: Path, *, tls: tuple[Path, Path] | None = None) -> Slapd:
    """Start slapd on a free loopback port with the base entries: the suffix, ou=people and a
    service account (cn=reader) that may read the directory but not the passwords; with a
    certificate and key, offering StartTLS."""
    (home / "db").mkdir(parents=True)
    root_password, reader_password = secrets.token_hex(12), secrets.token_hex(12)
    conf = home / "slapd.conf"
    conf.write_text(
        _CONF.format(
            schema=SCHEMA,
            dir=home,
            modules=MODULES,
            suffix=SUFFIX,
            root_dn=ROOT_DN,
            root_hash=ssha(root_password),
            tls=f"TLSCertificateFile {tls[0]}\nTLSCertificateKeyFile {tls[1]}\n" if tls else "",
        )
    )
    port = free_port()
    url = f"ldap://127.0.0.1:{port}"
    log = home / "slapd.log"
    with log.open("wb") as out:
        # -d 0 keeps slapd in the foreground (so it stops with the tests) and quiet.
        process = subprocess.Popen(  # nosec B603 - fixed program path, arguments built here
            [str(SLAPD), "-f", str(conf), "-h", f"{url}/", "-d", "0"],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = Slapd(url, root_password, reader_password, process, home)
    try:
        _wait_until_answers(process, port, log)
        _add_base_entries(server)
    except BaseException:
        server.stop()
        raise
    return server


def _add_base_entries(server: Slapd) -> None:
    conn = server.admin()
    try:
        _add(conn, SUFFIX, ["dcObject", "organization"], {"dc": "zhenggai", "o": "整改测试"})
        _add(conn, PEOPLE, ["organizationalUnit"], {"ou": "people"})
        _add(
            conn,
            READER_DN,
            ["organizationalRole", "simpleSecurityObject"],
            {"cn": "reader", "userPassword": ssha(server.reader_password)},
        )
    finally:
        conn.unbind()


def _add(conn: Connection, dn: str, classes: list[str], attributes: dict) -> None:
    if not conn.add(dn, classes, attributes):
        raise RuntimeError(f"could not add {dn}: {conn.result}")


@dataclass
class LdapDirectory:
    """One test's part of the directory: an organisational unit to add people to."""

    server: Slapd
    base: str

    @property
    def url(self) -> str:
        return self.server.url

    def add_person(
        self, uid: str, password: str, *, employee_number: str = "", name: str = "", ou: str = ""
    ) -> str:
        """Add an inetOrgPerson and return its DN."""
        dn = f"uid={uid},{ou or self.base}"
        attributes = {"uid": uid, "cn": name or uid, "sn": name or uid}
        attributes["userPassword"] = ssha(password)
        if employee_number:
            attributes["employeeNumber"] = employee_number
        conn = self.server.admin()
        try:
            _add(conn, dn, ["inetOrgPerson"], attributes)
        finally:
            conn.unbind()
        return dn

    def empty(self) -> None:
        conn = self.server.admin()
        try:
            conn.search(self.base, "(objectClass=*)", LEVEL, attributes=[])
            for dn in [entry.entry_dn for entry in conn.entries]:
                conn.delete(dn)
            conn.delete(self.base)
        finally:
            conn.unbind()

    def exists(self, dn: str) -> bool:
        conn = self.server.admin()
        try:
            return conn.search(dn, "(objectClass=*)", BASE, attributes=[])
        finally:
            conn.unbind()


def configure(settings, url: str, base: str, *, password_login: bool = True) -> None:
    """Point the LDAP backend at a server, searching with the service account, as settings.py
    would with ZHENGGAI_LDAP_URL set: the LDAP backend first, then Django's own (with password
    sign-in off, the administrator's password backend, which answers on /admin/ only)."""
    settings.LDAP_ENABLED = True
    settings.LDAP_URL = url
    settings.LDAP_START_TLS = False
    settings.LDAP_BIND_DN = READER_DN
    settings.LDAP_SEARCH_BASE = base
    settings.LDAP_USER_DN = ""
    settings.LDAP_USER_FILTER = "(uid={login})"
    settings.LDAP_LOGIN_ATTR = "uid"
    settings.LDAP_EMPLOYEE_ATTR = "employeeNumber"
    settings.LDAP_TIMEOUT = 3
    settings.LDAP_CA_FILE = ""
    settings.PASSWORD_LOGIN = password_login
    settings.AUTHENTICATION_BACKENDS = [
        LDAP_BACKEND,
        MODEL_BACKEND if password_login else ADMIN_BACKEND,
    ]


@contextmanager
def running_slapd():
    """A slapd for as long as the block runs; skipped without slapd, except under CI=true."""
    if not SLAPD.exists() or not (SCHEMA / "inetorgperson.schema").exists():
        message = "slapd is not installed (apt-get install slapd ldap-utils)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}: the LDAP sign-in tests are required under CI")
        pytest.skip(message)
    home = Path(tempfile.mkdtemp(prefix="zhenggai-slapd-"))
    server = start_slapd(home)
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(home, ignore_errors=True)


@contextmanager
def directory_part(server: Slapd, settings):
    """An empty organisational unit of the server, and the settings of a service account
    searching it (settings.LDAP_BIND_PASSWORD is the account's password); emptied after."""
    base = server.new_ou()
    conn = server.admin()
    try:
        _add(conn, base, ["organizationalUnit"], {"ou": base.split(",", 1)[0].split("=", 1)[1]})
    finally:
        conn.unbind()
    configure(settings, server.url, base)
    settings.LDAP_BIND_PASSWORD = server.reader_password
    directory = LdapDirectory(server, base)
    try:
        yield directory
    finally:
        directory.empty()


@pytest.fixture(scope="session")
def slapd_server():
    """One slapd for the whole session."""
    with running_slapd() as server:
        yield server


@pytest.fixture
def ldap_directory(slapd_server, settings):
    """A test's own part of the session's slapd, with the LDAP backend's settings pointing at it."""
    with directory_part(slapd_server, settings) as directory:
        yield directory
