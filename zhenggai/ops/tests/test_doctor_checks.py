"""Each check of `zhenggai doctor` fails (or warns) on what is wrong and passes on what is right,
with the settings overridden as a real installation would set them; nothing leaves the machine."""

import os
import shutil
import socket
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from zhenggai.lib import workdays
from zhenggai.ops import doctor
from zhenggai.supervision.models import CalendarDay

STRONG_KEY = "k3Y-" + "x7Qp2Lm9Vb4Rt8Ws1Nz6Hc5Jd0Fg3Ka" * 2


def statuses(results) -> dict[str, str]:
    return {r.check: r.status for r in results}


def one(results, check: str) -> doctor.Result:
    (found,) = [r for r in results if r.check == check]
    return found


@pytest.fixture
def production(settings):
    """A real installation's settings: neither debug nor demo, a strong key, its own host."""
    settings.DEBUG = False
    settings.DEMO = False
    settings.SECRET_KEY = STRONG_KEY
    settings.ALLOWED_HOSTS = ["zhenggai.example.gov.cn"]
    settings.CSRF_TRUSTED_ORIGINS = ["https://zhenggai.example.gov.cn"]
    settings.SITE_URL = "https://zhenggai.example.gov.cn"
    settings.TRUSTED_PROXIES = ["127.0.0.1/32"]
    return settings


# Settings


def test_debug_on_fails_and_demo_warns(production):
    assert doctor._debug().status == doctor.OK
    production.DEMO = True
    assert doctor._debug().status == doctor.WARN
    production.DEBUG = True
    result = doctor._debug()
    assert result.status == doctor.FAIL and "ZHENGGAI_DEBUG" in result.message


def test_the_development_key_fails_in_production_only(production):
    assert doctor._secret_key().status == doctor.OK
    production.SECRET_KEY = "insecure-development-key-only-for-debug-and-demo-never-for-production"
    result = doctor._secret_key()
    assert result.status == doctor.FAIL and "token_urlsafe" in result.hint
    production.DEMO = True
    assert doctor._secret_key().status == doctor.OK


def test_a_short_key_fails_in_production(production):
    production.SECRET_KEY = "short-but-not-the-development-one"
    assert doctor._secret_key().status == doctor.FAIL


def test_hosts_any_or_only_this_machine_fail(production):
    assert doctor._allowed_hosts().status == doctor.OK
    production.ALLOWED_HOSTS = ["*"]
    assert doctor._allowed_hosts().status == doctor.FAIL
    production.ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
    assert "400" in doctor._allowed_hosts().message


def test_the_site_address_must_be_https_and_an_allowed_host(production):
    assert doctor._site_url().status == doctor.OK
    production.SITE_URL = "http://127.0.0.1:8000"
    result = doctor._site_url()
    assert result.status == doctor.FAIL and "https" in result.message
    production.SITE_URL = "https://zhenggai.other.gov.cn"
    result = doctor._site_url()
    assert result.status == doctor.FAIL and "zhenggai.other.gov.cn" in result.message


def test_trusted_origins_must_be_https_and_allowed(production):
    assert doctor._csrf_origins() == []
    production.CSRF_TRUSTED_ORIGINS = ["http://zhenggai.example.gov.cn", "https://elsewhere.cn"]
    assert [r.status for r in doctor._csrf_origins()] == [doctor.WARN, doctor.WARN]


def test_a_time_zone_other_than_beijing_warns(production):
    assert doctor._time_zone().status == doctor.OK
    production.TIME_ZONE = "Europe/Berlin"
    assert doctor._time_zone().status == doctor.WARN


def test_email_off_warns(production):
    production.EMAIL_ENABLED, production.EMAIL_HOST = False, ""
    assert doctor._email().status == doctor.WARN
    production.EMAIL_ENABLED, production.EMAIL_HOST = True, "smtp.example.gov.cn"
    result = doctor._email()
    assert result.status == doctor.OK and "smtp.example.gov.cn" in result.message


def test_no_trusted_proxy_warns_in_production(production):
    assert doctor._proxies().status == doctor.OK
    production.TRUSTED_PROXIES = []
    assert doctor._proxies().status == doctor.WARN
    production.DEBUG = True
    assert doctor._proxies().status == doctor.OK


