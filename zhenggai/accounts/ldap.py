"""Signing in with the password of an LDAP directory or Active Directory (ldap3, pure Python).

The ordinary login form's login and password are checked against the directory server: the
person's entry is found with a service account (ZHENGGAI_LDAP_BIND_DN, a filter such as
"(uid={login})" or, for Active Directory, "(sAMAccountName={login})") or named directly by a DN
template (ZHENGGAI_LDAP_USER_DN), then the server is asked to bind as that entry with the given
password. The entry's login and employee number name a person of the system's own directory
(通讯录, `match_person`): nobody is created and no role is given here. The sign-in is marked
in the session as made through LDAP (`SSO_SESSION_KEY` = "ldap"); an LDAP password is one
factor, so the two-factor step still applies unless settings say the directory enforces one.

What the person sees is said in Chinese on the form (the refusals below are ValidationErrors,
which Django's AuthenticationForm shows as the form's errors); what went wrong with the server
is logged in English.
"""

import logging
import ssl
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_backends, get_user_model, user_logged_in
from django.contrib.auth.backends import BaseBackend, ModelBackend
from django.core.exceptions import ValidationError
from django.dispatch import receiver
from ldap3 import BASE, NONE, SUBTREE, Connection, Server, Tls
from ldap3.core.exceptions import LDAPException
from ldap3.utils.conv import escape_filter_chars
from ldap3.utils.dn import escape_rdn

from zhenggai.accounts.matching import match_person

log = logging.getLogger(__name__)

# The session key that says how the person signed in, read by the two-factor step (the same key
# as zhenggai.accounts.oidc's, which writes "oidc").
SSO_SESSION_KEY = "sso"
SSO_LDAP = "ldap"

UNREACHABLE = "暂时无法连接单位域账号（LDAP）目录服务器，请稍后再试；如持续出现，请联系系统管理员。"
NOT_IN_DIRECTORY = (
    "您的单位域账号“{login}”不在本系统的通讯录中，请联系本单位整改办或系统管理员添加。"
)
DEACTIVATED = "您在本系统的账号已停用，请联系本单位整改办或系统管理员。"


class DirectoryUnreachable(Exception):
    """The directory server could not be reached, did not answer in time, or refused the
    service account (a configuration fault): nobody can be checked against it."""


@dataclass(frozen=True)
class DirectoryEntry:
    dn: str
    login: str
    employee_number: str


