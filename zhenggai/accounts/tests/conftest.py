import pytest

from zhenggai.accounts.tests.slapd import ldap_directory, slapd_server  # noqa: F401


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory):
    """A real OpenID Connect provider (django-oauth-toolkit) in a subprocess, once per run."""
    from zhenggai.accounts.tests.oidc_provider import running

    provider = running.start(tmp_path_factory.mktemp("oidc-provider"))
    yield provider
    provider.stop()


@pytest.fixture
def oidc(settings, oidc_provider):
    """Our side configured for the provider, as ZHENGGAI_OIDC_* would configure it."""
    for name, value in oidc_provider.settings().items():
        setattr(settings, name, value)
    backend = "zhenggai.accounts.oidc.DirectoryOIDCBackend"
    if backend not in settings.AUTHENTICATION_BACKENDS:
        settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, backend]
    return oidc_provider