def test_djangos_deployment_checks_are_reported_by_their_ids(production, monkeypatch):
    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE", raising=False)  # set for the browser tests
    production.SECURE_SSL_REDIRECT = False
    result = doctor._system_checks()
    assert result.status == doctor.WARN and "security.W008" in result.message
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    result = doctor._system_checks()
    assert result.status == doctor.FAIL and "async.E001" in result.message


# Database


@pytest.mark.django_db
def test_an_unapplied_migration_fails():
    assert one(doctor.check_database(), "migrations").status == doctor.OK
    latest = MigrationRecorder.Migration.objects.filter(app="supervision").latest("id")
    latest.delete()
    result = one(doctor.check_database(), "migrations")
    assert result.status == doctor.FAIL and f"supervision.{latest.name}" in result.message
    assert "zhenggai migrate" in result.hint


def test_sqlite_outside_wal_mode_warns():
    assert doctor.journal_mode_result("wal").status == doctor.OK
    result = doctor.journal_mode_result("delete")
    assert result.status == doctor.WARN and "delete" in result.message


@pytest.mark.django_db
def test_sqlite_behind_shared_s3_storage_warns(settings):
    if connection.vendor != "sqlite":
        assert one(doctor.check_database(), "vendor").message.startswith("PostgreSQL")
        return
    assert one(doctor.check_database(), "vendor").status == doctor.OK
    settings.STORAGE = "s3"
    result = one(doctor.check_database(), "vendor")
    assert result.status == doctor.WARN and "PostgreSQL" in result.hint


# Storage


def test_the_storage_probe_writes_reads_and_deletes(settings, tmp_path):
    result = one(doctor.check_storage(), "read_write")
    assert result.status == doctor.OK
    files = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    assert not any(p.is_file() for p in files.rglob("*"))  # the probe is gone


def test_a_storage_that_cannot_be_written_fails(settings, tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(blocker / "files")},
        },
    }
    result = one(doctor.check_storage(), "read_write")
    assert result.status == doctor.FAIL and "chown" in result.hint


def test_little_free_space_warns(monkeypatch):
    assert {r.status for r in doctor._free_space()} == {doctor.OK}
    monkeypatch.setattr(doctor, "MIN_FREE_BYTES", 2**62)
    results = doctor._free_space()
    assert results and {r.status for r in results} == {doctor.WARN}


# The same on an S3 store: moto's server on loopback (zhenggai/lib/tests/s3server.py)


def test_the_storage_probe_works_on_s3_and_leaves_nothing(s3):
    result = one(doctor.check_storage(), "read_write")
    assert result.status == doctor.OK and f"S3 存储桶 {s3.name}" in result.message
    assert s3.keys() == []


def test_a_missing_bucket_fails(s3, settings):
    options = {**settings.STORAGES["default"]["OPTIONS"], "bucket_name": "no-such-bucket"}
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": options},
    }
    result = one(doctor.check_storage(), "read_write")
    assert result.status == doctor.FAIL and "ZHENGGAI_S3_ENDPOINT" in result.hint


# Calendar


@pytest.mark.django_db
def test_this_year_must_be_on_the_official_calendar():
    last = workdays.OFFICIAL_LAST_YEAR
    assert statuses(doctor.check_calendar(date(last, 6, 1))) == {f"year_{last}": doctor.OK}
    result = one(doctor.check_calendar(date(last + 1, 3, 1)), f"year_{last + 1}")
    assert result.status == doctor.FAIL and "节假日调整" in result.hint


@pytest.mark.django_db
def test_next_year_is_asked_for_from_december():
    last = workdays.OFFICIAL_LAST_YEAR
    assert statuses(doctor.check_calendar(date(last, 12, 1))) == {
        f"year_{last}": doctor.OK,
        f"year_{last + 1}": doctor.WARN,
    }


@pytest.mark.django_db
def test_days_entered_in_the_admin_cover_a_year():
    year = workdays.OFFICIAL_LAST_YEAR + 1
    CalendarDay.objects.create(day=date(year, 1, 1), is_workday=False, note="国办发明电")
    result = one(doctor.check_calendar(date(year, 3, 1)), f"year_{year}")
    assert result.status == doctor.OK and "节假日调整" in result.message