class LdapBackend(BaseBackend):
    """Django authentication backend: a login and password checked by the directory server."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not settings.LDAP_ENABLED or username is None:
            return None
        login = username.strip()
        # An empty password would make a "simple bind" anonymous, which servers accept.
        if not login or not password:
            return None
        try:
            entry, accepted = check_credentials(login, password)
        except DirectoryUnreachable as error:
            log.warning("LDAP server %s unusable: %s", settings.LDAP_URL, error)
            return self._unreachable(request, login, password)
        if entry is None:
            return None  # not in LDAP: a local account (the administrator) may still sign in
        if not accepted:
            # No local password is tried in its place unless the settings keep Django's own
            # backend (password sign-in on); with it off only the administrator's, on /admin/.
            log.info("LDAP sign-in refused for %s: wrong password", entry.dn)
            return None
        user = _person_for(entry)
        user.sso = SSO_LDAP
        return user

    def get_user(self, user_id):
        user = get_user_model().objects.filter(pk=user_id).first()
        return user if user is not None and user.is_active else None

    @staticmethod
    def _unreachable(request, login: str, password: str):
        # A local password the settings accept (anyone's with password sign-in on, the
        # administrator's on /admin/ otherwise) still works while the server is down; tried
        # here, so that a refusal can say the server is the reason.
        for backend in get_backends():
            if isinstance(backend, ModelBackend):
                user = backend.authenticate(request, username=login, password=password)
                if user is not None:
                    return user
        raise ValidationError(UNREACHABLE, code="ldap_unreachable")


def _person_for(entry: DirectoryEntry):
    """The directory person the entry names, or a refusal saying why there is none."""
    user = match_person(entry.login, entry.employee_number)
    if user is not None and user.is_active:
        return user
    users = get_user_model().objects
    deactivated = users.filter(username=entry.login, is_active=False).exists() or (
        entry.employee_number
        and users.filter(person__employee_number=entry.employee_number, is_active=False).exists()
    )
    if deactivated:
        log.info("LDAP sign-in refused for %s: the person is deactivated", entry.dn)
        raise ValidationError(DEACTIVATED, code="inactive")
    log.info("LDAP sign-in refused for %s: no person of the directory matches", entry.dn)
    raise ValidationError(NOT_IN_DIRECTORY.format(login=entry.login), code="not_in_directory")


def _server() -> Server:
    url = settings.LDAP_URL.rstrip("/")
    tls = None
    if url.lower().startswith("ldaps://") or settings.LDAP_START_TLS:
        tls = Tls(
            validate=ssl.CERT_REQUIRED,
            ca_certs_file=settings.LDAP_CA_FILE or None,
            version=ssl.PROTOCOL_TLS_CLIENT,
        )
    return Server(url, tls=tls, get_info=NONE, connect_timeout=settings.LDAP_TIMEOUT)


def _connect(user: str | None, password: str | None) -> Connection:
    """An open connection (TLS started when asked), not yet bound."""
    conn = Connection(
        _server(),
        user=user,
        password=password,
        receive_timeout=settings.LDAP_TIMEOUT,
        read_only=True,
        raise_exceptions=False,
    )
    try:
        conn.open()
        if settings.LDAP_START_TLS and not conn.start_tls():
            raise DirectoryUnreachable(f"StartTLS refused: {conn.result}")
    except LDAPException as error:
        _close(conn)
        raise DirectoryUnreachable(f"{type(error).__name__}: {error}") from error
    return conn


def _close(conn: Connection) -> None:
    """Unbind, where the connection may already be broken (a failed StartTLS, a timeout)."""
    try:
        conn.unbind()
    except LDAPException as error:
        log.debug("LDAP unbind failed: %s", error)


def _attributes() -> list[str]:
    return [settings.LDAP_LOGIN_ATTR, settings.LDAP_EMPLOYEE_ATTR]


def check_credentials(login: str, password: str) -> tuple[DirectoryEntry | None, bool]:
    """The directory entry the login names (None when there is none) and whether the server
    accepts the password for it.

    Without a service account the entry's DN is built from the login and read as the entry
    itself once bound; a refused bind then cannot tell a wrong password from a missing entry,
    and counts as no entry."""
    if not settings.LDAP_BIND_DN:
        dn = settings.LDAP_USER_DN.format(login=escape_rdn(login))
        entry = read_own_entry(dn, password, login)
        return entry, entry is not None
    entry = find_entry(login)
    return entry, entry is not None and check_password(entry.dn, password)


def find_entry(login: str) -> DirectoryEntry | None:
    """The entry the login names, found with the service account; None when there is none
    (or more than one)."""
    conn = _connect(settings.LDAP_BIND_DN, settings.LDAP_BIND_PASSWORD)
    try:
        if not conn.bind():
            raise DirectoryUnreachable(f"the service account's bind was refused: {conn.result}")
        query = settings.LDAP_USER_FILTER.format(login=escape_filter_chars(login))
        conn.search(settings.LDAP_SEARCH_BASE, query, SUBTREE, attributes=_attributes())
        if conn.result.get("result") not in (0, 4, 32):  # success, size limit, no such object
            raise DirectoryUnreachable(f"search failed: {conn.result}")
        entries = [item for item in conn.response or () if item.get("type") == "searchResEntry"]
    except LDAPException as error:
        raise DirectoryUnreachable(f"{type(error).__name__}: {error}") from error
    finally:
        _close(conn)
    if len(entries) != 1:
        if entries:
            log.warning("LDAP filter %s matches %d entries; refused", query, len(entries))
        return None
    return _entry(entries[0], login)


def check_password(dn: str, password: str) -> bool:
    """Whether the server accepts the password for the DN (a bind as the entry)."""
    conn = _connect(dn, password)
    try:
        return bool(conn.bind())
    except LDAPException as error:
        raise DirectoryUnreachable(f"{type(error).__name__}: {error}") from error
    finally:
        _close(conn)


def read_own_entry(dn: str, password: str, login: str) -> DirectoryEntry | None:
    """The entry's attributes read as the entry itself (when there is no service account)."""
    conn = _connect(dn, password)
    try:
        if not conn.bind():
            return None
        conn.search(dn, "(objectClass=*)", BASE, attributes=_attributes())
        entries = [item for item in conn.response or () if item.get("type") == "searchResEntry"]
    except LDAPException as error:
        raise DirectoryUnreachable(f"{type(error).__name__}: {error}") from error
    finally:
        _close(conn)
    return _entry(entries[0], login) if entries else DirectoryEntry(dn, login, "")


def _entry(item: dict, login: str) -> DirectoryEntry:
    attributes = item.get("attributes") or {}
    return DirectoryEntry(
        item["dn"],
        _value(attributes.get(settings.LDAP_LOGIN_ATTR), prefer=login) or login,
        _value(attributes.get(settings.LDAP_EMPLOYEE_ATTR)),
    )


def _value(value, prefer: str = "") -> str:
    """One value of an attribute that may hold several (uid may): the one the person typed,
    compared without case as the server compares it, else the first."""
    values = [str(v) for v in value] if isinstance(value, (list, tuple)) else [str(value or "")]
    for candidate in values:
        if prefer and candidate.casefold() == prefer.casefold():
            return candidate
    return values[0].strip() if values else ""


@receiver(user_logged_in, dispatch_uid="zhenggai.accounts.ldap.mark_session")
def mark_session(sender, request, user, **kwargs):
    """Record in the session that this sign-in was made with the LDAP password (and clear a
    mark left by an earlier LDAP sign-in when this one was made otherwise)."""
    if request is None or not hasattr(request, "session"):
        return
    if getattr(user, "sso", None) == SSO_LDAP:
        request.session[SSO_SESSION_KEY] = SSO_LDAP
    elif request.session.get(SSO_SESSION_KEY) == SSO_LDAP:
        del request.session[SSO_SESSION_KEY]