# LibreOffice, fonts, pdftoppm


def fake_program(folder: Path, script: str, *libraries: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    program = folder / "soffice"
    program.write_text(f"#!/bin/sh\n{script}\n")
    program.chmod(0o755)
    for name in libraries:
        (folder / name).touch()
    return program


def test_a_missing_libreoffice_fails(settings, tmp_path):
    settings.SOFFICE = str(tmp_path / "missing" / "soffice")
    result = doctor._libreoffice()
    assert result.status == doctor.FAIL and settings.SOFFICE in result.message
    assert "libreoffice-writer-nogui" in result.hint


def test_libreoffice_that_answers_its_version_passes(settings, tmp_path):
    settings.SOFFICE = str(fake_program(tmp_path, 'echo "LibreOffice 9.9.9 test"'))
    result = doctor._libreoffice()
    assert result.status == doctor.OK and "LibreOffice 9.9.9" in result.message


def test_libreoffice_that_fails_or_hangs_fails(settings, tmp_path, monkeypatch):
    settings.SOFFICE = str(fake_program(tmp_path / "a", "echo broken >&2; exit 3"))
    result = doctor._libreoffice()
    assert result.status == doctor.FAIL and "broken" in result.message
    monkeypatch.setattr(doctor, "PROGRAM_TIMEOUT", 0.5)
    settings.SOFFICE = str(fake_program(tmp_path / "b", "sleep 30"))
    result = doctor._libreoffice()
    assert result.status == doctor.FAIL and "没有回应" in result.message


def test_libreoffice_without_writer_fails_and_without_calc_warns(settings, tmp_path):
    version = 'echo "LibreOffice 9.9.9"'
    settings.SOFFICE = str(fake_program(tmp_path / "a", version, "libmergedlo.so"))
    assert doctor._libreoffice().status == doctor.FAIL
    settings.SOFFICE = str(fake_program(tmp_path / "b", version, "libswlo.so"))
    result = doctor._libreoffice()
    assert result.status == doctor.WARN and "libreoffice-calc-nogui" in result.hint
    settings.SOFFICE = str(fake_program(tmp_path / "c", version, "libswlo.so", "libsclo.so"))
    assert doctor._libreoffice().status == doctor.OK


def missing(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (required under CI)")
    pytest.skip(reason)


def test_the_installed_libreoffice_passes(settings):
    settings.SOFFICE = ""
    if shutil.which("soffice") is None:
        missing("LibreOffice is not installed")
    result = doctor._libreoffice()
    assert result.status == doctor.OK and "Writer" in result.message


def test_the_installed_noto_fonts_pass():
    if shutil.which("fc-list") is None or not Path("/usr/share/fonts/opentype/noto").is_dir():
        missing("fontconfig or fonts-noto-cjk is not installed")
    result = doctor._fonts()
    assert result.status == doctor.OK and "Noto Serif CJK SC" in result.message


def test_fonts_without_noto_cjk_or_the_projects_config_fail(tmp_path, monkeypatch):
    if shutil.which("fc-list") is None:
        missing("fontconfig is not installed")
    monkeypatch.setattr(doctor, "FONTS_CONF", tmp_path / "missing.conf")
    assert "fonts.conf" not in doctor._fonts().hint and doctor._fonts().status == doctor.FAIL
    (tmp_path / "empty").mkdir()
    bare = tmp_path / "bare.conf"
    bare.write_text(
        f'<?xml version="1.0"?><fontconfig><dir>{tmp_path / "empty"}</dir>'
        f"<cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>"
    )
    monkeypatch.setattr(doctor, "FONTS_CONF", bare)
    result = doctor._fonts()
    assert result.status == doctor.FAIL and "fonts-noto-cjk" in result.hint


def test_no_pdftoppm_warns(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    assert doctor._pdftoppm().status == doctor.WARN


# Backups


def test_no_backup_directory_warns_in_production(production):
    production.BACKUP_DIR = ""
    assert one(doctor.check_backups(), "latest").status == doctor.WARN
    production.DEMO = True
    assert one(doctor.check_backups(), "latest").status == doctor.OK


def test_a_missing_backup_directory_fails(production, tmp_path):
    production.BACKUP_DIR = str(tmp_path / "nowhere")
    result = one(doctor.check_backups(), "latest")
    assert result.status == doctor.FAIL and "install -d" in result.hint


def archive(folder: Path, made) -> Path:
    """An archive as `zhenggai backup` names it, made at `made` (in its name and its time)."""
    path = folder / f"zhenggai-{timezone.localtime(made):%Y%m%d-%H%M%S}.tar"
    path.write_bytes(b"x" * 1024)
    os.utime(path, (made.timestamp(), made.timestamp()))
    return path


@pytest.mark.django_db
def test_the_newest_backup_must_be_younger_than_two_days(production, tmp_path):
    production.BACKUP_DIR = str(tmp_path)
    assert "还没有备份" in one(doctor.check_backups(), "latest").message
    old = archive(tmp_path, timezone.now() - timedelta(days=3))
    result = one(doctor.check_backups(), "latest")
    assert result.status == doctor.WARN and old.name in result.message
    new = archive(tmp_path, timezone.now() - timedelta(hours=20))
    result = one(doctor.check_backups(), "latest")
    assert result.status == doctor.OK and new.name in result.message


@pytest.mark.django_db
def test_pg_dump_must_be_as_new_as_the_server(production, tmp_path, monkeypatch):
    production.BACKUP_DIR = str(tmp_path)
    if connection.vendor != "postgresql":
        assert [r.check for r in doctor.check_backups()] == ["latest"]
        return
    assert one(doctor.check_backups(), "pg_dump").status == doctor.OK
    monkeypatch.setattr(connection, "pg_version", 990000)
    result = one(doctor.check_backups(), "pg_dump")
    assert result.status == doctor.FAIL and "PostgreSQL 99" in result.message


# Sign-in


def test_no_way_to_sign_in_fails(production):
    production.PASSWORD_LOGIN = production.OIDC_ENABLED = production.LDAP_ENABLED = False
    assert doctor._methods().status == doctor.FAIL
    production.PASSWORD_LOGIN = True
    assert doctor._methods().status == doctor.OK


def test_oidc_needs_every_endpoint_over_https(production):
    production.OIDC_ENABLED = True
    production.OIDC_RP_CLIENT_SECRET = "secret"
    production.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://sso.example.gov.cn/authorize"
    production.OIDC_OP_TOKEN_ENDPOINT = "https://sso.example.gov.cn/token"
    production.OIDC_OP_USER_ENDPOINT = "https://sso.example.gov.cn/userinfo"
    production.OIDC_OP_JWKS_ENDPOINT = None
    (result,) = doctor._oidc()
    assert result.status == doctor.FAIL and "ZHENGGAI_OIDC_JWKS_URL" in result.message
    production.OIDC_OP_JWKS_ENDPOINT = "http://sso.example.gov.cn/jwks"
    (result,) = doctor._oidc()
    assert result.status == doctor.FAIL and "https" in result.message
    production.OIDC_OP_JWKS_ENDPOINT = "https://sso.example.gov.cn/jwks"
    assert [r.status for r in doctor._oidc()] == [doctor.OK]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_ldap_must_be_reachable_and_warns_when_unencrypted(production):
    production.LDAP_ENABLED, production.LDAP_START_TLS, production.LDAP_TIMEOUT = True, False, 2
    production.LDAP_URL = f"ldap://127.0.0.1:{free_port()}"
    (result,) = doctor._ldap()
    assert result.status == doctor.FAIL and production.LDAP_URL in result.message
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        production.LDAP_URL = f"ldap://127.0.0.1:{server.getsockname()[1]}"
        assert [r.status for r in doctor._ldap()] == [doctor.WARN]
        production.LDAP_START_TLS = True
        assert [r.status for r in doctor._ldap()] == [doctor.OK]


def test_two_factor_off_warns_in_production(production):
    production.TWO_FACTOR_REQUIRED = False
    production.SSO_ENFORCES_MFA = False
    assert doctor._two_factor().status == doctor.WARN
    production.SSO_ENFORCES_MFA, production.PASSWORD_LOGIN = True, False
    assert doctor._two_factor().status == doctor.OK
    production.TWO_FACTOR_REQUIRED = True
    assert doctor._two_factor().status == doctor.OK
